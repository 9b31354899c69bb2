/**
 * A submitted form, whatever the platform: Slack's view state and a Teams dialog's data both become
 * `FormValues` (by block id, see src/domain/form.ts), and one reader per form checks them, so a
 * field means the same on both platforms and its problem is shown under the same field.
 */
import { z } from 'zod';
import {
  csvEmails,
  emailQuestions,
  unusableWords,
  parseEmail,
  supportProblems,
  shareFormProblems,
  textOf,
  choiceOf,
  type DomainDeps,
  type Actor,
  type Edition,
  type FieldValue,
  type Form,
  type FormValues,
  type ShareField,
  type SupportField,
} from '../domain/index.js';
import { APPROVE_MODAL, DENY_SEAT_MODAL, REQUEST_SEAT_MODAL, INVITE_MODAL, RECONCILE_MODAL, RETURN_MODAL, SHARE_MODAL, SUPPORT_MODAL } from './slack/action-ids.js';

const slackFile = z.object({ url_private_download: z.string().optional(), url_private: z.string().optional(), permalink: z.string().optional(), name: z.string().optional(), title: z.string().optional() });
const slackElement = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_users: z.array(z.string()).nullish(),
  files: z.array(slackFile).nullish(),
});
const slackState = z.record(z.string(), z.record(z.string(), slackElement));

/** Slack's `view.state.values` (block → action → element state) as form values; null when it is not that shape. */
export function slackFormValues(state: unknown): FormValues | null {
  const parsed = slackState.safeParse(state);
  if (!parsed.success) return null;
  const values = new Map<string, FieldValue>();
  for (const [block, elements] of Object.entries(parsed.data)) {
    const v: { text?: string | null; choice?: string | null; people?: string[]; files?: { url: string; name?: string; permalink?: string }[] } = {};
    for (const e of Object.values(elements)) {
      if (e.value !== undefined) v.text = e.value;
      if (e.selected_option !== undefined) v.choice = e.selected_option?.value ?? null;
      if (e.selected_users) v.people = e.selected_users;
      if (e.files) {
        v.files = e.files.flatMap((f) => {
          const url = f.url_private_download ?? f.url_private ?? f.permalink;
          return url ? [{ url, ...(f.name ?? f.title ? { name: f.name ?? f.title } : {}), ...(f.permalink ? { permalink: f.permalink } : {}) }] : [];
        });
      }
    }
    values.set(block, v);
  }
  return values;
}

/** The input id a dialog uses for a field: `block.action`. */
const dialogInputId = (key: { block: string; action: string }): string => `${key.block}.${key.action}`;

/** A Teams dialog's submitted data (input id → string) as form values, read through the form's own fields. */
export function dialogFormValues(form: Form, data: Record<string, unknown>): FormValues {
  const values = new Map<string, FieldValue>();
  const read = (id: string): string | null => {
    const raw = Object.hasOwn(data, id) ? data[id] : undefined;
    return typeof raw === 'string' && raw.trim() !== '' ? raw : null;
  };
  for (const f of form.fields) {
    if (f.input.type === 'choice') values.set(f.key.block, { choice: read(dialogInputId(f.key)) });
    else if (f.input.type === 'text') values.set(f.key.block, { text: read(dialogInputId(f.key)) });
    else if (f.input.type === 'file' && f.input.paste) values.set(f.key.block, { text: read(dialogInputId(f.input.paste.key)) });
  }
  return values;
}

type Read<T> = { form: T } | { errors: Record<string, string> };

const splitEmails = (raw: string): string[] => raw.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean);
/** `!name@host`: "send it as I typed it", no did-you-mean */
const unmarked = (e: string): string => (e.startsWith('!') ? e.slice(1) : e);

/**
 * Did you mean…, said under the field: emails that differ from one on record only in letter case,
 * or are a letter or two off one (or off a known domain). Nothing is sent until they are fixed
 * (or, for a near miss that is someone new, written with a leading `!`).
 */
async function typoError(deps: DomainDeps | undefined, emails: string[]): Promise<string | undefined> {
  if (!deps) return undefined;
  const questions = await deps.store.transaction((repos) => emailQuestions(repos, emails.filter((e) => !e.startsWith('!'))));
  if (questions.length === 0) return undefined;
  const said = questions.slice(0, 3).map((q) =>
    q.why === 'case' ? `${q.typed}: the email on record is ${q.suggestion} (account emails are case sensitive)` : `${q.typed}: did you mean ${q.suggestion}?`,
  );
  const nearOnly = questions.every((q) => q.why !== 'case');
  return `Nothing sent yet. ${said.join('; ')}${questions.length > 3 ? '; …' : ''}. Use the email on record${nearOnly ? ', or write it with a leading ! (like !' + questions[0]!.typed + ') if it is someone new' : ''}.`;
}

