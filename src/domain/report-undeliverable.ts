import type { DomainDeps } from './context.js';
import type { OutboxMessage } from './outbox-messages.js';
import { SYSTEM_ACTOR } from './model.js';
import { audit } from './audit.js';
import { tellPerson } from './notify.js';

/**
 * An invitation DM that chat refused for good (the person left, their account is disabled) is not
 * dropped silently: whoever sent the invitation gets its link to forward, with the reason.
 */
export function reportUndeliverable(deps: DomainDeps, message: OutboxMessage, reason: string): void {
  if (message.type !== 'license_invitation' && message.type !== 'project_invitation') return;
  deps.store.transaction((repos) => {
    const inv = repos.invitations.byId(message.invitation.invitationId);
    if (!inv || inv.status !== 'pending') return;
    const now = deps.clock.now();
    audit(repos, SYSTEM_ACTOR, now, 'invitation.undeliverable', { type: 'invitation', id: inv.id }, { reason });
    tellPerson(repos, inv.inviterId, { type: 'forward_link', invitation: message.invitation, link: message.link, reason }, now);
  });
}
