/** Every Slack listener, registered in one place. */
import type { App } from '@slack/bolt';
import type { SlackHandlerContext } from './context.js';
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

export function registerSlackHandlers(app: App, ctx: SlackHandlerContext): void {
  registerSlashCommand(app, ctx);
  registerButtons(app, ctx);
  registerInviteLicenseModal(app, ctx);
  registerShareProjectModal(app, ctx);
  registerReturnProjectModal(app, ctx);
  registerApproveSeatModal(app, ctx);
  registerShareProjectShortcut(app, ctx);
  registerSupportModal(app, ctx);
  registerReconcileModal(app, ctx);
  registerSeatRequestModals(app, ctx);
  registerAppHome(app, ctx);
}

export type * from './context.js';
