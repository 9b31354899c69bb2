/**
 * The admin's desk (issue 17): exports as CSV (Slack: the three-step upload into the DM; Teams: a
 * link for that admin that lasts 15 minutes), and the Home tab with what waits on each person.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, CAROL, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';
import { blockActionPayload, interactiveBody, postSigned } from '../support/slack-requests.js';
import { SECRET } from '../support/harness.js';
import { STANDIN_TEAM_ID } from '../support/slack-standin.js';
import type { ConnectorStandIn } from '../support/teams-standin.js';
import { DEFAULT_TEAM_ID, cardText, type TeamsUser } from '../support/teams-activities.js';
import { ADA, ALICE as TALICE, startTeamsBot, type TeamsBot } from '../support/teams-bot.js';

let t: TestBot | undefined;
let connector: ConnectorStandIn | undefined;
afterEach(async () => {
  await t?.close();
  await connector?.close();
  t = undefined;
  connector = undefined;
});

/** A CSV as rows of cells (quoted cells with commas, doubled quotes and CRLF line ends, as written). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && body[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

describe('export in Slack', () => {
  it('members, invitations and audit arrive in the DM through the three-step upload; the audit rows are the audit table', async () => {
    t = await startTestBot();
    t.slack.addUser({ id: 'UEVIL', name: 'evil', real_name: '=HYPERLINK("http://x.example","click")', email: 'evil@uni.edu' });
    await t.command(ADMIN.id, 'license add "Campus 2026" 10 assigned');
    await t.command(ADMIN.id, 'license add "Lab" 3 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob> <@UEVIL|evil> to "Campus 2026"`);
    await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol> to "Lab"`);
    await t.drained();
    await t.click(ALICE.id, 'invitation_accept', 'inv:1');

    // only admins; a kind is required
    expect(textOf((await t.command(MALLORY.id, 'export members')).reply?.args)).toContain('Only license admins can export license data');
    expect(textOf((await t.command(ADMIN.id, 'export everything')).reply?.args)).toContain('Say what to export');
    expect(t.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);

    const from = t.slack.calls.length;
    const sent = await t.command(ADMIN.id, 'export members "Campus 2026"');
    expect(textOf(sent.reply?.args)).toMatch(/Sent \*atlas-members-campus-2026-\d{4}-\d\d-\d\d\.csv\* \(3 rows\) to your messages with me/);
    // the current upload API, in order: the DM's id, a URL, the bytes to it, then completed into the DM
    const order = t.slack.calls.slice(from).map((c) => c.method).filter((m) => ['conversations.open', 'files.getUploadURLExternal', 'file_upload', 'files.completeUploadExternal', 'files.upload'].includes(m));
    expect(order).toEqual(['conversations.open', 'files.getUploadURLExternal', 'file_upload', 'files.completeUploadExternal']);
    const [file] = t.slack.uploadedFiles();
    expect(file!.channel).toBe(`D${ADMIN.id}`);
    expect(file!.comment).toContain('3 members and invitees of Campus 2026');
    expect(Number(t.slack.callsTo('files.getUploadURLExternal')[0]!.args.length)).toBe(Buffer.byteLength(file!.content));
    const members = parseCsv(file!.content);
    expect(members[0]).toEqual(['license', 'name', 'email', 'state', 'since', 'invited_by', 'invitation_id', 'seat_id']);
    expect(members.slice(1).map((r) => [r[1], r[2], r[3], r[5]])).toEqual([
      // a name a spreadsheet would run as a formula is written as text
      [`'=HYPERLINK("http://x.example","click")`, 'evil@uni.edu', 'invited', 'Ada Admin'],
      ['Alice Smith', 'Alice.Smith@uni.edu', 'accepted', 'Ada Admin'],
      ['Bob Jones', 'bob@uni.edu', 'invited', 'Ada Admin'],
    ]);
    expect(t.slack.messagesIn(`D${ADMIN.id}`).some((m) => m.files?.[0]?.name === file!.filename)).toBe(true);

    await t.command(ADMIN.id, 'export invitations');
    const invitations = parseCsv(t.slack.uploadedFiles()[1]!.content);
    expect(invitations.slice(1).map((r) => [r[0], r[2], r[5], r[7]])).toEqual([
      ['1', 'Campus 2026', 'Alice.Smith@uni.edu', 'accepted'],
      ['2', 'Campus 2026', 'bob@uni.edu', 'pending'],
      ['3', 'Campus 2026', 'evil@uni.edu', 'pending'],
      ['4', 'Lab', 'carol@uni.edu', 'pending'],
    ]);

    await t.command(ADMIN.id, 'export audit');
    const audit = parseCsv(t.slack.uploadedFiles()[2]!.content);
    expect(audit[0]).toEqual(['id', 'at', 'platform', 'actor', 'actor_user_id', 'action', 'subject_type', 'subject_id', 'details']);
    const table = await t.query('SELECT id, at, platform, actor_user_id AS "actorUserId", action, subject_type AS "subjectType", subject_id AS "subjectId", details FROM audit_log ORDER BY id');
    expect(table.length).toBeGreaterThan(5);
    // every row of the table, column for column (the actor's name checked below)
    expect(audit.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5], r[6], r[7], r[8]])).toEqual(
      table.map((r) => [String(r.id), new Date(r.at).toISOString(), r.platform, r.actorUserId ?? '', r.action, r.subjectType, r.subjectId === null ? '' : String(r.subjectId), r.details === null || r.details === 'null' ? '' : r.details]),
    );
    expect(audit.find((r) => r[5] === 'license.created')?.[3]).toBe('Ada Admin');
    expect(audit.find((r) => r[5] === 'invitation.accepted')?.[3]).toBe('Alice Smith');
    // limited to one pool: only what concerns it
    await t.command(ADMIN.id, 'export audit "Lab"');
    const lab = parseCsv(t.slack.uploadedFiles()[3]!.content).slice(1);
    expect(lab.map((r) => r[5])).toEqual(['license.created', 'invitation.created']);
  });

  it('a failing upload is told to the admin, and nothing is half-sent', async () => {
    t = await startTestBot({ env: {} });
    await t.command(ADMIN.id, 'license add "Lab" 3 assigned');
    t.slack.failNext('files.completeUploadExternal', { error: 'channel_not_found' });
    const r = await t.command(ADMIN.id, 'export members');
    expect(textOf(r.reply?.args)).toContain('Slack did not take the file atlas-members-');
    // the bytes went up, but the file was never shared: no message with a file in the DM
    expect(t.slack.callsTo('file_upload')).toHaveLength(1);
    expect(t.slack.messagesIn(`D${ADMIN.id}`).some((m) => m.files !== undefined)).toBe(false);
  });
});

describe('the Home tab: the admin\'s desk', () => {
  it('an admin sees open seat requests, hand-off to-dos and each pool with Members / Export; a seatless person sees Request a seat', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus" 10 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> to "Campus"`);
    await t.drained();
    await t.click(ALICE.id, 'invitation_accept', 'inv:1');
    await t.command(CAROL.id, 'request-seat for the methods course');
    const open = async (userId: string) => {
      const before = t!.slack.callsTo('views.publish').length;
      await postSigned(
        `${t!.bot.url}/slack/events`,
        SECRET,
        JSON.stringify({
          token: 'x', team_id: STANDIN_TEAM_ID, api_app_id: 'A0STANDIN', type: 'event_callback', event_id: `Ev${userId}${Date.now()}${before}`, event_time: Math.floor(Date.now() / 1000),
          event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: '1.2' },
        }),
      );
      return t!.slack.waitFor((c) => c.method === 'views.publish' && c.args.user_id === userId && t!.slack.callsTo('views.publish').indexOf(c) >= before);
    };

    const desk = await open(ADMIN.id);
    const text = textOf(desk.args.view);
    expect(text).not.toContain('/atlas pending');
    expect(text).toContain('*Carol Diaz* (`carol@uni.edu`) asks for a seat in *Campus*: “for the methods course”');
    expect(text).toContain('Add `Alice.Smith@uni.edu` (Alice Smith) to *Campus*');
    const ids = buttonsOf(desk.args.view).map((b) => `${b.action_id}=${b.value}`);
    expect(ids).toEqual(
      expect.arrayContaining(['seat_request_approve=req:1', 'seat_request_deny=req:1', 'seat_handoff_done=seat:1', 'members_page=mem:1:0:', 'export_members=lic:1', 'home_refresh=home']),
    );
    expect(ids).not.toContain('seat_request_open=ask');

    // approving on the Home tab: the answer goes to the DM and the Home tab is drawn again without it
    const press = (userId: string, actionId: string, value: string) =>
      postSigned(
        `${t!.bot.url}/slack/events`,
        SECRET,
        interactiveBody(blockActionPayload({ user_id: userId, action_id: actionId, value, view: { id: (desk.result as any).view.id, type: 'home' } })),
      );
    const publishes = t.slack.callsTo('views.publish').length;
    await press(ADMIN.id, 'seat_request_approve', 'req:1');
    const redrawn = await t.slack.waitFor((c) => c.method === 'views.publish' && t!.slack.callsTo('views.publish').indexOf(c) >= publishes);
    expect(buttonsOf(redrawn.args.view).map((b) => b.value)).not.toContain('req:1');
    await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN.id && /Approved seat request #1/.test(textOf(c.args)));
    // Export from the Home tab: the file in the DM
    await press(ADMIN.id, 'export_members', 'lic:1');
    await t.slack.waitFor((c) => c.method === 'files.completeUploadExternal');
    expect(parseCsv(t.slack.uploadedFiles()[0]!.content).slice(1).map((r) => r[1])).toEqual(['Alice Smith', 'Carol Diaz']);

    // someone with no seat and nothing on its way: one button to ask
    const bob = await open(BOB.id);
    expect(buttonsOf(bob.args.view).map((b) => b.action_id)).toEqual(['seat_request_open', 'home_refresh']);
    expect(textOf(bob.args.view)).not.toContain('For license admins');
    // Carol asked already and now has an invitation: no ask button
    expect(buttonsOf((await open(CAROL.id)).args.view).map((b) => b.action_id)).not.toContain('seat_request_open');
  });
});

describe('Teams', () => {
  let teams: TeamsBot | undefined;
  async function start(clock: { now: number }) {
    // closed by the afterEach above, like the Slack bots
    teams = await startTeamsBot({ now: () => clock.now });
    t = teams.t;
    connector = teams.connector;
  }
  const say = (from: TeamsUser, text: string) => teams!.say(from, text);
  const dialog = (from: TeamsUser, name: 'task/fetch' | 'task/submit', data: Record<string, unknown>) => teams!.dialog(from, name, data);
  const click = (from: TeamsUser, verb: string, value: string) => teams!.click(from, verb, value);

  it('request-seat through a dialog, Deny with a reason through a dialog, and the answer as a card', async () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00Z') };
    await start(clock);
    await say(ADA, 'license add "Campus" 10 assigned');
    await say(ADA, 'license add "Lab" 2 assigned');
    const offered = await say(TALICE, 'request-seat');
    const fetched = await dialog(TALICE, 'task/fetch', offered[0].attachments[0].content.actions[0].data);
    const form = fetched.body.task.value.card.content;
    expect(form.body.find((b: any) => b.id === 'email.email_input').value).toBe('Alice.Smith@uni.edu');
    const bad = await dialog(TALICE, 'task/submit', { dialog: 'request_seat', 'email.email_input': 'alice.smith@uni.edu' });
    expect(cardText(bad.body.task.value.card.content)).toContain('Pick the license you need a seat in.');
    expect(cardText(bad.body.task.value.card.content)).toContain('the email on record is Alice.Smith@uni.edu');
    const ok = await dialog(TALICE, 'task/submit', { dialog: 'request_seat', 'license.license_select': 'Lab', 'email.email_input': 'Alice.Smith@uni.edu', 'reason.reason_input': 'Survey coding' });
    expect(ok.body.task.value).toContain('Asked for a seat in Lab (request #1)');
    await t!.drained();
    const post = connector!.sent(DEFAULT_TEAM_ID).find((a) => /asks for a seat/.test(cardText(a)))!;
    expect(cardText(post)).toContain('Survey coding');
    // Deny opens a dialog with a reason
    const deny = await click(ADA, 'seat_request_deny', 'req:1');
    expect(deny.status).toBe(200);
    const denyOffer = connector!.sent(`a:1on1-${ADA.id}`).at(-1);
    const denyForm = await dialog(ADA, 'task/fetch', denyOffer.attachments[0].content.actions[0].data);
    expect(cardText(denyForm.body.task.value.card.content)).toContain('Deny seat request #1');
    const denied = await dialog(ADA, 'task/submit', { dialog: 'deny_seat', requestId: 1, 'note.note_input': 'Lab seats are for staff' });
    expect(denied.body.task.value).toContain('Denied.');
    await t!.drained();
    const dm = connector!.sent(`a:1on1-${TALICE.id}`).find((a) => /declined your request/.test(cardText(a)))!;
    expect(cardText(dm)).toContain('Lab seats are for staff');
    expect(cardText(connector!.sent(DEFAULT_TEAM_ID).find((a) => /asks for a seat/.test(cardText(a)))) + cardText(connector!.updated(DEFAULT_TEAM_ID).at(-1))).toContain('Denied by Ada Admin');
  });

  it('export: a link only for that admin, for 15 minutes; the file is sealed at rest', async () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00Z') };
    await start(clock);
    await say(ADA, 'license add "Campus" 10 assigned');
    await say(ADA, 'invite-license Alice.Smith@uni.edu to "Campus"');
    await t!.drained();
    expect((await say(TALICE, 'export members')).map(cardText).join('\n')).toContain('Only license admins can export');
    const [answer] = await say(ADA, 'export members');
    expect(cardText(answer)).toContain('the link works once, for 15 minutes, and only while you are an admin');
    const link = /(https:\/\/bot\.example\.edu\/downloads\/[A-Za-z0-9_-]{43})/.exec(JSON.stringify(answer))![1]!;
    const local = link.replace('https://bot.example.edu', t!.bot.url);
    const got = await fetch(local);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="atlas-members-2026-12-02\.csv"$/);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(parseCsv(await got.text())[1]!.slice(1, 4)).toEqual(['Alice Smith', 'Alice.Smith@uni.edu', 'invited']);
    // it works once
    expect((await fetch(local)).status).toBe(404);
    expect(await t!.count('SELECT COUNT(*) AS n FROM downloads')).toBe(0);
    // nothing readable at rest: not the email in the downloads row, not the token
    // the next export: nothing readable at rest, not the email in the row, not the token in any file
    const [again] = await say(ADA, 'export members');
    const link2 = /(https:\/\/bot\.example\.edu\/downloads\/[A-Za-z0-9_-]{43})/.exec(JSON.stringify(again))![1]!.replace('https://bot.example.edu', t!.bot.url);
    const [row] = await t!.query<{ h: string; c: string }>('SELECT token_hash AS h, sealed_content AS c FROM downloads');
    expect(row!.c).not.toContain('Alice.Smith@uni.edu');
    const token = link2.split('/').pop()!;
    expect(JSON.stringify(await t!.query('SELECT * FROM downloads'))).not.toContain(token);
    for (const f of readdirSync(t!.dir).filter((n) => n.startsWith('bot.sqlite'))) expect(readFileSync(join(t!.dir, f)).includes(token)).toBe(false);
    // a made-up token, and the real one after 15 minutes: gone, and the sweep forgets it
    expect((await fetch(link2.replace(/.{4}$/, 'AAAA'))).status).toBe(404);
    clock.now += 15 * 60 * 1000 + 1;
    const late = await fetch(link2);
    expect(late.status).toBe(404);
    expect(await late.text()).toContain('has expired (links last 15 minutes and work once)');
    expect(await t!.count('SELECT COUNT(*) AS n FROM downloads')).toBe(0);
  });

  it('an admin removed since the export cannot download it; the Export button on the desk card posts its link', async () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00Z') };
    await start(clock);
    await say(ADA, 'license add "Campus" 10 assigned');
    await say(ADA, `admin add Alice.Smith@uni.edu`);
    // from the desk card: the answer comes as a message with the link in it
    const pressed = await click(TALICE, 'export_members', 'lic:1');
    expect(pressed.status).toBe(200);
    const posted = connector!.sent(`a:1on1-${TALICE.id}`).at(-1);
    const link = /(https:\/\/bot\.example\.edu\/downloads\/[A-Za-z0-9_-]{43})/.exec(JSON.stringify(posted))![1]!.replace('https://bot.example.edu', t!.bot.url);
    await say(ADA, 'admin remove Alice.Smith@uni.edu');
    expect((await fetch(link)).status).toBe(404);
  });

  it('the welcome card is the home: Refresh draws it again as things stand', async () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00Z') };
    await start(clock);
    await say(ADA, 'license add "Campus" 10 assigned');
    await say(TALICE, 'request-seat for the survey');
    // typed, it comes as a card of its own
    const typed = await say(ADA, 'home');
    expect(cardText(typed[0])).toContain('For license admins');
    const refreshed = await click(ADA, 'home_refresh', 'home');
    expect(refreshed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = cardText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: refreshed.body.value }] });
    expect(card).toContain('asks for a seat in Campus');
    expect(JSON.stringify(refreshed.body.value)).toContain('seat_request_approve');
  });
});

