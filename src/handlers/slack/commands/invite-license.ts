import { DomainError, inviteToLicense, licenseInviteOptions } from '../../../domain/index.js';
import { resolvePeople } from '../people.js';
import { splitTarget } from '../parse.js';
import type { SubCommand } from './types.js';

export const inviteLicenseCommand: SubCommand = {
  name: 'invite-license',
  usage: 'invite-license <@people or emails> [to "<license>"]',
  summary: 'invite people to a license seat (a seat shares no project); with no arguments, a form',
  adminOnly: true,
  run: async ({ ctx, command, tokens, actor, reply, client }) => {
    const who = await actor();
    if (tokens.length === 0) {
      // the form: a trigger_id lives 3 seconds, so it is opened before anything slow
      const licenses = await licenseInviteOptions({ deps: ctx.deps, actor: who, input: undefined });
      await client.views.open({ trigger_id: command.trigger_id, view: ctx.views.inviteModal(licenses) });
      return;
    }
    // who may comes before looking anyone up: a non-admin's list is never resolved or stored
    await licenseInviteOptions({ deps: ctx.deps, actor: who, input: undefined });
    const { people: named, target } = splitTarget(tokens);
    const resolved = await resolvePeople(ctx, command.team_id, named);
    if (resolved.people.length === 0) {
      throw new DomainError(
        'INVALID_INPUT',
        [...resolved.problems, 'Tell me who to invite: `/atlas invite-license @alice bob@uni.edu to "Campus 2026"`.'].join(' '),
      );
    }
    const result = await inviteToLicense({
      deps: ctx.deps,
      actor: who,
      input: { licenseName: target ?? null, invitees: resolved.people.map((p) => ({ personId: p.person.id, email: p.email ?? null })) },
    });
    await reply(ctx.views.inviteResult(result));
    if (resolved.problems.length) await reply(ctx.views.text(`Not invited: ${resolved.problems.join(' ')}`, 'warning'));
  },
};
