import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, CAROL, MALLORY, buttonsOf, rawTextOf, startTestBot, textOf, type TestBot } from '../support/harness.js';
import type { RecordedCall } from '../support/slack-standin.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  // Alice (the project owner) and Bob hold seats
  await t.command(ADMIN.id, 'license add "Campus 2026" 10 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
  await t.click(ALICE.id, 'invitation_accept', 'inv:1');
  await t.click(BOB.id, 'invitation_accept', 'inv:2');
  await t.drained();
  t.slack.reset();
});
afterEach(async () => {
  await t.close();
});

const count = (sql: string) => t.count(sql);
const dmsTo = (userId: string) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${userId}`);
const lastDmTo = async (userId: string, pattern: RegExp): Promise<RecordedCall> =>
  t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${userId}` && pattern.test(textOf(c.args)));

type Form = { existing?: string; name?: string; edition?: 'web' | 'desktop'; users?: string[]; emails?: string; link?: string; message?: string };
const shareValues = (f: Form) => ({
  ...(f.existing ? { project_existing: { project_select: { type: 'static_select', selected_option: { value: f.existing, text: { type: 'plain_text', text: 'p' } } } } } : {}),
  project_new: { project_name: { type: 'plain_text_input', value: f.name ?? null } },
  edition: { edition_choice: { type: 'radio_buttons', selected_option: f.edition ? { value: f.edition, text: { type: 'plain_text', text: f.edition } } : null } },
  users: { users_select: { type: 'multi_users_select', selected_users: f.users ?? [] } },
  emails: { emails_input: { type: 'plain_text_input', value: f.emails ?? null } },
  desktop_link: { link_input: { type: 'url_text_input', value: f.link ?? null } },
  message: { message_input: { type: 'plain_text_input', value: f.message ?? null } },
});

async function share(userId: string, f: Form) {
  const before = t.slack.callsTo('views.update').length;
  const res = await t.submitView(userId, 'share_project_form', shareValues(f));
  if (res.json?.response_action === 'errors') return { res, result: undefined };
  await t.slack.waitFor(() => t.slack.callsTo('views.update').length > before);
  return { res, result: t.slack.callsTo('views.update').at(-1)! };
}

