import { addAdmin, checkAdmin, cmd, DomainError, nameOf, removeAdmin, t } from '../../domain/index.js';
import { resolveOnePerson } from '../people.js';
import { textOf } from '../parse.js';
import type { SubCommand } from './types.js';

const USAGE = t`${cmd('admin add @person')} or ${cmd('admin remove @person')}`;

export const adminCommand: SubCommand = {
  name: 'admin',
  usage: 'admin add|remove @person',
  summary: 'make someone a license admin, or stop (admins named in ATLAS_ADMINS stay admins)',
  adminOnly: true,
  run: async ({ deps, views, people, tokens, actor, reply }) => {
    const [verb, ...rest] = tokens;
    const op = verb ? textOf(verb).toLowerCase() : '';
    if (op !== 'add' && op !== 'remove') throw new DomainError('INVALID_INPUT', t`Use ${USAGE}.`);
    const who = await actor();
    await checkAdmin({ deps: deps, actor: who, input: { doing: op === 'add' ? 'add admins' : 'remove admins' } });
    const { person } = await resolveOnePerson(people, rest, USAGE);
    const args = { deps: deps, actor: who, input: { personId: person.id } };
    if (op === 'add') {
      const r = await addAdmin(args);
      await reply(views.text(r.added ? `${nameOf(r.person)} is now a license admin.` : `${nameOf(r.person)} was already a license admin.`, 'key'));
    } else {
      const r = await removeAdmin(args);
      await reply(
        views.text(
          r.removed ? `${nameOf(r.person)} is no longer a license admin added here.` : `${nameOf(r.person)} was not an admin added here (admins named in ATLAS_ADMINS are changed by the operator).`,
          'key',
        ),
      );
    }
  },
};
