import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postSigned } from '../support/slack-requests.js';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, CAROL, MALLORY, SECRET, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';
import { STANDIN_TEAM_ID } from '../support/slack-standin.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  await t.command(ADMIN.id, 'license add "Campus 2026" 10 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
  await t.click(ALICE.id, 'invitation_accept', 'inv:1');
  await t.click(BOB.id, 'invitation_accept', 'inv:2');
  await t.drained();
});
afterEach(async () => {
  await t.close();
});

async function shareWith(owner: string, name: string, edition: 'web' | 'desktop', users: string[]) {
  // the answer to this form, not one to an earlier share (the stand-in's waitFor also looks back)
  const before = t.slack.calls.length;
  await t.submitView(owner, 'share_project_form', {
    project_new: { project_name: { type: 'plain_text_input', value: name } },
    edition: { edition_choice: { type: 'radio_buttons', selected_option: { value: edition, text: { type: 'plain_text', text: edition } } } },
    users: { users_select: { type: 'multi_users_select', selected_users: users } },
    emails: { emails_input: { type: 'plain_text_input', value: null } },
    desktop_link: { link_input: { type: 'url_text_input', value: edition === 'desktop' ? 'https://cloud.atlasti.com/s/x.atlasti' : null } },
    message: { message_input: { type: 'plain_text_input', value: null } },
  });
  await t.slack.waitFor((c) => c.method === 'views.update' && /invited/.test(textOf(c.args.view)) && t.slack.calls.indexOf(c) >= before);
  await t.drained();
}

describe('status as a diagnosis', () => {
  it('a seat but no project: explained to the person, and to the owner with a Share button', async () => {
    const mine = await t.command(BOB.id, 'status');
    expect(textOf(mine.reply?.args)).toContain('You hold a seat, so you can use ATLAS.ti, but no project has been shared with you');

    // Alice owns a project shared with Carol only; she may look up Carol, not Bob
    await shareWith(ALICE.id, 'Interviews', 'web', [CAROL.id]);
    const carol = await t.command(ALICE.id, `status <@${CAROL.id}|carol>`);
    const text = textOf(carol.reply?.args);
    expect(text).toContain('is waiting: Carol Diaz holds no ATLAS.ti seat under carol@uni.edu, and a project invitation does not give one');
    expect(buttonsOf(carol.reply?.args).map((b) => b.action_id)).toContain('seat_request_ask');
    const denied = await t.command(ALICE.id, `status <@${BOB.id}|bob>`);
    expect(textOf(denied.reply?.args)).toContain('looking up anyone else is for license admins');

    // the admin sees Bob: a seat and none of the admin's projects
    const admin = await t.command(ADMIN.id, `status <@${BOB.id}|bob>`);
    expect(textOf(admin.reply?.args)).toContain('holds a seat, but no project has been shared with them');
    expect(buttonsOf(admin.reply?.args).map((b) => b.action_id)).toEqual(['project_share_open']);
    const open = await t.click(ADMIN.id, 'project_share_open', 'share', { noReply: true });
    expect(open.status).toBe(200);
    await t.slack.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'share_project_form');
  });

  it('a Desktop copy does not sync; a Web project does, and says who is in it; an expired invitation says how to fix it', async () => {
    await shareWith(ALICE.id, 'Fieldwork', 'desktop', [BOB.id]);
    await t.clickIn(BOB.id, t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${BOB.id}` && /Fieldwork/.test(textOf(c.args)))!, 'invitation_accept');
    await shareWith(ALICE.id, 'Survey', 'web', [BOB.id]);
    await t.clickIn(BOB.id, t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${BOB.id}` && /Survey/.test(textOf(c.args)))!, 'invitation_accept');
    const s = await t.command(BOB.id, 'status');
    const text = textOf(s.reply?.args);
    expect(text).toContain('"Fieldwork" is a Desktop project: nothing syncs');
    expect(text).toContain('"Survey" is a Web project: changes are saved and synced in real time for its owner and members (Bob Jones)');
    expect(buttonsOf(s.reply?.args).map((b) => b.action_id)).toContain('project_return_copy');

    await t.command(ADMIN.id, `invite-license <@${MALLORY.id}|mallory>`);
    await t.query("UPDATE invitations SET expires_at = 1 WHERE invitee_id = (SELECT id FROM people WHERE slack_user_id = 'UMALLORY')");
    const m = await t.command(ADMIN.id, `status <@${MALLORY.id}|mallory>`);
    expect(textOf(m.reply?.args)).toContain('expired, so its link and buttons no longer work. Re-invite to send a new one');
    expect(buttonsOf(m.reply?.args).map((b) => b.action_id)).toContain('invitation_reinvite');
  });
});

