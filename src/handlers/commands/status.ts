import { personStatus } from '../../domain/index.js';
import { resolveOnePerson } from '../people.js';
import type { SubCommand } from './types.js';

export const statusCommand: SubCommand = {
  name: 'status',
  usage: 'status [@user or email]',
  summary: 'your seats and open invitations (admins: anyone\'s), explained',
  adminOnly: false,
  run: async ({ deps, views, people, tokens, actor, reply }) => {
    const target = tokens.length
      ? (await resolveOnePerson(people, tokens, '`/atlas status @alice` or `/atlas status alice@uni.edu`')).person.id
      : undefined;
    const status = await personStatus({ deps: deps, actor: await actor(), input: target === undefined ? {} : { personId: target } });
    await reply(views.status(status, deps.clock.now()));
  },
};
