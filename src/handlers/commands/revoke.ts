import { revokeInvitation } from '../../domain/index.js';
import { invitationIdFrom } from './invitation-id.js';
import type { SubCommand } from './types.js';

export const revokeCommand: SubCommand = {
  name: 'revoke',
  usage: 'revoke <id>',
  summary: 'withdraw a pending invitation; its link stops working and its seat is free again',
  adminOnly: true,
  run: async ({ deps, views, tokens, actor, reply }) => {
    const r = await revokeInvitation({ deps: deps, actor: await actor(), input: { invitationId: invitationIdFrom(tokens, 'revoke') } });
    const i = r.invitation;
    await reply(
      views.text(
        i.kind === 'license'
          ? `Withdrew invitation #${i.invitationId} (${i.inviteeName}, ${i.licenseName}). The seat is free again.`
          : `Withdrew invitation #${i.invitationId} (${i.inviteeName}, project ${i.projectName}). Its link no longer works.`,
        'wastebasket',
      ),
    );
  },
};
