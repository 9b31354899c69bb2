/**
 * The provisioning webhook (PROVISIONING_WEBHOOK_URL): for organisations whose license system or
 * identity provider can act, every seat given or taken back and every Web project member added or
 * removed is queued as an event in the outbox, in the transaction that made the change. Its
 * delivery id is fixed here, so every retry carries the same one. A 2xx answer counts as handed
 * over (`provisioningAcknowledged`).
 */
import { randomUUID } from 'node:crypto';
import type { DomainDeps } from './context.js';
import type { ProvisioningEvent } from './outbox-messages.js';
import type { Repositories } from './ports.js';
import { SYSTEM_ACTOR } from './model.js';
import { audit } from './audit.js';
import { tellNews } from './restate.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';

export function provision(repos: Repositories, event: Omit<ProvisioningEvent, 'deliveryId' | 'occurredAt'>, now: number): void {
  repos.outbox.enqueue({ type: 'webhook' }, { type: 'provisioning_event', event: { ...event, deliveryId: randomUUID(), occurredAt: new Date(now).toISOString() } }, now);
}

/**
 * The receiver answered 2xx: a granted seat or an added member is now real in ATLAS.ti, and the
 * person hears so (once: the hand-off is a conditional update).
 */
export function provisioningAcknowledged(deps: DomainDeps, event: ProvisioningEvent): void {
  deps.store.transaction((repos) => {
    const now = deps.clock.now();
    if (event.type === 'seat.granted' && event.seatId !== undefined) {
      const seat = repos.seats.byId(event.seatId);
      if (!seat || !repos.seats.handOver(seat.id, 0, now, 'webhook')) return;
      audit(repos, SYSTEM_ACTOR, now, 'seat.handed_over', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId, how: 'webhook', deliveryId: event.deliveryId });
      const inv = seat.invitationId === null ? undefined : repos.invitations.byId(seat.invitationId);
      if (inv) tellNews(repos, snapshotOf(repos, inv), now, inv.inviteeId);
    }
    if (event.type === 'project.member_added' && event.accessId !== undefined) {
      const access = repos.projectAccess.byId(event.accessId);
      if (!access || !repos.projectAccess.handOver(access.id, 0, now)) return;
      audit(repos, SYSTEM_ACTOR, now, 'project.member_added', { type: 'project', id: access.projectId }, { personId: access.personId, how: 'webhook', deliveryId: event.deliveryId });
      const inv = access.invitationId === null ? undefined : repos.invitations.byId(access.invitationId);
      if (inv) tellNews(repos, projectSnapshotOf(repos, inv, true), now, inv.inviteeId);
    }
  });
}