describe('sharing a project', () => {
  it('opens the form from /atlas share-project and from the global shortcut', async () => {
    await t.command(ALICE.id, 'share-project', { noReply: true });
    const opened = await t.slack.waitFor((c) => c.method === 'views.open');
    expect(opened.args.view.callback_id).toBe('share_project_form');
    const blocks = opened.args.view.blocks.map((b: any) => b.block_id).filter(Boolean);
    expect(blocks).toEqual(['project_new', 'edition', 'users', 'emails', 'desktop_link', 'message']);
    expect(textOf(opened.args.view)).toContain('Windows: File > Export > Project bundle; Mac: Project > Export > Project');

    const shortcut = await t.shortcut(BOB.id, 'share_project');
    expect(shortcut.status).toBe(200);
    await t.slack.waitFor(() => t.slack.callsTo('views.open').length === 2);
  });

  it('answers field problems inside the form and creates nothing', async () => {
    const noOne = await share(ALICE.id, { name: 'Interviews', edition: 'web' });
    expect(noOne.res.json.errors).toEqual({ users: 'Pick at least one person, or type an account email.' });

    const badEmail = await share(ALICE.id, { name: 'Interviews', edition: 'web', emails: 'bob@@uni' });
    expect(badEmail.res.json.errors.emails).toBe('Not an email address: bob@@uni. Fix or remove it.');

    const badHost = await share(ALICE.id, { name: 'Fieldwork', edition: 'desktop', users: [BOB.id], link: 'https://evil.example.com/bundle.atlasti' });
    expect(badHost.res.json.errors.desktop_link).toBe('Links to evil.example.com are not allowed here. Allowed: atlasti.com, *.atlasti.com.');
    const noLink = await share(ALICE.id, { name: 'Fieldwork', edition: 'desktop', users: [BOB.id] });
    expect(noLink.res.json.errors.desktop_link).toContain('A Desktop project is shared by a link');

    const long = await share(ALICE.id, { name: 'Interviews', edition: 'web', users: [BOB.id], message: 'x'.repeat(1001) });
    expect(long.res.json.errors.message).toBe('The message is 1001 characters; keep it under 1000.');
    const noEdition = await share(ALICE.id, { name: 'Interviews', users: [BOB.id] });
    expect(noEdition.res.json.errors.edition).toBe('Is it a Desktop or a Web project?');

    expect(await count('SELECT COUNT(*) AS n FROM projects')).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE kind = 'project'")).toBe(0);
  });

  it('Web: Bob gets a DM that explains the edition and escapes the message; accepting makes him a member and tells Alice', async () => {
    const { result } = await share(ALICE.id, { name: 'Interviews', edition: 'web', users: [BOB.id], message: 'Welcome <!channel> & see <https://evil.example|this>' });
    expect(textOf(result!.args.view)).toContain('*Interviews* (Web): 1 of 1 invited.');
    await t.drained();
    const dm = await lastDmTo(BOB.id, /invited you to the Web project/);
    expect(textOf(dm.args)).toContain('the owner adds you as a member in ATLAS.ti Web (you confirm its invitation email)');
    expect(textOf(dm.args)).toContain("A license seat. This uses the seat you already hold under `bob@uni.edu`");
    expect(rawTextOf(dm.args)).toContain('&lt;!channel&gt; &amp; see &lt;https://evil.example|this&gt;');
    expect(rawTextOf(dm.args)).not.toContain('<!channel>');

    const accepted = await t.clickIn(BOB.id, dm, 'invitation_accept');
    // accepted here is not a member there: nothing says so until Alice added him in ATLAS.ti Web
    expect(textOf(accepted.reply?.args)).toContain('Your acceptance of *Interviews* is recorded, but ATLAS.ti Web does not know about it yet');
    expect(textOf(accepted.reply?.args)).not.toMatch(/You are a member/);
    await t.drained();
    const todo = await lastDmTo(ALICE.id, /accepted \*Interviews\*/);
    expect(textOf(todo.args)).toContain('*To do:* add `bob@uni.edu` in ATLAS.ti Web: open *Interviews*, Project Settings → Add new project member');
    expect(textOf((await t.command(BOB.id, 'status')).reply?.args)).toContain('*Interviews* (Web, from Alice Smith): accepted; the owner has not yet added them in ATLAS.ti Web');

    // only the owner (or an admin) may say it is done
    const stranger = await t.clickIn(CAROL.id, todo, 'project_member_added');
    expect(textOf(stranger.reply?.args)).toContain('Only the owner of "Interviews"');
    const done = await t.clickIn(ALICE.id, todo, 'project_member_added');
    expect(done.reply?.args.replace_original).toBe(true);
    expect(textOf(done.reply?.args)).toContain('added *Bob Jones* (`bob@uni.edu`) to *Interviews* in ATLAS.ti Web');
    await t.drained();
    const told = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${BOB.id}` && /added you to \*Interviews\* in ATLAS.ti Web|added `bob@uni.edu` to \*Interviews\*/.test(textOf(c.args)));
    expect(textOf(told.args)).toContain("ATLAS.ti Web sends you its own invitation email: confirm it");
    const status = await t.command(BOB.id, 'status');
    expect(textOf(status.reply?.args)).toContain('*Interviews* (Web, from Alice Smith): member');
  });

  it('Desktop: the link is revealed to Bob only after he accepts, never on the page; his copy comes back to Alice with the merge steps', async () => {
    const link = 'https://cloud.atlasti.com/s/fieldwork-bundle.atlasti';
    await share(ALICE.id, { name: 'Fieldwork', edition: 'desktop', users: [BOB.id], link });
    await t.drained();
    const dm = await lastDmTo(BOB.id, /invited you to the Desktop project/);
    expect(textOf(dm.args)).toContain('Nothing syncs');
    expect(JSON.stringify(dm.args)).not.toContain(link);
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(textOf(dm.args))![1]!;
    const page = await (await fetch(`${t.bot.url}/invite/${token}`)).text();
    expect(page).toContain('Desktop project: Fieldwork');
    expect(page).not.toContain(link);

    // Mallory clicking Bob's button sees nothing of the link
    const stranger = await t.clickIn(MALLORY.id, dm, 'invitation_accept');
    expect(textOf(stranger.reply?.args)).toContain('made for someone else');
    expect(JSON.stringify(stranger.reply?.args)).not.toContain(link);

    const accepted = await t.clickIn(BOB.id, dm, 'invitation_accept');
    expect(textOf(accepted.reply?.args)).toContain(link);
    await t.drained();
    const update = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === `D${BOB.id}`);
    expect(textOf(update.args)).toContain(link);
    const ownerNote = await lastDmTo(ALICE.id, /accepted \*Fieldwork\*/);
    expect(JSON.stringify(ownerNote.args)).not.toContain(link);
    expect(await (await fetch(`${t.bot.url}/invite/${token}`)).text()).not.toContain(link);
    // nobody but Bob was ever sent the link
    const carriers = t.slack.calls.filter((c) => JSON.stringify(c.args).includes(link));
    expect(carriers.every((c) => c.args.channel === `D${BOB.id}` || c.method === 'response_url')).toBe(true);

    // the round trip: Send my updated copy back
    const back = await t.click(BOB.id, 'project_return_copy', buttonsOf(update.args).find((b) => b.action_id === 'project_return_copy')!.value, { noReply: true });
    expect(back.status).toBe(200);
    const form = await t.slack.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'return_project_form');
    expect(form.args.view.blocks[1].element.initial_option.value).toBe('1');
    const values = (l: string) => ({
      project: { project_select: { type: 'static_select', selected_option: { value: '1', text: { type: 'plain_text', text: 'Fieldwork' } } } },
      link: { link_input: { type: 'url_text_input', value: l } },
      note: { note_input: { type: 'plain_text_input', value: 'Coded interviews 4–9 <b>' } },
    });
    const bad = await t.submitView(BOB.id, 'return_project_form', values('http://cloud.atlasti.com/x'));
    expect(bad.json).toEqual({ response_action: 'errors', errors: { link: 'The link must start with https://' } });
    const ok = await t.submitView(BOB.id, 'return_project_form', values('https://cloud.atlasti.com/s/fieldwork-bob.atlasti'));
    expect(ok.json.response_action).toBe('update');
    await t.drained();
    const returned = await lastDmTo(ALICE.id, /sent back their updated copy/);
    expect(textOf(returned.args)).toContain('https://cloud.atlasti.com/s/fieldwork-bob.atlasti');
    expect(textOf(returned.args)).toContain('To merge it into your project');
    expect(rawTextOf(returned.args)).toContain('&lt;b&gt;');
    const status = await t.command(BOB.id, 'status');
    expect(textOf(status.reply?.args)).toContain('*Fieldwork*: updated copy sent back on');
    // /atlas return-project opens the same form; someone without a copy is told why
    const none = await t.command(MALLORY.id, 'return-project');
    expect(textOf(none.reply?.args)).toContain('You hold no copy of a Desktop project');
  });

  it('no seat: the invitation waits, the owner asks an admin, approval sends the seat, and accepting it sends the project by itself', async () => {
    const { result } = await share(ALICE.id, { name: 'Interviews', edition: 'web', users: [CAROL.id] });
    expect(textOf(result!.args.view)).toContain('*Carol Diaz*: holds no seat under `carol@uni.edu`');
    await t.drained();
    expect(dmsTo(CAROL.id)).toHaveLength(0);
    const attention = await lastDmTo(ALICE.id, /Waiting for a seat/);
    expect(textOf(attention.args)).toContain('A project invitation does not give a seat');

    const asked = await t.clickIn(ALICE.id, attention, 'seat_request_ask');
    expect(textOf(asked.reply?.args)).toContain('Asked the license admins for a seat for carol@uni.edu');
    await t.drained();
    // her list no longer offers to ask, in place
    const attentionTs = (attention.result as { ts: string }).ts;
    expect(buttonsOf(t.slack.getMessage(`D${ALICE.id}`, attentionTs) ?? {})).toEqual([]);
    expect(textOf(t.slack.getMessage(`D${ALICE.id}`, attentionTs))).toContain('you asked the admins (seat request #1)');
    const request = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN_CHANNEL && /wants to share/.test(textOf(c.args)));
    expect(buttonsOf(request.args).map((b) => b.action_id)).toEqual(['seat_request_approve', 'seat_request_deny']);

    // only admins may answer
    const notAdmin = await t.clickIn(ALICE.id, request, 'seat_request_approve');
    expect(textOf(notAdmin.reply?.args)).toContain('Only license admins can');
    const approved = await t.clickIn(ADMIN.id, request, 'seat_request_approve');
    expect(textOf(approved.reply?.args)).toContain('invited to *Campus 2026*');
    await t.drained();
    // the request's post says it was approved, in place: no Approve / Deny left, and no second post
    const requestTs = (request.result as { ts: string }).ts;
    expect(buttonsOf(t.slack.getMessage(ADMIN_CHANNEL, requestTs) ?? {})).toEqual([]);
    expect(textOf(t.slack.getMessage(ADMIN_CHANNEL, requestTs))).toContain('Approved by Ada Admin');
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL && /wants to share/.test(textOf(c.args)))).toHaveLength(1);
    const seatDm = await lastDmTo(CAROL.id, /license seat/);
    expect(textOf((await lastDmTo(ALICE.id, /approved a seat/)).args)).toContain('goes out by itself');

    await t.clickIn(CAROL.id, seatDm, 'invitation_accept');
    await t.drained();
    const projectDm = await lastDmTo(CAROL.id, /invited you to the Web project \*Interviews\*/);
    expect(buttonsOf(projectDm.args).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);
    expect(textOf((await lastDmTo(ALICE.id, /now holds a seat/)).args)).toContain('your invitation to *Interviews* went out to them');
    await t.drained();
    expect(textOf(t.slack.getMessage(`D${ALICE.id}`, attentionTs))).toContain('now holds a seat: the invitation went out');
    await t.clickIn(CAROL.id, projectDm, 'invitation_accept');
    expect(await count("SELECT COUNT(*) AS n FROM project_access WHERE kind = 'member'")).toBe(1);
  });

  it('an email that differs only in letter case, or is a letter off, is answered in the form before anything is queued', async () => {
    const outboxBefore = await count('SELECT COUNT(*) AS n FROM outbox');
    const invitationsBefore = await count('SELECT COUNT(*) AS n FROM invitations');
    const caseOnly = await share(ALICE.id, { name: 'Interviews', edition: 'web', emails: 'Bob@UNI.edu' });
    expect(caseOnly.res.json.response_action).toBe('errors');
    expect(caseOnly.res.json.errors.emails).toContain('Bob@UNI.edu: the email on record is bob@uni.edu (account emails are case sensitive)');
    // a near miss of someone known, and a domain one letter off the one everybody has
    const typos = await share(ALICE.id, { name: 'Interviews', edition: 'web', emails: 'bob@uni.eud zed@uni.edo' });
    expect(typos.res.json.errors.emails).toContain('bob@uni.eud: did you mean bob@uni.edu?');
    expect(typos.res.json.errors.emails).toContain('zed@uni.edo: did you mean zed@uni.edu?');
    expect(typos.res.json.errors.emails).toContain('leading !');
    expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(invitationsBefore);
    expect(await count('SELECT COUNT(*) AS n FROM projects')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM outbox')).toBe(outboxBefore);
    // the exact email on record goes through
    const fixed = await share(ALICE.id, { name: 'Interviews', edition: 'web', emails: 'bob@uni.edu' });
    expect(fixed.res.json?.response_action).not.toBe('errors');
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE kind = 'project' AND invitee_email = 'bob@uni.edu'")).toBe(1);
  });

  it('only the owner or an admin shares an existing project or revokes its invitations; revoking a seat keeps the projects, unusable', async () => {
    await share(ALICE.id, { name: 'Interviews', edition: 'web', users: [BOB.id] });
    const stolen = await share(MALLORY.id, { existing: '1', users: [CAROL.id] });
    expect(stolen.res.json.errors.project_new).toContain('Only the owner of "Interviews"');
    const revokeByBob = await t.command(BOB.id, 'revoke 3');
    expect(textOf(revokeByBob.reply?.args)).toContain('Only a license admin or the person who sent invitation #3 can revoke it');

    await t.drained();
    await t.clickIn(BOB.id, await lastDmTo(BOB.id, /Interviews/), 'invitation_accept');
    // it cannot be undone: asked once, naming the person and what follows; nothing happens until the button
    const asked = await t.command(ADMIN.id, `seat release <@${BOB.id}|bob>`);
    expect(textOf(asked.reply?.args)).toContain("*Release Bob Jones's seat in Campus 2026?* They can no longer use ATLAS.ti under it, and they are told. Their project Interviews is kept");
    expect(await count("SELECT COUNT(*) AS n FROM seats WHERE status = 'occupied' AND person_id = (SELECT id FROM people WHERE slack_user_id = 'UBOB')")).toBe(1);
    const release = buttonsOf(asked.reply?.args).find((b) => b.action_id === 'seat_release')!;
    expect((await t.click(MALLORY.id, release.action_id, release.value)).reply?.args.replace_original).not.toBe(true);
    const released = await t.click(ADMIN.id, release.action_id, release.value);
    expect(released.reply?.args.replace_original).toBe(true);
    expect(textOf(released.reply?.args)).toContain("Released Bob Jones's seat in Campus 2026");
    expect(buttonsOf(released.reply?.args)).toEqual([]);
    await t.drained();
    expect(textOf((await lastDmTo(BOB.id, /seat in \*Campus 2026\* was released/)).args)).toContain('Your projects are kept: *Interviews*');
    const status = await t.command(ADMIN.id, `status <@${BOB.id}|bob>`);
    expect(textOf(status.reply?.args)).toContain('*Interviews* (Web, from Alice Smith): accepted; the owner has not yet added them in ATLAS.ti Web · :warning: *unusable until a seat is held again*');
    expect(await count('SELECT COUNT(*) AS n FROM project_access')).toBe(1);
  });
});
