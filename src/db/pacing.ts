/**
 * Allowances shared by every instance on one database: a post takes the next free slot of its
 * allowance in one statement, so N instances together post at the allowance, not N times it.
 */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from './sql-runner.js';

export interface Pacing {
  /**
   * Takes the next slot of `key` (slots `spacingMs` apart, none before `now`) and answers when it
   * is: the caller waits until then. Two instances never get the same slot.
   */
  slot(key: string, spacingMs: number, now: number): Promise<number>;
}

export function pacing(run: SqlRunner): Pacing {
  return {
    slot: async (key, spacingMs, now) => {
      const spacing = Math.max(0, Math.ceil(spacingMs));
      const [row] = await run.rows<{ next_at: number | string }>(sql`
        INSERT INTO post_pacing (key, next_at) VALUES (${key}, ${now + spacing})
        ON CONFLICT (key) DO UPDATE SET next_at = CASE WHEN post_pacing.next_at > ${now} THEN post_pacing.next_at ELSE ${now} END + ${spacing}
        RETURNING next_at`);
      return Number(row?.next_at ?? now + spacing) - spacing;
    },
  };
}
