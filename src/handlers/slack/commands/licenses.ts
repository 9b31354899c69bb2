import { listLicenses } from '../../../domain/index.js';
import type { SubCommand } from './types.js';

export const licensesCommand: SubCommand = {
  name: 'licenses',
  usage: 'licenses',
  summary: 'each license pool with its seat usage (`used/seats`)',
  adminOnly: false,
  run: async ({ ctx, actor, reply }) => reply(ctx.views.licenses(await listLicenses({ deps: ctx.deps, actor: await actor(), input: undefined }))),
};
