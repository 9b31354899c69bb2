/**
 * The words that keep a license seat and project access apart. Every platform says the same thing,
 * so they live here once; renderers only add styling.
 */
import type { InvitationStatus } from './model.js';
import { b, cmd, t, type Inline } from './message.js';

export const PRODUCT = 'ATLAS.ti';

export const SEAT_GIVES = `A license seat lets you use ${PRODUCT}: sign in with your account email and the software is yours to use.`;

export const SEAT_DOES_NOT_GIVE: Inline = t`A seat does ${b('not')} give you access to anyone's project or data. A project is shared separately, by its owner, with a project invitation.`;

export const HOW_TO_GET_PROJECT: Inline = t`To work on a colleague's project, ask its owner to share it with you (they use ${cmd('share-project')}). You need a seat first, and they need your exact account email: it is case sensitive.`;

export const SEAT_VS_PROJECT: Inline[] = [
  t`${b('License seat')}: the right to use ${PRODUCT}. Given by a license admin. Shares no project and no data.`,
  t`${b('Project access')}: one project's data, shared by that project's owner. You must already hold a seat, and the owner must use your exact account email (it is case sensitive).`,
  t`${b('Web')} projects add you as a member and sync everyone's changes in real time. ${b('Desktop')} projects are handed over as your own copy: nothing syncs, and you send an updated copy back for the owner to merge.`,
];

const STATE_SENTENCES: Record<InvitationStatus, string> = {
  pending: 'is waiting for an answer',
  waiting_for_seat: 'is waiting until its invitee holds a seat',
  accepted: 'was already accepted',
  declined: 'was declined',
  revoked: 'was withdrawn by an admin',
  expired: 'has expired',
};

export const stateSentence = (s: InvitationStatus): string => STATE_SENTENCES[s];

export const STATUS_LABEL: Record<InvitationStatus, string> = {
  pending: 'Waiting for an answer',
  waiting_for_seat: 'Waiting for a seat',
  accepted: 'Accepted',
  declined: 'Declined',
  revoked: 'Withdrawn',
  expired: 'Expired',
};

/** One formatter per time zone: making one costs more than formatting (a bulk run formats thousands of dates). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(ms: number, tz?: string | null): string {
  const zone = tz || 'UTC';
  let format = dateFormats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric', timeZone: zone });
    } catch {
      // an unknown time zone reads as UTC (not remembered: the set of bad names is not bounded)
      return formatDate(ms, 'UTC');
    }
    dateFormats.set(zone, format);
  }
  return format.format(ms);
}

export function ago(fromMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - fromMs) / 1000));
  if (s < 90) return 'just now';
  const m = Math.round(s / 60);
  if (m < 90) return `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} hours ago`;
  const d = Math.round(h / 24);
  return d === 1 ? '1 day ago' : `${d} days ago`;
}

export const EDITION_MEANS: Record<'web' | 'desktop', string> = {
  web: 'Web project: once you accept, the owner adds you as a member in ATLAS.ti Web (you confirm its invitation email), and everyone\'s changes are saved and synced in real time.',
  desktop:
    'Desktop project: you get your own copy. Nothing syncs: when you have worked on it, send your updated copy back to the owner, who merges it into their project.',
};

export const EXPORT_HINT = 'Export the project as a bundle first (Windows: File > Export > Project bundle; Mac: Project > Export > Project), upload it to your cloud storage, and paste its share link.';

export const MERGE_STEPS = [
  'Download the returned project bundle from the link.',
  'Open your own project in ATLAS.ti and make a backup first (export a project bundle).',
  'Merge the returned copy into it (Windows: Home > Merge Project; Mac: Project > Merge with Project…), and choose how to resolve conflicts.',
  'Save, then tell the sender their work is in.',
];

export const PROJECT_NEEDS_SEAT =
  'A project invitation does not give a seat: to open a shared project, a person must already hold an ATLAS.ti license seat under the same account email.';
