/** A pool's life after it was made (issue 17): resized when the license is renewed, renamed. */
import { afterEach, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, CAROL, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const count = (sql: string) => t!.count(sql);

it('resize: grows or shrinks a pool, never an assigned one below what it gave and holds; only admins; audited', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Lab" 3 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob> to "Lab"`);
  await t.drained();
  await t.click(ALICE.id, 'invitation_accept', 'inv:1');
  // one taken, one held for Bob's pending invitation: 2 is the floor
  const tooSmall = await t.command(ADMIN.id, 'license resize "Lab" 1');
  expect(textOf(tooSmall.reply?.args)).toContain('"Lab" has 1 seat taken and 1 held for pending invitations, so it cannot shrink to 1. Release seats or withdraw invitations first, or give at least 2.');
  expect(textOf((await t.command(ADMIN.id, 'license resize "Lab" 1e2')).reply?.args)).toContain('written in digits');
  expect(textOf((await t.command(MALLORY.id, 'license resize "Lab" 10')).reply?.args)).toMatch(/Only license admins/);
  const ok = await t.command(ADMIN.id, 'license resize "Lab" 2');
  expect(textOf(ok.reply?.args)).toContain('Resized Lab from 3 to 2: 2 seats, one per member.');
  expect(textOf((await t.command(ADMIN.id, 'licenses')).reply?.args)).toContain('*Lab*');
  // a full pool now: the next person is not invited
  const full = await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol> to "Lab"`);
  expect(textOf(full.reply?.args)).toMatch(/full|no free seat/i);
  expect((await t.query<{ details: string }>("SELECT details FROM audit_log WHERE action = 'license.resized'")).map((r) => ({ details: JSON.parse(r.details) as unknown }))).toEqual([{ details: { from: 3, to: 2 } }]);
  // a concurrent pool cannot have more seats at a time than members it takes
  await t.command(ADMIN.id, 'license add "Campus" 10 max 40');
  expect(textOf((await t.command(ADMIN.id, 'license resize "Campus" 50')).reply?.args)).toContain('"Campus" takes at most 40 members, so it cannot have 50 seats at a time.');
  expect(textOf((await t.command(ADMIN.id, 'license resize "Campus" 40')).reply?.args)).toContain('Resized Campus from 10 to 40: 40 can use it at a time.');
});

it('rename: the pool keeps its seats and invitations under the new name; a clash is refused', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
  await t.command(ADMIN.id, 'license add "Lab" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> to "Campus 2026"`);
  expect(textOf((await t.command(ADMIN.id, 'license rename "Campus 2026" "lab"')).reply?.args)).toContain('A license named "Lab" already exists; pick another name.');
  expect(textOf((await t.command(ADMIN.id, 'license rename "Campus 2026" Campus')).reply?.args)).toContain('license rename "<license>" "<new name>"');
  const renamed = await t.command(ADMIN.id, 'license rename "Campus 2026" "Campus 2027"');
  expect(textOf(renamed.reply?.args)).toContain('Renamed Campus 2026 to Campus 2027. Its seats, invitations and history stay with it.');
  expect(await count("SELECT COUNT(*) AS n FROM invitations i JOIN licenses l ON l.id = i.license_id WHERE l.name = 'Campus 2027'")).toBe(1);
  expect(textOf((await t.command(ADMIN.id, 'status <@UALICE|alice>')).reply?.args)).toContain('Campus 2027');
});

