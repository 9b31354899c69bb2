import type { Invitation } from './model.js';
import type { OutboxMessage } from './outbox-messages.js';
import type { Repositories } from './ports.js';
import type { DomainSettings } from './context.js';

/**
 * Admin notices go to the admin channel when there is one; without it, the inviter hears directly,
 * so nothing an admin should know is ever dropped.
 */
export async function notifyAdmins(
  repos: Repositories,
  settings: DomainSettings,
  inv: Pick<Invitation, 'inviterId'>,
  message: OutboxMessage,
  at: number,
  priority: 0 | 1 = 0,
): Promise<void> {
  if (settings.hasAdminChannel) await repos.outbox.enqueue({ type: 'admin_channel' }, message, at, priority);
  else await repos.outbox.enqueue({ type: 'person', personId: inv.inviterId }, message, at, priority);
}

export const tellPerson = async (repos: Repositories, personId: number, message: OutboxMessage, at: number, priority: 0 | 1 = 0): Promise<number> =>
  await repos.outbox.enqueue({ type: 'person', personId }, message, at, priority);
