import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database$ } from '../../src/db/connection.js';
import { sqliteStore } from '../../src/db/repositories.js';
import { inviteToLicense, parseReminderWindow, type DomainDeps } from '../../src/domain/index.js';

let dir: string;
let database: Database$;
let deps: DomainDeps;
const NOW = Date.parse('2026-03-02T10:00:00Z');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-bulk-'));
  database = openDatabase(`file:${join(dir, 'bot.sqlite')}`);
  deps = {
    store: sqliteStore(database),
    clock: { now: () => NOW },
    settings: { inviteTtlMs: 14 * 86_400_000, publicBaseUrl: 'https://bot.example.edu', configuredAdmins: ['UADMIN'], hasAdminChannel: true, hasSupportChannel: true, linkAllowedHosts: ['atlasti.com'], reminders: { afterMs: 3 * 86_400_000, max: 3, window: parseReminderWindow('always') } },
  };
});
afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (q: string) => (database.sqlite.prepare(q).get() as { n: number }).n;

describe('a bulk invitation on SQLite, written a few hundred people per transaction', () => {
  it('1,200 people for 1,000 seats, confirmed: exactly the first 1,000 get a seat, each once, with one DM each; the pool never overfills across transactions', async () => {
    const s = database.sqlite;
    s.prepare("INSERT INTO people (email, slack_team_id, slack_user_id, display_name, created_at, updated_at) VALUES ('ada@uni.edu', 'T1', 'UADMIN', 'Ada', 0, 0)").run();
    s.prepare("INSERT INTO licenses (name, seats, created_by, created_at) VALUES ('Campus', 1000, 1, 0)").run();
    const add = s.prepare("INSERT INTO people (email, slack_team_id, slack_user_id, display_name, created_at, updated_at) VALUES (?, 'T1', ?, ?, 0, 0)");
    const ids = Array.from({ length: 1200 }, (_, i) => Number(add.run(`p${i}@uni.edu`, `UP${i}`, `P${i}`).lastInsertRowid));
    // one of them already has an open invitation, and one is named twice
    const actor = { platform: 'slack' as const, userId: 'UADMIN', personId: 1 };
    await inviteToLicense({ deps, actor, input: { licenseName: 'Campus', invitees: [{ personId: ids[700]! }] } });
    const invitees = [...ids, ids[3]!].map((personId) => ({ personId }));

    const asked = await inviteToLicense({ deps, actor, input: { licenseName: 'Campus', invitees } });
    expect(asked.confirmation).toMatchObject({ newcomers: 1199, free: 999 });
    const r = await inviteToLicense({ deps, actor, input: { licenseName: 'Campus', invitees, confirmed: true } });

    const by = (status: string) => r.outcomes.filter((o) => o.status === status).length;
    expect([by('invited'), by('already_pending'), by('no_free_seat'), r.outcomes.length]).toEqual([999, 1, 200, 1200]);
    expect(count("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending'")).toBe(1000);
    // in the order given: the last seat went to the 1,000th person named (the 701st already held one)
    const last = s.prepare('SELECT invitee_id AS id FROM invitations ORDER BY id DESC LIMIT 1').get() as { id: number };
    expect(last.id).toBe(ids[999]);
    expect(count("SELECT COUNT(*) AS n FROM outbox WHERE payload LIKE '%\"license_invitation\"%' AND priority = 1")).toBe(999);
    expect(r.license).toMatchObject({ occupied: 0, reserved: 1000 });
    // the DMs show the seat count as it stood when each was made, as a recount would have
    const lastDm = s.prepare("SELECT payload FROM outbox WHERE payload LIKE '%\"license_invitation\"%' ORDER BY id DESC LIMIT 1").get() as { payload: string };
    expect(JSON.parse(lastDm.payload).invitation).toMatchObject({ reserved: 1000, seats: 1000 });
    expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.created'")).toBe(1000);
  });
});
