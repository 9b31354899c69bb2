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

export async function provision(repos: Repositories, event: Omit<ProvisioningEvent, 'deliveryId' | 'occurredAt'>, now: number): Promise<void> {
  await repos.outbox.enqueue({ type: 'webhook' }, { type: 'provisioning_event', event: { ...event, deliveryId: randomUUID(), occurredAt: new Date(now).toISOString() } }, now);
}

/**
 * The receiver answered 2xx: a granted seat or an added member is now real in ATLAS.ti, and the
 * person hears so (once: the hand-off is a conditional update).
 */
export async function provisioningAcknowledged(deps: DomainDeps, event: ProvisioningEvent): Promise<void> {
  await deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    if (event.type === 'seat.granted' && event.seatId !== undefined) {
      const seat = await repos.seats.byId(event.seatId);
      if (!seat || !await repos.seats.handOver(seat.id, 0, now, 'webhook')) return;
      await audit(repos, SYSTEM_ACTOR, now, 'seat.handed_over', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId, how: 'webhook', deliveryId: event.deliveryId });
      const inv = seat.invitationId === null ? undefined : await repos.invitations.byId(seat.invitationId);
      if (inv) await tellNews(repos, await snapshotOf(repos, inv), now, inv.inviteeId);
    }
    if (event.type === 'project.member_added' && event.accessId !== undefined) {
      const access = await repos.projectAccess.byId(event.accessId);
      if (!access || !await repos.projectAccess.handOver(access.id, 0, now)) return;
      await audit(repos, SYSTEM_ACTOR, now, 'project.member_added', { type: 'project', id: access.projectId }, { personId: access.personId, how: 'webhook', deliveryId: event.deliveryId });
      const inv = access.invitationId === null ? undefined : await repos.invitations.byId(access.invitationId);
      if (inv) await tellNews(repos, await projectSnapshotOf(repos, inv, true), now, inv.inviteeId);
    }
  });
}
