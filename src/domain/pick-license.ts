import type { License } from './model.js';
import { cmd, code, t } from './message.js';
import type { Repositories } from './ports.js';
import { DomainError } from './errors.js';

/** The pool a command means: the one named, or the only one there is. */
export async function pickLicense(repos: Repositories, name: string | undefined | null): Promise<License> {
  const all = await repos.licenses.list();
  if (name && name.trim()) {
    const found = await repos.licenses.byName(name.trim());
    if (found?.retiredAt !== undefined) {
      throw new DomainError('NOT_PENDING', `"${found.name}" was retired: it takes no invitations and holds no seats any more.${all.length ? ` The licenses in use: ${all.map((l) => `"${l.name}"`).join(', ')}.` : ''}`);
    }
    if (found) return found;
    const names = all.map((l) => `"${l.name}"`).join(', ');
    throw new DomainError(
      'NOT_FOUND',
      all.length
        ? `There is no license called "${name.trim()}". The licenses are: ${names}.`
        : `There is no license called "${name.trim()}", and no license pool exists yet.`,
      { licenses: all.map((l) => l.name) },
    );
  }
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new DomainError('NO_LICENSE', t`There is no license pool yet. An admin can create one with ${cmd('license add "<name>" <seats>')}.`);
  }
  throw new DomainError(
    'LICENSE_REQUIRED',
    t`There are ${all.length} licenses; say which one with ${code('to "<license>"')}: ${all.map((l) => `"${l.name}"`).join(', ')}.`,
    { licenses: all.map((l) => l.name) },
  );
}
