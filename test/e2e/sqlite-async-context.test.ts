/**
 * On SQLite the bot keeps no AsyncLocalStorage in use (issue #19). On Node 20 one in use hooks every
 * promise the process makes (a bare Bolt app's CPU per ack goes from 0.50 to 0.63 ms with one); the
 * connection's turns are a plain queue instead (src/db/connection.ts), which the rest of the suite
 * holds to its results. (PostgreSQL keeps two: a verb calling a verb joins its transaction, and
 * whether an ack waits: not measured here.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, expect, it } from 'vitest';
import { ADMIN, ALICE, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

it('commands, a transaction with an outbox message, its delivery and the inbox run without entering any AsyncLocalStorage', async () => {
  const entered: string[] = [];
  const proto = AsyncLocalStorage.prototype as unknown as Record<'run' | 'enterWith', (...a: unknown[]) => unknown>;
  const original = { run: proto.run, enterWith: proto.enterWith };
  for (const name of ['run', 'enterWith'] as const) {
    proto[name] = function (this: unknown, ...a: unknown[]) {
      entered.push(`${name}: ${new Error().stack?.split('\n').slice(2, 4).join(' ← ') ?? ''}`);
      return original[name].apply(this, a);
    };
  }
  try {
    t = await startTestBot();
    const added = await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
    expect(textOf(added.reply?.args)).toContain('Created the license *Campus*');
    const help = await t.command(ADMIN.id, 'help');
    expect(textOf(help.reply?.args)).toContain('invite-license');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    const dm = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}`);
    expect(textOf(dm.args)).toContain('ATLAS.ti license seat');
    expect(await t.count("SELECT count(*) AS n FROM slack_inbox WHERE status = 'done'")).toBeGreaterThanOrEqual(3);
  } finally {
    Object.assign(proto, original);
  }
  expect(entered).toEqual([]);
});
