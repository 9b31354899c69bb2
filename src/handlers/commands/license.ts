import { addLicense, cmd, code, DomainError, previewRetireLicense, renameLicense, resizeLicense, setLicenseLink, t, type SeatModel } from '../../domain/index.js';
import { textOf, type Token } from '../parse.js';
import type { SubCommand } from './types.js';

const USAGE = t`Use ${cmd('license add "<name>" <seats> [concurrent|assigned] [max <members>]')}, for example ${cmd('license add "Campus 2026" 50')} (concurrent: any number of members, 50 using it at a time) or ${cmd('license add "Lab" 10 assigned')} (one seat per member).`;

const MODELS: ReadonlySet<string> = new Set<SeatModel>(['concurrent', 'assigned']);

/** `"<name>" <seats> [concurrent|assigned] [max <n>]`, read from the end: the name is quoted, or every word before the seat count. */
function readAdd(rest: Token[]): { name: string; seats: string; seatModel?: SeatModel; memberCap?: string } {
  const words = [...rest];
  let memberCap: string | undefined;
  let seatModel: SeatModel | undefined;
  const low = (t: Token | undefined) => (t ? textOf(t).toLowerCase() : '');
  if (words.length >= 2 && low(words.at(-2)) === 'max') {
    memberCap = textOf(words.pop()!);
    words.pop();
  }
  if (MODELS.has(low(words.at(-1)))) seatModel = low(words.pop()) as SeatModel;
  else if (words.length >= 3 && /^[a-z]+$/.test(low(words.at(-1))) && /^\d+$/.test(low(words.at(-2)))) {
    throw new DomainError('INVALID_INPUT', t`${code(textOf(words.at(-1)!))} is not a way of counting seats: use ${code('concurrent')} (the default) or ${code('assigned')}. ${USAGE}`);
  }
  const seats = words.pop();
  if (!seats || words.length === 0) throw new DomainError('INVALID_INPUT', USAGE);
  const name = words.length === 1 && words[0]!.kind === 'quoted' ? words[0]!.text : words.map(textOf).join(' ');
  if (!name) throw new DomainError('INVALID_INPUT', USAGE);
  return { name, seats: textOf(seats), ...(seatModel ? { seatModel } : {}), ...(memberCap !== undefined ? { memberCap } : {}) };
}

const LINK_USAGE = t`Use ${cmd('license link "<license>" <link>')}, with the invitation link (or code) copied from the ATLAS.ti account portal.`;

/** Slack sends a typed link as `<https://…>` or `<https://…|label>`. */
const unwrap = (raw: string): string => raw.replace(/^<([^|>]+)(\|[^>]*)?>$/, '$1');

const RESIZE_USAGE = t`Use ${cmd('license resize "<license>" <seats>')}, for example ${cmd('license resize "Campus 2026" 60')}.`;
const RENAME_USAGE = t`Use ${cmd('license rename "<license>" "<new name>"')}, with both names in quotes.`;

export const licenseCommand: SubCommand = {
  name: 'license',
  usage: 'license add "<name>" <seats> [concurrent|assigned] [max <members>] · license resize "<license>" <seats> · license rename "<license>" "<new name>" · license retire "<license>" · license link "<license>" <link>',
  summary: 'create a license pool: concurrent (the default: seats count while the software is in use, any number of members) or assigned (one seat per member)',
  adminOnly: true,
  run: async ({ deps, views, tokens, actor, reply }) => {
    const [verb, ...rest] = tokens;
    if (verb && textOf(verb).toLowerCase() === 'link') {
      const last = rest.at(-1);
      // a lone quoted word is the license's name with its link missing, not a link
      if (!last || (rest.length === 1 && last.kind === 'quoted')) throw new DomainError('INVALID_INPUT', LINK_USAGE);
      const name = rest.slice(0, -1).map(textOf).join(' ');
      const r = await setLicenseLink({ deps, actor: await actor(), input: { licenseName: name || null, link: unwrap(last.raw) } });
      const sent = r.sentTo === 0 ? 'Nobody was waiting for it.' : `Sent it to the ${r.sentTo === 1 ? 'member' : `${r.sentTo} members`} who accepted and have not yet said they joined, each in their own DM.`;
      await reply(
        views.text(
          `${r.rotated ? 'Replaced' : 'Saved'} the invitation link of ${r.licenseName}. It is kept sealed and shown only to people who accept a seat, in their own DM; it is not repeated here. ${sent}`,
          'key',
        ),
      );
      return;
    }
    if (verb && textOf(verb).toLowerCase() === 'resize') {
      const seats = rest.at(-1);
      const name = rest.slice(0, -1).map(textOf).join(' ');
      if (!seats || !name) throw new DomainError('INVALID_INPUT', RESIZE_USAGE);
      const r = await resizeLicense({ deps, actor: await actor(), input: { licenseName: name, seats: textOf(seats) } });
      const l = r.usage.license;
      const how = l.seatModel === 'concurrent' ? `${l.seats} can use it at a time` : `${l.seats} seats, one per member`;
      await reply(views.text(`Resized ${l.name} from ${r.from} to ${l.seats}: ${how}. Nobody holding a seat loses it.`, 'white_check_mark'));
      return;
    }
    if (verb && textOf(verb).toLowerCase() === 'retire') {
      const name = rest.map(textOf).join(' ');
      if (!name) throw new DomainError('INVALID_INPUT', t`Use ${cmd('license retire "<license>"')}.`);
      // it cannot be undone: asked once, with what follows; the button retires it
      await reply(views.retireQuestion(await previewRetireLicense({ deps, actor: await actor(), input: { licenseName: name } })));
      return;
    }
    if (verb && textOf(verb).toLowerCase() === 'rename') {
      if (rest.length !== 2 || rest.some((x) => x.kind !== 'quoted')) throw new DomainError('INVALID_INPUT', RENAME_USAGE);
      const r = await renameLicense({ deps, actor: await actor(), input: { licenseName: textOf(rest[0]!), newName: textOf(rest[1]!) } });
      await reply(views.text(`Renamed ${r.from} to ${r.to}. Its seats, invitations and history stay with it.`, 'white_check_mark'));
      return;
    }
    if (!verb || textOf(verb).toLowerCase() !== 'add') throw new DomainError('INVALID_INPUT', USAGE);
    const input = readAdd(rest);
    const usage = await addLicense({ deps, actor: await actor(), input });
    await reply(views.licenseAdded(usage));
  },
};
