import { EXPORT_KINDS, cmd, exportTable, t, DomainError, type ExportKind } from '../../domain/index.js';
import { csvOf } from '../export-file.js';
import { textOf } from '../parse.js';
import type { SubCommand } from './types.js';

const isKind = (w: string): w is ExportKind => (EXPORT_KINDS as readonly string[]).includes(w);

export const exportCommand: SubCommand = {
  name: 'export',
  usage: 'export members|invitations|audit ["<license>"]',
  summary: 'a CSV file for an access review, in your messages with me',
  adminOnly: true,
  run: async ({ deps, views, tokens, actor, reply, sendFile }) => {
    const [first, ...rest] = tokens;
    const kind = first ? textOf(first).toLowerCase() : '';
    if (!isKind(kind)) {
      throw new DomainError('INVALID_INPUT', t`Say what to export: ${cmd('export members')}, ${cmd('export invitations')} or ${cmd('export audit')}, and a license in quotes to limit it to one pool.`);
    }
    const licenseName = rest.map(textOf).join(' ').trim() || null;
    const table = await exportTable({ deps, actor: await actor(), input: { kind, licenseName } });
    const delivered = await sendFile({ filename: table.filename, content: csvOf(table), comment: views.exportComment(table) });
    await reply(views.exported(table, delivered));
  },
};
