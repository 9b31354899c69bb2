/**
 * Every form the bot shows, defined once (src/domain/form.ts): Slack draws each as a modal, Teams
 * as a dialog, and one reader per form (src/handlers/forms) checks the answers from either.
 */
import {
  EXPORT_HINT,
  MESSAGE_MAX,
  PRODUCT,
  PROJECT_NEEDS_SEAT,
  SUPPORT_DESCRIPTION_MAX,
  SUPPORT_TOPICS,
  SEAT_REASON_MAX,
  DENY_NOTE_MAX,
  b,
  figuresOf,
  paragraph,
  shortUsage,
  t,
  type Choice,
  type Form,
  type LicenseUsage,
  type Project,
} from '../../domain/index.js';
import { APPROVE_MODAL, DENY_SEAT_MODAL, INVITE_MODAL, RECONCILE_MODAL, REQUEST_SEAT_MODAL, RETURN_MODAL, SHARE_MODAL, SUPPORT_MODAL, VIEWS } from '../../handlers/slack/action-ids.js';

/** The license pools as choices (at most 100, as Slack allows), each with its usage in its own terms. */
function licenseChoices(usages: LicenseUsage[]): Choice[] {
  return usages.slice(0, 100).map((u) => ({ label: `${u.license.name} (${shortUsage(figuresOf(u))})`.slice(0, 75), value: u.license.name.slice(0, 150) }));
}

export function inviteForm(usages: LicenseUsage[]): Form {
  const options = licenseChoices(usages);
  return {
    id: VIEWS.inviteLicense,
    title: 'Invite to a license',
    submit: 'Invite',
    intro: [paragraph(t`Invite people to an ${b(`${PRODUCT} license seat`)}. A seat lets them use the software; it shares ${b('no project')}.`)],
    fields: [
      { key: INVITE_MODAL.license, label: 'License', input: { type: 'choice', options, placeholder: 'Pick a license', ...(usages.length === 1 && options[0] ? { initial: options[0].value } : {}) } },
      { key: INVITE_MODAL.users, label: 'People', optional: true, input: { type: 'people', placeholder: 'Pick people' } },
      {
        key: INVITE_MODAL.emails,
        label: 'Account emails',
        optional: true,
        hint: 'One or more, separated by commas or new lines. Exact case: account emails are case sensitive.',
        input: { type: 'text', multiline: true, placeholder: 'alice@uni.edu' },
      },
      {
        key: INVITE_MODAL.csv,
        label: 'Or a CSV of emails',
        optional: true,
        hint: 'Every email in the file is invited, in the order of the file; duplicates once.',
        input: {
          type: 'file',
          filetypes: ['csv', 'txt'],
          maxFiles: 1,
          paste: {
            key: INVITE_MODAL.csvText,
            label: 'Or paste a CSV of emails',
            hint: 'A dialog cannot take a file: open the CSV, copy all of it and paste it here. Every email in it is invited, in the order of the file; duplicates once.',
            placeholder: 'name,email\nAlice,alice@uni.edu',
          },
        },
      },
    ],
  };
}

export function shareForm(mine: Project[], allowedHosts: readonly string[]): Form {
  return {
    id: VIEWS.shareProject,
    title: 'Share a project',
    submit: 'Share',
    intro: [paragraph(t`Share ${b('one project')}. It gives no license seat: to open it, each person must already hold a seat under the same account email.`)],
    fields: [
      ...(mine.length
        ? [
            {
              key: SHARE_MODAL.existing,
              label: 'One of my projects',
              optional: true,
              hint: 'Pick one, or name a new project below.',
              input: { type: 'choice' as const, placeholder: 'Pick a project', options: mine.slice(0, 100).map((p) => ({ label: `${p.name} (${p.edition === 'web' ? 'Web' : 'Desktop'})`.slice(0, 75), value: String(p.id) })) },
            },
          ]
        : []),
      {
        key: SHARE_MODAL.newName,
        label: mine.length ? '…or a new project' : 'Project name',
        optional: mine.length > 0,
        input: { type: 'text', maxLength: 120, placeholder: 'Interview study 2026' },
      },
      {
        key: SHARE_MODAL.edition,
        label: 'Edition (for a new project)',
        optional: true,
        input: {
          type: 'choice',
          style: 'radio',
          options: [
            { label: 'Web', value: 'web', description: 'Members; changes sync in real time' },
            { label: 'Desktop', value: 'desktop', description: 'Own copies; nothing syncs; copies come back to merge' },
          ],
        },
      },
      { key: SHARE_MODAL.users, label: 'People', optional: true, input: { type: 'people', placeholder: 'Pick people' } },
      {
        key: SHARE_MODAL.emails,
        label: 'Account emails',
        optional: true,
        hint: 'Exact case: account emails are case sensitive. Separate several with commas.',
        input: { type: 'text', placeholder: 'Alice.Smith@uni.edu' },
      },
      {
        key: SHARE_MODAL.desktopLink,
        label: 'Desktop: the link to hand over',
        optional: true,
        hint: `Needed for a Desktop project. ${EXPORT_HINT} Allowed hosts: ${allowedHosts.join(', ')}.`.slice(0, 2000),
        input: { type: 'text', format: 'url', placeholder: 'https://…' },
      },
      { key: SHARE_MODAL.message, label: 'Personal message', optional: true, input: { type: 'text', multiline: true, maxLength: MESSAGE_MAX } },
    ],
  };
}

