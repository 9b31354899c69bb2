import type { VerbArgs } from './context.js';
import type { LicenseUsage } from './model.js';

/** Every pool with its usage; anyone may look. */
export async function listLicenses({ deps }: VerbArgs<void>): Promise<LicenseUsage[]> {
  return deps.store.transaction((repos) => repos.licenses.listUsage());
}
