import type { VerbArgs } from './context.js';
import { SYSTEM_ACTOR } from './model.js';
import type { LicenseUsage } from './model.js';
import { expireOverdue } from './expire-overdue.js';
import { withLevels } from './capacity.js';

/** Every pool with its usage; anyone may look. */
export async function listLicenses({ deps }: VerbArgs<void>): Promise<LicenseUsage[]> {
  return deps.store.transaction(async (repos) => {
    await expireOverdue(repos, SYSTEM_ACTOR, deps.clock.now());
    return withLevels(await repos.licenses.listUsage(), deps.settings.crowdRatio);
  });
}
