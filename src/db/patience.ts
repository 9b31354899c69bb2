/**
 * Whether someone is waiting on the work under way for an answer that has a deadline (Slack drops an
 * ack later than 3 seconds). Such work is told "busy" as soon as a lock cannot be had within the
 * lock timeout; work with no deadline (after the ack, a job, a web page) waits its turn a little
 * longer first, so a burst of people on one license all get through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const answer = new AsyncLocalStorage<{ given: boolean }>();

/**
 * Runs `fn` (and everything it starts) as work someone waits on, until the returned `answered()` is
 * called (the ack has gone out).
 */
export function untilAnswered<T>(fn: (answered: () => void) => T): T {
  const state = { given: false };
  return answer.run(state, () =>
    fn(() => {
      state.given = true;
    }),
  );
}

/** true while an answer someone waits for has not gone out yet */
export const someoneWaits = (): boolean => answer.getStore()?.given === false;
