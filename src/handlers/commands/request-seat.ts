import { askForSeat, seatRequestOptions } from '../../domain/index.js';
import { textOf, type Token } from '../parse.js';
import type { SubCommand } from './types.js';

/** `[to "<license>" | to <word>] [why…]`: the pool asked for, and the reason in the person's words. */
function readRequest(tokens: Token[]): { licenseName?: string; reason?: string } {
  let rest = tokens;
  let licenseName: string | undefined;
  const [first, second] = tokens;
  if (first?.kind === 'word' && first.text.toLowerCase() === 'to' && (second?.kind === 'quoted' || second?.kind === 'word')) {
    licenseName = second.text;
    rest = tokens.slice(2);
  } else if (first?.kind === 'quoted') {
    licenseName = first.text;
    rest = tokens.slice(1);
  }
  const reason = rest.map((t) => (t.kind === 'quoted' ? t.raw : textOf(t))).join(' ').trim();
  return { ...(licenseName ? { licenseName } : {}), ...(reason ? { reason } : {}) };
}

export const requestSeatCommand: SubCommand = {
  name: 'request-seat',
  usage: 'request-seat [to "<license>"] [why]',
  summary: 'ask the license admins for a seat for yourself (a form, unless you name the license)',
  adminOnly: false,
  run: async ({ deps, views, tokens, actor, reply, openForm }) => {
    const me = await actor();
    const asked = readRequest(tokens);
    const { licenses, email } = await seatRequestOptions({ deps, actor: me, input: undefined });
    // the form asks what is missing: which pool (of several), and an email when chat has none
    if (!email || (!asked.licenseName && licenses.length > 1) || (!asked.licenseName && !asked.reason)) {
      await openForm('request_seat', me, asked);
      return;
    }
    await reply(views.seatAsk(await askForSeat({ deps, actor: me, input: { licenseName: asked.licenseName ?? null, email, reason: asked.reason ?? null } })));
  },
};
