/**
 * How seats count, per pool: concurrent (members unlimited or capped, seats used at a time) and
 * assigned (one seat per member), through the verbs and in the words every platform shows.
 */
import { describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  addLicense,
  diagnose,
  inviteToLicense,
  requestSupport,
  fullReason,
  levelNote,
  listLicenses,
  poolLevel,
  reviewPending,
  usageLine,
  shortUsage,
  type DomainSettings,
  type PoolFigures,
} from '../../src/domain/index.js';
import { anAdmin, aPerson, domainDeps, domainErrorOf, type Someone, type TestDeps } from '../support/test-store.js';

const world = (settings: Partial<DomainSettings> = {}) => {
  const deps = domainDeps({ settings });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const people = Array.from({ length: 12 }, (_, k) => aPerson(deps.store, { displayName: `Member ${k + 1}`, email: `member${k + 1}@uni.example` }));
  return { deps, ada, people };
};

const inviteAll = (deps: TestDeps, ada: Someone, who: Someone[], licenseName: string) =>
  inviteToLicense({ deps, actor: ada.actor, input: { licenseName, invitees: who.map((p) => ({ personId: p.person.id })) } });

const acceptAll = async (deps: TestDeps, people: Someone[]) => {
  const outcomes: string[] = [];
  for (const p of people) {
    const inv = deps.store.invitations().find((i) => i.inviteeId === p.person.id && i.status === 'pending')!;
    outcomes.push((await acceptInvitation({ deps, actor: p.actor, input: { invitationId: inv.id } })).outcome);
  }
  return outcomes;
};

describe('a concurrent pool (the default for new pools)', () => {
  it('of 2 seats takes 5 members: nobody is refused for lack of seats, and all 5 accept', async () => {
    const { deps, ada, people } = world();
    const created = await addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats: 2 } });
    expect(created.license).toMatchObject({ seatModel: 'concurrent', memberCap: null, seats: 2 });
    const five = people.slice(0, 5);
    const r = await inviteAll(deps, ada, five, 'Campus');
    expect(r.confirmation).toBeUndefined();
    expect(r.outcomes.map((o) => o.status)).toEqual(['invited', 'invited', 'invited', 'invited', 'invited']);
    expect(await acceptAll(deps, five)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    const [campus] = await listLicenses({ deps, actor: ada.actor, input: undefined });
    expect(campus).toMatchObject({ occupied: 5, reserved: 0, level: 'ok' });
    expect(usageLine({ ...campus!.license, occupied: campus!.occupied, reserved: campus!.reserved })).toBe('5 members · 2 seats at a time');
    expect(deps.store.messages('license_full_notice')).toHaveLength(0);
  });

  it('with a member cap refuses past it, tells the person, and its accept never overfills the cap', async () => {
    const { deps, ada, people } = world();
    await addLicense({ deps, actor: ada.actor, input: { name: 'Capped', seats: 2, seatModel: 'concurrent', memberCap: 3 } });
    // four people for three places: the admin is asked first, as with any pool that cannot take everyone
    const asked = await inviteAll(deps, ada, people.slice(0, 4), 'Capped');
    expect(asked.confirmation).toMatchObject({ newcomers: 4, free: 3 });
    const three = await inviteAll(deps, ada, people.slice(0, 3), 'Capped');
    expect(three.outcomes.map((o) => o.status)).toEqual(['invited', 'invited', 'invited']);
    const fourth = await inviteAll(deps, ada, [people[3]!], 'Capped');
    expect(fourth.outcomes.map((o) => o.status)).toEqual(['no_free_seat']);
    expect(deps.store.messages('license_full_notice').map((e) => e.message)).toEqual([
      { type: 'license_full_notice', licenseName: 'Capped', inviterName: 'Ada Admin', seats: 2, seatModel: 'concurrent', memberCap: 3 },
    ]);
    expect(await acceptAll(deps, people.slice(0, 3))).toEqual(['accepted', 'accepted', 'accepted']);
    const [capped] = await listLicenses({ deps, actor: ada.actor, input: undefined });
    expect(capped).toMatchObject({ occupied: 3, reserved: 0, level: 'full' });
  });

  it('warns when members pass a multiple of its seats (4× unless the admin sets another), and the digest says why', async () => {
    const { deps, ada, people } = world({ crowdRatio: 2 });
    await addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats: 2 } });
    await inviteAll(deps, ada, people.slice(0, 4), 'Campus');
    expect((await listLicenses({ deps, actor: ada.actor, input: undefined }))[0]?.level).toBe('ok');
    await inviteAll(deps, ada, [people[4]!], 'Campus');
    expect((await listLicenses({ deps, actor: ada.actor, input: undefined }))[0]?.level).toBe('warn');
    const [page] = await reviewPending({ deps, actor: ada.actor, input: undefined });
    const entry = page!.entries.find((e) => e.kind === 'license');
    expect(entry).toMatchObject({ kind: 'license', seatModel: 'concurrent', level: 'warn', occupied: 0, reserved: 5 });
    expect(levelNote(entry as PoolFigures, 'warn')).toBe('2.5 members per seat: people may find every seat busy');
  });
});

