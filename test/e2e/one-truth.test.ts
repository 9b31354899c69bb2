/**
 * One message, one truth: when an invitation or a seat request changes, every message the bot
 * posted about it (the invitee's DM, each reminder, the admins' post, the digest line) is updated
 * in place, and none of them keeps a button that no longer works.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, CAROL, buttonsOf, everyTable, startTestBotAt, textOf, type TestBot } from '../support/harness.js';
import type { RecordedCall } from '../support/slack-standin.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 30 Nov 2026, 15:00 UTC
const MONDAY_3PM = Date.parse('2026-11-30T15:00:00Z');

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots.reverse()) await b.close();
  bots = [];
});

async function botAt(start: number, env: Record<string, string> = {}) {
  const running = await startTestBotAt(start, env);
  bots.push(running.t);
  return running;
}

const tsOf = (c: RecordedCall): string => (c.result as { ts: string }).ts;
const posted = (t: TestBot, channel: string, pattern: RegExp) =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.status === 200 && pattern.test(textOf(c.args)));
/** the buttons a message shows now (as Slack stores it after every update) */
const liveButtons = (t: TestBot, channel: string, ts: string) => buttonsOf(t.slack.getMessage(channel, ts) ?? {});

it('accepting updates the DM, every reminder, the admin post and the digest line in place: same ts, nothing left to press about it', async () => {
  const { t, clock } = await botAt(MONDAY_3PM);
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  clock.now += 3 * DAY + HOUR; // Thursday: the first reminder is due, inside Alice's working hours
  await t.bot.jobs.run('sweep');
  await t.bot.jobs.run('digest');
  await t.drained();

  const [dm] = posted(t, `D${ALICE.id}`, /invited you to an ATLAS\.ti license seat/);
  const [reminder] = posted(t, `D${ALICE.id}`, /^Reminder/);
  const [adminPost] = posted(t, ADMIN_CHANNEL, /^created:/);
  const [digest] = posted(t, ADMIN_CHANNEL, /^Pending invitations/);
  for (const m of [dm, reminder, adminPost, digest]) expect(m).toBeDefined();
  expect(liveButtons(t, `D${ALICE.id}`, tsOf(reminder!)).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);
  expect(liveButtons(t, ADMIN_CHANNEL, tsOf(adminPost!)).map((b) => b.action_id)).toEqual(['invitation_resend', 'invitation_revoke']);
  // Revoke asks once, naming the person and what follows
  expect(liveButtons(t, ADMIN_CHANNEL, tsOf(adminPost!)).find((b) => b.action_id === 'invitation_revoke')?.confirm).toEqual({
    title: { type: 'plain_text', text: 'Withdraw invitation #1?' },
    text: { type: 'mrkdwn', text: "*Alice Smith*'s invitation to a seat in *Campus*: Its link stops working at once and the seat it holds is free again; their message says it was withdrawn. To undo it, invite them again." },
    confirm: { type: 'plain_text', text: 'Withdraw it' },
    deny: { type: 'plain_text', text: 'Keep it' },
    style: 'danger',
  });
  expect(liveButtons(t, ADMIN_CHANNEL, tsOf(digest!)).map((b) => b.action_id)).toEqual(['invitation_resend', 'invitation_extend', 'invitation_revoke']);

  // Alice accepts from the reminder
  const accepted = await t.click(ALICE.id, 'invitation_accept', 'inv:1', { channel_id: `D${ALICE.id}`, message_ts: tsOf(reminder!) });
  expect(textOf(accepted.reply?.args)).toContain('Accepted: an admin is adding you');
  await t.drained();

  // each of them was updated where it is (chat.update with its own ts), not posted again
  const updatedTs = new Set(t.slack.callsTo('chat.update').filter((c) => c.status === 200).map((c) => `${c.args.channel} ${c.args.ts}`));
  expect(updatedTs).toEqual(new Set([`D${ALICE.id} ${tsOf(dm!)}`, `D${ALICE.id} ${tsOf(reminder!)}`, `${ADMIN_CHANNEL} ${tsOf(adminPost!)}`, `${ADMIN_CHANNEL} ${tsOf(digest!)}`]));
  expect(textOf(t.slack.getMessage(`D${ALICE.id}`, tsOf(dm!)))).toContain('Accepted: an admin is adding you');
  expect(textOf(t.slack.getMessage(`D${ALICE.id}`, tsOf(reminder!)))).toContain('You accepted it.');
  expect(textOf(t.slack.getMessage(ADMIN_CHANNEL, tsOf(adminPost!)))).toContain('Now: *accepted* by Alice Smith.');
  expect(textOf(t.slack.getMessage(ADMIN_CHANNEL, tsOf(digest!)))).toContain('now: accepted');

  // nothing about invitation #1 can be pressed any more; the one new message is the admins' to-do
  const about1 = (ch: string) => t.slack.messagesIn(ch).flatMap((m) => buttonsOf(m)).filter((b) => b.value === 'inv:1');
  expect(about1(`D${ALICE.id}`)).toEqual([]);
  expect(about1(ADMIN_CHANNEL)).toEqual([]);
  expect(posted(t, `D${ALICE.id}`, /./)).toHaveLength(2);
  const todo = posted(t, ADMIN_CHANNEL, /^accepted:/);
  expect(todo).toHaveLength(1);
  expect(liveButtons(t, ADMIN_CHANNEL, tsOf(todo[0]!)).map((b) => b.action_id)).toEqual(['seat_handoff_done']);

  // Done: the to-do keeps no Done; Alice gets one new message, and her older ones point to it
  await t.clickIn(ADMIN.id, todo[0]!, 'seat_handoff_done');
  await t.drained();
  expect(liveButtons(t, ADMIN_CHANNEL, tsOf(todo[0]!))).toEqual([]);
  const ready = posted(t, `D${ALICE.id}`, /seat in Campus is ready/);
  expect(ready).toHaveLength(1);
  const live = t.slack.messagesIn(`D${ALICE.id}`).filter((m) => buttonsOf(m).length > 0);
  expect(live.map((m) => m.ts)).toEqual([tsOf(ready[0]!)]);
  expect(buttonsOf(live[0]).map((b) => b.action_id)).toEqual(['seat_joined']);
});

