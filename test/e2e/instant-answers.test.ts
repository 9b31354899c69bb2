import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

describe('answers that ride on the ack', () => {
  it('`help` and `licenses` are answered in the ack itself, with nothing posted to the response_url; a slow command is acked first and answered after', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    const before = t.slack.callsTo('response_url').length;
    const help = await t.command(ALICE.id, 'help');
    expect(help.reply?.method).toBe('ack');
    expect(help.reply?.args.response_type).toBe('ephemeral');
    expect(textOf(help.reply?.args)).toContain('invite-license');
    const licenses = await t.command(ALICE.id, 'licenses');
    expect(licenses.reply?.method).toBe('ack');
    expect(textOf(licenses.reply?.args)).toContain('*Campus 2026* · 0/5 seats used');
    expect(t.slack.callsTo('response_url').length).toBe(before);

    // an invitation looks people up in Slack: acked at once, answered on the response_url
    const invite = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    expect(invite.reply?.method).toBe('response_url');
    expect(textOf(invite.reply?.args)).toContain('1 invited of 1');
  });

  it('an unknown word is acked at once and answered on the response_url, with what it may have meant', async () => {
    const r = await t.command(ALICE.id, 'licences');
    expect(r.reply?.method).toBe('response_url');
    expect(textOf(r.reply?.args)).toContain('Did you mean `/atlas licenses`?');
  });
});
