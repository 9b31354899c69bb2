import { membersOf } from '../../domain/index.js';
import { textOf } from '../parse.js';
import type { SubCommand } from './types.js';

export const seatsCommand: SubCommand = {
  name: 'seats',
  usage: 'seats ["<license>"] [name or email]',
  summary: 'who holds or is invited to a seat in a pool, with since when and by whom; filtered by name or email',
  adminOnly: true,
  run: async ({ deps, views, tokens, actor, reply }) => {
    // a quoted first word names the pool; the rest is what to look for
    const [first, ...rest] = tokens;
    const named = first?.kind === 'quoted';
    const filter = (named ? rest : tokens).map(textOf).join(' ');
    await reply(views.members(await membersOf({ deps, actor: await actor(), input: { licenseName: named ? first.text : null, filter } })));
  },
};