describe('did you mean, before anything is sent', () => {
  const count = (t: TestBot, sql: string) => t.count(sql);

  it('an uppercase invite of someone in Slack is stored under the account email Slack reports', async () => {
    const { t } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
    const r = await t.command(ADMIN.id, 'invite-license ALICE.SMITH@UNI.EDU');
    expect(textOf(r.reply?.args)).toContain('1 of 1 invited');
    expect(await count(t, "SELECT COUNT(*) AS n FROM invitations WHERE invitee_email = 'Alice.Smith@uni.edu'")).toBe(1);
    await t.click(ALICE.id, 'invitation_accept', 'inv:1', { channel_id: `D${ALICE.id}` });
    expect(await count(t, "SELECT COUNT(*) AS n FROM seats WHERE email = 'Alice.Smith@uni.edu'")).toBe(1);
  });

  it('a typo in a known email, or in its letter case, is answered with the email on record; nothing is queued until one button uses it', async () => {
    const { t } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
    // Bob and Alice are known (they used the bot), so their emails are on record
    await t.command(BOB.id, 'status');
    await t.command(ALICE.id, 'status');
    await t.drained();
    const rows = async () => [await count(t, 'SELECT COUNT(*) AS n FROM invitations'), await count(t, 'SELECT COUNT(*) AS n FROM outbox')];
    const before = await rows();

    const typo = await t.command(ADMIN.id, 'invite-license bob@uni.eud to "Campus"');
    const said = textOf(typo.reply?.args);
    expect(said).toContain('Nothing sent yet');
    expect(said).toContain('You typed `bob@uni.eud`. Did you mean `bob@uni.edu`?');
    expect(buttonsOf(typo.reply?.args).map((b) => [b.text, b.value])).toEqual([
      ['Use bob@uni.edu', 'invite-license bob@uni.edu to "Campus"'],
      ['Send as I typed it', 'invite-license !bob@uni.eud to "Campus"'],
    ]);
    const caseOnly = await t.command(ADMIN.id, 'invite-license alice.smith@uni.edu');
    expect(textOf(caseOnly.reply?.args)).toContain('the email on record is `Alice.Smith@uni.edu`');
    // a letter-case difference is never someone else: only the email on record is offered
    expect(buttonsOf(caseOnly.reply?.args).map((b) => b.text)).toEqual(['Use Alice.Smith@uni.edu']);
    expect(await rows()).toEqual(before);

    // one press: the corrected command runs, and the question is replaced by its answer
    const used = await t.click(ADMIN.id, 'command_retry', buttonsOf(typo.reply?.args)[0]!.value, { channel_id: `D${ADMIN.id}` });
    expect(used.reply?.args.replace_original).toBe(true);
    expect(textOf(used.reply?.args)).toContain('1 of 1 invited');
    expect(await count(t, "SELECT COUNT(*) AS n FROM invitations WHERE invitee_email = 'bob@uni.edu'")).toBe(1);
    expect(await count(t, "SELECT COUNT(*) AS n FROM invitations WHERE invitee_email = 'bob@uni.eud'")).toBe(0);
  });
});

