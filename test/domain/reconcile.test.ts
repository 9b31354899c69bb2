/** Reconciling a pool with the ATLAS.ti portal's exported user list. */
import { describe, expect, it } from 'vitest';
import { acceptInvitation, reconcileLicense, resendHandoff, confirmHandoff } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited, type Someone, type TestDeps } from '../support/test-store.js';

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  aLicense(deps.store, { name: 'Campus', seats: 50 });
  const member = async (name: string, email: string) => {
    const p = aPerson(deps.store, { displayName: name, email });
    const { invitationId } = await invited(deps, ada, p, { licenseName: 'Campus' });
    await acceptInvitation({ deps, actor: p.actor, input: { invitationId } });
    return p;
  };
  const alice = await member('Alice', 'Alice.Smith@uni.edu');
  const bob = await member('Bob', 'bob@uni.edu');
  const carol = await member('Carol', 'Carol@uni.edu');
  // Dan is invited and has not answered yet: not a stranger to the portal
  const dan = aPerson(deps.store, { displayName: 'Dan', email: 'dan@uni.edu' });
  await invited(deps, ada, dan, { licenseName: 'Campus' });
  return { deps, ada, alice, bob, carol };
};

const seatOf = (deps: TestDeps, who: Someone) => deps.store.seats().find((s) => s.personId === who.person.id)!;

describe('reconcileLicense', () => {
  it('sorts the portal list into confirmed, case-only, missing and never invited, and marks the confirmed as joined', async () => {
    const { deps, ada, alice, bob, carol } = await world();
    const csv = ['"Name";"E-mail address";"Role"', '"Smith, Alice";Alice.Smith@uni.edu;User', 'Carol;carol@uni.edu;User', 'Eve;eve@elsewhere.org;User', 'Dan;dan@uni.edu;User', 'Nobody;;User'].join('\r\n');
    const r = await reconcileLicense({ deps, actor: ada.actor, input: { licenseName: 'Campus', csv } });
    expect(r.confirmed).toEqual([{ name: 'Alice', email: 'Alice.Smith@uni.edu' }]);
    expect(r.caseOnly).toEqual([{ name: 'Carol', here: 'Carol@uni.edu', portal: 'carol@uni.edu' }]);
    expect(r.missing).toEqual([{ name: 'Bob', email: 'bob@uni.edu', seatId: seatOf(deps, bob).id }]);
    expect(r.unknown).toEqual(['eve@elsewhere.org']);
    expect(r.unreadable).toBe(1);
    expect(seatOf(deps, alice).handoff).toBe('joined');
    expect(seatOf(deps, carol).handoff).toBe('awaiting');
    expect(deps.store.messagesTo(ada.person.id).filter((e) => e.message.type === 'reconcile_report')).toHaveLength(1);
  });

  it('needs an email column, and an admin', async () => {
    const { deps, ada, alice } = await world();
    const noColumn = await domainErrorOf(reconcileLicense({ deps, actor: ada.actor, input: { licenseName: 'Campus', csv: 'Name,Role\nAlice,User' } }));
    expect(noColumn).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'csv' } });
    expect(noColumn.userMessage).toContain('no column whose header contains "email"');
    expect((await domainErrorOf(reconcileLicense({ deps, actor: alice.actor, input: { licenseName: 'Campus', csv: 'Email\nx@y.z' } }))).code).toBe('FORBIDDEN');
  });

  it("resending a missing member's hand-off reopens it as an admin to-do", async () => {
    const { deps, ada, bob } = await world();
    const seat = seatOf(deps, bob);
    await confirmHandoff({ deps, actor: ada.actor, input: { seatId: seat.id } });
    const r = await resendHandoff({ deps, actor: ada.actor, input: { seatId: seat.id } });
    expect(r).toEqual({ personName: 'Bob', licenseName: 'Campus', how: 'admin' });
    expect(seatOf(deps, bob).handoff).toBe('awaiting');
    const todo = deps.store.messages('admin_invitation_event').at(-1)!;
    expect(todo.message).toMatchObject({ event: 'accepted', invitation: { handoff: 'awaiting', seatId: seat.id } });
    expect((await domainErrorOf(resendHandoff({ deps, actor: bob.actor, input: { seatId: seat.id } }))).code).toBe('FORBIDDEN');
  });
});
