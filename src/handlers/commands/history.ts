import { cmd, historyOf, t } from '../../domain/index.js';
import { resolveOnePerson } from '../people.js';
import type { SubCommand } from './types.js';

export const historyCommand: SubCommand = {
  name: 'history',
  usage: 'history [@user | email | #<invitation>]',
  summary: 'what happened to your invitations and seats, in order (admins: anyone\'s, or one invitation\'s)',
  adminOnly: false,
  run: async ({ deps, views, people, tokens, actor, reply }) => {
    const who = await actor();
    const first = tokens[0];
    const id = tokens.length === 1 && first && (first.kind === 'word' || first.kind === 'plain_mention') ? /^#?(\d{1,9})$/.exec(first.raw) : null;
    if (id) {
      await reply(views.history(await historyOf({ deps, actor: who, input: { invitationId: Number(id[1]) } })));
      return;
    }
    const personId = tokens.length ? (await resolveOnePerson(people, tokens, t`${cmd('history @alice')}, ${cmd('history alice@uni.edu')} or ${cmd('history #12')}`)).person.id : who.personId;
    await reply(views.history(await historyOf({ deps, actor: who, input: { personId } })));
  },
};
