/** The outbox's leases on PostgreSQL (any number of instances share one database): see test/support/outbox-leases.ts. */
import { outboxLeaseTests } from '../support/outbox-leases.js';
import { dropPgDatabase, freshPgDatabase } from '../support/postgres.js';

outboxLeaseTests('PostgreSQL', async () => {
  const url = await freshPgDatabase();
  return { url, drop: () => dropPgDatabase(url) };
});
