/** Once per test run: the PostgreSQL server the PostgreSQL project's tests (and the several-instances test) use. */
import { PG_URL_ENV, startPostgresServer } from './postgres.js';

export default async function setup(): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  process.env[PG_URL_ENV] = server.url;
  return () => server.stop();
}
