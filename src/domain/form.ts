/**
 * What a form asks, not how a platform draws it: its fields (label, kind of input, whether it is
 * required, a hint), the words above them, and what submitting is called. Slack shows a form as a
 * modal (src/bot/slack/render/modal.ts), Teams as a dialog card (src/bot/teams/render/adaptive-card.ts);
 * both read the answers back into the same `FormValues`, which one reader per form checks
 * (src/handlers/forms), so the two platforms cannot disagree about a field.
 */
import type { Block } from './message.js';

/** Where a field's answer is found: Slack's block and action ids; Teams uses `block.action` as the input id. */
export interface FieldKey {
  block: string;
  action: string;
}

export interface Choice {
  label: string;
  value: string;
  description?: string;
}

type FieldInput =
  | { type: 'text'; multiline?: boolean; maxLength?: number; placeholder?: string; initial?: string; format?: 'url' | 'email' }
  | { type: 'choice'; options: readonly Choice[]; initial?: string; placeholder?: string; style?: 'menu' | 'radio' }
  /** the platform's people picker; where there is none, the form's email field stands in */
  | { type: 'people'; placeholder?: string }
  /**
   * a file upload; where a form cannot take a file, `paste` is shown instead: a text area for the
   * file's content, read under its own key
   */
  | { type: 'file'; filetypes: readonly string[]; maxFiles: number; paste?: { key: FieldKey; label: string; hint: string; placeholder?: string } };

export interface FormField {
  key: FieldKey;
  label: string;
  optional?: boolean;
  hint?: string;
  input: FieldInput;
}

export interface Form {
  /** the form's name: Slack's callback id, Teams' dialog name */
  id: string;
  title: string;
  submit: string;
  intro?: Block[];
  fields: FormField[];
  /** carried through the form and back (a request id) */
  metadata?: string;
}

/** One field's answer, whatever the platform: typed text, a chosen value, picked people, uploaded files. */
export interface FieldValue {
  text?: string | null;
  choice?: string | null;
  people?: readonly string[];
  /** `url` to download the file, `permalink` to show it to a person */
  files?: readonly { url: string; name?: string; permalink?: string }[];
}

/** A submitted form's answers by block id (each block holds one field). */
export type FormValues = ReadonlyMap<string, FieldValue>;

/** A field's text, trimmed, or '' when it was left empty. */
export const textOf = (values: FormValues, key: FieldKey): string => (values.get(key.block)?.text ?? '').trim();
/** A chosen option's value, or null. */
export const choiceOf = (values: FormValues, key: FieldKey): string | null => values.get(key.block)?.choice ?? null;
