/**
 * A person asks for a seat themselves (issue 17): the form, the admins' Approve / Deny (with a
 * reason), the answer by DM, and the policy (SEAT_REQUEST_APPROVAL, SEAT_REQUEST_DOMAINS).
 */
import { afterEach, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, CAROL, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const count = (sql: string) => t!.count(sql);
const requestForm = (license: string | null, email: string, reason = '') => ({
  license: { license_select: { type: 'static_select', selected_option: license ? { value: license, text: { type: 'plain_text', text: license } } : null } },
  email: { email_input: { type: 'plain_text_input', value: email } },
  reason: { reason_input: { type: 'plain_text_input', value: reason } },
});
const dmsTo = (userId: string, pattern: RegExp) => t!.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${userId}` && pattern.test(textOf(c.args)));
const adminPosts = (pattern: RegExp) => t!.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL && pattern.test(textOf(c.args)));

it('manual: the form asks which pool and the exact email; the admins approve; the invitation says who approved it', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus" 10 assigned');
  await t.command(ADMIN.id, 'license add "Lab" 2 assigned');
  // status offers the button to someone with no seat
  const status = await t.command(BOB.id, 'status');
  expect(textOf(status.reply?.args)).toContain('You hold no ATLAS.ti seat');
  expect(buttonsOf(status.reply?.args).map((b) => b.action_id)).toContain('seat_request_open');

  // several pools and none named: the form opens, its email prefilled from chat
  await t.command(BOB.id, 'request-seat', { noReply: true });
  const opened = await t.slack.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'request_seat_form');
  expect(opened.args.view.blocks.find((b: any) => b.block_id === 'email').element.initial_value).toBe('bob@uni.edu');
  expect(opened.args.view.blocks.find((b: any) => b.block_id === 'license').element.options.map((o: any) => o.value)).toEqual(['Campus', 'Lab']);

  // checked as in sharing: no pool, a broken email, a case-only difference from the email on record
  const bad = await t.submitView(BOB.id, 'request_seat_form', requestForm(null, 'bob@'));
  expect(Object.keys(bad.json.errors).sort()).toEqual(['email', 'license']);
  const caseOnly = await t.submitView(BOB.id, 'request_seat_form', requestForm('Campus', 'Bob@uni.edu'));
  expect(caseOnly.json.errors.email).toContain('the email on record is bob@uni.edu');
  expect(await count('SELECT COUNT(*) AS n FROM seat_requests')).toBe(0);

  const ok = await t.submitView(BOB.id, 'request_seat_form', requestForm('Campus', 'bob@uni.edu', 'My thesis needs *ATLAS.ti*'));
  expect(ok.json.response_action).toBe('update');
  expect(textOf(ok.json.view)).toContain('Asked the license admins for a seat in *Campus* for *bob@uni.edu* (request #1)');
  expect(textOf(ok.json.view)).toContain('Until then you hold no seat.');
  await t.drained();
  const post = adminPosts(/asks for a seat/)[0]!;
  expect(textOf(post.args)).toContain('*Bob Jones* (`bob@uni.edu`) asks for a seat in *Campus*');
  expect(textOf(post.args)).toContain('My thesis needs');
  expect(buttonsOf(post.args).map((b) => b.action_id)).toEqual(['seat_request_approve', 'seat_request_deny']);

  // one open request per person and pool
  const again = await t.command(BOB.id, 'request-seat to "Campus" please');
  expect(textOf(again.reply?.args)).toMatch(/You already asked for a seat in \*Campus\* on .* \(request #1\)/);
  expect(await count('SELECT COUNT(*) AS n FROM seat_requests')).toBe(1);

  // only admins answer; the pool is the one asked for, so approving is one click even with two pools
  expect(textOf((await t.clickIn(MALLORY.id, post, 'seat_request_approve')).reply?.args)).toContain('Only license admins can');
  const approved = await t.clickIn(ADMIN.id, post, 'seat_request_approve');
  expect(textOf(approved.reply?.args)).toContain('Approved seat request #1: invited to *Campus*. They have been told');
  await t.drained();
  const dm = dmsTo(BOB.id, /approved your seat request/)[0]!;
  expect(textOf(dm.args)).toContain('*Ada Admin* approved your seat request #1: here is your invitation to a seat in the license *Campus*');
  expect(buttonsOf(dm.args).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);
  // the admins' post says how it was answered, in place
  const ts = (post.result as { ts: string }).ts;
  expect(textOf(t.slack.getMessage(ADMIN_CHANNEL, ts))).toContain('Approved by Ada Admin: invited to a seat in *Campus*');
  expect(buttonsOf(t.slack.getMessage(ADMIN_CHANNEL, ts) ?? {})).toEqual([]);
  expect(await t.query('SELECT status, decided_by AS "decidedBy", license_invitation_id AS inv, reason FROM seat_requests ORDER BY id')).toEqual([
    { status: 'approved', decidedBy: 1, inv: 1, reason: 'My thesis needs *ATLAS.ti*' },
  ]);
  // a second click is told it was answered
  expect(textOf((await t.click(ADMIN.id, 'seat_request_approve', 'req:1')).reply?.args)).toContain('Seat request #1 was already approved');

  // once invited, asking again is pointed at the invitation
  const invited = await t.command(BOB.id, 'request-seat to "Campus"');
  expect(textOf(invited.reply?.args)).toContain('You have an open invitation to a seat in *Campus* (invitation #1');
  await t.clickIn(BOB.id, dm, 'invitation_accept');
  expect(textOf((await t.command(BOB.id, 'request-seat to Campus')).reply?.args)).toContain('You hold a seat in *Campus* already');
});

it('deny asks for a reason, and the person hears it with who decided', async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus" 10 assigned');
  // one pool and a reason: no form needed
  const asked = await t.command(CAROL.id, 'request-seat for the methods course');
  expect(textOf(asked.reply?.args)).toContain('Asked the license admins for a seat in *Campus* for *carol@uni.edu* (request #1)');
  await t.drained();
  const post = adminPosts(/asks for a seat/)[0]!;
  // a stranger cannot even open the deny form
  expect(textOf((await t.clickIn(MALLORY.id, post, 'seat_request_deny')).reply?.args)).toContain('Only license admins can');
  expect(t.slack.callsTo('views.open')).toHaveLength(0);
  await t.click(ADMIN.id, 'seat_request_deny', buttonsOf(post.args).find((b) => b.action_id === 'seat_request_deny')!.value, { noReply: true });
  const form = await t.slack.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'deny_seat_form');
  expect(form.args.view.private_metadata).toBe('1');
  const denied = await t.submitView(ADMIN.id, 'deny_seat_form', { note: { note_input: { type: 'plain_text_input', value: 'The course ends in May; use the lab PCs' } } }, { private_metadata: '1' });
  expect(textOf(denied.json.view)).toContain('Denied seat request #1: “The course ends in May; use the lab PCs”. They have been told');
  await t.drained();
  const dm = dmsTo(CAROL.id, /declined your request/)[0]!;
  expect(textOf(dm.args)).toContain('*Ada Admin* declined your request for a seat in *Campus*');
  expect(textOf(dm.args)).toContain('The course ends in May; use the lab PCs');
  expect(textOf(dm.args)).toContain('You hold no seat in *Campus*');
  const ts = (post.result as { ts: string }).ts;
  expect(textOf(t.slack.getMessage(ADMIN_CHANNEL, ts))).toContain('Denied by Ada Admin: “The course ends in May; use the lab PCs”');
  expect(await count("SELECT COUNT(*) AS n FROM invitations")).toBe(0);
  const [deniedAudit] = await t.query<{ details: string }>("SELECT details FROM audit_log WHERE action = 'seat_request.denied' ORDER BY id");
  expect(JSON.parse(deniedAudit!.details)).toEqual({ note: 'The course ends in May; use the lab PCs' });
  // denied, she may ask again
  expect(textOf((await t.command(CAROL.id, 'request-seat please, the course was extended')).reply?.args)).toContain('(request #2)');
});

it('auto: a listed domain with room is approved at once; another domain, or a full pool, goes to the admins', async () => {
  t = await startTestBot({ env: { SEAT_REQUEST_APPROVAL: 'auto', SEAT_REQUEST_DOMAINS: 'uni.edu, @lab.uni.edu' } });
  t.slack.addUser({ id: 'UOUT', name: 'out', real_name: 'Otto Outside', email: 'otto@gmail.com' });
  await t.command(ADMIN.id, 'license add "Lab" 1 assigned');
  const auto = await t.command(BOB.id, 'request-seat for my thesis');
  expect(textOf(auto.reply?.args)).toContain('Approved at once: your invitation to a seat in *Lab* is in your messages with me (invitation #1)');
  await t.drained();
  const dm = dmsTo(BOB.id, /approved your seat request/)[0]!;
  expect(textOf(dm.args)).toContain('*The bot* approved your seat request #1 automatically');
  expect(buttonsOf(dm.args).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);
  const approvedPost = adminPosts(/asks for a seat/)[0]!;
  expect(textOf(approvedPost.args)).toContain('Approved automatically');
  expect(buttonsOf(approvedPost.args).filter((b) => b.action_id.startsWith('seat_request_'))).toEqual([]);
  expect(await t.query("SELECT status, decided_by AS d FROM seat_requests ORDER BY id")).toEqual([{ status: 'approved', d: null }]);
  expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'seat_request.approved' AND platform = 'system'")).toBe(1);

  // a domain outside the list: to the admins, flagged
  const outside = await t.command('UOUT', 'request-seat to "Lab" visiting researcher');
  expect(textOf(outside.reply?.args)).toContain("Your email's domain is not one the bot approves by itself, so a license admin decides");
  // the pool is full now (Bob's invitation holds its one seat): to the admins too
  const full = await t.command(ALICE.id, 'request-seat for the survey');
  expect(textOf(full.reply?.args)).toContain('Lab has no free seat right now, so a license admin decides');
  await t.drained();
  const posts = adminPosts(/asks for a seat/).slice(1);
  expect(posts.map((p) => buttonsOf(p.args).map((b) => b.action_id))).toEqual([
    ['seat_request_approve', 'seat_request_deny'],
    ['seat_request_approve', 'seat_request_deny'],
  ]);
  expect(textOf(posts[0]!.args)).toContain("The email's domain is not one of SEAT_REQUEST_DOMAINS");
  expect(textOf(posts[1]!.args)).not.toContain('SEAT_REQUEST_DOMAINS');
  expect(await count("SELECT COUNT(*) AS n FROM invitations")).toBe(1);
  // an admin approving into a full pool is told, and the request stays open
  const refused = await t.clickIn(ADMIN.id, posts[1]!, 'seat_request_approve');
  expect(textOf(refused.reply?.args)).toContain('*Lab* is full, so nothing was sent and the request stays open');
  expect(await count("SELECT COUNT(*) AS n FROM seat_requests WHERE status = 'pending'")).toBe(2);
});

it('auto trusts only the email chat reports: another address, or someone from outside typing a listed one, goes to the admins, flagged', async () => {
  t = await startTestBot({ env: { SEAT_REQUEST_APPROVAL: 'auto', SEAT_REQUEST_DOMAINS: 'uni.edu' } });
  t.slack.addUser({ id: 'UOUT', name: 'out', real_name: 'Otto Outside', email: 'otto@gmail.com' });
  await t.command(ADMIN.id, 'license add "Lab" 5 assigned');
  await t.command('UOUT', 'request-seat', { noReply: true });
  await t.slack.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'request_seat_form');
  const outsider = await t.submitView('UOUT', 'request_seat_form', requestForm('Lab', 'someone@uni.edu', 'let me in'));
  expect(textOf(outsider.json.view)).toContain("Your email's domain is not one the bot approves by itself, so a license admin decides");
  const other = await t.submitView(CAROL.id, 'request_seat_form', requestForm('Lab', 'carol.diaz@uni.edu'));
  expect(textOf(other.json.view)).toContain('That is not the email chat has for you, so a license admin decides');
  expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(0);
  await t.drained();
  const [first, second] = adminPosts(/asks for a seat/);
  expect(textOf(first!.args)).toContain('Chat reports `otto@gmail.com` for Otto Outside, not `someone@uni.edu`');
  expect(textOf(second!.args)).toContain('Chat reports `carol@uni.edu` for Carol Diaz, not `carol.diaz@uni.edu`');
});

it("a person's own request closes when they get a seat another way, or the pool is retired: its buttons go, and they hear why", async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus" 10 assigned');
  await t.command(ADMIN.id, 'license add "Old Lab" 10 assigned');
  await t.command(CAROL.id, 'request-seat to "Campus" methods course');
  await t.command(BOB.id, 'request-seat to "Old Lab" survey');
  await t.drained();
  const [carolPost, bobPost] = adminPosts(/asks for a seat/);
  // an admin invites Carol directly; once she accepts, her request is closed
  await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol> to "Campus"`);
  await t.drained();
  await t.click(CAROL.id, 'invitation_accept', 'inv:1');
  await t.drained();
  const carolNow = t.slack.getMessage(ADMIN_CHANNEL, (carolPost!.result as { ts: string }).ts);
  expect(textOf(carolNow)).toContain('No longer needed: Carol Diaz holds a seat there now');
  expect(buttonsOf(carolNow ?? {})).toEqual([]);
  // the pool ends: Bob's request closes and he is told
  const asked = await t.command(ADMIN.id, 'license retire "Old Lab"');
  await t.clickIn(ADMIN.id, asked.reply!, 'license_retire');
  await t.drained();
  expect(buttonsOf(t.slack.getMessage(ADMIN_CHANNEL, (bobPost!.result as { ts: string }).ts) ?? {})).toEqual([]);
  expect(textOf(dmsTo(BOB.id, /was closed/)[0]?.args)).toContain('Your request for a seat in *Old Lab* was closed: Old Lab was retired');
  expect(await count("SELECT COUNT(*) AS n FROM seat_requests WHERE status = 'pending'")).toBe(0);
  expect(textOf((await t.click(ADMIN.id, 'seat_request_approve', 'req:2')).reply?.args)).toContain('Seat request #2 was already');
});

it('a bad policy value stops the start, naming the variable', async () => {
  await expect(startTestBot({ env: { SEAT_REQUEST_APPROVAL: 'sometimes' } })).rejects.toThrow(/SEAT_REQUEST_APPROVAL/);
  await expect(startTestBot({ env: { SEAT_REQUEST_DOMAINS: 'uni.edu, not a domain' } })).rejects.toThrow(/SEAT_REQUEST_DOMAINS.*"not a domain" is not an email domain/);
});
