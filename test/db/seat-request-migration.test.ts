/** Seat requests made before self-service survive migration 0021 as they were, and their ids are never given again. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { databaseBefore } from '../support/migrations.js';
import { sqliteStore } from '../../src/db/repositories.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-seat-request-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps the rows, adds empty reason and decision note, allows a request without a project invitation, and keeps the id sequence', async () => {
  const { file, old } = databaseBefore(dir, '0021_self_service_seat_requests');
  old.prepare("INSERT INTO people (email, display_name, created_at, updated_at) VALUES ('olga@uni.edu', 'Olga', 1, 1), ('bob@uni.edu', 'Bob', 1, 1)").run();
  old.prepare("INSERT INTO projects (name, edition, owner_id, created_at) VALUES ('Thesis', 'web', 1, 1)").run();
  old.prepare("INSERT INTO invitations (kind, project_id, invitee_id, invitee_email, inviter_id, status, token_hash, platform, created_at, sent_at, expires_at) VALUES ('project', 1, 2, 'bob@uni.edu', 1, 'waiting_for_seat', 'h1', 'slack', 1, 1, 9)").run();
  for (let i = 0; i < 3; i++) old.prepare("INSERT INTO seat_requests (person_id, email, project_invitation_id, requested_by, status, created_at) VALUES (2, 'bob@uni.edu', 1, 1, 'denied', ?)").run(i);
  // the newest was deleted: its id 3 was used, and stays used
  old.prepare('DELETE FROM seat_requests WHERE id = 3').run();
  old.close();

  const database = openDatabase(`file:${file}`);
  try {
    const rows = database.sqlite.prepare('SELECT id, project_invitation_id AS inv, reason, decision_note AS note, status FROM seat_requests ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, inv: 1, reason: null, note: null, status: 'denied' },
      { id: 2, inv: 1, reason: null, note: null, status: 'denied' },
    ]);
    const store = sqliteStore(database);
    const own = await store.transaction((r) => r.seatRequests.insert({ personId: 2, email: 'bob@uni.edu', projectInvitationId: null, requestedBy: 2, licenseId: null, reason: 'thesis', createdAt: 5 }));
    expect(own).toMatchObject({ id: 4, projectInvitationId: null, reason: 'thesis', decisionNote: null, status: 'pending' });
    expect(database.sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'seat_requests' ORDER BY name").all()).toEqual([{ name: 'seat_requests_person' }, { name: 'seat_requests_status' }]);
  } finally {
    database.close();
  }
});