it('retire: asks once; then pending invitations are withdrawn and members told, and the pool takes no invitation again', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Old Lab" 5 assigned');
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob> to "Old Lab"`);
  await t.drained();
  await t.click(ALICE.id, 'invitation_accept', 'inv:1');
  await t.drained();
  const asked = await t.command(ADMIN.id, 'license retire "Old Lab"');
  expect(textOf(asked.reply?.args)).toContain("*Retire Old Lab?* 1 member's seat ends");
  expect(textOf(asked.reply?.args)).toContain('1 pending invitation is withdrawn');
  expect(await count("SELECT COUNT(*) AS n FROM licenses WHERE retired_at IS NOT NULL")).toBe(0);
  const button = buttonsOf(asked.reply?.args).find((b) => b.action_id === 'license_retire')!;
  expect((await t.click(MALLORY.id, button.action_id, button.value)).reply?.args.replace_original).not.toBe(true);
  const done = await t.click(ADMIN.id, button.action_id, button.value);
  expect(done.reply?.args.replace_original).toBe(true);
  expect(textOf(done.reply?.args)).toContain('Retired Old Lab: 1 seat ended, 1 invitation withdrawn');
  await t.drained();
  // Bob hears his invitation was withdrawn, and his DM says so in place; Alice hears her seat ended
  expect(t.slack.callsTo('chat.postMessage').some((c) => c.args.channel === `D${BOB.id}` && /has ended, so your invitation to a seat in it was withdrawn/.test(textOf(c.args)))).toBe(true);
  expect(t.slack.callsTo('chat.update').some((c) => c.args.channel === `D${BOB.id}` && /withdrawn/.test(textOf(c.args)))).toBe(true);
  expect(t.slack.callsTo('chat.postMessage').some((c) => c.args.channel === `D${ALICE.id}` && /seat in \*Old Lab\* was released/.test(textOf(c.args)))).toBe(true);
  expect(await count("SELECT COUNT(*) AS n FROM seats WHERE status = 'occupied'")).toBe(0);
  // no longer listed, and no invitation to it
  expect(textOf((await t.command(ADMIN.id, 'licenses')).reply?.args)).not.toContain('Old Lab');
  expect(textOf((await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol> to "Old Lab"`)).reply?.args)).toContain('"Old Lab" was retired: it takes no invitations and holds no seats any more. The licenses in use: "Campus".');
  // with one pool left, it is the one invitations go to
  expect(textOf((await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol>`)).reply?.args)).toContain('Campus');
  expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'license.retired'")).toBe(1);
});

it('history: a person sees their own invitations and seats in order, in plain words; an admin anyone\'s or one invitation\'s; others nothing', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  await t.click(ALICE.id, 'invitation_accept', 'inv:1');
  const mine = textOf((await t.command(ALICE.id, 'history')).reply?.args);
  expect(mine).toContain('History of Alice Smith');
  const order = ['Ada Admin invited Alice Smith to a seat in Campus (invitation #1) (in Slack)', 'Alice Smith accepted invitation #1 (a seat in Campus) (in Slack)', 'Alice Smith took a seat'];
  for (const line of order) expect(mine).toContain(line);
  expect(order.map((l) => mine.indexOf(l))).toEqual([...order.map((l) => mine.indexOf(l))].sort((a, b) => a - b));
  expect(mine).toMatch(/\*\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC\*/);
  expect(textOf((await t.command(ADMIN.id, `history <@${ALICE.id}|alice>`)).reply?.args)).toContain('Alice Smith accepted invitation #1');
  expect(textOf((await t.command(ADMIN.id, 'history #1')).reply?.args)).toContain('History of invitation #1');
  expect(textOf((await t.command(MALLORY.id, `history <@${ALICE.id}|alice>`)).reply?.args)).toContain('Only license admins can see the history of someone else.');
  expect(textOf((await t.command(MALLORY.id, 'history #1')).reply?.args)).toContain("Only license admins can see the history of someone else's invitation.");
  // one line per audit row about the invitation and its seat
  const rows = await t.count("SELECT COUNT(*) AS n FROM audit_log WHERE (subject_type = 'invitation' AND subject_id = 1) OR subject_type = 'seat'");
  const lines = textOf((await t.command(ADMIN.id, 'history #1')).reply?.args).match(/ UTC\*/g) ?? [];
  expect(rows).toBeGreaterThanOrEqual(3);
  expect(lines).toHaveLength(rows);
});

it('seats: a 120-member pool is listed a page at a time (Next / Previous) and searched by name or email; admins only', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus" 200');
  const crowd = Array.from({ length: 120 }, (_, i) => ({ id: `UM${i}`, name: `m${i}`, real_name: `Member ${i}`, email: `member${i}@uni.edu` }));
  for (const p of crowd) t.slack.addUser(p);
  await t.command(ADMIN.id, `invite-license ${crowd.map((p) => `<@${p.id}|${p.name}>`).join(' ')}`);
  await t.drained();
  await t.click('UM7', 'invitation_accept', 'inv:8');
  const first = await t.command(ADMIN.id, 'seats "Campus"');
  const words = textOf(first.reply?.args);
  expect(words).toContain('Campus: 120 people');
  expect(words).toContain('Page 1 of 5.');
  expect((words.match(/ · \*(invited|accepted)\* since /g) ?? []).length).toBe(25);
  expect(words).toContain('*Member 7* (`member7@uni.edu`) · *accepted* since');
  expect(buttonsOf(first.reply?.args).map((b) => b.text)).toEqual(['Next']);
  const next = buttonsOf(first.reply?.args)[0]!;
  const second = await t.click(ADMIN.id, next.action_id, next.value);
  expect(second.reply?.args.replace_original).toBe(true);
  expect(textOf(second.reply?.args)).toContain('Page 2 of 5.');
  expect(buttonsOf(second.reply?.args).map((b) => b.text)).toEqual(['Previous', 'Next']);
  // searched: "Member 10" matches Member 10 and Member 100–109
  const found = textOf((await t.command(ADMIN.id, 'seats "Campus" Member 10')).reply?.args);
  expect(found).toContain('Campus: 11 people matching "Member 10"');
  expect(textOf((await t.command(ADMIN.id, 'seats member119@uni')).reply?.args)).toContain('Campus: 1 person matching "member119@uni"');
  expect(textOf((await t.command(MALLORY.id, 'seats "Campus"')).reply?.args)).toMatch(/Only license admins/);
});
