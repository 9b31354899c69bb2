import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/harness.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/teams-standin.js';
import {
  DEFAULT_TEAM_ID,
  cardText,
  cardVerbs,
  TENANT_ID,
  actionExecuteValue,
  conversationUpdateBotAdded,
  installationUpdate,
  invokeActivity,
  messageActivity,
  postActivity,
  type TeamsUser,
} from '../support/teams-activities.js';

const ADA: TeamsUser = { id: '29:ada', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000ada0', name: 'Ada Admin' };
const ADA_CHAT = `a:1on1-${ADA.id}`;
const students: TeamsUser[] = Array.from({ length: 25 }, (_, i) => ({ id: `29:stu${i}`, aadObjectId: `0a0a0a0a-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Student ${i}` }));
const emailOf = (i: number) => `student${i}@uni.edu`;

let t: TestBot | undefined;
let connector: ConnectorStandIn | undefined;
afterEach(async () => {
  await t?.close();
  await connector?.close();
  t = undefined;
  connector = undefined;
});

const verbs = cardVerbs;

async function start() {
  connector = await startConnectorStandIn({ tenantId: TENANT_ID });
  connector.addMember({ ...ADA, email: 'ada@uni.edu', userPrincipalName: 'ada@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  // the class is in the team the bot was added to; none of them has talked to the bot yet
  students.forEach((s, i) => connector!.addMember({ ...s, email: emailOf(i), tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]));
  t = await startTestBot({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      TEAMS_APP_ID: 'atlas-test-app',
      TEAMS_APP_PASSWORD: '',
      TEAMS_TENANT_ID: TENANT_ID,
      ATLAS_ADMINS: ADA.aadObjectId,
      ATLAS_ADMIN_CHANNEL: DEFAULT_TEAM_ID,
      BULK_PROGRESS_EVERY_MS: '100',
    },
  });
  const serviceUrl = connector.serviceUrl;
  await postActivity(t.bot.url, conversationUpdateBotAdded({ serviceUrl, from: ADA, tenantId: TENANT_ID, conversation: { id: DEFAULT_TEAM_ID, conversationType: 'channel' } }));
  await postActivity(t.bot.url, installationUpdate({ serviceUrl, from: ADA, tenantId: TENANT_ID }));
  return { url: t.bot.url, serviceUrl };
}

async function say(from: TeamsUser, text: string) {
  const before = connector!.sent(`a:1on1-${from.id}`).length;
  const res = await postActivity(t!.bot.url, messageActivity({ serviceUrl: connector!.serviceUrl, from, text, tenantId: TENANT_ID }));
  expect(res.status).toBe(200);
  return connector!.sent(`a:1on1-${from.id}`).slice(before);
}

const dialog = (name: 'task/fetch' | 'task/submit', data: Record<string, unknown>) =>
  postActivity(t!.bot.url, invokeActivity({ serviceUrl: connector!.serviceUrl, from: ADA, tenantId: TENANT_ID, name, value: { data } }));

describe('bulk invitations in Teams', () => {
  it('a pasted CSV in the invite dialog: the capacity question as a card with working buttons, then a progress card updated in place into the summary', async () => {
    await start();
    await say(ADA, 'license add "Campus 2026" 20 assigned');
    const offered = await say(ADA, 'invite-license');
    const open = offered[0].attachments[0].content.actions[0].data;
    const fetched = await dialog('task/fetch', open);
    const form = fetched.body.task.value.card.content;
    const csvField = form.body.find((b: any) => b.id === 'csv.csv_text');
    expect(csvField).toMatchObject({ type: 'Input.Text', isMultiline: true, label: 'Or paste a CSV of emails' });
    expect(cardText(form)).toContain('A dialog cannot take a file: open the CSV, copy all of it and paste it here.');

    // what a pasted spreadsheet export looks like: a header, quoted names with commas, one duplicate row
    const csv = ['name,email', ...students.map((s, i) => `"${s.name}, BSc",${emailOf(i)}`), `"Student 3, again",${emailOf(3)}`].join('\n');
    const submitted = await dialog('task/submit', { dialog: 'invite_license', 'license.license_select': 'Campus 2026', 'csv.csv_text': csv });
    expect(submitted.body.task.type).toBe('message');
    expect(submitted.body.task.value).toContain('25 people, 20 seats free in Campus 2026');
    // nothing is sent before the admin answers
    expect(await t!.count('SELECT COUNT(*) AS n FROM invitations')).toBe(0);
    const question = connector!.sent(ADA_CHAT).find((a) => /seats free/.test(cardText(a)))!;
    expect(cardText(question)).toContain('25 people, 20 seats free in Campus 2026. Nothing has been sent yet.');
    const [confirm, cancel] = verbs(question);
    expect([confirm!.verb, cancel!.verb]).toEqual(['bulk_invite_confirm', 'bulk_invite_cancel']);

    // two of the class have blocked the bot: Teams refuses to open a chat with them
    connector!.failNext('create', { status: 403, code: 'ConversationBlockedByUser' }, 2);
    const pressed = await postActivity(
      t!.bot.url,
      invokeActivity({ serviceUrl: connector!.serviceUrl, from: ADA, tenantId: TENANT_ID, name: 'adaptiveCard/action', value: actionExecuteValue({ verb: confirm!.verb, data: { actionId: confirm!.verb, value: confirm!.value } }) }),
    );
    expect(pressed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(pressed.body.value)).toContain('Campus 2026: 20 invited of 25.');
    const invited = await t!.query<{ e: string }>('SELECT invitee_email AS e FROM invitations ORDER BY id');
    expect(invited.map((r) => r.e)).toEqual(students.slice(0, 20).map((_, i) => emailOf(i)));

    // the progress card goes to the admin's 1:1 chat, and is updated in place until it is the summary
    const summary = await connector!.waitFor((c) => c.operation === 'updateActivity' && c.conversationId === ADA_CHAT && /Done/.test(cardText(c.body)), 15_000);
    const progressCard = connector!.sent(ADA_CHAT).find((a) => /invitations to/.test(cardText(a)));
    expect(progressCard, 'the progress card was posted first').toBeDefined();
    expect(summary.activityId).toBe(progressCard.id);
    const words = cardText(summary.body);
    expect(words).toContain('Done: sent 18 of 20 invitations to Campus 2026 · 2 could not be reached.');
    const unreachable = await t!.query<{ e: string }>('SELECT invitee_email AS e FROM invitations WHERE delivery_problem IS NOT NULL ORDER BY id');
    expect(unreachable).toHaveLength(2);
    for (const { e } of unreachable) expect(words).toContain(`(${e}): ConversationBlockedByUser`);
    expect(connector!.getActivity(ADA_CHAT, progressCard.id)).toMatchObject({ id: progressCard.id });
    expect(cardText(connector!.getActivity(ADA_CHAT, progressCard.id))).toBe(words);
    // the run is over once its summary is shown (recorded just after the update's answer)
    const run = async () => (await t!.query<{ p: string; c: string; done: number }>('SELECT message_platform AS p, message_channel AS c, finished_at IS NOT NULL AS done FROM bulk_runs'))[0]!;
    for (let i = 0; i < 100 && (await run()).done === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await run()).toEqual({ p: 'teams', c: ADA_CHAT, done: 1 });
    // the 18 others got their invitation card in a 1:1 chat the bot opened with them, and the 5 left
    // out (there were 20 seats for 25) were each told why, and whom to ask
    expect(connector!.calls.filter((c) => c.operation === 'createConversation' && c.status === 200)).toHaveLength(18 + 5);
    await t!.drained();
    const cutCards = students.slice(20).map((_, i) => connector!.sent(`a:1on1-${students[20 + i]!.id}`).map((a) => cardText(a)).join(' '));
    for (const words of cutCards) expect(words).toContain('You were not among them: people who held no seat anywhere came first.');
  });

  it('emails typed to the bot are matched against the team roster read once, and the people found get their card in Teams', async () => {
    await start();
    await say(ADA, 'license add "Campus 2026" 20 assigned');
    const before = connector!.calls.filter((c) => c.operation === 'getConversationPagedMembers').length;
    const answer = await say(ADA, `invite-license ${emailOf(0)} ${emailOf(1)} ${emailOf(2)} ${emailOf(3)} nobody@partner.org`);
    expect(cardText(answer[0])).toContain('Campus 2026: 5 invited of 5.');
    // the 1:1 chat's roster and the team's, once each, for all five emails
    expect(connector!.calls.filter((c) => c.operation === 'getConversationPagedMembers').length - before).toBe(2);
    await t!.drained();
    for (let i = 0; i < 4; i++) expect(connector!.sent(`a:1on1-${students[i]!.id}`).some((a) => /license seat/.test(cardText(a)))).toBe(true);
    // someone in no roster: the admin gets the link to forward
    expect(connector!.sent(ADA_CHAT).some((a) => /nobody@partner\.org/.test(cardText(a)) && /forward/i.test(cardText(a)))).toBe(true);
  });

  it('a paste without any email, or nobody at all, is answered inside the dialog with what to do', async () => {
    await start();
    await say(ADA, 'license add "Campus 2026" 20 assigned');
    const nothing = await dialog('task/submit', { dialog: 'invite_license', 'license.license_select': 'Campus 2026', 'csv.csv_text': 'name;phone\nAlice;555-0100' });
    expect(nothing.body.task.type).toBe('continue');
    expect(cardText(nothing.body.task.value.card.content)).toContain("I found no email address in what you pasted. Paste the CSV file's content (the emails may be in any column), or type the emails above.");
    // what was pasted is kept, so it can be fixed rather than pasted again
    expect(nothing.body.task.value.card.content.body.find((b: any) => b.id === 'csv.csv_text').value).toBe('name;phone\nAlice;555-0100');
    const empty = await dialog('task/submit', { dialog: 'invite_license', 'license.license_select': 'Campus 2026' });
    expect(cardText(empty.body.task.value.card.content)).toContain('Type at least one email, or paste a CSV of emails below.');
    expect(await t!.count('SELECT COUNT(*) AS n FROM invitations')).toBe(0);
  });
});

describe('seat models and reconcile in Teams', () => {
  it('a concurrent pool of 2 seats takes 5 members from Teams, and reconcile in a dialog reports on them', async () => {
    await start();
    const serviceUrl = connector!.serviceUrl;
    await postActivity(t!.bot.url, conversationUpdateBotAdded({ serviceUrl, from: ADA, tenantId: TENANT_ID, conversation: { id: DEFAULT_TEAM_ID, conversationType: 'channel' } }));
    expect(cardText((await say(ADA, 'license add "Campus" 2'))[0])).toContain('2 seats in use at a time, any number of members');
    const invited = await say(ADA, `invite-license ${[0, 1, 2, 3, 4].map(emailOf).join(' ')}`);
    expect(cardText(invited[0])).toContain('Campus: 5 invited of 5.');
    await t!.drained();
    for (const i of [0, 1, 2, 3, 4]) {
      const r = await postActivity(t!.bot.url, invokeActivity({ serviceUrl, from: students[i]!, tenantId: TENANT_ID, name: 'adaptiveCard/action', value: actionExecuteValue({ verb: 'invitation_accept', data: { actionId: 'invitation_accept', value: `inv:${i + 1}` } }) }));
      expect(cardText(r.body.value)).toContain('Accepted: an admin is adding you');
    }
    expect(cardText((await say(ADA, 'licenses'))[0])).toContain('Campus · 5 members · 2 seats at a time');

    const offered = await say(ADA, 'reconcile');
    const fetched = await dialog('task/fetch', offered[0].attachments[0].content.actions[0].data);
    expect(cardText(fetched.body.task.value.card.content)).toContain('Compare a license with the user list exported from the ATLAS.ti account portal');
    const bad = await dialog('task/submit', { dialog: 'reconcile', 'license.license_select': 'Campus', 'csv.csv_text': 'Name\nStudent 0' });
    expect(JSON.stringify(bad.body.task.value.card.content)).toContain('no column whose header contains');
    const csv = ['Email', emailOf(0), emailOf(1), 'outsider@elsewhere.org'].join('\n');
    const done = await dialog('task/submit', { dialog: 'reconcile', 'license.license_select': 'Campus', 'csv.csv_text': csv });
    expect(done.body.task.value).toContain('Compared. The report is in your chat with me.');
    await t!.drained();
    const report = connector!.sent(ADA_CHAT).find((a) => /compared with the ATLAS.ti portal/.test(cardText(a)))!;
    expect(cardText(report)).toContain('In both (2)');
    expect(cardText(report)).toContain('Accepted here, not in the portal (3)');
    expect(cardText(report)).toContain('outsider@elsewhere.org');
    expect(verbs(report).filter((v) => v.verb === 'seat_handoff_resend')).toHaveLength(3);
  });
});
