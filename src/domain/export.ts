import { filterAsync } from './each.js';
/**
 * `export members|invitations|audit ["<license>"]`: a table for an access review, as plain values
 * (the bot writes it as CSV). Columns are named here once; the README lists them.
 */
import type { VerbArgs } from './context.js';
import type { AuditEntry, License } from './model.js';
import type { Repositories } from './ports.js';
import { requireAdmin } from './authz.js';
import { DomainError } from './errors.js';
import { memberLines } from './members.js';
import { nameOf } from './people.js';

export const EXPORT_KINDS = ['members', 'invitations', 'audit'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

type Cell = string | number | null;

export interface ExportTable {
  kind: ExportKind;
  /** the pool it is limited to (a retired one too, by name); null: every pool (members: those in use) */
  licenseName: string | null;
  /** `atlas-members-campus-2026-12-02.csv` */
  filename: string;
  /** when it was taken */
  at: number;
  columns: readonly string[];
  rows: Cell[][];
}

const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  members: ['license', 'name', 'email', 'state', 'since', 'invited_by', 'invitation_id', 'seat_id'],
  invitations: ['invitation_id', 'kind', 'license', 'project', 'invitee', 'invitee_email', 'invited_by', 'status', 'platform', 'sent_at', 'expires_at', 'decided_at', 'reminders_sent'],
  audit: ['id', 'at', 'platform', 'actor', 'actor_user_id', 'action', 'subject_type', 'subject_id', 'details'],
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'license';

/** Whether an audit entry is about this pool: the pool itself, or one of its invitations, seats or seat requests. */
async function auditAbout(repos: Repositories, license: License): Promise<(e: AuditEntry) => Promise<boolean>> {
  const invitations = new Set((await repos.invitations.all(license.id)).map((i) => i.id));
  return async (e) => {
    if (e.details?.licenseId === license.id) return true;
    if (e.subjectId === null) return false;
    switch (e.subjectType) {
      case 'license':
        return e.subjectId === license.id;
      case 'invitation':
        return invitations.has(e.subjectId);
      case 'seat':
        return (await repos.seats.byId(e.subjectId))?.licenseId === license.id;
      case 'seat_request':
        return (await repos.seatRequests.byId(e.subjectId))?.licenseId === license.id;
      default:
        return false;
    }
  };
}

export async function exportTable({ deps, actor, input }: VerbArgs<{ kind: ExportKind; licenseName?: string | null; licenseId?: number }>): Promise<ExportTable> {
  return deps.store.transaction(async (repos): Promise<ExportTable> => {
    await requireAdmin(repos, deps.settings, actor, 'export license data');
    // a retired pool is exported by name too: it is kept for exactly this
    const license =
      input.licenseId !== undefined ? await repos.licenses.byId(input.licenseId) : input.licenseName?.trim() ? await repos.licenses.byName(input.licenseName.trim()) : undefined;
    if ((input.licenseId !== undefined || input.licenseName?.trim()) && !license) {
      throw new DomainError('NOT_FOUND', `There is no license called "${input.licenseName?.trim() ?? input.licenseId}". ${(await repos.licenses.list()).length ? `The licenses are: ${(await repos.licenses.list()).map((l) => `"${l.name}"`).join(', ')}.` : ''}`.trim());
    }
    const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
    const filename = `atlas-${input.kind}${license ? `-${slug(license.name)}` : ''}-${day}.csv`;
    const people = new Map<number, string>();
    const name = async (id: number | null): Promise<string | null> => {
      if (id === null || id === 0) return null;
      if (!people.has(id)) people.set(id, nameOf(await repos.people.byId(id)));
      return people.get(id)!;
    };
    const base = { kind: input.kind, licenseName: license?.name ?? null, filename, at: deps.clock.now(), columns: EXPORT_COLUMNS[input.kind] };

    switch (input.kind) {
      case 'members': {
        // every pool in use (or the one named), each member and invitee, by pool and name
        const pools = license ? [license] : await repos.licenses.list();
        const rows: Cell[][] = [];
        for (const l of pools) rows.push(...
          (await memberLines(repos, l))
            .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' }) || a.since - b.since)
            .map((m): Cell[] => [l.name, m.name, m.email, m.state, iso(m.since), m.by, m.invitationId, m.seatId]),
        );
        return { ...base, rows };
      }
      case 'invitations': {
        const licenseNames = new Map<number, string>();
        const licenseOf = async (id: number | null) => (id === null ? null : (licenseNames.get(id) ?? licenseNames.set(id, (await repos.licenses.byId(id))?.name ?? '').get(id)!));
        // one row after another, so the name and pool caches are filled before the next row asks
        const rows: Cell[][] = [];
        for (const i of await repos.invitations.all(license?.id)) rows.push([
          i.id,
          i.kind,
          await licenseOf(i.licenseId),
          i.projectId === null ? null : ((await repos.projects.byId(i.projectId))?.name ?? null),
          await name(i.inviteeId),
          i.inviteeEmail,
          await name(i.inviterId),
          i.status,
          i.platform,
          iso(i.sentAt),
          iso(i.expiresAt),
          iso(i.decidedAt),
          i.remindersSent,
        ]);
        return { ...base, rows };
      }
      case 'audit': {
        const about = license ? await auditAbout(repos, license) : () => Promise.resolve(true);
        const rows: Cell[][] = [];
        for (const e of await filterAsync(await repos.audit.all(), about)) {
          rows.push([e.id, iso(e.at), e.platform, (await name(e.actorPersonId)) ?? (e.platform === 'system' ? 'the bot' : null), e.actorUserId, e.action, e.subjectType, e.subjectId, e.details ? JSON.stringify(e.details) : null]);
        }
        return { ...base, rows };
      }
    }
  });
}
