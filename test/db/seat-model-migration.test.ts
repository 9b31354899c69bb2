/** Pools that existed before seat models keep counting as they did: the migration makes them assigned. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { databaseBefore } from '../support/migrations.js';
import { sqliteStore } from '../../src/db/repositories.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-seat-model-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a pool created before the seat models stays assigned; a new one is stored with its own model and cap', async () => {
  const { file, old } = databaseBefore(dir, '0010_license_seat_model');
  old.prepare("INSERT INTO licenses (name, seats, created_at) VALUES ('Old Lab', 10, 1)").run();
  old.close();

  const database = openDatabase(`file:${file}`);
  try {
    const store = sqliteStore(database);
    expect(await store.transaction((r) => r.licenses.byName('Old Lab'))).toMatchObject({ seats: 10, seatModel: 'assigned', memberCap: null });
    const made = await store.transaction(async (r) => {
      const admin = await r.people.insert({ email: 'ada@uni.edu', slackTeamId: null, slackUserId: null, slackDmChannel: null, displayName: 'Ada', tz: null }, 2);
      return r.licenses.insert({ name: 'Campus', seats: 50, seatModel: 'concurrent', memberCap: 400, createdBy: admin.id, createdAt: 2 });
    });
    expect(await store.transaction((r) => r.licenses.byId(made.id))).toMatchObject({ seatModel: 'concurrent', memberCap: 400 });
  } finally {
    database.close();
  }
});
