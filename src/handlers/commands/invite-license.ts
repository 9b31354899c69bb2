import { cmd, DomainError, inviteToLicense, licenseInviteOptions, t, words } from '../../domain/index.js';
import { resolvePeople } from '../people.js';
import { splitTarget } from '../parse.js';
import type { SubCommand } from './types.js';

export const inviteLicenseCommand: SubCommand = {
  name: 'invite-license',
  usage: 'invite-license <@people or emails> [to "<license>"]',
  summary: 'invite people to a license seat (a seat shares no project); with no arguments, a form',
  adminOnly: true,
  run: async ({ deps, views, people, tokens, actor, reply, openForm }) => {
    const who = await actor();
    if (tokens.length === 0) {
      // the form: a trigger_id lives 3 seconds, so it is opened before anything slow
      await openForm('invite_license', who);
      return;
    }
    // who may comes before looking anyone up: a non-admin's list is never resolved or stored
    await licenseInviteOptions({ deps: deps, actor: who, input: undefined });
    const { people: named, target } = splitTarget(tokens);
    const resolved = await resolvePeople(people, named);
    if (resolved.people.length === 0) {
      throw new DomainError(
        'INVALID_INPUT',
        words(resolved.problems.map((p) => `${p} `).join(''), t`Tell me who to invite: ${cmd('invite-license @alice bob@uni.edu to "Campus 2026"')}.`),
      );
    }
    const result = await inviteToLicense({
      deps: deps,
      actor: who,
      input: { licenseName: target ?? null, invitees: resolved.people.map((p) => ({ personId: p.person.id, email: p.email ?? null })) },
    });
    await reply(views.inviteResult(result));
    if (resolved.problems.length) await reply(views.text(`Not invited: ${resolved.problems.join(' ')}`, 'warning'));
  },
};