export interface InviteForm {
  licenseName: string | null;
  userIds: string[];
  /** typed, then those of a pasted CSV, in order, each once */
  emails: string[];
  /** uploaded CSV files to read the emails from */
  csvUrls: string[];
}

/** The invite form. `pickable`: whether the platform shows a people picker (what to say when nobody is named). */
export async function readInviteForm(values: FormValues, pickable: boolean, deps?: DomainDeps): Promise<Read<InviteForm>> {
  const licenseName = choiceOf(values, INVITE_MODAL.license);
  const userIds = [...(values.get(INVITE_MODAL.users.block)?.people ?? [])];
  const marked = splitEmails(textOf(values, INVITE_MODAL.emails));
  const rawEmails = marked.map(unmarked);
  const errors: Record<string, string> = {};
  const bad = rawEmails.filter((e) => !parseEmail(e));
  if (bad.length) errors[INVITE_MODAL.emails.block] = `Not an email address: ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? '…' : ''}. Fix or remove it.`;
  else {
    const typo = await typoError(deps, marked);
    if (typo) errors[INVITE_MODAL.emails.block] = typo;
  }
  const csv = values.get(INVITE_MODAL.csv.block);
  const csvUrls = (csv?.files ?? []).map((f) => f.url);
  // a pasted CSV (where a form takes no file): every email in it, whatever the columns
  const csvText = (csv?.text ?? '').trim();
  const { emails: pasted, unusable } = csvEmails(csvText);
  if (csvText && pasted.length === 0) {
    errors[INVITE_MODAL.csv.block] = "I found no email address in what you pasted. Paste the CSV file's content (the emails may be in any column), or type the emails above.";
  } else if (unusable.length) {
    errors[INVITE_MODAL.csv.block] = `${unusableWords(unusable)} Fix or remove ${unusable.length === 1 ? 'that line' : 'those lines'}; nothing was sent.`;
  } else {
    const typo = await typoError(deps, pasted);
    if (typo) errors[INVITE_MODAL.csv.block] = typo;
  }
  if (!userIds.length && !rawEmails.length && !csvUrls.length && !csvText) {
    if (pickable) errors[INVITE_MODAL.users.block] = 'Pick at least one person, type an email below, or upload a CSV.';
    else errors[INVITE_MODAL.emails.block] = 'Type at least one email, or paste a CSV of emails below.';
  }
  if (Object.keys(errors).length) return { errors };
  const typed = new Set(rawEmails);
  return { form: { licenseName, userIds, emails: [...rawEmails, ...pasted.filter((e) => !typed.has(e))], csvUrls } };
}

export interface ShareForm {
  project: { id: number } | { name: string } | null;
  edition: Edition | null;
  userIds: string[];
  emails: string[];
  desktopLink: string | null;
  message: string | null;
}

/** The share form, checked by the domain's own rules (`shareFormProblems`); a problem is keyed by the field it is about. */
export async function readShareForm(values: FormValues, check: { deps: DomainDeps; actor: Actor }): Promise<Read<ShareForm>> {
  const existing = choiceOf(values, SHARE_MODAL.existing);
  const newName = textOf(values, SHARE_MODAL.newName);
  const edition = choiceOf(values, SHARE_MODAL.edition);
  const marked = splitEmails(textOf(values, SHARE_MODAL.emails));
  const rawEmails = marked.map(unmarked);
  const form: ShareForm = {
    // a new name wins over a picked project: typing it is the more deliberate act
    project: newName ? { name: newName } : existing ? { id: Number(existing) } : null,
    edition: edition === 'web' || edition === 'desktop' ? edition : null,
    userIds: [...(values.get(SHARE_MODAL.users.block)?.people ?? [])],
    emails: rawEmails.filter((e) => parseEmail(e)),
    desktopLink: textOf(values, SHARE_MODAL.desktopLink) || null,
    message: values.get(SHARE_MODAL.message.block)?.text ?? null,
  };
  const badEmails = rawEmails.filter((e) => !parseEmail(e));
  const problems = await shareFormProblems({
    ...check,
    input: { project: form.project, edition: form.edition, inviteeCount: form.userIds.length + form.emails.length + badEmails.length, desktopLink: form.desktopLink, message: form.message },
  });
  const FIELD: Record<ShareField, string> = {
    project: SHARE_MODAL.newName.block,
    edition: SHARE_MODAL.edition.block,
    invitees: values.has(SHARE_MODAL.users.block) ? SHARE_MODAL.users.block : SHARE_MODAL.emails.block,
    desktopLink: SHARE_MODAL.desktopLink.block,
    message: SHARE_MODAL.message.block,
  };
  const errors: Record<string, string> = {};
  for (const [field, words] of Object.entries(problems)) errors[FIELD[field as ShareField]] = String(words);
  if (badEmails.length) errors[SHARE_MODAL.emails.block] = `Not an email address: ${badEmails.slice(0, 3).join(', ')}. Fix or remove it.`;
  else {
    const typo = await typoError(check.deps, marked);
    if (typo) errors[SHARE_MODAL.emails.block] = typo;
  }
  return Object.keys(errors).length ? { errors } : { form };
}

