/** The hand-off to ATLAS.ti: nobody hears "your seat is ready" until an admin added them in the portal. */
import { describe, expect, it } from 'vitest';
import { acceptInvitation, confirmHandoff, confirmJoined, releaseSeat } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited, type Someone, type TestDeps } from '../support/test-store.js';

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice.Smith@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory' });
  aLicense(deps.store, { name: 'Campus', seats: 5 });
  const { invitationId } = await invited(deps, ada, alice, { licenseName: 'Campus' });
  const accepted = await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
  const seatId = deps.store.seats()[0]!.id;
  return { deps, ada, alice, mallory, invitationId, accepted, seatId };
};

/** news to the invitee: new messages about their invitation */
const updatesTo = (deps: TestDeps, who: Someone) =>
  deps.store.messagesTo(who.person.id).flatMap((e) => (e.message.type === 'invitation_update' ? [e.message.invitation] : []));

describe('accepting a license invitation', () => {
  it('records the seat as awaiting its hand-off, and every message says so', async () => {
    const { deps, alice, accepted, seatId } = await world();
    expect(accepted.invitation).toMatchObject({ status: 'accepted', handoff: 'awaiting', seatId });
    expect(updatesTo(deps, alice)).toEqual([]);
    expect(deps.store.announced(accepted.invitation.invitationId)).toMatchObject({ invitation: { status: 'accepted', handoff: 'awaiting' } });
    const admin = deps.store.messages('admin_invitation_event').find((e) => e.message.event === 'accepted');
    expect(admin?.message.invitation).toMatchObject({ handoff: 'awaiting', seatId, inviteeEmail: 'Alice.Smith@uni.example' });
  });
});

describe('confirmHandoff (an admin pressed Done)', () => {
  it('hands the seat over once, tells the invitee it is ready, and a second Done changes nothing', async () => {
    const { deps, ada, alice, seatId } = await world();
    const before = updatesTo(deps, alice).length;
    const done = await confirmHandoff({ deps, actor: ada.actor, input: { seatId } });
    expect(done).toEqual({ outcome: 'handed_over', personName: 'Alice', email: 'Alice.Smith@uni.example', licenseName: 'Campus', byName: 'Ada Admin' });
    expect(deps.store.seats()[0]).toMatchObject({ handoff: 'handed_over', handedOverBy: ada.person.id });
    const told = updatesTo(deps, alice);
    expect(told).toHaveLength(before + 1);
    expect(told.at(-1)).toMatchObject({ status: 'accepted', handoff: 'handed_over', seatId });
    // that news carries the live state from now on: the older messages point to it
    const news = deps.store.messagesTo(alice.person.id).at(-1)!;
    expect(deps.store.announced(told.at(-1)!.invitationId)).toMatchObject({ current: news.id, invitation: { handoff: 'handed_over' } });
    expect(deps.store.auditLog().filter((e) => e.action === 'seat.handed_over')).toHaveLength(1);

    const again = await confirmHandoff({ deps, actor: ada.actor, input: { seatId } });
    expect(again).toMatchObject({ outcome: 'already_handed_over', byName: 'Ada Admin' });
    expect(updatesTo(deps, alice)).toHaveLength(before + 1);
  });

  it('is for admins only; an unknown seat or a released one is answered, not acted on', async () => {
    const { deps, ada, alice, mallory, seatId } = await world();
    expect((await domainErrorOf(confirmHandoff({ deps, actor: mallory.actor, input: { seatId } }))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(confirmHandoff({ deps, actor: alice.actor, input: { seatId } }))).code).toBe('FORBIDDEN');
    expect(deps.store.seats()[0]?.handoff).toBe('awaiting');
    expect((await domainErrorOf(confirmHandoff({ deps, actor: ada.actor, input: { seatId: 999 } }))).code).toBe('NOT_FOUND');
    await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id, licenseName: 'Campus' } });
    expect(await confirmHandoff({ deps, actor: ada.actor, input: { seatId } })).toEqual({ outcome: 'released', personName: 'Alice', licenseName: 'Campus' });
  });
});

describe("confirmJoined (the person's I'm in)", () => {
  it('only the seat holder can say it, and it is recorded once', async () => {
    const { deps, ada, alice, mallory, seatId } = await world();
    await confirmHandoff({ deps, actor: ada.actor, input: { seatId } });
    expect((await domainErrorOf(confirmJoined({ deps, actor: mallory.actor, input: { seatId } }))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(confirmJoined({ deps, actor: ada.actor, input: { seatId } }))).code).toBe('FORBIDDEN');
    const mine = await confirmJoined({ deps, actor: alice.actor, input: { seatId } });
    expect(mine).toMatchObject({ status: 'accepted', handoff: 'joined' });
    await confirmJoined({ deps, actor: alice.actor, input: { seatId } });
    expect(deps.store.auditLog().filter((e) => e.action === 'seat.joined')).toHaveLength(1);
    expect(deps.store.seats()[0]?.joinedAt).not.toBeNull();
  });
});