describe('status and support know how a pool counts', () => {
  it('a member of a concurrent pool hears why ATLAS.ti may find no free seat; a member of an assigned one does not', async () => {
    const { deps, ada, people } = world({ hasSupportChannel: true });
    await addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats: 50 } });
    await addLicense({ deps, actor: ada.actor, input: { name: 'Lab', seats: 5, seatModel: 'assigned' } });
    const [carla, lars] = people;
    await inviteAll(deps, ada, [carla!], 'Campus');
    await inviteAll(deps, ada, [lars!], 'Lab');
    await acceptAll(deps, [carla!, lars!]);
    const mine = await diagnose({ deps, actor: carla!.actor, input: {} });
    const busy = mine.findings.find((f) => f.topic === 'seats_in_use');
    expect(busy?.text).toContain('"Campus" is a concurrent license: 50 people can use ATLAS.ti at the same time');
    expect(busy?.text).toContain('all 50 may be in use right now');
    expect(busy?.text).toContain('"Free up my seats" in your ATLAS.ti account');
    // an admin looking at her is told the same about her seat, in the third person
    expect((await diagnose({ deps, actor: ada.actor, input: { personId: carla!.person.id } })).findings.find((f) => f.topic === 'seats_in_use')?.text).toContain('their ATLAS.ti is open');
    expect((await diagnose({ deps, actor: lars!.actor, input: {} })).findings.map((f) => f.topic)).not.toContain('seats_in_use');
    const request = await requestSupport({ deps, actor: carla!.actor, input: { email: 'member1@uni.example', topic: 'license_no_software', description: 'It says no seat is free.' } });
    expect(request.seats).toEqual(['Campus (member1@uni.example, concurrent: 50 at a time)']);
  });
});

describe('an assigned pool', () => {
  it('keeps one seat per member: pending invitations hold theirs, and full means full', async () => {
    const { deps, ada, people } = world();
    await addLicense({ deps, actor: ada.actor, input: { name: 'Lab', seats: 2, seatModel: 'assigned' } });
    const r = await inviteAll(deps, ada, people.slice(0, 2), 'Lab');
    expect(r.outcomes.map((o) => o.status)).toEqual(['invited', 'invited']);
    expect((await inviteAll(deps, ada, [people[2]!], 'Lab')).outcomes.map((o) => o.status)).toEqual(['no_free_seat']);
    const [lab] = await listLicenses({ deps, actor: ada.actor, input: undefined });
    expect(lab?.level).toBe('full');
    expect(usageLine({ ...lab!.license, occupied: lab!.occupied, reserved: lab!.reserved })).toBe('2/2 seats used (0 taken, 2 held for pending invitations) · full');
  });
});

describe('license add: the model and the member limit', () => {
  it('refuses a member limit on an assigned pool, or one below the seats, saying what to do', async () => {
    const { deps, ada } = world();
    const onAssigned = await domainErrorOf(addLicense({ deps, actor: ada.actor, input: { name: 'Lab', seats: 10, seatModel: 'assigned', memberCap: 20 } }));
    expect(onAssigned).toMatchObject({ code: 'INVALID_INPUT', userMessage: expect.stringContaining('only for concurrent licenses') });
    const below = await domainErrorOf(addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats: 10, memberCap: '5' } }));
    expect(below.userMessage).toMatch(/give at least 10, or leave it out/);
    const notNumber = await domainErrorOf(addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats: 10, memberCap: 'lots' } }));
    expect(notNumber.userMessage).toMatch(/member limit must be a whole number/);
    expect(deps.store.dump().licenses).toEqual([]);
  });
});

describe('the words for a pool', () => {
  const concurrent = (occupied: number, reserved: number, memberCap: number | null = null): PoolFigures => ({ seats: 50, seatModel: 'concurrent', memberCap, occupied, reserved });
  it('say each model in its own terms', () => {
    expect(usageLine(concurrent(112, 8))).toBe('120 members (8 invited) · 50 seats at a time');
    expect(shortUsage(concurrent(1, 0))).toBe('1 member · 50 seats at a time');
    expect(usageLine(concurrent(190, 10, 200))).toBe('200 members (10 invited) · 50 seats at a time · member limit of 200 reached');
    expect(usageLine({ seats: 10, seatModel: 'assigned', occupied: 7, reserved: 2 })).toBe('9/10 seats used (7 taken, 2 held for pending invitations)');
    // a message queued before pools had a model reads as assigned, as those pools were
    expect(shortUsage({ seats: 10, occupied: 3, reserved: 0 })).toBe('3/10 seats used');
  });
  it('say why a full assigned pool is full: seats taken are not seats held for pending invitations', () => {
    const assigned = (occupied: number, reserved: number): PoolFigures => ({ seats: 2, seatModel: 'assigned', occupied, reserved });
    expect(fullReason(assigned(2, 0))).toBe('all 2 seats are taken');
    expect(fullReason(assigned(0, 2))).toBe('all 2 seats are held for pending invitations');
    expect(fullReason(assigned(1, 1))).toBe('all 2 seats are in use: 1 taken, 1 held for pending invitations');
    expect(fullReason({ seats: 1, seatModel: 'assigned', occupied: 0, reserved: 1 })).toBe('its 1 seat is held for pending invitations');
    expect(fullReason(concurrent(190, 10, 200))).toBe('it has reached its limit of 200 members');
  });
  it('warn by the model: assigned from 90 %, concurrent past the ratio or near its cap', () => {
    expect(poolLevel({ seats: 10, seatModel: 'assigned', occupied: 8, reserved: 1 })).toBe('warn');
    expect(poolLevel({ seats: 10, seatModel: 'assigned', occupied: 8, reserved: 0 })).toBe('ok');
    expect(poolLevel(concurrent(200, 0))).toBe('ok');
    expect(poolLevel(concurrent(201, 0))).toBe('warn');
    expect(poolLevel(concurrent(201, 0), 5)).toBe('ok');
    expect(poolLevel(concurrent(90, 0, 100))).toBe('warn');
    expect(poolLevel(concurrent(100, 0, 100))).toBe('full');
  });
});
