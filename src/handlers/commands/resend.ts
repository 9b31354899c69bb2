import { CHAT, resendInvitation, t } from '../../domain/index.js';
import { invitationIdFrom } from './invitation-id.js';
import type { SubCommand } from './types.js';

export const resendCommand: SubCommand = {
  name: 'resend',
  usage: 'resend <id>',
  summary: 'send a pending invitation again, with a fresh link (the old link stops working)',
  adminOnly: true,
  run: async ({ deps, views, tokens, actor, reply }) => {
    const r = await resendInvitation({ deps: deps, actor: await actor(), input: { invitationId: invitationIdFrom(tokens, 'resend') } });
    await reply(
      views.text(
        r.reachable
          ? `Sent ${r.invitation.inviteeName} a fresh invitation to ${r.invitation.kind === 'license' ? r.invitation.licenseName : r.invitation.projectName} (#${r.invitation.invitationId}). The old link no longer works.`
          : t`${r.invitation.inviteeName} is not in ${CHAT}, so I sent you a fresh link for invitation #${r.invitation.invitationId} to forward. The old link no longer works.`,
        'repeat',
      ),
    );
  },
};
