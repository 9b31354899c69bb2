/** A license's own invitation link: sealed at rest, shown only to whoever accepted, replaced for those not yet in. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, MALLORY, buttonsOf, everyTable, rawTextOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const LINK = 'https://accounts.atlasti.com/join/CAMPUS-SECRET-7f3a9c';
const NEW_LINK = 'https://accounts.atlasti.com/join/CAMPUS-ROTATED-42b1e0';

const acceptAs = async (person: { id: string }) => {
  const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${person.id}` && buttonsOf(c.args).some((b) => b.action_id === 'invitation_accept'))!;
  const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
  return t.click(person.id, accept.action_id, accept.value, { channel_id: `D${person.id}`, message_ts: dm.args.ts });
};
const linkDms = (person: { id: string }, link: string) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${person.id}` && rawTextOf(c.args).includes(link));

/**
 * every byte of the database's files (the main file, its WAL and shared memory); on PostgreSQL,
 * where there is no file to read, every row of every table
 */
const databaseBytes = async (): Promise<string> =>
  t.bot.engine.sqlite
    ? readdirSync(t.dir)
        .filter((f) => /^bot\.sqlite(-wal|-shm)?$/.test(f) && statSync(join(t.dir, f)).size > 0)
        .map((f) => readFileSync(join(t.dir, f)).toString('latin1'))
        .join('\n')
    : JSON.stringify(await everyTable(t));

it('reaches only the accepted invitee, is kept sealed, and a rotation reaches those not yet in', async () => {
  await t.command(ADMIN.id, 'license add "Campus" 50');
  const refused = await t.command(MALLORY.id, `license link "Campus" <${LINK}>`);
  expect(textOf(refused.reply?.args)).toMatch(/Only license admins/);
  const saved = await t.command(ADMIN.id, `license link "Campus" <${LINK}>`);
  expect(textOf(saved.reply?.args)).toContain('Saved the invitation link of Campus');
  expect(rawTextOf(saved.reply?.args)).not.toContain('CAMPUS-SECRET');

  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
  await t.drained();
  // nobody has it before accepting: not in the invitation, not on the page
  expect(t.slack.calls.filter((c) => JSON.stringify(c.args ?? {}).includes('CAMPUS-SECRET'))).toHaveLength(0);

  const accepted = await acceptAs(ALICE);
  expect(textOf(accepted.reply?.args)).toContain("I sent you the license's own invitation link in a message of its own");
  await t.drained();
  const [linkDm] = linkDms(ALICE, LINK);
  expect(linkDm, 'Alice got the link in her own DM').toBeDefined();
  expect(textOf(linkDm!.args)).toContain('Sign in to ATLAS.ti, or create your account, with exactly `Alice.Smith@uni.edu`');
  // the admin channel hears she accepted, with no to-do (the link hands it over) and never the link
  const adminPosts = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL);
  expect(adminPosts.some((c) => /accepted a seat/.test(textOf(c.args)))).toBe(true);
  expect(adminPosts.filter((c) => rawTextOf(c.args).includes('CAMPUS-SECRET'))).toHaveLength(0);
  expect(adminPosts.flatMap((c) => buttonsOf(c.args)).filter((b) => b.action_id === 'seat_handoff_done')).toHaveLength(0);
  // only Alice's DM ever carried it
  const carriers = t.slack.calls.filter((c) => JSON.stringify(c.args ?? {}).includes('CAMPUS-SECRET')).map((c) => c.args.channel);
  expect(new Set(carriers)).toEqual(new Set([`D${ALICE.id}`]));

  // Bob accepts and says he is in; Alice has not yet
  await acceptAs(BOB);
  await t.drained();
  const bobs = linkDms(BOB, LINK)[0]!;
  const imIn = buttonsOf(bobs.args).find((b) => b.action_id === 'seat_joined')!;
  expect(textOf((await t.click(BOB.id, imIn.action_id, imIn.value, { channel_id: `D${BOB.id}`, message_ts: bobs.args.ts })).reply?.args)).toContain("You're in");

  const rotated = await t.command(ADMIN.id, `license link "Campus" ${NEW_LINK}`);
  expect(textOf(rotated.reply?.args)).toContain('Replaced the invitation link of Campus');
  expect(textOf(rotated.reply?.args)).toContain('Sent it to the member who accepted and have not yet said they joined');
  await t.drained();
  expect(linkDms(ALICE, NEW_LINK)).toHaveLength(1);
  expect(textOf(linkDms(ALICE, NEW_LINK)[0]!.args)).toContain('any earlier link no longer works');
  expect(linkDms(BOB, NEW_LINK)).toHaveLength(0);

  // at rest: neither link in the database files, nor in the logs
  const bytes = await databaseBytes();
  expect(bytes.length).toBeGreaterThan(10_000);
  expect(bytes).toContain('Campus');
  expect(bytes).not.toContain('CAMPUS-SECRET');
  expect(bytes).not.toContain('CAMPUS-ROTATED');
  const leaking = t.logs.filter((l) => /CAMPUS-(SECRET|ROTATED)/.test(l));
  expect(leaking.map((l) => l.slice(0, 300))).toEqual([]);
});

it('a link that is not one is answered, and nothing is kept', async () => {
  await t.command(ADMIN.id, 'license add "Campus" 50');
  expect(textOf((await t.command(ADMIN.id, 'license link "Campus" javascript:alert(1)')).reply?.args)).toContain('The link must start with https://');
  expect(textOf((await t.command(ADMIN.id, 'license link "Campus"')).reply?.args)).toMatch(/Paste the license's invitation link|Use `\/atlas license link/);
});
