import { z } from 'zod';
import { addLicense, DomainError } from '../../domain/index.js';
import { textOf } from '../parse.js';
import type { SubCommand } from './types.js';

const USAGE = 'Use `/atlas license add "<name>" <seats>`, for example `/atlas license add "Campus 2026" 50`.';

const addArgs = z.tuple([z.string(), z.string()]);

export const licenseCommand: SubCommand = {
  name: 'license',
  usage: 'license add "<name>" <seats>',
  summary: 'create a license pool with a number of seats',
  adminOnly: true,
  run: async ({ deps, views, tokens, actor, reply }) => {
    const [verb, ...rest] = tokens;
    if (!verb || textOf(verb).toLowerCase() !== 'add') throw new DomainError('INVALID_INPUT', USAGE);
    // the name is quoted, or is every word before the seat count
    const last = rest.at(-1);
    const name = rest.length === 2 && rest[0]!.kind === 'quoted' ? rest[0]!.text : rest.slice(0, -1).map(textOf).join(' ');
    const parsed = addArgs.safeParse([name, last ? textOf(last) : '']);
    if (!parsed.success || !parsed.data[0] || !parsed.data[1]) throw new DomainError('INVALID_INPUT', USAGE);
    const usage = await addLicense({ deps: deps, actor: await actor(), input: { name: parsed.data[0], seats: parsed.data[1] } });
    await reply(views.licenseAdded(usage));
  },
};
