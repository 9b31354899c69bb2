import type { Promised } from '../domain/index.js';

/**
 * An object's methods, each answering with a promise: `run` decides when the synchronous call is
 * made (at once, or in the connection's turn). Other properties are kept as they are.
 */
export function promisedMethods<T extends object>(target: T, run: <R>(call: () => R) => Promise<R>): Promised<T> {
  return Object.fromEntries(
    Object.entries(target).map(([name, member]) => [name, typeof member === 'function' ? (...args: unknown[]) => run(() => (member as (...a: unknown[]) => unknown).apply(target, args)) : member]),
  ) as Promised<T>;
}
