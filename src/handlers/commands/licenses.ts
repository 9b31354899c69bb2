import { listLicenses } from '../../domain/index.js';
import type { SubCommand } from './types.js';

export const licensesCommand: SubCommand = {
  name: 'licenses',
  usage: 'licenses',
  summary: 'each license pool in its own terms: members and seats at a time (concurrent), or seats used (assigned)',
  adminOnly: false,
  run: async ({ deps, views, actor, reply }) => reply(views.licenses(await listLicenses({ deps, actor: await actor(), input: undefined }))),
};
