/**
 * Three bot processes, each started from the sources as its own process, on one PostgreSQL database and one
 * Slack: what several instances behind a load balancer must get right.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, buttonsOf, SECRET, testBotEnv, textOf } from '../support/harness.js';
import { dropPgDatabase, freshPgDatabase, TEST_SECRET_KEY } from '../support/postgres.js';
import { blockActionPayload, fakeTriggerId, interactiveBody, postSigned, slashCommandBody } from '../support/slack-requests.js';
import { startSlackStandIn, STANDIN_TEAM_ID, type RecordedCall, type SlackStandIn } from '../support/slack-standin.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Instance {
  child: ChildProcess;
  url: string;
  logs: string[];
  exited: Promise<unknown>;
}

const late = [1, 2].map((i) => ({ id: `ULATE${i}`, name: `late${i}`, real_name: `Late ${i}`, email: `late${i}@uni.edu` }));
const students = Array.from({ length: 320 }, (_, i) => ({ id: `USTUDENT${i}`, name: `s${i}`, real_name: `Student ${i}`, email: `student${i}@uni.edu` }));
let slack: SlackStandIn;
let dbUrl: string;
let db: pg.Client;
const instances: Instance[] = [];
const dirs: string[] = [];

async function startInstance(n: number): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), `atlas-instance-${n}-`));
  dirs.push(dir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...testBotEnv(slack, dir),
      DATABASE_URL: dbUrl,
      ATLAS_SECRET_KEY: TEST_SECRET_KEY,
      LOG_LEVEL: 'info',
      // a killed instance's messages are taken over after 2 s (60 s by default)
      OUTBOX_LEASE_MS: '2000',
      // a Slack request's hold lapses after a second unrenewed, and each instance looks for lapsed ones each second
      SLACK_INBOX_LEASE_MS: '1000',
      // every instance delivers; the three together at 30 messages a second (the workspace's allowance is shared)
      SLACK_POSTS_PER_MINUTE: '1800',
      // every instance runs the schedule: the sweep each second, the digest every 3 s; one of them runs each slot
      REMINDER_CRON: '* * * * * *',
      REMINDER_AFTER: '1h',
      REMINDER_MAX: '1',
      REMINDER_WINDOW: 'always',
      DIGEST_CRON: '*/3 * * * * *',
    },
  });
  const logs: string[] = [];
  const exited = new Promise((r) => child.once('exit', r));
  const url = await new Promise<string>((res, rej) => {
    const seen = (d: Buffer) => {
      logs.push(...d.toString().split('\n').filter(Boolean));
      const m = /listening on http:\/\/localhost:(\d+)/.exec(logs.join('\n'));
      if (m) res(`http://127.0.0.1:${m[1]}`);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    void exited.then((code) => rej(new Error(`instance ${n} exited (${String(code)}) before it listened: ${logs.join('\n')}`)));
  });
  return { child, url, logs, exited };
}

const count = async (text: string, ...params: unknown[]) => Number((await db.query<{ n: string }>(text, params)).rows[0]?.n ?? 0);

async function command(on: Instance, userId: string, text: string): Promise<RecordedCall> {
  const response_url = slack.responseUrl();
  const res = await postSigned(`${on.url}/slack/events`, SECRET, slashCommandBody({ text, user_id: userId, team_id: STANDIN_TEAM_ID, response_url, trigger_id: fakeTriggerId() }));
  expect(res.status).toBe(200);
  if (res.json && (res.json.text || res.json.blocks)) return { method: 'ack', args: res.json, at: Date.now(), status: 200 };
  return slack.waitFor((c) => c.method === 'response_url' && c.url === response_url, 30_000);
}

/** The invitation DM each person got (by the outbox row it was sent for). */
const invitationDms = (userIds: string[]) => {
  const wanted = new Set(userIds.map((u) => `D${u}`));
  return slack.callsTo('chat.postMessage').filter((c) => wanted.has(c.args.channel) && buttonsOf(c.args).some((b) => b.action_id === 'invitation_accept'));
};

const outboxIdOf = (c: RecordedCall): number => Number(c.args.metadata?.event_payload?.outbox_id);

beforeAll(async () => {
  slack = await startSlackStandIn();
  for (const u of [ADMIN, ...students, ...late]) slack.addUser(u);
  dbUrl = await freshPgDatabase();
  db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  // all three at once: each applies the migrations, one after another (an advisory lock)
  instances.push(...(await Promise.all([0, 1, 2].map(startInstance))));
}, 60_000);

afterAll(async () => {
  for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => i.exited));
  await db?.end();
  await slack?.close();
  if (dbUrl) await dropPgDatabase(dbUrl);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 30_000);

