/**
 * Opens sealed secrets just before a message is rendered and sent, so the outbox (and so the
 * database) only ever holds them sealed. Today: the license's own invitation link.
 */
import type { OutboxRow } from '../../db/outbox-queue.js';
import type { SecretBox } from '../../domain/index.js';
import type { Logger } from '../logger.js';
import type { OutboxSender, SendOutcome } from './deliverer.js';

export class UnsealingSender implements OutboxSender {
  constructor(private readonly o: { inner: OutboxSender; secrets: SecretBox; logger: Logger }) {}

  send(row: OutboxRow): Promise<SendOutcome> {
    const m = row.payload;
    if (m.type !== 'license_link') return this.o.inner.send(row);
    let link: string | undefined;
    try {
      link = this.o.secrets.open(m.sealedLink);
    } catch {
      // a key changed since it was sealed: the message says to ask again, and shows nothing secret
      this.o.logger.warn(`outbox: the license link in message #${row.id} could not be opened with this secret key`);
    }
    return this.o.inner.send({ ...row, payload: { ...m, ...(link === undefined ? {} : { link }) } });
  }
}
