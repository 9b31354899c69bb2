import { DomainError, cmd, invitationIdSchema, t } from '../../domain/index.js';
import { textOf, type Token } from '../parse.js';

/** `12` or `#12`. */
export function invitationIdFrom(tokens: Token[], verb: string): number {
  const first = tokens[0];
  const r = invitationIdSchema.safeParse(first ? textOf(first).replace(/^#/, '') : '');
  if (!r.success) {
    throw new DomainError('INVALID_INPUT', t`Say which invitation: ${cmd(`${verb} <id>`)}, for example ${cmd(`${verb} 12`)}. ${cmd('pending')} shows the ids.`);
  }
  return r.data;
}
