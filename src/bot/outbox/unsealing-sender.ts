/**
 * Opens sealed secrets just before a message is rendered and sent, so the outbox (and so the
 * database) only ever holds them sealed: the license's own invitation link, and each personal
 * invitation link (see SEALED_LINK).
 */
import type { OutboxRow } from '../../db/outbox-queue.js';
import type { OutboxMessage, SecretBox } from '../../domain/index.js';
import { SEALED_LINK, carriesLink, isSealedLink } from '../../domain/index.js';
import type { Logger } from '../logger.js';
import type { OutboxSender, SendOutcome } from './deliverer.js';

/** The message with its sealed links opened; one that no longer opens (the key changed) shows none. */
export function openLinks(m: OutboxMessage, secrets: SecretBox, logger: Logger, id: number): OutboxMessage {
  if (m.type === 'license_link') {
    try {
      return { ...m, link: secrets.open(m.sealedLink) };
    } catch {
      // a key changed since it was sealed: the message says to ask again, and shows nothing secret
      logger.warn(`outbox: the license link in message #${id} could not be opened with this secret key`);
      return m;
    }
  }
  if (carriesLink(m) && isSealedLink(m.link)) {
    try {
      return { ...m, link: secrets.open(m.link.slice(SEALED_LINK.length)) };
    } catch {
      logger.warn(`outbox: the personal link in message #${id} could not be opened with this secret key`);
      return { ...m, link: '[removed]' };
    }
  }
  return m;
}

export class UnsealingSender implements OutboxSender {
  constructor(private readonly o: { inner: OutboxSender; secrets: SecretBox; logger: Logger }) {}

  send(row: OutboxRow): Promise<SendOutcome> {
    const opened = openLinks(row.payload, this.o.secrets, this.o.logger, row.id);
    return this.o.inner.send(opened === row.payload ? row : { ...row, payload: opened });
  }
}
