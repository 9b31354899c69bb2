import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, startTestBot, textOf, buttonsOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `U${prefix}${i}`, name: `${prefix.toLowerCase()}${i}`, real_name: `${prefix} ${i}`, email: `${prefix.toLowerCase()}${i}@uni.edu` }));
const count = (sql: string) => t.count(sql);

describe('bulk invitations', () => {
  it('a user group and a channel expand to their members; duplicates and people already invited are reported, not re-invited', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 100 assigned');
    const students = people('STU', 12);
    const methods = people('MET', 6);
    for (const p of [...students, ...methods]) t.slack.addUser(p);
    t.slack.addUser({ id: 'UBOTX', name: 'somebot', is_bot: true });
    t.slack.setGroup('S123', students.map((p) => p.id));
    // the channel shares two students with the group, and has a bot in it
    t.slack.setChannelMembers('C42', [...methods.map((p) => p.id), students[0]!.id, students[1]!.id, 'UBOTX']);
    await t.command(ADMIN.id, `invite-license <@${students[3]!.id}|x>`);
    const r = await t.command(ADMIN.id, 'invite-license <!subteam^S123|@students> <#C42|methods-2026>');
    const text = textOf(r.reply?.args);
    expect(text).toContain('*Campus 2026*: 17 invited of 18.');
    expect(text).toMatch(/STU 3\*: already invited, pending since/);
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending'")).toBe(18);
    expect(t.slack.callsTo('conversations.members').length).toBeGreaterThan(0);
    // the 17 newcomers are read from the directory a page at a time, not looked up one by one
    expect(t.slack.callsTo('users.list').length).toBeGreaterThan(0);
    expect(t.slack.callsTo('users.info').length).toBeLessThanOrEqual(2);
  });

  it('a group in a large workspace: the directory is read in its largest pages (users.list is Tier 2), every page until all are found', async () => {
    await t.command(ADMIN.id, 'license add "Campus" 100 assigned');
    // 2,300 people in the workspace; the group's ten are spread over its three pages
    const everyone = people('WS', 2300);
    for (const p of everyone) t.slack.addUser(p);
    const group = [5, 999, 1000, 1500, 2000, 2100, 2200, 2297, 2298, 2299].map((i) => everyone[i]!.id);
    t.slack.setGroup('SBIG', group);
    const r = await t.command(ADMIN.id, 'invite-license <!subteam^SBIG|@big>');
    expect(textOf(r.reply?.args)).toContain('*Campus*: 10 invited of 10.');
    const pages = t.slack.callsTo('users.list');
    expect(pages.map((c) => Number(c.args.limit))).toEqual([1000, 1000, 1000]);
    // none of them looked up one by one (the admin, seen for the first time, is)
    expect(t.slack.callsTo('users.info').filter((c) => group.includes(String(c.args.user)))).toHaveLength(0);
    const invited = await t.query<{ u: string }>("SELECT p.slack_user_id AS u FROM invitations i JOIN people p ON p.id = i.invitee_id WHERE i.status = 'pending' ORDER BY i.id");
    expect(invited.map((x) => x.u)).toEqual(group);
  });

  it('more people than free seats: asks before sending anything, then invites the first ones in the order given', async () => {
    await t.command(ADMIN.id, 'license add "Lab" 5 assigned');
    const crowd = people('CRW', 8);
    for (const p of crowd) t.slack.addUser(p);
    t.slack.setGroup('SCROWD', crowd.map((p) => p.id));
    const r = await t.command(ADMIN.id, 'invite-license <!subteam^SCROWD|@crowd>');
    expect(textOf(r.reply?.args)).toContain('8 people, 5 seats free* in *Lab*. Nothing has been sent yet.');
    expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(0);
    const [confirm, cancel] = buttonsOf(r.reply?.args);
    expect([confirm!.action_id, cancel!.action_id]).toEqual(['bulk_invite_confirm', 'bulk_invite_cancel']);

    const done = await t.click(ADMIN.id, confirm!.action_id, confirm!.value);
    expect(done.reply?.args.replace_original).toBe(true);
    expect(textOf(done.reply?.args)).toContain('*Lab*: 5 invited of 8.');
    const invitees = await t.query<{ u: string }>('SELECT p.slack_user_id AS u FROM invitations i JOIN people p ON p.id = i.invitee_id ORDER BY i.id');
    expect(invitees.map((x) => x.u)).toEqual(crowd.slice(0, 5).map((p) => p.id));
    // a second click does nothing more
    const again = await t.click(ADMIN.id, confirm!.action_id, confirm!.value);
    expect(textOf(again.reply?.args)).toContain('That invitation request was already answered');
    expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(5);
  });

  it("a bulk run's messages are queued as bulk, a single invitation's are not", async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 100 assigned');
    const crowd = people('BLK', 30);
    for (const p of crowd) t.slack.addUser(p);
    t.slack.setGroup('SBLK', crowd.map((p) => p.id));
    await t.command(ADMIN.id, 'invite-license <!subteam^SBLK|@bulk>');
    t.slack.addUser({ id: 'USOLO', name: 'solo', real_name: 'Solo', email: 'solo@uni.edu' });
    await t.command(ADMIN.id, 'invite-license <@USOLO|solo>');
    const byKind = await t.query(`SELECT priority, COUNT(*) AS n FROM outbox WHERE CAST(payload AS TEXT) LIKE '%"license_invitation"%' GROUP BY priority ORDER BY priority`);
    expect(byKind).toEqual([
      { priority: 0, n: 1 },
      { priority: 1, n: 30 },
    ]);
    await t.drained();
  });
});

