import type { DomainDeps } from './context.js';
import { cmd, t, words } from './message.js';
import type { OutboxMessage } from './outbox-messages.js';
import { SYSTEM_ACTOR } from './model.js';
import { audit } from './audit.js';
import { tellPerson } from './notify.js';

/**
 * An invitation DM that chat refused for good (the person left, their account is disabled) is not
 * dropped silently: whoever sent the invitation gets its link to forward, with the reason.
 */
export async function reportUndeliverable(deps: DomainDeps, message: OutboxMessage, reason: string, permanent = true): Promise<void> {
  // a reminder that cannot reach its person is recorded on the invitation and shown in the digest
  if (message.type === 'reminder') {
    await deps.store.transaction(async (repos) => {
      const inv = await repos.invitations.byId(message.invitation.invitationId);
      if (!inv) return;
      // only what the platform says is for good marks the person unreachable; an outage does not
      if (permanent) await repos.invitations.update(inv.id, { deliveryProblem: reason });
      await audit(repos, SYSTEM_ACTOR, deps.clock.now(), 'invitation.undeliverable', { type: 'invitation', id: inv.id }, { reason, message: 'reminder' });
    });
    return;
  }
  // an event the organisation's system would not take: the admins hand it over by hand instead
  if (message.type === 'provisioning_event') {
    const e = message.event;
    await deps.store.transaction(async (repos) => {
      const what = e.license ? `the license "${e.license.name}"` : `the Web project "${e.project?.name ?? '?'}"`;
      const act = e.type === 'seat.granted' || e.type === 'project.member_added' ? `add ${e.email ?? 'them'} to ${what}` : `remove ${e.email ?? 'them'} from ${what}`;
      // a seat the webhook would not grant becomes an admin to-do, listed in the digest with Done
      const rerouted = e.type === 'seat.granted' && e.seatId !== undefined && await repos.seats.rerouteHandoff(e.seatId, 'admin');
      const text = words(
        `The provisioning webhook did not take ${e.type} for ${e.email ?? 'someone'} (${reason}), so nothing changed in ATLAS.ti. Please ${act} by hand`,
        rerouted && t`, then press Done on the to-do in the digest (${cmd('pending')})`,
        '.',
      );
      if (deps.settings.hasAdminChannel) await repos.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text }, deps.clock.now());
      await audit(repos, SYSTEM_ACTOR, deps.clock.now(), 'provisioning.undeliverable', { type: e.license ? 'license' : 'project', id: e.license?.id ?? e.project?.id ?? null }, { reason, event: e.type, deliveryId: e.deliveryId });
    });
    return;
  }
  if (message.type !== 'license_invitation' && message.type !== 'project_invitation') return;
  await deps.store.transaction(async (repos) => {
    const inv = await repos.invitations.byId(message.invitation.invitationId);
    if (!inv || inv.status !== 'pending') return;
    const now = deps.clock.now();
    if (permanent) await repos.invitations.update(inv.id, { deliveryProblem: reason });
    await audit(repos, SYSTEM_ACTOR, now, 'invitation.undeliverable', { type: 'invitation', id: inv.id }, { reason });
    await tellPerson(repos, inv.inviterId, { type: 'forward_link', invitation: message.invitation, link: message.link, reason }, now);
  });
}