export function readReturnForm(values: FormValues): { projectId: number; link: string; note: string | null } {
  return { projectId: Number(choiceOf(values, RETURN_MODAL.project)), link: textOf(values, RETURN_MODAL.link), note: values.get(RETURN_MODAL.note.block)?.text ?? null };
}

/** Where a domain error about one of the return form's fields is shown. */
export const RETURN_FIELD_BLOCK: Record<string, string> = { link: RETURN_MODAL.link.block, note: RETURN_MODAL.note.block, project: RETURN_MODAL.project.block };

export function readApproveForm(values: FormValues): Read<{ licenseName: string }> {
  const licenseName = choiceOf(values, APPROVE_MODAL.license);
  return licenseName ? { form: { licenseName } } : { errors: { [APPROVE_MODAL.license.block]: 'Pick the license to invite them to.' } };
}

export interface SeatRequestForm {
  licenseName: string;
  email: string;
  reason: string | null;
}

/** The request-seat form: a pool, an email that parses (and is not a likely typo of one on record), a reason. */
export async function readSeatRequestForm(values: FormValues, deps?: DomainDeps): Promise<Read<SeatRequestForm>> {
  const licenseName = choiceOf(values, REQUEST_SEAT_MODAL.license);
  const marked = textOf(values, REQUEST_SEAT_MODAL.email);
  const email = unmarked(marked);
  const errors: Record<string, string> = {};
  if (!licenseName) errors[REQUEST_SEAT_MODAL.license.block] = 'Pick the license you need a seat in.';
  if (!email) errors[REQUEST_SEAT_MODAL.email.block] = 'Give the email of your account, exactly as it is spelled.';
  else if (!parseEmail(email)) errors[REQUEST_SEAT_MODAL.email.block] = `Not an email address: ${email.slice(0, 80)}. Give the exact email of your account.`;
  else {
    const typo = await typoError(deps, [marked]);
    if (typo) errors[REQUEST_SEAT_MODAL.email.block] = typo.replace('Nothing sent yet.', 'Nothing asked yet.');
  }
  if (Object.keys(errors).length) return { errors };
  return { form: { licenseName: licenseName!, email, reason: textOf(values, REQUEST_SEAT_MODAL.reason) || null } };
}

export function readDenyForm(values: FormValues): { note: string | null } {
  return { note: textOf(values, DENY_SEAT_MODAL.note) || null };
}

export function readReconcileForm(values: FormValues): Read<{ licenseName: string; csv: string }> {
  const licenseName = choiceOf(values, RECONCILE_MODAL.license);
  if (!licenseName) return { errors: { [RECONCILE_MODAL.license.block]: 'Pick the license to compare.' } };
  return { form: { licenseName, csv: values.get(RECONCILE_MODAL.csv.block)?.text ?? '' } };
}

export function readSupportForm(values: FormValues): Read<{ email: string; topic: string; description: string; files: { name: string; url: string }[] }> {
  const input = {
    email: values.get(SUPPORT_MODAL.email.block)?.text ?? '',
    topic: choiceOf(values, SUPPORT_MODAL.topic) ?? '',
    description: values.get(SUPPORT_MODAL.description.block)?.text ?? '',
    // screenshots travel as links to the files the person uploaded
    files: (values.get(SUPPORT_MODAL.files.block)?.files ?? []).map((f) => ({ name: f.name ?? 'screenshot', url: f.permalink ?? f.url })),
  };
  const FIELD: Record<SupportField, string> = { email: SUPPORT_MODAL.email.block, topic: SUPPORT_MODAL.topic.block, description: SUPPORT_MODAL.description.block, files: SUPPORT_MODAL.files.block };
  const problems = supportProblems(input);
  if (Object.keys(problems).length) return { errors: Object.fromEntries(Object.entries(problems).map(([f, w]) => [FIELD[f as SupportField], String(w)])) };
  return { form: input };
}
