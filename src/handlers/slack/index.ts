/** Every Slack listener, registered in one place. */
import type { App } from '@slack/bolt';
import type { SlackHandlerContext } from './context.js';
import { SlackListeners } from './listeners.js';
import { registerSlashCommand } from './slash-command.js';
import { registerButtons } from './actions/buttons.js';
import { registerInviteLicenseModal } from './views/invite-license-modal.js';
import { registerShareProjectModal } from './views/share-project-modal.js';
import { registerReturnProjectModal } from './views/return-project-modal.js';
import { registerApproveSeatModal } from './views/approve-seat-modal.js';
import { registerShareProjectShortcut } from './shortcuts/share-project.js';
import { registerSupportModal } from './views/support-modal.js';
import { registerReconcileModal } from './views/reconcile-modal.js';
import { registerAppHome } from './events/app-home.js';
import { registerSeatRequestModals } from './views/seat-request-modals.js';

/**
 * Every button's listener by its action_id and every form's by its callback_id (the manifest test
 * reads the ids here); on the app they are one listener each (see listeners.ts).
 */
export function slackListeners(ctx: SlackHandlerContext): SlackListeners {
  const on = new SlackListeners();
  registerButtons(on, ctx);
  registerInviteLicenseModal(on, ctx);
  registerShareProjectModal(on, ctx);
  registerReturnProjectModal(on, ctx);
  registerApproveSeatModal(on, ctx);
  registerSupportModal(on, ctx);
  registerReconcileModal(on, ctx);
  registerSeatRequestModals(on, ctx);
  return on;
}

export function registerSlackHandlers(app: App, ctx: SlackHandlerContext): void {
  // one command, one shortcut and one event: each is a single listener already
  registerSlashCommand(app, ctx);
  registerShareProjectShortcut(app, ctx);
  registerAppHome(app, ctx);
  slackListeners(ctx).mount(app);
}

export type * from './context.js';