describe('three instances on one PostgreSQL', () => {
  it('20 people accepting at once into a 5-seat pool, across the three: exactly 5 seats, and every click is answered by whichever instance it reached', async () => {
    const crowd = students.slice(0, 20);
    // the pool had 20 seats when they were invited; the license was renewed with 5 (as an admin would shrink it in the portal)
    expect(textOf((await command(instances[0]!, ADMIN.id, 'license add "Lab" 20 assigned')).args)).toContain('Created');
    const invited = await command(instances[1]!, ADMIN.id, `invite-license ${crowd.map((p) => `<@${p.id}|${p.name}>`).join(' ')}`);
    expect(textOf(invited.args)).toMatch(/20 (of 20 )?invited/);
    await expect.poll(() => invitationDms(crowd.map((p) => p.id)).length, { timeout: 20_000 }).toBe(20);
    await db.query(`UPDATE licenses SET seats = 5 WHERE name = 'Lab'`);

    // each clicks Accept on their DM at the same moment, the clicks spread over the three instances
    const answers = await Promise.all(
      invitationDms(crowd.map((p) => p.id)).map(async (dm, i) => {
        const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
        const response_url = slack.responseUrl();
        const on = instances[i % 3]!;
        const payload = blockActionPayload({ user_id: dm.args.channel.slice(1), team_id: STANDIN_TEAM_ID, action_id: accept.action_id, value: accept.value, response_url, channel_id: dm.args.channel, message_ts: dm.args.ts });
        const res = await postSigned(`${on.url}/slack/events`, SECRET, interactiveBody(payload));
        expect(res.status).toBe(200);
        return textOf((await slack.waitFor((c) => c.method === 'response_url' && c.url === response_url, 20_000)).args);
      }),
    );
    expect(await count(`SELECT COUNT(*) AS n FROM seats s JOIN licenses l ON l.id = s.license_id WHERE l.name = 'Lab' AND s.status = 'occupied'`)).toBe(5);
    expect(answers.filter((a) => a.includes('Accepted'))).toHaveLength(5);
    // the others are told, each by the instance their click reached, and keep their invitation
    const refused = answers.filter((a) => !a.includes('Accepted'));
    expect(refused).toHaveLength(15);
    for (const a of refused) expect(a).toMatch(/no seat|full|seats/i);
    expect(await count(`SELECT COUNT(*) AS n FROM invitations i JOIN licenses l ON l.id = i.license_id WHERE l.name = 'Lab' AND i.status = 'pending'`)).toBe(15);
  }, 90_000);

  it('each scheduled slot runs on one instance only: every reminder is sent once, every digest once per slot', async () => {
    // two pending invitations made due for their reminder (sent two hours ago); the sweep runs each second on all three
    const pending = await db.query<{ u: string }>(`SELECT p.slack_user_id AS u FROM invitations i JOIN people p ON p.id = i.invitee_id WHERE i.status = 'pending' ORDER BY i.id LIMIT 2`);
    const due = pending.rows.map((r) => r.u);
    expect(due).toHaveLength(2);
    await db.query(`UPDATE invitations SET sent_at = sent_at - 7200000 WHERE invitee_id IN (SELECT id FROM people WHERE slack_user_id = ANY($1))`, [due]);
    await expect.poll(() => count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.reminded'`), { timeout: 15_000 }).toBe(2);
    // several more sweeps and digests, on every instance's schedule
    await new Promise((r) => setTimeout(r, 7000));
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.reminded'`)).toBe(2);
    const reminders = slack.callsTo('chat.postMessage').filter((c) => due.map((u) => `D${u}`).includes(c.args.channel) && /remind/i.test(textOf(c.args)));
    expect(reminders).toHaveLength(2);

    // node-cron asked each instance for each slot; the database gave each slot to one
    const ran = (job: string) => instances.flatMap((i) => i.logs.filter((l) => l.includes(`job ${job}:`)));
    const slots = async (job: string) => count(`SELECT COUNT(*) AS n FROM job_leases WHERE key LIKE $1`, `%atlas-${job}:%`);
    // a slot is claimed before its run logs that it ran: compared at a moment when no run is under way
    // (a slot run twice would leave more runs than slots at every moment)
    const runsBeyondSlots = async (job: string) => ran(job).length - (await slots(job));
    expect(ran('sweep').length).toBeGreaterThanOrEqual(5);
    await expect.poll(() => runsBeyondSlots('sweep'), { timeout: 5000, interval: 50 }).toBe(0);
    // the three shared the work: more than one of them ran a slot
    expect(instances.filter((i) => i.logs.some((l) => l.includes('job sweep:'))).length).toBeGreaterThan(1);
    expect(ran('digest').length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => runsBeyondSlots('digest'), { timeout: 5000, interval: 50 }).toBe(0);
    const digests = ran('digest').length;
    // and each digest run posted its review once to the admin channel
    await expect.poll(() => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL && /pending/i.test(textOf(c.args)) && /Lab/.test(textOf(c.args))).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(digests);
  }, 60_000);

  it('a slow request is handled by the instance that acknowledged it alone, and one whose instance died is taken over by another', async () => {
    const resumed = () => instances.flatMap((i) => i.logs.filter((l) => l.includes('acknowledged before a restart or by an instance that stopped')));
    expect(textOf((await command(instances[0]!, ADMIN.id, 'license add "Side" 10')).args)).toContain('Created');
    const invitationsOf = (userId: string) =>
      count(`SELECT COUNT(*) AS n FROM invitations i JOIN people p ON p.id = i.invitee_id WHERE p.slack_user_id = $1 AND i.kind = 'license'`, userId);

    // Slack takes 4 s to answer the lookup (four leases): the instance renews its hold, and the two others,
    // looking each second, leave it alone
    slack.failNext('users.info', { hangMs: 4000 });
    const first = slack.responseUrl();
    const slow = await postSigned(`${instances[0]!.url}/slack/events`, SECRET, slashCommandBody({ text: `invite-license <@${late[0]!.id}|late1> to "Side"`, user_id: ADMIN.id, team_id: STANDIN_TEAM_ID, response_url: first, trigger_id: fakeTriggerId() }));
    expect(slow.status).toBe(200);
    await slack.waitFor((c) => c.method === 'response_url' && c.url === first, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.callsTo('response_url').filter((c) => c.url === first)).toHaveLength(1);
    expect(resumed()).toHaveLength(0);
    expect(await invitationsOf(late[0]!.id)).toBe(1);

    // a fourth instance acknowledges a request and is killed while Slack keeps it waiting: one of the
    // others takes it over once its hold lapses (no restart needed), and it is answered once
    const doomed = await startInstance(3);
    instances.push(doomed);
    slack.failNext('users.info', { hangMs: 10_000 });
    const second = slack.responseUrl();
    const acked = await postSigned(`${doomed.url}/slack/events`, SECRET, slashCommandBody({ text: `invite-license <@${late[1]!.id}|late2> to "Side"`, user_id: ADMIN.id, team_id: STANDIN_TEAM_ID, response_url: second, trigger_id: fakeTriggerId() }));
    expect(acked.status).toBe(200);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await slack.waitFor((c) => c.method === 'response_url' && c.url === second, 20_000);
    expect(resumed()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.callsTo('response_url').filter((c) => c.url === second)).toHaveLength(1);
    expect(await invitationsOf(late[1]!.id)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM slack_inbox WHERE status IN ('received', 'acked')`)).toBe(0);
  }, 60_000);

  it('a bulk run of 300 with one instance killed (-9) mid-way: every DM is sent exactly once', async () => {
    const cohort = students.slice(20, 320);
    expect(textOf((await command(instances[0]!, ADMIN.id, 'license add "Campus" 500')).args)).toContain('Created');
    const invited = await command(instances[0]!, ADMIN.id, `invite-license ${cohort.map((p) => `<@${p.id}|${p.name}>`).join(' ')} to "Campus"`);
    expect(textOf(invited.args)).toContain('300 invited of 300');
    // delivery is shared by the three; one dies while a third of it is out
    await expect.poll(() => invitationDms(cohort.map((p) => p.id)).length, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(100);
    const victim = instances[1]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const atKill = invitationDms(cohort.map((p) => p.id)).length;
    expect(atKill).toBeLessThan(300);

    // the other two take over its messages once their lease runs out, and finish
    await expect.poll(() => count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND recipient_type = 'person'`), { timeout: 60_000, interval: 200 }).toBe(0);
    const dms = invitationDms(cohort.map((p) => p.id));
    expect(new Set(dms.map((c) => c.args.channel)).size).toBe(300);
    // exactly once: no outbox row was posted twice, and nobody got two invitations
    expect(dms).toHaveLength(300);
    expect(new Set(dms.map(outboxIdOf)).size).toBe(300);
    // the three shared the workspace's allowance (30 posts a second), not 30 each: 300 posts took at
    // least their 299 slots (10 s; each pacing alone, they would have taken about 3.3 s and a lease)
    const times = dms.map((c) => c.at).sort((x, y) => x - y);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(299 * (60_000 / 1800) - 200);
    expect(await count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent' AND recipient_type = 'person' AND payload->>'type' = 'license_invitation'`)).toBeGreaterThanOrEqual(300);
    expect(await count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'`)).toBe(0);
    // the killed instance held messages it had claimed: they were taken over (a second attempt), and still sent once
    expect(await count(`SELECT COUNT(*) AS n FROM outbox WHERE recipient_type = 'person' AND attempts > 1`)).toBeGreaterThan(0);
  }, 120_000);
});
