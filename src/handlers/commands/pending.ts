import { reviewPending } from '../../domain/index.js';
import type { SubCommand } from './types.js';

export const pendingCommand: SubCommand = {
  name: 'pending',
  usage: 'pending',
  summary: 'pending invitations by license and project, seat usage, with Resend / Revoke / Extend',
  adminOnly: true,
  run: async ({ deps, views, actor, reply }) => {
    // the same review the scheduled digest posts, shown to the asking admin only
    for (const page of await reviewPending({ deps: deps, actor: await actor(), input: undefined })) await reply(views.digestPage(page));
  },
};
