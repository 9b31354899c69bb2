import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const count = (sql: string) => t.count(sql);

describe('the invite form', () => {
  it('opens with no arguments, answers field errors inside the form, then invites and shows the result', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, 'license add "Lab" 2 assigned');
    const ack = await t.command(ADMIN.id, 'invite-license', { noReply: true });
    expect(ack.status).toBe(200);
    const opened = await t.slack.waitFor((c) => c.method === 'views.open');
    expect(opened.args.view.callback_id).toBe('invite_license');
    const select = opened.args.view.blocks.find((b: any) => b.block_id === 'license');
    expect(select.element.options.map((o: any) => o.text.text)).toEqual(['Campus 2026 (0/5 seats used)', 'Lab (0/2 seats used)']);

    const values = (emails: string, users: string[] = []) => ({
      license: { license_select: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Lab' }, value: 'Lab' } } },
      users: { users_select: { type: 'multi_users_select', selected_users: users } },
      emails: { emails_input: { type: 'plain_text_input', value: emails } },
    });
    const bad = await t.submitView(ADMIN.id, 'invite_license', values('carol@partner.org, not-an-email'));
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({ response_action: 'errors', errors: { emails: 'Not an email address: not-an-email. Fix or remove it.' } });
    const empty = await t.submitView(ADMIN.id, 'invite_license', values(''));
    expect(empty.json.errors.users).toBe('Pick at least one person, type an email below, or upload a CSV.');
    expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(0);

    const ok = await t.submitView(ADMIN.id, 'invite_license', values('carol@partner.org', [ALICE.id]));
    expect(ok.json.response_action).toBe('update');
    const result = await t.slack.waitFor((c) => c.method === 'views.update');
    expect(textOf(result.args.view)).toContain('*Lab*: 2 invited of 2');
    await t.drained();
    expect(t.slack.callsTo('chat.postMessage').some((c) => c.args.channel === `D${ALICE.id}` && /seat in the license \*Lab\*/.test(textOf(c.args)))).toBe(true);
  });

  it('is not opened for a non-admin, who is told why', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    const r = await t.command(BOB.id, 'invite-license');
    expect(textOf(r.reply?.args)).toContain('Only license admins can invite people to a license');
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
  });
});

describe('a CSV of emails', () => {
  it('is fetched with the bot token and every email in it is invited once, in the order of the file', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 50 assigned');
    let auth: string | undefined;
    const csv = 'name,email\nCarol,carol.x@partner.org\n"Dan, PhD",Dan.Y@partner.org\nCarol again,carol.x@partner.org\n';
    const server = createServer((req, res) => {
      auth = req.headers.authorization;
      res.setHeader('content-type', 'text/csv');
      res.end(csv);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files-pri/T0-F1/download/students.csv`;
    try {
      const res = await t.submitView(ADMIN.id, 'invite_license', {
        license: { license_select: { type: 'static_select', selected_option: { value: 'Campus 2026', text: { type: 'plain_text', text: 'x' } } } },
        users: { users_select: { type: 'multi_users_select', selected_users: [] } },
        emails: { emails_input: { type: 'plain_text_input', value: null } },
        csv: { csv_input: { type: 'file_input', files: [{ id: 'F1', name: 'students.csv', url_private_download: url }] } },
      });
      expect(res.json.response_action).toBe('update');
      const result = await t.slack.waitFor((c) => c.method === 'views.update' && /invited of/.test(textOf(c.args.view)));
      expect(textOf(result.args.view)).toContain('*Campus 2026*: 2 invited of 2.');
      expect(auth).toBe('Bearer xoxb-test-token');
      const emails = await t.query("SELECT invitee_email AS e FROM invitations ORDER BY id");
      expect(emails).toEqual([{ e: 'carol.x@partner.org' }, { e: 'Dan.Y@partner.org' }]);
    } finally {
      server.close();
    }
  });
});

describe('concurrency over HTTP', () => {
  it('ten admins inviting ten people at once to a 3-seat pool hand out exactly 3 invitations, and tell the other 7', async () => {
    await t.command(ADMIN.id, 'license add "Tiny" 3 assigned');
    for (let i = 0; i < 10; i++) t.slack.addUser({ id: `UP${i}`, name: `p${i}`, real_name: `Person ${i}`, email: `p${i}@uni.edu` });
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => t.command(ADMIN.id, `invite-license <@UP${i}|p${i}>`)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const texts = replies.map((r) => textOf(r.reply?.args));
    expect(texts.filter((x) => /: invited \(#\d+\)/.test(x))).toHaveLength(3);
    expect(texts.filter((x) => x.includes('not invited, the license is full'))).toHaveLength(7);
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending'")).toBe(3);
  });

  it('Alice double-clicking Accept ten times gets one seat', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${ALICE.id}`)!;
    const accept = buttonsOf(dm.args)[0]!;
    const clicks = await Promise.all(Array.from({ length: 10 }, () => t.click(ALICE.id, accept.action_id, accept.value)));
    expect(clicks.every((c) => textOf(c.reply?.args).includes('Accepted: an admin is adding you'))).toBe(true);
    expect(await count("SELECT COUNT(*) AS n FROM seats WHERE status = 'occupied'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.accepted'")).toBe(1);
  });
});
