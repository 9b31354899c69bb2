/** The outbox's leases on SQLite (several processes on one machine share one file): see test/support/outbox-leases.ts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboxLeaseTests } from '../support/outbox-leases.js';

outboxLeaseTests('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-lease-'));
  return { url: `file:${join(dir, 'bot.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
});