it('"invite the first N" offers the seats to people with no seat first, says so, and tells everyone left out', async () => {
  const { t } = await botAt(MONDAY_3PM);
  await t.command(ADMIN.id, 'license add "Other" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> to "Other"`);
  await t.drained();
  await t.click(ALICE.id, 'invitation_accept', 'inv:1', { channel_id: `D${ALICE.id}` });
  await t.command(ADMIN.id, 'license add "Tiny" 2 assigned');
  const asked = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob> <@${CAROL.id}|carol> to "Tiny"`);
  const said = textOf(asked.reply?.args);
  expect(said).toContain('People who hold no seat in any pool come first');
  expect(said).toContain('*Would be invited (2)*\n• Bob Jones\n• Carol Diaz');
  expect(said).toContain('*Would not be invited (1)*\n• Alice Smith');
  await t.drained();
  const before = posted(t, `D${ALICE.id}`, /./).length;
  const confirmed = await t.click(ADMIN.id, 'bulk_invite_confirm', buttonsOf(asked.reply?.args).find((b) => b.action_id === 'bulk_invite_confirm')!.value);
  expect(textOf(confirmed.reply?.args)).toContain('Tiny*: 2 invited of 3');
  await t.drained();
  expect(posted(t, `D${BOB.id}`, /invited you to an ATLAS\.ti license seat in Tiny/)).toHaveLength(1);
  expect(posted(t, `D${CAROL.id}`, /invited you to an ATLAS\.ti license seat in Tiny/)).toHaveLength(1);
  const cut = posted(t, `D${ALICE.id}`, /./).slice(before);
  expect(cut).toHaveLength(1);
  expect(textOf(cut[0]!.args)).toContain('You were not among them: people who held no seat anywhere came first.');
  expect(textOf(cut[0]!.args)).toContain('ask Ada Admin');
});

it('an admin inviting a channel she is in is not invited herself, and is told so', async () => {
  const { t } = await botAt(MONDAY_3PM);
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  t.slack.setChannelMembers('CGENERAL', [ADMIN.id, BOB.id]);
  const r = await t.command(ADMIN.id, 'invite-license <#CGENERAL|general>');
  expect(textOf(r.reply?.args)).toContain('1 of 1 invited');
  await t.slack.waitFor((c) => c.method === 'response_url' && /You are in that group yourself; I left you out\. Name yourself too if you want a seat\./.test(textOf(c.args)));
  const invitees = await t.query('SELECT p.slack_user_id AS u FROM invitations i JOIN people p ON p.id = i.invitee_id');
  expect(invitees).toEqual([{ u: BOB.id }]);
});

describe('expiry', () => {
  it('ten invitations expiring in one sweep reach their inviter as one message, a list with Re-invite / Drop per line', async () => {
    const { t, clock } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Campus" 50 assigned');
    const people = Array.from({ length: 10 }, (_, i) => ({ id: `UEXP${i}`, name: `e${i}`, real_name: `Expiring ${i}`, email: `e${i}@uni.edu` }));
    for (const p of people) t.slack.addUser(p);
    await t.command(ADMIN.id, `invite-license ${people.map((p) => `<@${p.id}|${p.name}>`).join(' ')}`);
    await t.drained();
    const toAdmin = () => posted(t, `D${ADMIN.id}`, /expired/);
    expect(toAdmin()).toHaveLength(0);
    clock.now += 15 * DAY;
    await t.bot.jobs.run('sweep');
    await t.drained();
    const notices = toAdmin();
    expect(notices).toHaveLength(1);
    expect(textOf(notices[0]!.args)).toContain('10 of your invitations expired');
    expect(buttonsOf(notices[0]!.args).filter((b) => b.action_id === 'invitation_reinvite')).toHaveLength(10);
    // each invitee's own invitation now says it expired, in place
    for (const p of people) {
      const [dm] = posted(t, `D${p.id}`, /invited you/);
      expect(textOf(t.slack.getMessage(`D${p.id}`, tsOf(dm!)))).toContain('expired on');
      expect(liveButtons(t, `D${p.id}`, tsOf(dm!))).toEqual([]);
    }
    // one line handled: that line says so, the others keep their buttons
    await t.click(ADMIN.id, 'invitation_drop', 'inv:1', { channel_id: `D${ADMIN.id}` });
    await t.drained();
    const now = liveButtons(t, `D${ADMIN.id}`, tsOf(notices[0]!));
    expect(now.filter((b) => b.value === 'inv:1')).toEqual([]);
    expect(now.filter((b) => b.action_id === 'invitation_reinvite')).toHaveLength(9);
    expect(textOf(t.slack.getMessage(`D${ADMIN.id}`, tsOf(notices[0]!)))).toContain('Dropped by Ada Admin: it stays expired.');
  });

  it('a project invitation waiting for a seat expires too: its sharer is told, with Re-invite / Drop, and the waiting list says so', async () => {
    const { t, clock } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    await t.click(ALICE.id, 'invitation_accept', 'inv:1', { channel_id: `D${ALICE.id}` });
    // Carol holds no seat: Alice's invitation waits for one
    const values = {
      project_new: { project_name: { type: 'plain_text_input', value: 'Interviews' } },
      edition: { edition_choice: { type: 'radio_buttons', selected_option: { value: 'web', text: { type: 'plain_text', text: 'web' } } } },
      users: { users_select: { type: 'multi_users_select', selected_users: [CAROL.id] } },
      emails: { emails_input: { type: 'plain_text_input', value: null } },
      desktop_link: { link_input: { type: 'url_text_input', value: null } },
      message: { message_input: { type: 'plain_text_input', value: null } },
    };
    const submitted = await t.submitView(ALICE.id, 'share_project_form', values);
    expect(submitted.json?.response_action).not.toBe('errors');
    await t.slack.waitFor((c) => c.method === 'views.update' && /holds no seat/.test(textOf(c.args.view)));
    await t.drained();
    const waiting = async () => (await t.query<{ status: string }>("SELECT status FROM invitations WHERE kind = 'project'"))[0]!.status;
    expect(await waiting()).toBe('waiting_for_seat');
    const [attention] = posted(t, `D${ALICE.id}`, /need your attention/);
    clock.now += 15 * DAY;
    await t.bot.jobs.run('sweep');
    await t.drained();
    expect(await waiting()).toBe('expired');
    const [notice] = posted(t, `D${ALICE.id}`, /expired/);
    expect(textOf(notice!.args)).toContain('Your invitation of *Carol Diaz* to the project *Interviews* expired on');
    expect(buttonsOf(notice!.args).map((b) => b.action_id)).toEqual(['invitation_reinvite', 'invitation_drop']);
    expect(textOf(t.slack.getMessage(`D${ALICE.id}`, tsOf(attention!)))).toContain('expired unanswered');
    expect(liveButtons(t, `D${ALICE.id}`, tsOf(attention!))).toEqual([]);
    // Carol was never sent anything
    expect(posted(t, `D${CAROL.id}`, /./)).toEqual([]);
  });
});

it('Extend updates the invitee DM in place with the new date and the same working link; the token is never in the database file or its log', async () => {
  const { t, clock } = await botAt(MONDAY_3PM);
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  const [dm] = posted(t, `D${ALICE.id}`, /invited you/);
  const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(textOf(dm!.args))![1]!;
  expect(textOf(dm!.args)).toContain('expires on 14 Dec 2026');
  clock.now += 5 * DAY;
  const extended = await t.click(ADMIN.id, 'invitation_extend', 'inv:1');
  expect(textOf(extended.reply?.args)).toContain('now expires on 19 Dec 2026');
  await t.drained();
  const now = textOf(t.slack.getMessage(`D${ALICE.id}`, tsOf(dm!)));
  expect(now).toContain('expires on 19 Dec 2026');
  expect(now).toContain(`/invite/${token}`);
  expect(liveButtons(t, `D${ALICE.id}`, tsOf(dm!)).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);
  expect((await fetch(`${t.bot.url}/invite/${token}`)).status).toBe(200);
  // what the database keeps is sealed: no row of any table holds the token
  const tables = await everyTable(t);
  expect(Object.keys(tables)).toContain('invitations');
  for (const [name, rows] of Object.entries(tables)) expect(JSON.stringify(rows), name).not.toContain(token);
  // on SQLite, neither the file nor its write-ahead log holds it either
  if (t.bot.engine.sqlite) {
    t.bot.engine.sqlite.sqlite.pragma('wal_checkpoint(PASSIVE)');
    for (const f of ['bot.sqlite', 'bot.sqlite-wal']) {
      const path = join(t.dir, f);
      if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(token))).toBe(false);
    }
  }
});