export function returnForm(copies: Project[], allowedHosts: readonly string[], preselect?: number): Form {
  const options = copies.slice(0, 100).map((p) => ({ label: p.name.slice(0, 75), value: String(p.id) }));
  const initial = options.find((o) => o.value === String(preselect)) ?? (options.length === 1 ? options[0] : undefined);
  return {
    id: VIEWS.returnProject,
    title: 'Send a copy back',
    submit: 'Send to the owner',
    intro: [paragraph('Desktop projects do not sync. Send the owner a link to your updated copy, and they merge it into their project.')],
    fields: [
      { key: RETURN_MODAL.project, label: 'Project', input: { type: 'choice', options, ...(initial ? { initial: initial.value } : {}) } },
      { key: RETURN_MODAL.link, label: 'Link to your updated copy', hint: `${EXPORT_HINT} Allowed hosts: ${allowedHosts.join(', ')}.`.slice(0, 2000), input: { type: 'text', format: 'url' } },
      { key: RETURN_MODAL.note, label: 'Note for the owner', optional: true, input: { type: 'text', multiline: true, maxLength: MESSAGE_MAX } },
    ],
  };
}

export function approveSeatForm(requestId: number, usages: LicenseUsage[]): Form {
  return {
    id: VIEWS.approveSeat,
    title: 'Approve a seat',
    submit: 'Invite to a seat',
    metadata: String(requestId),
    intro: [paragraph(PROJECT_NEEDS_SEAT)],
    fields: [{ key: APPROVE_MODAL.license, label: 'License', input: { type: 'choice', options: licenseChoices(usages) } }],
  };
}

/** A person asks for a seat for themselves: which pool (when there are several), their exact account email, why. */
export function requestSeatForm(usages: LicenseUsage[], email: string | null, prefill: { licenseName?: string; reason?: string } = {}): Form {
  const options = licenseChoices(usages);
  const initial = prefill.licenseName ? options.find((o) => o.value.toLowerCase() === prefill.licenseName!.toLowerCase())?.value : usages.length === 1 ? options[0]?.value : undefined;
  return {
    id: VIEWS.requestSeat,
    title: 'Request a seat',
    submit: 'Ask the admins',
    intro: [paragraph(t`Ask the license admins for an ${b(`${PRODUCT} license seat`)}. A seat lets you use the software; it shares ${b('no project')}: a project's owner shares that with you.`)],
    fields: [
      { key: REQUEST_SEAT_MODAL.license, label: 'License', input: { type: 'choice', options, placeholder: 'Pick a license', ...(initial ? { initial } : {}) } },
      {
        key: REQUEST_SEAT_MODAL.email,
        label: `Your ${PRODUCT} account email`,
        hint: 'Exactly as spelled in your account (or the one you will create): it is case sensitive.',
        input: { type: 'text', format: 'email', ...(email ? { initial: email } : {}) },
      },
      { key: REQUEST_SEAT_MODAL.reason, label: 'Why do you need it?', optional: true, hint: 'For the admins: a course, a project, a thesis…', input: { type: 'text', multiline: true, maxLength: SEAT_REASON_MAX, ...(prefill.reason ? { initial: prefill.reason.slice(0, SEAT_REASON_MAX) } : {}) } },
    ],
  };
}

/** An admin denies a seat request: an optional reason, passed on to whoever asked. */
export function denySeatForm(requestId: number): Form {
  return {
    id: VIEWS.denySeat,
    title: 'Deny a seat request',
    submit: 'Deny',
    metadata: String(requestId),
    intro: [paragraph(t`Deny seat request #${requestId}. Whoever asked is told, with your reason if you give one.`)],
    fields: [{ key: DENY_SEAT_MODAL.note, label: 'Reason', optional: true, hint: 'Shown to the person who asked.', input: { type: 'text', multiline: true, maxLength: DENY_NOTE_MAX } }],
  };
}

export function supportForm(email: string | null): Form {
  return {
    id: VIEWS.support,
    title: 'Ask for support',
    submit: 'Send to support',
    intro: [paragraph('Tell support what happened. They also get your seats and open invitations, so you do not need to list them.')],
    fields: [
      { key: SUPPORT_MODAL.email, label: `Your ${PRODUCT} account email`, hint: 'Exactly as spelled in your account: it is case sensitive.', input: { type: 'text', ...(email ? { initial: email } : {}) } },
      { key: SUPPORT_MODAL.topic, label: 'What were you trying to do?', input: { type: 'choice', options: Object.entries(SUPPORT_TOPICS).map(([value, label]) => ({ label, value })) } },
      { key: SUPPORT_MODAL.description, label: 'What happened?', input: { type: 'text', multiline: true, maxLength: SUPPORT_DESCRIPTION_MAX } },
      { key: SUPPORT_MODAL.files, label: 'Screenshots', optional: true, input: { type: 'file', filetypes: ['png', 'jpg', 'jpeg', 'gif', 'pdf'], maxFiles: 5 } },
    ],
  };
}

export function reconcileForm(usages: LicenseUsage[]): Form {
  const options = licenseChoices(usages);
  return {
    id: VIEWS.reconcile,
    title: 'Reconcile a license',
    submit: 'Compare',
    intro: [paragraph(`Compare a license with the user list exported from the ${PRODUCT} account portal. Emails are compared exactly: account emails are case sensitive.`)],
    fields: [
      { key: RECONCILE_MODAL.license, label: 'License', input: { type: 'choice', options, placeholder: 'Pick a license', ...(options[0] ? { initial: options[0].value } : {}) } },
      {
        key: RECONCILE_MODAL.csv,
        label: "The portal's user list (CSV)",
        hint: 'Paste the exported file\'s content, header line included: the column whose header contains "email" is read.',
        input: { type: 'text', multiline: true, placeholder: 'Name,Email\nAlice Smith,Alice.Smith@uni.edu' },
      },
    ],
  };
}