describe('support', () => {
  it('the form is prefilled, checks its fields, and posts everything (with a screenshot) to the support channel; the person gets a copy', async () => {
    await t.command(ALICE.id, 'support', { noReply: true });
    const opened = await t.slack.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'support_form');
    expect(opened.args.view.blocks.find((b: any) => b.block_id === 'email').element.initial_value).toBe('Alice.Smith@uni.edu');
    expect(opened.args.view.blocks.find((b: any) => b.block_id === 'screenshots').element.type).toBe('file_input');

    const values = (email: string, topic: string | null, description: string) => ({
      email: { email_input: { type: 'plain_text_input', value: email } },
      topic: { topic_select: { type: 'static_select', selected_option: topic ? { value: topic, text: { type: 'plain_text', text: topic } } : null } },
      description: { description_input: { type: 'plain_text_input', value: description } },
      screenshots: { files_input: { type: 'file_input', files: [{ id: 'F1', name: 'error.png', title: 'error.png', permalink: 'https://standin.slack.com/files/UALICE/F1/error.png' }] } },
    });
    const bad = await t.submitView(ALICE.id, 'support_form', values('alice@', null, ''));
    expect(Object.keys(bad.json.errors).sort()).toEqual(['description', 'email', 'topic']);
    const ok = await t.submitView(ALICE.id, 'support_form', values('Alice.Smith@uni.edu', 'license_no_software', 'ATLAS.ti says "no license" <b>'));
    expect(ok.json.response_action).toBe('update');
    await t.drained();
    const post = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN_CHANNEL && /Support request/.test(textOf(c.args)));
    const text = textOf(post.args);
    expect(text).toContain('Has a license but cannot use the software');
    expect(text).toContain('`Alice.Smith@uni.edu`');
    expect(text).toContain('Campus 2026 (Alice.Smith@uni.edu)');
    expect(text).toContain('error.png');
    expect(JSON.stringify(post.args)).toContain('&lt;b&gt;');
    await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}` && /I sent this to support/.test(textOf(c.args)));
  });
});

describe('App Home', () => {
  const openHome = (user: string) =>
    postSigned(`${t.bot.url}/slack/events`, SECRET, JSON.stringify({
      token: 'x', team_id: STANDIN_TEAM_ID, api_app_id: 'A0STANDIN', type: 'event_callback', event_id: `Ev${user}${Date.now()}`, event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1.2' },
    }));

  it('publishes seats, projects and pending invitations for a member, and seat usage for an admin, within 100 blocks', async () => {
    await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol>`);
    expect((await openHome(CAROL.id)).status).toBe(200);
    const carol = await t.slack.waitFor((c) => c.method === 'views.publish' && c.args.user_id === CAROL.id);
    expect(carol.args.view.type).toBe('home');
    expect(textOf(carol.args.view)).toContain('Invitation #3: a seat in *Campus 2026*');
    expect(buttonsOf(carol.args.view).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline', 'home_refresh']);
    expect(textOf(carol.args.view)).not.toContain('For license admins');

    await openHome(ADMIN.id);
    const admin = await t.slack.waitFor((c) => c.method === 'views.publish' && c.args.user_id === ADMIN.id);
    expect(textOf(admin.args.view)).toContain('1 invitation pending');
    expect(textOf(admin.args.view)).toContain('*Campus 2026* · 3/10 seats used');
    expect(admin.args.view.blocks.length).toBeLessThanOrEqual(100);
  });
});
