import type { Actor, AuditEntry } from './model.js';
import type { Repositories } from './ports.js';

/** Every change of an invitation, a seat, a pool or an admin writes one of these, in the same transaction. */
export async function audit(
  repos: Repositories,
  actor: Actor,
  at: number,
  action: string,
  subject: { type: AuditEntry['subjectType']; id: number | null },
  details?: Record<string, unknown>,
): Promise<void> {
  await repos.audit.record({
    at,
    platform: actor.platform,
    actorUserId: actor.userId,
    actorPersonId: actor.personId || null,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    ...(details ? { details } : {}),
  });
}
