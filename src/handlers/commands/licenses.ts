import { listLicenses } from '../../domain/index.js';
import type { SubCommand } from './types.js';

export const licensesCommand: SubCommand = {
  name: 'licenses',
  usage: 'licenses',
  summary: 'each license pool with its seat usage (`used/seats`)',
  adminOnly: false,
  run: async ({ deps, views, actor, reply }) => reply(views.licenses(await listLicenses({ deps, actor: await actor(), input: undefined }))),
};