describe('a CSV of a whole class', () => {
  it('is matched against the workspace directory page by page, not one users.lookupByEmail per row; people not in Slack get a link to forward', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 100 assigned');
    const inSlack = people('CSV', 22);
    for (const p of inSlack) t.slack.addUser(p);
    // Slack keeps emails in lower case; the file has them as the students typed them
    const rows = [...inSlack.map((p) => `${p.real_name},${p.email.toUpperCase().replace('@UNI.EDU', '@uni.edu')}`), 'Guest One,guest.one@partner.org', 'Guest Two,guest.two@partner.org'];
    const server = createServer((_req, res) => res.end(`name,email\n${rows.join('\n')}\n`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files-pri/T0-F2/download/class.csv`;
    try {
      await t.submitView(ADMIN.id, 'invite_license', {
        license: { license_select: { type: 'static_select', selected_option: { value: 'Campus 2026', text: { type: 'plain_text', text: 'x' } } } },
        users: { users_select: { type: 'multi_users_select', selected_users: [] } },
        emails: { emails_input: { type: 'plain_text_input', value: null } },
        csv: { csv_input: { type: 'file_input', files: [{ id: 'F2', name: 'class.csv', url_private_download: url }] } },
      });
      const result = await t.slack.waitFor((c) => c.method === 'views.update' && /invited of/.test(textOf(c.args.view)));
      expect(textOf(result.args.view)).toContain('*Campus 2026*: 24 invited of 24.');
    } finally {
      server.close();
    }
    expect(t.slack.callsTo('users.lookupByEmail')).toHaveLength(0);
    expect(t.slack.callsTo('users.list').length).toBeGreaterThan(0);
    // the 22 in Slack are the Slack people (DM'd), bound to the account email Slack reports (the file's CSV0@ is csv0@ there)
    const bound = await t.query<{ u: string | null; e: string }>('SELECT p.slack_user_id AS u, i.invitee_email AS e FROM invitations i JOIN people p ON p.id = i.invitee_id ORDER BY i.id');
    expect(bound.slice(0, 22).map((b) => b.u)).toEqual(inSlack.map((p) => p.id));
    expect(bound[0]!.e).toBe('csv0@uni.edu');
    expect(bound.slice(22)).toEqual([{ u: null, e: 'guest.one@partner.org' }, { u: null, e: 'guest.two@partner.org' }]);
    await t.drained();
    expect(t.slack.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('DUCSV'))).toHaveLength(22);
  });
});

describe('bulk progress', () => {
  it('the admin gets a message that updates as delivery proceeds and ends in a summary listing who could not be reached', async () => {
    await t.close();
    t = await startTestBot({ env: { BULK_PROGRESS_EVERY_MS: '100' } });
    await t.command(ADMIN.id, 'license add "Campus 2026" 100 assigned');
    const crowd = people('PRG', 25);
    for (const p of crowd) t.slack.addUser(p);
    t.slack.setGroup('SPRG', crowd.map((p) => p.id));
    // the admin's own DM is opened first (a link to forward), so the failures below meet students
    await t.command(ADMIN.id, 'invite-license someone@partner.org');
    await t.drained();
    // two of them have left: Slack refuses their DMs for good
    t.slack.failNext('conversations.open', { error: 'user_not_found' }, 2);
    await t.command(ADMIN.id, 'invite-license <!subteam^SPRG|@progress>');
    const first = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN.id}` && /invitations to/.test(textOf(c.args)));
    expect(textOf(first.args)).toMatch(/Sent \d+ of 25 invitations to \*Campus 2026\*/);
    const summary = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === `D${ADMIN.id}` && /Done/.test(textOf(c.args)), 10_000);
    expect(textOf(summary.args)).toContain('*Done*: sent 23 of 25 invitations to *Campus 2026* · 2 could not be reached.');
    expect(textOf(summary.args)).toContain('user_not_found');
    // the run is over once its summary is shown (recorded just after Slack's answer to the update)
    const run = async () => (await t.query<{ done: number; platform: string }>('SELECT finished_at IS NOT NULL AS done, message_platform AS platform FROM bulk_runs'))[0]!;
    for (let i = 0; i < 100 && (await run()).done === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await run()).toEqual({ done: 1, platform: 'slack' });
  });

  it('a summary that cannot be shown (the message was deleted) is tried a few times, then the run is closed with a warning', async () => {
    await t.close();
    t = await startTestBot({ env: { BULK_PROGRESS_EVERY_MS: '100' } });
    await t.command(ADMIN.id, 'license add "Campus 2026" 100 assigned');
    const crowd = people('GON', 22);
    for (const p of crowd) t.slack.addUser(p);
    t.slack.setGroup('SGON', crowd.map((p) => p.id));
    t.slack.failNext('chat.update', { error: 'message_not_found' }, 10_000);
    await t.command(ADMIN.id, 'invite-license <!subteam^SGON|@gone>');
    await t.drained();
    const run = async () => (await t.query<{ done: number }>('SELECT finished_at IS NOT NULL AS done FROM bulk_runs'))[0]!;
    const warned = () => t.logs.some((l) => /run #1 is done but its summary could not be shown after 5 tries/.test(l));
    for (let i = 0; i < 400 && !((await run()).done === 1 && warned()); i++) await new Promise((r) => setTimeout(r, 25));
    expect((await run()).done).toBe(1);
    expect(t.slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(5);
    expect(warned(), t.logs.filter((l) => /bulk progress/.test(l)).join('\n').slice(0, 2000)).toBe(true);
  });
});
