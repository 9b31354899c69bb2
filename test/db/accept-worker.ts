/**
 * A separate process with its own SQLite connection, accepting invitations as fast as it can.
 * Used by seat-concurrency.test.ts: argv = databaseUrl, then invitationId:personId pairs.
 */
import { openDatabase } from '../../src/db/connection.js';
import { sqliteStore } from '../../src/db/repositories.js';
import { acceptInvitation, type DomainDeps } from '../../src/domain/index.js';

const [databaseUrl, ...pairs] = process.argv.slice(2);
const database = openDatabase(databaseUrl!);
const deps: DomainDeps = {
  store: sqliteStore(database),
  clock: { now: Date.now },
  settings: { inviteTtlMs: 86_400_000, publicBaseUrl: 'https://bot.example.edu', configuredAdmins: [], hasAdminChannel: true, hasSupportChannel: true, linkAllowedHosts: ['atlasti.com'], reminders: { afterMs: 86_400_000, max: 3, window: { always: true } } },
};
// wait for the go signal so every process starts at the same moment
process.stdin.once('data', () => void acceptAll());

async function acceptAll(): Promise<void> {
  const outcomes: string[] = [];
  await Promise.all(
    pairs.map(async (p) => {
      const [invitationId, personId] = p.split(':').map(Number);
      try {
        const r = await acceptInvitation({ deps, actor: { platform: 'slack', userId: `U${personId}`, personId: personId! }, input: { invitationId: invitationId! } });
        outcomes.push(r.outcome);
      } catch (e) {
        outcomes.push(`error:${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  database.close();
  process.stdout.write(JSON.stringify(outcomes));
}
process.stdout.write('ready\n');
