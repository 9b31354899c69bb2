/** Concurrent and assigned pools, end to end through signed Slack requests. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, CAROL, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const EVERYONE = [ADMIN, ALICE, BOB, CAROL, MALLORY];

describe('seat models', () => {
  it('a concurrent pool of 2 seats takes 5 members: all are invited, all accept, and it says so in its own terms', async () => {
    const created = await t.command(ADMIN.id, 'license add "Campus" 2');
    expect(textOf(created.reply?.args)).toContain('Created the license *Campus*: 2 seats in use at a time, any number of members.');
    expect(textOf(created.reply?.args)).toContain('a seat is taken only while someone has the software open');

    const invited = await t.command(ADMIN.id, `invite-license ${EVERYONE.map((p) => `<@${p.id}|${p.name}>`).join(' ')}`);
    expect(textOf(invited.reply?.args)).toContain('5 of 5 invited to Campus');
    await t.drained();

    for (const person of EVERYONE) {
      const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${person.id}` && buttonsOf(c.args).length > 0);
      expect(dm, `${person.real_name} got an invitation`).toBeDefined();
      const accept = buttonsOf(dm!.args).find((b) => b.action_id === 'invitation_accept')!;
      const answer = await t.click(person.id, accept.action_id, accept.value, { channel_id: `D${person.id}`, message_ts: dm!.args.ts });
      expect(answer.status).toBe(200);
      expect(textOf(answer.reply?.args), `${person.real_name} accepted`).not.toMatch(/full right now/);
    }
    await t.drained();

    const licenses = textOf((await t.command(ALICE.id, 'licenses')).reply?.args);
    expect(licenses).toContain('*Campus* · 5 members · 2 seats at a time');
    expect(licenses).not.toMatch(/5\/2|full/);
  });

  it('a member cap is a limit: the capacity question counts places left, and past the cap the invitee is told why', async () => {
    await t.command(ADMIN.id, 'license add "Capped" 2 concurrent max 2');
    const asked = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob> <@${CAROL.id}|carol>`);
    expect(textOf(asked.reply?.args)).toContain('3 people, 2 member places left* in *Capped*. Nothing has been sent yet.');
    expect(textOf(asked.reply?.args)).toContain('raise the member limit first');

    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
    const third = await t.command(ADMIN.id, `invite-license <@${CAROL.id}|carol>`);
    expect(textOf(third.reply?.args)).toMatch(/Carol Diaz.*not invited/);
    await t.drained();
    const notice = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${CAROL.id}`);
    expect(textOf(notice?.args)).toContain('it has reached its limit of 2 members right now');

    const licenses = textOf((await t.command(ADMIN.id, 'licenses')).reply?.args);
    expect(licenses).toContain('*Capped* · 2 members (2 invited) · 2 seats at a time · member limit of 2 reached · *nobody more can be invited*');
  });

  it('a typo in the model or the limit gets the usage back, and nothing is created', async () => {
    const typo = await t.command(ADMIN.id, 'license add "Lab" 10 asigned');
    expect(textOf(typo.reply?.args)).toContain('`asigned` is not a way of counting seats: use `concurrent` (the default) or `assigned`.');
    const capOnAssigned = await t.command(ADMIN.id, 'license add "Lab" 10 assigned max 20');
    expect(textOf(capOnAssigned.reply?.args)).toContain('a member limit is only for concurrent licenses');
    expect(textOf((await t.command(ADMIN.id, 'licenses')).reply?.args)).toContain('There is no license pool yet');
  });
});
