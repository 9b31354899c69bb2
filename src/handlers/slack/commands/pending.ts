import { listPending } from '../../../domain/index.js';
import type { SubCommand } from './types.js';

export const pendingCommand: SubCommand = {
  name: 'pending',
  usage: 'pending',
  summary: 'pending invitations, with Resend and Revoke',
  adminOnly: true,
  run: async ({ ctx, actor, reply }) =>
    reply(ctx.views.pending(await listPending({ deps: ctx.deps, actor: await actor(), input: undefined }), ctx.deps.clock.now())),
};
