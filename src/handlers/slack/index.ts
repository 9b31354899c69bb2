/** Every Slack listener, registered in one place. */
import type { App } from '@slack/bolt';
import type { SlackHandlerContext } from './context.js';
import { registerCommands } from './commands/index.js';
import { registerInvitationButtons } from './actions/invitation-buttons.js';
import { registerInviteLicenseModal } from './views/invite-license-modal.js';

export function registerSlackHandlers(app: App, ctx: SlackHandlerContext): void {
  registerCommands(app, ctx);
  registerInvitationButtons(app, ctx);
  registerInviteLicenseModal(app, ctx);
}

export { COMMANDS, SLASH_COMMAND } from './commands/index.js';
export { ACTIONS, VIEWS } from './action-ids.js';
export type * from './context.js';
