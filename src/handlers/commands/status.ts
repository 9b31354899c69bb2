import { cmd, diagnose, t } from '../../domain/index.js';
import { resolveOnePerson } from '../people.js';
import type { SubCommand } from './types.js';

export const statusCommand: SubCommand = {
  name: 'status',
  usage: 'status [@user or email]',
  summary: 'your seats, projects and open invitations, and what they mean (admins and project owners: someone else\'s)',
  adminOnly: false,
  run: async ({ deps, views, people, tokens, actor, reply }) => {
    const target = tokens.length
      ? (await resolveOnePerson(people, tokens, t`${cmd('status @alice')} or ${cmd('status alice@uni.edu')}`)).person.id
      : undefined;
    const d = await diagnose({ deps, actor: await actor(), input: target === undefined ? {} : { personId: target } });
    await reply(views.diagnosis(d));
  },
};
