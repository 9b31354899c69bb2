import type { DomainDeps } from './context.js';
import type { OutboxMessage } from './outbox-messages.js';
import { SYSTEM_ACTOR } from './model.js';
import { audit } from './audit.js';
import { tellPerson } from './notify.js';

/**
 * An invitation DM that chat refused for good (the person left, their account is disabled) is not
 * dropped silently: whoever sent the invitation gets its link to forward, with the reason.
 */
export function reportUndeliverable(deps: DomainDeps, message: OutboxMessage, reason: string, permanent = true): void {
  // a reminder that cannot reach its person is recorded on the invitation and shown in the digest
  if (message.type === 'reminder') {
    deps.store.transaction((repos) => {
      const inv = repos.invitations.byId(message.invitation.invitationId);
      if (!inv) return;
      // only what the platform says is for good marks the person unreachable; an outage does not
      if (permanent) repos.invitations.update(inv.id, { deliveryProblem: reason });
      audit(repos, SYSTEM_ACTOR, deps.clock.now(), 'invitation.undeliverable', { type: 'invitation', id: inv.id }, { reason, message: 'reminder' });
    });
    return;
  }
  if (message.type !== 'license_invitation' && message.type !== 'project_invitation') return;
  deps.store.transaction((repos) => {
    const inv = repos.invitations.byId(message.invitation.invitationId);
    if (!inv || inv.status !== 'pending') return;
    const now = deps.clock.now();
    if (permanent) repos.invitations.update(inv.id, { deliveryProblem: reason });
    audit(repos, SYSTEM_ACTOR, now, 'invitation.undeliverable', { type: 'invitation', id: inv.id }, { reason });
    tellPerson(repos, inv.inviterId, { type: 'forward_link', invitation: message.invitation, link: message.link, reason }, now);
  });
}
