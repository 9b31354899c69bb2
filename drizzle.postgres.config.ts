import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL migrations, generated from src/db/pg/schema.ts (`npm run db:generate` does both engines). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './migrations-postgres',
});
