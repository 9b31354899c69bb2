import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, MALLORY, buttonsOf, startTestBot, startTestBotAt, textOf, type TestBot } from '../support/harness.js';
import type { RecordedCall } from '../support/slack-standin.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 30 Nov 2026, 15:00 UTC: 10:00 in New York (Alice), 16:00 in Berlin (Ada), 15:00 in London (Bob)
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

const reminders = (t: TestBot, userId: string) =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${userId}` && c.status === 200 && /^Reminder/.test(c.args.text));

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('reminders', () => {
  it('reminds after REMINDER_AFTER, says what a seat is, never at night or at the weekend in the invitee\'s time zone, and at most REMINDER_MAX times', async () => {
    const { t, clock } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();

    clock.now += 2 * DAY; // Wednesday: not due yet
    await t.bot.jobs.run('sweep');
    await t.drained();
    expect(reminders(t, ALICE.id)).toHaveLength(0);

    clock.now += DAY + HOUR; // Thursday 16:00 UTC = 11:00 in New York: due, inside her window
    await t.bot.jobs.run('sweep');
    await t.bot.jobs.run('sweep'); // a second sweep at once sends nothing more
    await t.drained();
    const [first] = reminders(t, ALICE.id);
    expect(reminders(t, ALICE.id)).toHaveLength(1);
    expect(textOf(first!.args)).toContain('invited you to an ATLAS.ti license seat in *Campus 2026*');
    expect(textOf(first!.args)).toContain("A seat does *not* give you access to anyone's project or data");
    expect(textOf(first!.args)).toContain('Reminder 1 of 3');
    expect(buttonsOf(first!.args).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);

    clock.now += 3 * DAY - 14 * HOUR; // Sunday 02:00 UTC: due again, but the weekend (and night) in New York
    await t.bot.jobs.run('sweep');
    await t.drained();
    expect(reminders(t, ALICE.id)).toHaveLength(1);
    clock.now += DAY + 4 * HOUR; // Monday 06:00 UTC = 01:00 in New York: still night there
    await t.bot.jobs.run('sweep');
    expect(reminders(t, ALICE.id)).toHaveLength(1);
    clock.now += 9 * HOUR; // Monday 15:00 UTC = 10:00 in New York
    await t.bot.jobs.run('sweep');
    await t.drained();
    expect(reminders(t, ALICE.id)).toHaveLength(2);
    expect(textOf(reminders(t, ALICE.id)[1]!.args)).toContain('Reminder 2 of 3');
  });

  it('a project reminder says whether the person holds a seat right now, and a Desktop one that nothing syncs', async () => {
    const { t, clock } = await botAt(MONDAY_3PM, { REMINDER_WINDOW: 'always' });
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${BOB.id}|bob>`);
    await t.click(BOB.id, 'invitation_accept', 'inv:1');
    await t.submitView(ADMIN.id, 'share_project_form', {
      project_new: { project_name: { type: 'plain_text_input', value: 'Fieldwork' } },
      edition: { edition_choice: { type: 'radio_buttons', selected_option: { value: 'desktop', text: { type: 'plain_text', text: 'Desktop' } } } },
      users: { users_select: { type: 'multi_users_select', selected_users: [BOB.id] } },
      emails: { emails_input: { type: 'plain_text_input', value: null } },
      desktop_link: { link_input: { type: 'url_text_input', value: 'https://cloud.atlasti.com/s/f.atlasti' } },
      message: { message_input: { type: 'plain_text_input', value: null } },
    });
    await t.slack.waitFor((c) => c.method === 'views.update');
    await t.drained();
    clock.now += 3 * DAY + HOUR;
    await t.bot.jobs.run('sweep');
    await t.drained();
    const [r] = reminders(t, BOB.id);
    expect(textOf(r!.args)).toContain('shares the Desktop project *Fieldwork* with you');
    expect(textOf(r!.args)).toContain('You hold a seat under `bob@uni.edu`, so you can open the project as soon as you accept');
    expect(textOf(r!.args)).toContain('Nothing syncs');
    expect(textOf(r!.args)).toContain('/atlas return-project');
    expect(JSON.stringify(r!.args)).not.toContain('https://cloud.atlasti.com/s/f.atlasti');
  });

  it('runs on the real cron schedule (a seconds-level REMINDER_CRON) and stops at REMINDER_MAX', async () => {
    const t = await startTestBot({ env: { REMINDER_CRON: '* * * * * *', REMINDER_AFTER: '1s', REMINDER_MAX: '2', REMINDER_WINDOW: 'always' } });
    bots.push(t);
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await until(() => reminders(t, ALICE.id).length === 2, 10_000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminders(t, ALICE.id)).toHaveLength(2);
    expect(t.logs.some((l) => /job sweep: .*"reminded":1/.test(l))).toBe(true);
  });
});

