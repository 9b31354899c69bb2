/**
 * Running a campus license from Teams (issue 17): the same words as in Slack, answered as cards
 * with working Action.Execute buttons: seats (paged), history, resize, retire (asks first),
 * request-seat with automatic approval.
 */
import { afterEach, expect, it } from 'vitest';
import { TENANT_ID, cardText, cardVerbs } from '../support/teams-activities.js';
import { ADA, ALICE, MALLORY, startTeamsBot, type TeamsBot } from '../support/teams-bot.js';

let bot: TeamsBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const STUDENTS = Array.from({ length: 30 }, (_, n) => ({ id: `29:s${n + 1}`, aadObjectId: `0a0a0a0a-0000-4000-8000-${String(n + 1).padStart(12, '0')}`, name: `Student ${n + 1}`, email: `s${n + 1}@uni.edu`, tenantId: TENANT_ID }));
const start = async (env: Record<string, string> = {}) => (bot = await startTeamsBot({ env, members: STUDENTS }));
const cardOf = (res: { body: any }) => cardText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: res.body.value }] });

it('seats pages with Next, history tells one person\'s story, resize refuses below what is held, retire asks first', async () => {
  const { t, say, click } = await start();
  await say(ADA, 'license add "Campus" 40 assigned');
  const emails = Array.from({ length: 30 }, (_, i) => `s${i + 1}@uni.edu`).join(' ');
  await say(ADA, `invite-license ${emails} Alice.Smith@uni.edu to "Campus"`);
  await t.drained();

  const [page1] = await say(ADA, 'seats "Campus"');
  expect(cardText(page1)).toContain('Page 1 of 2');
  const next = cardVerbs(page1).find((v) => v.verb === 'members_page')!;
  const page2 = await click(ADA, next.verb, next.value);
  expect(page2.body.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardOf(page2)).toContain('Page 2 of 2');
  const [found] = await say(ADA, 'seats "Campus" alice');
  expect(cardText(found)).toContain('Alice Smith');
  expect(cardText(found)).not.toContain('Student 1');
  expect(cardText((await say(MALLORY, 'seats "Campus"'))[0])).toContain('Only license admins');

  const [story] = await say(ADA, 'history Alice.Smith@uni.edu');
  expect(cardText(story)).toMatch(/Ada Admin invited Alice Smith to a seat in Campus \(invitation #\d+\) \(in Teams\)/);
  expect(cardText((await say(ALICE, 'history'))[0])).toContain('invited Alice Smith');
  expect(cardText((await say(MALLORY, 'history Alice.Smith@uni.edu'))[0])).toMatch(/only|admins/i);

  expect(cardText((await say(ADA, 'license resize "Campus" 10'))[0])).toContain('cannot shrink to 10');
  expect(cardText((await say(ADA, 'license resize "Campus" 50'))[0])).toContain('Resized Campus from 40 to 50');
  expect(cardText((await say(ADA, 'license rename "Campus" "Campus 2027"'))[0])).toContain('Renamed Campus to Campus 2027');
  expect(cardText((await say(ADA, 'license rename "Campus 2027" "Campus"'))[0])).toContain('Renamed Campus 2027 to Campus');
  const [question] = await say(ADA, 'license retire "Campus"');
  expect(cardText(question)).toContain('31 pending invitations are withdrawn');
  expect(await t.count('SELECT COUNT(*) AS n FROM licenses WHERE retired_at IS NOT NULL')).toBe(0);
  const retire = cardVerbs(question).find((v) => v.verb === 'license_retire');
  expect(retire).toBeDefined();
  // a stranger's click is answered, and changes nothing
  const stranger = await click(MALLORY, retire!.verb, retire!.value);
  expect(String(stranger.body.value)).toContain('Only license admins');
  expect(await t.count('SELECT COUNT(*) AS n FROM licenses WHERE retired_at IS NOT NULL')).toBe(0);
  const done = await click(ADA, retire!.verb, retire!.value);
  expect(cardOf(done)).toContain('Retired Campus: 0 seats ended, 31 invitations withdrawn');
  expect(cardText((await say(ADA, 'licenses'))[0])).not.toContain('Campus ·');
});

it('request-seat with automatic approval: the invitation card says the bot approved it', async () => {
  const { t, connector, say, click } = await start({ SEAT_REQUEST_APPROVAL: 'auto', SEAT_REQUEST_DOMAINS: 'uni.edu' });
  await say(ADA, 'license add "Lab" 3 assigned');
  // the answer, and (as a message of its own, which may come first) the invitation it made
  const answers = await say(ALICE, 'request-seat for the survey');
  expect(answers.some((a) => cardText(a).includes('Approved at once'))).toBe(true);
  await t.drained();
  const dm = connector.sent(`a:1on1-${ALICE.id}`).find((a) => /approved your seat request/.test(cardText(a)))!;
  expect(cardText(dm)).toContain('approved your seat request #1 automatically');
  expect(cardVerbs(dm).map((v) => v.verb)).toEqual(['invitation_accept', 'invitation_decline']);
  const accepted = await click(ALICE, 'invitation_accept', cardVerbs(dm)[0]!.value);
  expect(accepted.status).toBe(200);
  expect(await t.count("SELECT COUNT(*) AS n FROM seats WHERE status = 'occupied'")).toBe(1);
  expect(cardText((await say(ALICE, 'request-seat more please'))[0])).toContain('You hold a seat in Lab already');
});
