/**
 * What a person is told when the database could not take a change: the same words on every engine,
 * polite, saying that nothing was changed and what to do next.
 */
import { DomainError } from '../domain/index.js';

/** a lock held elsewhere for longer than the bot waits: nothing is wrong, it passes */
export const databaseBusy = (): DomainError =>
  new DomainError('UNAVAILABLE', 'The database is busy for a moment, so nothing was changed. Please try again in a minute.', { cause: 'busy' });

/** gone, read-only, full (`written`), or a server that does not answer (`reached`): someone has to look */
export const databaseDown = (how: 'written' | 'reached'): DomainError =>
  new DomainError('UNAVAILABLE', `I could not save that: my database cannot be ${how} right now, so nothing was changed. Please tell whoever runs this bot.`, { cause: 'unwritable' });
