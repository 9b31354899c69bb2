/** Array helpers for tests that read the store (each awaited in order, like a loop: never side by side). */
export async function filterAsync<T>(xs: readonly T[], keep: (x: T) => Promise<boolean>): Promise<T[]> {
  const kept: T[] = [];
  for (const x of xs) if (await keep(x)) kept.push(x);
  return kept;
}

export async function someAsync<T>(xs: readonly T[], test: (x: T) => Promise<boolean>): Promise<boolean> {
  for (const x of xs) if (await test(x)) return true;
  return false;
}
