/** Every change of an invitation, a seat, a pool or an admin writes an audit row in the same transaction. */
import { describe, expect, it } from 'vitest';
import {
  acceptInvitation, addAdmin, addLicense, declineInvitation, inviteToLicense, removeAdmin, requestAcceptConfirmation, resendInvitation, revokeInvitation,
} from '../../src/domain/index.js';
import { anAdmin, aPerson, DAY_MS, domainDeps, latestLink, type StoreDump as MemoryState, type TestDeps } from '../support/test-store.js';

/** The subjects whose stored rows differ between two dumps, as `type:id`. */
function changedSubjects(before: MemoryState, after: MemoryState): string[] {
  const diff = <T extends { id: number }>(type: string, a: T[], b: T[]) =>
    b.filter((row) => JSON.stringify(a.find((o) => o.id === row.id)) !== JSON.stringify(row)).map((row) => `${type}:${row.id}`);
  const admins = (s: MemoryState) => new Set(s.admins.map((a) => a.personId));
  const [a0, a1] = [admins(before), admins(after)];
  return [
    ...diff('license', before.licenses, after.licenses),
    ...diff('invitation', before.invitations, after.invitations),
    ...diff('seat', before.seats, after.seats),
    ...[...a1].filter((id) => !a0.has(id)).map((id) => `admin:${id}`),
    ...[...a0].filter((id) => !a1.has(id)).map((id) => `admin:${id}`),
  ];
}

async function step(deps: TestDeps, run: () => Promise<unknown> | unknown): Promise<{ changed: string[]; audited: string[] }> {
  deps.clock.advance(60_000);
  const before = deps.store.dump();
  await run();
  const after = deps.store.dump();
  const rows = after.audit.slice(before.audit.length);
  for (const r of rows) {
    expect(r.at).toBe(deps.clock.now());
    expect(r.actorUserId).toBeTruthy();
  }
  return { changed: changedSubjects(before, after), audited: rows.map((r) => `${r.subjectType}:${r.subjectId}`) };
}

describe('the audit trail', () => {
  it('has a row for every change made by every verb', async () => {
    const deps = domainDeps({ settings: { configuredAdmins: ['UROOT'] } });
    const root = aPerson(deps.store, { slackUserId: 'UROOT' });
    const ada = anAdmin(deps.store);
    const [alice, bob, carol, dave] = [aPerson(deps.store), aPerson(deps.store), aPerson(deps.store), aPerson(deps.store)];
    const invite = (who: typeof alice) => () => inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: who.person.id }] } });
    const steps: { changed: string[]; audited: string[] }[] = [];
    const run = async (fn: () => Promise<unknown> | unknown) => {
      const s = await step(deps, fn);
      steps.push(s);
      return s;
    };

    await run(() => addLicense({ deps, actor: root.actor, input: { name: 'Campus', seats: 10 } }));
    await run(() => addAdmin({ deps, actor: root.actor, input: { personId: bob.person.id } }));
    await run(invite(alice));
    await run(invite(bob));
    await run(invite(carol));
    await run(invite(dave));
    await run(() => acceptInvitation({ deps, actor: alice.actor, input: { invitationId: 1 } }));
    await run(() => declineInvitation({ deps, actor: bob.actor, input: { invitationId: 2 } }));
    await run(() => resendInvitation({ deps, actor: ada.actor, input: { invitationId: 3 } }));
    await run(() => requestAcceptConfirmation(deps, latestLink(deps.store, 3).token));
    await run(() => revokeInvitation({ deps, actor: root.actor, input: { invitationId: 3 } }));
    deps.clock.advance(15 * DAY_MS);
    await run(() => acceptInvitation({ deps, actor: dave.actor, input: { invitationId: 4 } }));
    await run(() => removeAdmin({ deps, actor: root.actor, input: { personId: bob.person.id } }));

    // the run did change things at every step …
    expect(steps.every((s) => s.changed.length > 0)).toBe(true);
    // … and every changed subject has its audit row from that step
    for (const s of steps) expect(s.audited).toEqual(expect.arrayContaining(s.changed));

    expect(deps.store.auditLog().map((e) => e.action)).toEqual([
      'license.created',
      'admin.added',
      'invitation.created',
      'invitation.created',
      'invitation.created',
      'invitation.created',
      'invitation.accepted',
      'seat.occupied',
      'invitation.declined',
      'invitation.resent',
      'invitation.confirmation_requested',
      'invitation.revoked',
      'invitation.expired',
      'admin.removed',
    ]);
  });

  it('names who acted and from which platform', async () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    const alice = aPerson(deps.store);
    await addLicense({ deps, actor: { ...ada.actor, platform: 'teams', userId: '29:ada' }, input: { name: 'Campus', seats: 1 } });
    await inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: alice.person.id }] } });
    await acceptInvitation({ deps, actor: { platform: 'teams', userId: '29:alice', personId: alice.person.id }, input: { invitationId: 1 } });
    expect(deps.store.auditLog().map((e) => [e.action, e.platform, e.actorUserId, e.actorPersonId])).toEqual([
      ['license.created', 'teams', '29:ada', ada.person.id],
      ['invitation.created', 'slack', ada.actor.userId, ada.person.id],
      ['invitation.accepted', 'teams', '29:alice', alice.person.id],
      ['seat.occupied', 'teams', '29:alice', alice.person.id],
    ]);
  });

  it('a refused action leaves no audit row behind', async () => {
    const deps = domainDeps();
    anAdmin(deps.store);
    const mallory = aPerson(deps.store);
    await expect(addLicense({ deps, actor: mallory.actor, input: { name: 'X', seats: 1 } })).rejects.toThrow(/FORBIDDEN/);
    expect(deps.store.auditLog()).toEqual([]);
  });
});

describe('capacity', () => {
  it('however many are invited and accept, occupied never exceeds the seats', async () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    await addLicense({ deps, actor: ada.actor, input: { name: 'Small', seats: 3, seatModel: 'assigned' } });
    const people = Array.from({ length: 10 }, () => aPerson(deps.store));
    // confirmed: "10 people, 3 seats free: invite 3"
    const res = await inviteToLicense({ deps, actor: ada.actor, input: { invitees: people.map((p) => ({ personId: p.person.id })), confirmed: true } });
    expect(res.outcomes.filter((o) => o.status === 'invited')).toHaveLength(3);
    expect(res.outcomes.filter((o) => o.status === 'no_free_seat')).toHaveLength(7);
    for (const o of res.outcomes) {
      if (o.status !== 'invited') continue;
      const who = people.find((p) => p.person.id === o.invitee.id)!;
      await acceptInvitation({ deps, actor: who.actor, input: { invitationId: o.invitationId } });
    }
    expect(await deps.store.transaction((r) => r.licenses.usage(1))).toEqual({ occupied: 3, reserved: 0 });
    // the next one is refused, as the pool is full of occupied seats now
    const late = aPerson(deps.store);
    const again = await inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: late.person.id }] } });
    expect(again.outcomes[0]?.status).toBe('no_free_seat');
    expect(deps.store.seats()).toHaveLength(3);
  });
});
