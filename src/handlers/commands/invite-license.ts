import { checkEmails, cmd, DomainError, inviteToLicense, licenseInviteOptions, parseEmail, t, words, type EmailQuestion } from '../../domain/index.js';
import { problemWords, resolvePeople } from '../people.js';
import { splitTarget, type Token } from '../parse.js';

/** The command again, each questioned email replaced: by the email on record, or marked "as typed" (`!`). */
function retryText(tokens: Token[], questions: EmailQuestion[], as: 'onRecord' | 'asTyped'): string {
  const byTyped = new Map(questions.map((q) => [q.typed, q]));
  const words = tokens.map((tok) => {
    const q = tok.kind === 'email' ? byTyped.get(parseEmail(tok.email) ?? '') : undefined;
    if (!q) return tok.raw;
    return as === 'onRecord' ? q.suggestion : `!${q.typed}`;
  });
  return `invite-license ${words.join(' ')}`;
}
import type { SubCommand } from './types.js';

export const inviteLicenseCommand: SubCommand = {
  name: 'invite-license',
  usage: 'invite-license <@people or emails> [to "<license>"]',
  summary: 'invite people to a license seat (a seat shares no project); with no arguments, a form',
  adminOnly: true,
  run: async ({ deps, views, people, tokens, actor, reply, openForm }) => {
    const who = await actor();
    if (tokens.length === 0) {
      // the form: a trigger_id lives 3 seconds, so it is opened before anything slow
      await openForm('invite_license', who);
      return;
    }
    // who may comes before looking anyone up: a non-admin's list is never resolved or stored
    await licenseInviteOptions({ deps: deps, actor: who, input: undefined });
    const { people: named, target } = splitTarget(tokens);
    // did you mean…, before anyone is looked up or anything is sent
    const typed = named.flatMap((tok) => (tok.kind === 'email' && !tok.exact && parseEmail(tok.email) ? [parseEmail(tok.email)!] : []));
    const questions = await checkEmails({ deps, actor: who, input: { emails: typed } });
    if (questions.length) {
      // a letter-case difference is never someone else: only the email on record is offered
      const nearOnly = questions.every((q) => q.why !== 'case');
      await reply(views.emailQuestions(questions, { onRecord: retryText(tokens, questions, 'onRecord'), asTyped: nearOnly ? retryText(tokens, questions, 'asTyped') : null }));
      return;
    }
    const resolved = await resolvePeople(people, named);
    // an admin inviting a channel she is in is not invited herself, unless she names herself too
    const namedSelf = resolved.people.some((p) => !p.viaGroup && p.person.id === who.personId);
    const leftOut = !namedSelf && resolved.people.some((p) => p.viaGroup && p.person.id === who.personId);
    const invitees = resolved.people.filter((p) => namedSelf || p.person.id !== who.personId || !p.viaGroup);
    if (invitees.length === 0) {
      throw new DomainError(
        'INVALID_INPUT',
        words(
          resolved.problems.length ? problemWords(resolved.problems) : '',
          resolved.problems.length ? ' ' : '',
          leftOut ? 'The only person in it is you, and I leave you out of a group unless you name yourself. ' : '',
          t`Tell me who to invite: ${cmd('invite-license @alice bob@uni.edu to "Campus 2026"')}.`,
        ),
      );
    }
    const result = await inviteToLicense({
      deps: deps,
      actor: who,
      input: { licenseName: target ?? null, invitees: invitees.map((p) => ({ personId: p.person.id, email: p.email ?? null })) },
    });
    await reply(views.inviteResult(result));
    if (leftOut) await reply(views.text('You are in that group yourself; I left you out. Name yourself too if you want a seat.', 'information_source'));
    if (resolved.problems.length) await reply(views.text(words('Not invited: ', problemWords(resolved.problems)), 'warning'));
  },
};
