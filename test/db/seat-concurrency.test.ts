import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { sqliteStore } from '../../src/db/repositories.js';
import { addLicense, inviteToLicense, type DomainDeps } from '../../src/domain/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function worker(databaseUrl: string, pairs: string[]): { ready: Promise<void>; go(): void; result: Promise<string[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'accept-worker.ts'), databaseUrl, ...pairs], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) readyResolve();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const result = new Promise<string[]>((res, rej) =>
    child.on('exit', (code) => (code === 0 ? res(JSON.parse(out.slice('ready\n'.length)) as string[]) : rej(new Error(`worker exited ${code}: ${err}`)))),
  );
  return { ready, go: () => child.stdin.end('go\n'), result };
}

describe('seats under concurrency (real SQLite, several processes)', () => {
  it('40 people accepting at once from 4 processes never occupy more seats than the pool has', async () => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-seats-'));
    const databaseUrl = `file:${join(dir, 'bot.sqlite')}`;
    const database = openDatabase(databaseUrl);
    const deps: DomainDeps = {
      store: sqliteStore(database),
      clock: { now: Date.now },
      settings: { inviteTtlMs: 86_400_000, publicBaseUrl: 'https://bot.example.edu', configuredAdmins: ['UADMIN'], hasAdminChannel: true, hasSupportChannel: true, linkAllowedHosts: ['atlasti.com'], reminders: { afterMs: 86_400_000, max: 3, window: { always: true } } },
    };
    const admin = await deps.store.transaction((r) => r.people.insert({ email: 'ada@uni.edu', slackTeamId: 'T1', slackUserId: 'UADMIN', slackDmChannel: null, displayName: 'Ada', tz: null }, 0));
    const actor = { platform: 'slack' as const, userId: 'UADMIN', personId: admin.id };
    await addLicense({ deps, actor, input: { name: 'Campus', seats: 40, seatModel: 'assigned' } });
    const people = await deps.store.transaction(async (r) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => r.people.insert({ email: `p${i}@uni.edu`, slackTeamId: 'T1', slackUserId: `UP${i}`, slackDmChannel: null, displayName: `P${i}`, tz: null }, 0))),
    );
    const invited = await inviteToLicense({ deps, actor, input: { invitees: people.map((p) => ({ personId: p.id })) } });
    expect(invited.outcomes.filter((o) => o.status === 'invited')).toHaveLength(40);
    // the pool is cut down to 7 seats while 40 invitations are out: now the accepts compete
    database.sqlite.prepare('UPDATE licenses SET seats = 7').run();
    const invitations = database.sqlite.prepare('SELECT id, invitee_id AS personId FROM invitations ORDER BY id').all() as { id: number; personId: number }[];
    database.close();

    const pairs = invitations.map((i) => `${i.id}:${i.personId}`);
    const workers = [0, 1, 2, 3].map((w) => worker(databaseUrl, pairs.filter((_, i) => i % 4 === w)));
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w) => w.go());
    const outcomes = (await Promise.all(workers.map((w) => w.result))).flat();

    expect(outcomes).toHaveLength(40);
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(7);
    expect(outcomes.filter((o) => o === 'no_free_seat')).toHaveLength(33);
    const check = openDatabase(databaseUrl);
    const occupied = (check.sqlite.prepare("SELECT COUNT(*) AS n FROM seats WHERE status = 'occupied'").get() as { n: number }).n;
    const stillPending = (check.sqlite.prepare("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending'").get() as { n: number }).n;
    // the ones who found no seat are told and keep their invitation; admins hear about each
    const notices = (check.sqlite.prepare("SELECT COUNT(*) AS n FROM outbox WHERE payload LIKE '%no_free_seat%'").get() as { n: number }).n;
    check.close();
    expect(occupied).toBe(7);
    expect(stillPending).toBe(33);
    expect(notices).toBe(33);
  }, 60_000);
});
