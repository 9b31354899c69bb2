import { afterEach, describe, expect, it } from 'vitest';
import { ALICE as SLACK_ALICE, ADMIN as SLACK_ADMIN, startTestBot, textOf, type TestBot } from '../support/harness.js';
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
const ALICE: TeamsUser = { id: '29:alice', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000a11ce', name: 'Alice Smith' };
const MALLORY: TeamsUser = { id: '29:mallory', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000ba11d', name: 'Mallory' };

let t: TestBot | undefined;
let connector: ConnectorStandIn | undefined;
afterEach(async () => {
  await t?.close();
  await connector?.close();
  t = undefined;
  connector = undefined;
});

/** A card's Action.Execute buttons as `verb:value`. */
const verbs = (activity: any): string[] => cardVerbs(activity).map((v) => `${v.verb}:${v.value}`);

async function start(env: Record<string, string> = {}) {
  connector = await startConnectorStandIn({ tenantId: TENANT_ID });
  connector.addMember({ ...ADA, email: 'ada@uni.edu', userPrincipalName: 'ada@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  connector.addMember({ ...ALICE, email: 'Alice.Smith@uni.edu', userPrincipalName: 'Alice.Smith@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  connector.addMember({ ...MALLORY, email: 'mallory@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  t = await startTestBot({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      TEAMS_APP_ID: 'atlas-test-app',
      TEAMS_APP_PASSWORD: '',
      TEAMS_TENANT_ID: TENANT_ID,
      ATLAS_ADMINS: ADA.aadObjectId,
      ATLAS_ADMIN_CHANNEL: DEFAULT_TEAM_ID,
      ...env,
    },
  });
  return { t, connector, url: t.bot.url, serviceUrl: connector.serviceUrl };
}

/** Sends words to the bot in a 1:1 chat and returns what it answered there. */
async function say(from: TeamsUser, text: string) {
  const before = connector!.sent(`a:1on1-${from.id}`).length;
  const res = await postActivity(t!.bot.url, messageActivity({ serviceUrl: connector!.serviceUrl, from, text, tenantId: TENANT_ID }));
  expect(res.status).toBe(200);
  return connector!.sent(`a:1on1-${from.id}`).slice(before);
}

const invoke = (from: TeamsUser, verb: string, value: string) =>
  postActivity(t!.bot.url, invokeActivity({ serviceUrl: connector!.serviceUrl, from, tenantId: TENANT_ID, name: 'adaptiveCard/action', value: actionExecuteValue({ verb, data: { actionId: verb, value } }) }));

describe('Microsoft Teams', () => {
  it('the same words as /atlas, proactive invitation cards with Action.Execute, and a card replaced by its new state', async () => {
    const { url, serviceUrl } = await start();
    // installed by the admins' team (the admin channel) and by each person
    expect((await postActivity(url, conversationUpdateBotAdded({ serviceUrl, from: ADA, tenantId: TENANT_ID, conversation: { id: DEFAULT_TEAM_ID, conversationType: 'channel' } }))).status).toBe(200);
    await postActivity(url, installationUpdate({ serviceUrl, from: ADA, tenantId: TENANT_ID }));
    await postActivity(url, installationUpdate({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    expect(cardText(connector!.sent(`a:1on1-${ALICE.id}`)[0])).toContain('License seat');

    expect(cardText((await say(ADA, 'license add "Campus 2026" 5 assigned'))[0])).toContain('Created the license Campus 2026: 5 seats, one per member.');
    const invited = await say(ADA, 'invite-license Alice.Smith@uni.edu');
    expect(cardText(invited[0])).toContain('Alice Smith: invited (#1)');
    await t!.drained();

    const dm = connector!.sent(`a:1on1-${ALICE.id}`).find((a) => /license seat/.test(cardText(a)) && verbs(a).length)!;
    expect(cardText(dm)).toContain("Access to any project or data. Projects are shared separately, by their owners.");
    // the personal link is the words' own action, not markdown in the text
    expect(cardText(dm)).toContain('Your personal invitation page works only for you');
    expect(JSON.stringify(dm)).toMatch(/"text":"Your personal invitation page"[^}]*"selectAction":\{"type":"Action.OpenUrl","url":"https:\/\/bot\.example\.edu\/invite\/[A-Za-z0-9_-]{43}"/);
    expect(verbs(dm)).toEqual(['invitation_accept:inv:1', 'invitation_decline:inv:1']);
    expect(dm.attachments[0].content.version).toBe('1.5');
    const adminPost = connector!.sent(DEFAULT_TEAM_ID).find((a) => /invited Alice Smith/.test(cardText(a)));
    expect(adminPost, 'the admin channel in Teams hears of it').toBeDefined();

    // a stranger's click is answered, and changes nothing
    const stranger = await invoke(MALLORY, 'invitation_accept', 'inv:1');
    expect(stranger.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(stranger.body.value).toContain('This invitation was made for someone else');

    const accepted = await invoke(ALICE, 'invitation_accept', 'inv:1');
    expect(accepted.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(accepted.body.value)).toContain('Accepted: an admin is adding you');
    await t!.drained();
    const update = await connector!.waitFor((c) => c.operation === 'updateActivity' && c.conversationId === `a:1on1-${ALICE.id}`);
    expect(update.activityId).toBe(dm.id);
    expect(cardText(update.body)).toContain('Your acceptance of a seat in Campus 2026 is recorded');
    expect(cardText((await say(ADA, 'licenses'))[0])).toContain('1/5 seats used');
  });

  it('a proactive send the Bot Connector refuses is failed with its error, never "sent"; the inviter gets the link, and nothing is posted into the invitee\'s chat', async () => {
    const { url, serviceUrl } = await start();
    await postActivity(url, installationUpdate({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    await say(ADA, 'license add "Campus" 50');
    const aliceBefore = connector!.sent(`a:1on1-${ALICE.id}`).length;
    connector!.failNext('send', { status: 403, code: 'ConversationBlockedByUser', conversationId: `a:1on1-${ALICE.id}` }, 5);
    await say(ADA, 'invite-license Alice.Smith@uni.edu');
    await t!.drained();
    const rows = await t!.query<{ status: string; lastError: string | null; payload: string }>(`SELECT status, last_error AS "lastError", payload FROM outbox WHERE recipient_id = (SELECT id FROM people WHERE email = 'Alice.Smith@uni.edu') ORDER BY id`);
    const invitation = rows.find((r) => JSON.parse(r.payload).type === 'license_invitation')!;
    expect(invitation).toMatchObject({ status: 'failed', lastError: expect.stringContaining('ConversationBlockedByUser') });
    // nothing reached Alice's chat: not the card, not a "Something went wrong"
    expect(connector!.sent(`a:1on1-${ALICE.id}`)).toHaveLength(aliceBefore);
    const forward = connector!.sent(`a:1on1-${ADA.id}`).find((a) => /forward them this personal link/.test(cardText(a)));
    expect(forward, 'Ada is given the link to forward').toBeDefined();
    expect(cardText(forward)).toContain('ConversationBlockedByUser');
  });

  it("cards as Teams' own renderer shows them: a line per block of text runs, no markdown to misread, no Slack escapes or words, no width Teams ignores", async () => {
    await start();
    // a name full of markdown and Slack markup stays characters
    const [invited] = await say(ADA, 'license add "*Odd* _name_ [x](https://evil.example) <!channel>" 5');
    const [help] = await say(ADA, 'help');
    for (const activity of [help, invited]) {
      const card = activity.attachments[0].content;
      expect(card.msteams).toBeUndefined();
      const lines: string[] = [];
      const markdown: string[] = [];
      const walk = (v: any): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          // a TextBlock's text is read as markdown by Teams; the bot's words never go through one
          if (v.type === 'TextBlock') markdown.push(v.text);
          if (v.type === 'RichTextBlock') lines.push(v.inlines.map((r: any) => r.text).join(''));
          Object.values(v).forEach(walk);
        }
      };
      walk(card.body);
      expect(markdown).toEqual([]);
      // no block holds two lines (Teams would run them together)
      expect(lines.filter((b) => b.includes('\n'))).toEqual([]);
      expect(lines.join('\n')).not.toMatch(/\\\[|\/atlas|Slack|&lt;|&amp;/);
      if (activity === help) expect(lines.some((b) => b.startsWith('status [@user or email]'))).toBe(true);
      else expect(lines.join('\n')).toContain('Created the license *Odd* _name_ [x](https://evil.example) <!channel>: 5 seats in use at a time');
    }
  });

  it('one welcome per install, whatever mix of installation and conversation updates arrives; a reinstall is greeted again', async () => {
    const { url, serviceUrl } = await start();
    const chat = `a:1on1-${ALICE.id}`;
    await postActivity(url, conversationUpdateBotAdded({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    await postActivity(url, installationUpdate({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    await postActivity(url, conversationUpdateBotAdded({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    const greetings = () => connector!.sent(chat).filter((a) => /License seat/.test(cardText(a))).length;
    expect(greetings()).toBe(1);
    await postActivity(url, installationUpdate({ serviceUrl, from: ALICE, tenantId: TENANT_ID, action: 'remove' }));
    await postActivity(url, installationUpdate({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    expect(greetings()).toBe(2);
  });

  it("the hand-off in Teams: the admin channel's to-do, Done by Action.Execute (admins only), and Alice's card turned ready", async () => {
    const { url, serviceUrl } = await start();
    await postActivity(url, conversationUpdateBotAdded({ serviceUrl, from: ADA, tenantId: TENANT_ID, conversation: { id: DEFAULT_TEAM_ID, conversationType: 'channel' } }));
    await postActivity(url, installationUpdate({ serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    await say(ADA, 'license add "Campus" 50');
    await say(ADA, 'invite-license Alice.Smith@uni.edu');
    await t!.drained();
    // Revoke on the admins' post asks once first: a card that names Alice and what follows, with the real button in it
    const created = connector!.sent(DEFAULT_TEAM_ID).find((a) => /invited Alice Smith/.test(cardText(a)))!;
    const find = (v: any, type: string): any[] => (Array.isArray(v) ? v.flatMap((x) => find(x, type)) : v && typeof v === 'object' ? [...(v.type === type ? [v] : []), ...Object.values(v).flatMap((x) => find(x, type))] : []);
    const [ask] = find(created.attachments, 'Action.ShowCard');
    expect(ask).toMatchObject({ title: 'Revoke' });
    expect(cardText({ attachments: [{ content: ask.card }] })).toContain("Withdraw invitation #1?\nAlice Smith's invitation to a seat in Campus: Its link stops working at once and the seat it holds is free again");
    expect(find(ask.card, 'Action.Execute').map((a: any) => [a.title, a.verb])).toEqual([['Withdraw it', 'invitation_revoke']]);

    const accepted = await invoke(ALICE, 'invitation_accept', 'inv:1');
    expect(cardText(accepted.body.value)).toContain('ATLAS.ti does not know about it yet');
    await t!.drained();
    const todo = connector!.sent(DEFAULT_TEAM_ID).find((a) => /To do:/.test(cardText(a)))!;
    expect(cardText(todo)).toContain('add Alice.Smith@uni.edu to Campus in the ATLAS.ti account portal');
    const done = verbs(todo).find((v) => v.startsWith('seat_handoff_done:'))!;
    expect(done).toBeDefined();
    const [verb, value] = [done.slice(0, done.indexOf(':')), done.slice(done.indexOf(':') + 1)];
    const refused = (await invoke(MALLORY, verb, value)).body;
    expect(typeof refused.value === 'string' ? refused.value : cardText(refused.value)).toMatch(/Only license admins/);
    const pressed = await invoke(ADA, verb, value);
    expect(cardText(pressed.body.value)).toContain('added Alice Smith');
    expect(cardVerbs(pressed.body)).toEqual([]);
    await t!.drained();
    // news for Alice: a new card says her seat is ready (with I'm in); her first card is updated and keeps no button
    const ready = await connector!.waitFor((c) => (c.operation === 'sendToConversation' || c.operation === 'replyToActivity') && c.conversationId === `a:1on1-${ALICE.id}` && /seat is ready/.test(cardText(c.body)));
    expect(verbs(ready.body)).toEqual([expect.stringMatching(/^seat_joined:seat:\d+$/)]);
    const first = await connector!.waitFor((c) => c.operation === 'updateActivity' && c.conversationId === `a:1on1-${ALICE.id}` && /newest message about it/.test(cardText(c.body)));
    expect(verbs(first.body)).toEqual([]);
    // and the admin channel's to-do is done, in place
    const todoNow = await connector!.waitFor((c) => c.operation === 'updateActivity' && c.conversationId === DEFAULT_TEAM_ID && /Done: added in the portal/.test(cardText(c.body)));
    expect(verbs(todoNow.body)).toEqual([]);
  });

  it('refuses non-admins, answers typos, and opens the share-project dialog with field errors inside it', async () => {
    const { url, serviceUrl } = await start();
    await postActivity(url, installationUpdate({ serviceUrl, from: MALLORY, tenantId: TENANT_ID }));
    expect(cardText((await say(MALLORY, 'license add "Mine" 500 assigned'))[0])).toContain('Only license admins can create license pools');
    expect(cardText((await say(MALLORY, 'invite-lisence x@y.z'))[0])).toContain('Did you mean invite-license?');

    const offered = await say(MALLORY, 'share-project');
    const open = offered[0].attachments[0].content.actions[0];
    expect(open.data).toMatchObject({ msteams: { type: 'task/fetch' }, dialog: 'share_project' });
    const fetched = await postActivity(url, invokeActivity({ serviceUrl, from: MALLORY, tenantId: TENANT_ID, name: 'task/fetch', value: { data: open.data } }));
    const form = fetched.body.task.value.card.content;
    expect(fetched.body.task.type).toBe('continue');
    const ids = form.body.filter((b: any) => b.id).map((b: any) => b.id);
    expect(ids).toEqual(['project_new.project_name', 'edition.edition_choice', 'emails.emails_input', 'desktop_link.link_input', 'message.message_input']);

    const submit = (data: Record<string, string>) =>
      postActivity(url, invokeActivity({ serviceUrl, from: MALLORY, tenantId: TENANT_ID, name: 'task/submit', value: { data: { dialog: 'share_project', ...data } } }));
    const bad = await submit({ 'project_new.project_name': 'Fieldwork', 'edition.edition_choice': 'desktop', 'emails.emails_input': 'bob@@uni', 'desktop_link.link_input': 'https://evil.example/x' });
    expect(bad.body.task.type).toBe('continue');
    const errors = cardText(bad.body.task.value.card.content);
    expect(errors).toContain('Links to evil.example are not allowed here');
    expect(errors).toContain('Not an email address: bob@@uni');
  });

  it('one person on two platforms: invited in Slack, accepts from Teams; a card whose invitation was revoked answers so', async () => {
    connector = await startConnectorStandIn({ tenantId: TENANT_ID });
    connector.addMember({ ...ALICE, email: 'Alice.Smith@uni.edu', tenantId: TENANT_ID });
    t = await startTestBot({ env: { TEAMS_APP_ID: 'atlas-test-app', TEAMS_APP_PASSWORD: '', TEAMS_TENANT_ID: TENANT_ID } });
    await t.command(SLACK_ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(SLACK_ADMIN.id, `invite-license <@${SLACK_ALICE.id}|alice>`);
    await t.command(SLACK_ADMIN.id, 'license add "Lab" 2 assigned');
    await t.command(SLACK_ADMIN.id, `invite-license <@${SLACK_ALICE.id}|alice> to "Lab"`);
    await t.drained();
    // Alice installs the Teams app: same account email, so the same person with the same invitations
    await postActivity(t.bot.url, installationUpdate({ serviceUrl: connector.serviceUrl, from: ALICE, tenantId: TENANT_ID }));
    const status = await say(ALICE, 'status');
    expect(cardText(status[0])).toContain('#1 to Campus 2026');
    const accepted = await invoke(ALICE, 'invitation_accept', 'inv:1');
    expect(cardText(accepted.body.value)).toContain('Accepted: an admin is adding you');
    expect(await t.count("SELECT COUNT(*) AS n FROM people WHERE email = 'Alice.Smith@uni.edu'")).toBe(1);

    await t.command(SLACK_ADMIN.id, 'revoke 2');
    const late = await invoke(ALICE, 'invitation_accept', 'inv:2');
    expect(late.body.value).toContain('This invitation was withdrawn by an admin');
    expect(textOf((await t.command(SLACK_ADMIN.id, 'licenses')).reply?.args)).toContain('*Campus 2026* · 1/5 seats used');
  });

  it('another organisation cannot borrow an identity: its activities are ignored, and without TEAMS_TENANT_ID no Teams email is trusted', async () => {
    const { url, serviceUrl } = await start();
    const impostor: TeamsUser = { id: '29:impostor', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000bad0', name: 'Ada Admin' };
    connector!.addMember({ ...impostor, email: 'ada@uni.edu', tenantId: 'another-tenant' });
    await postActivity(url, messageActivity({ serviceUrl, from: impostor, text: 'license add "Stolen" 9 assigned', tenantId: 'another-tenant' }));
    expect(await t!.count('SELECT COUNT(*) AS n FROM licenses')).toBe(0);
    expect(connector!.sent().filter((a) => /Stolen/.test(cardText(a)))).toHaveLength(0);
    await t!.close();
    await connector!.close();
    t = undefined;

    // a multi-tenant bot (no TEAMS_TENANT_ID): the email a tenant reports never makes anyone an admin
    const multi = await start({ TEAMS_TENANT_ID: '', ATLAS_ADMINS: 'ada@uni.edu' });
    connector!.addMember({ ...impostor, email: 'ada@uni.edu', tenantId: TENANT_ID });
    await postActivity(multi.url, installationUpdate({ serviceUrl: multi.serviceUrl, from: impostor, tenantId: TENANT_ID }));
    expect(cardText((await say(impostor, 'license add "Stolen" 9 assigned'))[0])).toContain('Only license admins can create license pools');
  });

  it('in a channel, private answers are not given to everyone', async () => {
    const { url, serviceUrl } = await start();
    const conversation = { id: DEFAULT_TEAM_ID, conversationType: 'channel' as const };
    await postActivity(url, messageActivity({ serviceUrl, from: ADA, text: 'pending', tenantId: TENANT_ID, conversation }));
    const answer = connector!.sent(DEFAULT_TEAM_ID).at(-1);
    expect(cardText(answer)).toContain('ask me in our 1:1 chat');
    await postActivity(url, messageActivity({ serviceUrl, from: ADA, text: 'licenses', tenantId: TENANT_ID, conversation }));
    expect(cardText(connector!.sent(DEFAULT_TEAM_ID).at(-1))).toContain('There is no license pool yet');
  });

  it('with TEAMS_APP_PASSWORD set, an activity without a valid token gets 401', async () => {
    const { url, serviceUrl } = await start({ TEAMS_APP_PASSWORD: 'a-secret' });
    const res = await postActivity(url, messageActivity({ serviceUrl, from: ADA, text: 'help', tenantId: TENANT_ID }));
    expect(res.status).toBe(401);
    const forged = await postActivity(url, messageActivity({ serviceUrl, from: ADA, text: 'help', tenantId: TENANT_ID }), { authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
    // a plain JSON refusal, not botbuilder's error message nor a stack trace
    expect(forged.body).toEqual({ error: 'unauthorized' });
    expect(res.body).toEqual({ error: 'unauthorized' });
    // with a password, even what is not an activity at all is refused as unauthenticated first
    const notActivity = await postActivity(url, { hello: 'world' });
    expect(notActivity).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(connector!.calls.filter((c) => c.operation === 'sendToConversation' || c.operation === 'replyToActivity')).toHaveLength(0);
  });
});
