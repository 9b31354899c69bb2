import { describe, expect, it } from 'vitest';
import { splitTarget, tokenize } from '../src/handlers/parse.js';

describe('reading /atlas command text', () => {
  it('reads escaped mentions, user groups, channels, mailto emails, plain emails and quotes', () => {
    const tokens = tokenize('<@U123|alice> <!subteam^S9|@students> <#C42|methods> <mailto:Bob@Uni.edu|Bob@Uni.edu> carol@uni.edu, @dave to “Campus 2026”');
    expect(tokens.map((t) => t.kind)).toEqual(['user', 'usergroup', 'channel', 'email', 'email', 'plain_mention', 'word', 'quoted']);
    expect(tokens[0]).toMatchObject({ id: 'U123' });
    expect(tokens[3]).toMatchObject({ email: 'Bob@Uni.edu' });
    expect(tokens[4]).toMatchObject({ email: 'carol@uni.edu' });
    expect(splitTarget(tokens)).toMatchObject({ target: 'Campus 2026' });
    expect(splitTarget(tokens).people).toHaveLength(6);
  });

  it('takes an unquoted license name after "to", and no target without it', () => {
    expect(splitTarget(tokenize('<@U1> to Lab B')).target).toBe('Lab B');
    expect(splitTarget(tokenize('<@U1> <@U2>')).target).toBeUndefined();
  });
});
