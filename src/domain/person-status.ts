import type { VerbArgs } from './context.js';
import type { Person } from './model.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { actorPerson, isAdmin } from './authz.js';
import { DomainError } from './errors.js';
import { snapshotOf } from './snapshot.js';
import { expireOverdue } from './expire-overdue.js';

export interface PersonStatus {
  person: Person;
  self: boolean;
  isAdmin: boolean;
  seats: { licenseName: string; email: string | null; since: number }[];
  pending: InvitationSnapshot[];
}

/** A person's seats and open license invitations. Anyone may look at themselves; admins at anyone. */
export async function personStatus({ deps, actor, input }: VerbArgs<{ personId?: number }>): Promise<PersonStatus> {
  return deps.store.transaction((repos) => {
    const me = actorPerson(repos, actor);
    const targetId = input.personId ?? me.id;
    const self = targetId === me.id;
    if (!self && !isAdmin(repos, deps.settings, me)) {
      throw new DomainError('FORBIDDEN', 'You can look up your own status with `/atlas status`; looking up someone else is for license admins.');
    }
    const person = repos.people.byId(targetId);
    if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    expireOverdue(repos, actor, deps.clock.now(), { inviteeId: person.id });
    return {
      person,
      self,
      isAdmin: isAdmin(repos, deps.settings, person),
      seats: repos.seats.occupiedBy(person.id).map((s) => ({
        licenseName: repos.licenses.byId(s.licenseId)?.name ?? 'a license',
        email: s.email,
        since: s.occupiedAt,
      })),
      pending: repos.invitations
        .listForInvitee(person.id)
        .filter((i) => i.status === 'pending')
        .map((i) => snapshotOf(repos, i)),
    };
  });
}
