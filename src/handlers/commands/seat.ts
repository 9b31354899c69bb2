import { checkAdmin, cmd, DomainError, previewSeatRelease, t } from '../../domain/index.js';
import { resolveOnePerson } from '../people.js';
import { splitTarget, textOf } from '../parse.js';
import type { SubCommand } from './types.js';

const USAGE = [cmd('seat release @person [from "<license>"]')];

export const seatCommand: SubCommand = {
  name: 'seat',
  usage: 'seat release @person [from "<license>"]',
  summary: 'take a seat back; the person keeps their projects, unusable until they hold a seat again',
  adminOnly: true,
  run: async ({ deps, views, people: lookup, tokens, actor, reply }) => {
    const [verb, ...rest] = tokens;
    if (!verb || textOf(verb).toLowerCase() !== 'release') throw new DomainError('INVALID_INPUT', t`Use ${USAGE}.`);
    const who = await actor();
    await checkAdmin({ deps: deps, actor: who, input: { doing: 'release seats' } });
    // "from" names the license, like "to" does for invitations
    const { people, target } = splitTarget(rest.map((t) => (t.kind === 'word' && t.text.toLowerCase() === 'from' ? { ...t, text: 'to' } : t)));
    const { person } = await resolveOnePerson(lookup, people, USAGE);
    // it cannot be undone: asked once, naming the person and what follows; the button releases it
    await reply(views.seatReleaseQuestion(await previewSeatRelease({ deps: deps, actor: who, input: { personId: person.id, licenseName: target ?? null } })));
  },
};
