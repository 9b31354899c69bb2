import type { SQL } from 'drizzle-orm';

/**
 * One statement, written once for both engines: plain SQL that SQLite and PostgreSQL read alike
 * (`ON CONFLICT`, `RETURNING`, `COALESCE`; no `IS`, `IFNULL` or `COLLATE NOCASE`). Used by the small
 * tables beside the domain's (the Slack inbox, the Teams conversations, the job leases).
 */
export interface SqlRunner {
  /** the rows the statement returns (`RETURNING` included), whole numbers as numbers */
  rows<T extends Record<string, unknown>>(q: SQL): Promise<T[]>;
}

/** A JSON column as read by either engine: PostgreSQL's jsonb arrives parsed, SQLite's text does not. */
export const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
