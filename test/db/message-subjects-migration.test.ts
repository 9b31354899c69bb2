/**
 * Messages from before messages named their subjects are brought into it by the migration: an
 * invitation's DM already posted is updated in place when the invitation changes afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { databaseBefore } from '../support/migrations.js';
import { outboxQueue } from '../../src/db/outbox-queue.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-subjects-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('an invitation DM posted before 0016, and a seat request post, are found as messages about their subjects', async () => {
  const { file, old } = databaseBefore(dir, '0016_posted_messages');
  old.exec(`
    INSERT INTO people (id, email, slack_team_id, slack_user_id, display_name, created_at, updated_at) VALUES (1, 'ada@uni.edu', 'T1', 'UADA', 'Ada', 1, 1), (2, 'bob@uni.edu', 'T1', 'UBOB', 'Bob', 1, 1);
    INSERT INTO licenses (id, name, seats, created_at) VALUES (1, 'Campus', 5, 1);
    INSERT INTO invitations (id, kind, license_id, invitee_id, invitee_email, inviter_id, status, token_hash, platform, created_at, sent_at, expires_at, dm_channel, dm_ts)
      VALUES (7, 'license', 1, 2, 'bob@uni.edu', 1, 'pending', 'h7', 'slack', 1, 1, 999, 'DUBOB', '1700000000.000100');
    INSERT INTO outbox (id, created_at, recipient_type, recipient_id, payload, status, next_attempt_at, sent_at)
      VALUES (1, 1, 'person', 2, '{"type":"license_invitation","invitation":{"kind":"license","invitationId":7},"link":"[removed]","resent":false}', 'sent', 0, 1),
             (2, 1, 'admin_channel', NULL, '{"type":"seat_request","requestId":3,"status":"pending"}', 'sent', 0, 1),
             (3, 1, 'person', 1, '{"type":"digest_page","page":{"entries":[{"kind":"title"},{"kind":"item","item":{"invitationId":7}}]}}', 'pending', 0, NULL);
  `);
  old.close();

  const database = openDatabase(`file:${file}`);
  try {
    const queue = outboxQueue(database);
    expect(await queue.postedAbout('invitation:7')).toMatchObject([{ outboxId: 1, platform: 'slack', channel: 'DUBOB', messageId: '1700000000.000100', recipientType: 'person', recipientId: 2 }]);
    const subjects = database.sqlite.prepare('SELECT outbox_id AS id, subject FROM outbox_subjects ORDER BY outbox_id, subject').all();
    expect(subjects).toEqual([
      { id: 1, subject: 'invitation:7' },
      { id: 2, subject: 'seat_request:3' },
      { id: 3, subject: 'invitation:7' },
    ]);
  } finally {
    database.close();
  }
});