describe('expiry', () => {
  it('after INVITE_TTL the link stops working, the seat is freed, the invitee is told, and the inviter can Re-invite', async () => {
    const { t, clock } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Tiny" 1 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(textOf(t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${ALICE.id}`)!.args))![1];

    clock.now += 14 * DAY + HOUR;
    await t.bot.jobs.run('sweep');
    await t.drained();
    expect(await (await fetch(`${t.bot.url}/invite/${token}`)).text()).toContain('This invitation expired on');
    const updated = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === `D${ALICE.id}`);
    expect(textOf(updated.args)).toContain('expired on');
    const notice = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN.id}` && /expired on/.test(textOf(c.args)));
    expect(textOf(notice.args)).toContain('The seat it held is free again');
    expect(textOf((await t.command(ADMIN.id, 'licenses')).reply?.args)).toContain('*Tiny* · 0/1 seats used');
    const late = await t.click(ALICE.id, 'invitation_accept', 'inv:1');
    expect(textOf(late.reply?.args)).toContain('This invitation has expired');

    const stranger = await t.clickIn(MALLORY.id, notice, 'invitation_reinvite');
    expect(textOf(stranger.reply?.args)).toContain('Only a license admin or the person who sent invitation #1 can re-invite it');
    const again = await t.clickIn(ADMIN.id, notice, 'invitation_reinvite');
    expect(textOf(again.reply?.args)).toContain('Invited Alice Smith again (invitation #2), with a new link.');
    await t.drained();
    // the notice itself now says so, in place, and offers Re-invite / Drop no more
    const closed = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === `D${ADMIN.id}` && /Re-invited by Ada Admin \(invitation #2\)/.test(textOf(c.args)));
    expect(buttonsOf(closed.args)).toEqual([]);
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${ALICE.id}` && /You're invited/.test(textOf(c.args)))).toHaveLength(2);
  });
});

