import type { VerbArgs } from './context.js';
import { requireAdmin } from './authz.js';

/** For an edge that must know before it starts resolving what was typed. */
export async function checkAdmin({ deps, actor, input }: VerbArgs<{ doing: string }>): Promise<void> {
  await deps.store.transaction((repos) => requireAdmin(repos, deps.settings, actor, input.doing));
}