describe('the admin digest', () => {
  it('groups pending invitations by license with age and reminders, warns at 90% and full, pages within Block Kit limits, and only admins use its buttons', async () => {
    const { t, clock } = await botAt(MONDAY_3PM);
    await t.command(ADMIN.id, 'license add "Campus 2026" 60 assigned');
    await t.command(ADMIN.id, 'license add "Lab" 2 assigned');
    const people = Array.from({ length: 55 }, (_, i) => ({ id: `UP${i}`, name: `p${i}`, real_name: `Person ${i}`, email: `p${i}@uni.edu` }));
    for (const p of people) t.slack.addUser(p);
    await t.command(ADMIN.id, `invite-license ${people.map((p) => `<@${p.id}|${p.name}>`).join(' ')} to "Campus 2026"`);
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob> to "Lab"`);
    await t.drained();
    t.slack.reset();

    clock.now += 2 * DAY;
    await t.bot.jobs.run('digest');
    await t.drained();
    const pages: RecordedCall[] = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(p.args.blocks.length).toBeLessThanOrEqual(50);
    const all = pages.map((p) => textOf(p.args)).join('\n');
    expect(all).toContain('57 pending · 0 waiting for a seat · 0 could not be reached');
    expect(all).toContain('*Campus 2026* · 55/60 seats used (0 taken, 55 held for pending invitations) · *92% used*');
    expect(all).toContain('*Lab* · 2/2 seats used (0 taken, 2 held for pending invitations) · full · *nobody more can be invited*');
    expect(all).toMatch(/\*#1\* \*Person 0\* \(`p0@uni.edu`\) · sent 2 days ago by Ada Admin · 0 reminders/);
    expect(all).toContain('…and 15 more in Campus 2026.');
    expect(textOf(pages[0]!.args)).toContain(`page 1 of ${pages.length}`);

    const extendButton = buttonsOf(pages[0]!.args).find((b) => b.action_id === 'invitation_extend')!;
    const denied = await t.click(ALICE.id, extendButton.action_id, extendButton.value);
    expect(textOf(denied.reply?.args)).toContain('Only a license admin or the person who sent invitation #1 can extend it');
    const extended = await t.click(ADMIN.id, extendButton.action_id, extendButton.value);
    expect(textOf(extended.reply?.args)).toContain('now expires on 16 Dec 2026');

    // /atlas pending shows the same, to the asking admin only
    const pending = await t.command(ADMIN.id, 'pending');
    expect(pending.reply?.args.response_type).toBe('ephemeral');
    expect(textOf(pending.reply?.args)).toContain('57 pending');
  });

  it('shows people who could not be reached, recorded once and not retried forever', async () => {
    const { t, clock } = await botAt(MONDAY_3PM, { REMINDER_WINDOW: 'always' });
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${BOB.id}|bob>`);
    await t.drained();
    clock.now += 3 * DAY + HOUR;
    t.slack.failNext('chat.postMessage', { error: 'account_inactive' });
    await t.bot.jobs.run('sweep');
    await t.drained();
    const [failed] = await t.query(`SELECT status, attempts, last_error AS e FROM outbox WHERE CAST(payload AS TEXT) LIKE '%"reminder"%' ORDER BY id`);
    expect(failed).toEqual({ status: 'failed', attempts: 1, e: 'account_inactive' });
    await t.bot.jobs.run('digest');
    await t.drained();
    const digest = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL).map((c) => textOf(c.args)).join('\n');
    expect(digest).toContain('1 could not be reached');
    expect(digest).toContain('unreachable (`account_inactive`)');
  });
});

describe('at scale and through failures', () => {
  it('a restart in the middle of a sweep\'s delivery and a second bot on the same database send every reminder exactly once', async () => {
    const { t, clock } = await botAt(MONDAY_3PM, { REMINDER_WINDOW: 'always' });
    await t.command(ADMIN.id, 'license add "Campus 2026" 20 assigned');
    const people = Array.from({ length: 8 }, (_, i) => ({ id: `UR${i}`, name: `r${i}`, real_name: `Reader ${i}`, email: `r${i}@uni.edu` }));
    for (const p of people) t.slack.addUser(p);
    await t.command(ADMIN.id, `invite-license ${people.map((p) => `<@${p.id}|${p.name}>`).join(' ')}`);
    await t.drained();

    // a second bot process shares the database and the clock (on PostgreSQL, the same database and its key)
    const sameDatabase = { DATABASE_URL: t.env.DATABASE_URL!, ...(t.env.ATLAS_SECRET_KEY ? { ATLAS_SECRET_KEY: t.env.ATLAS_SECRET_KEY } : {}) };
    const twin = await startTestBot({ slack: t.slack, dir: t.dir, now: () => clock.now, env: sameDatabase });
    bots.push(twin);
    clock.now += 3 * DAY + HOUR;
    // Slack is rate limiting and failing while both run the sweep at the same moment
    t.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 2);
    t.slack.failNext('chat.postMessage', { status: 500 }, 2);
    await Promise.all([t.bot.jobs.run('sweep'), twin.bot.jobs.run('sweep')]);
    await t.restart(); // one of them restarts mid-delivery
    await until(() => people.every((p) => reminders(t, p.id).length === 1), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const p of people) expect(reminders(t, p.id)).toHaveLength(1);
    const reminded = await t.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.reminded'");
    expect(reminded).toBe(8);
  });
});
