import { describe, expect, it } from 'vitest';
import { addLicense, listLicenses } from '../../src/domain/index.js';
import { anAdmin, aPerson, domainDeps, domainErrorOf, T0 } from '../support/test-store.js';

const world = () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada' });
  return { deps, ada };
};

describe('addLicense', () => {
  it('creates an empty pool, concurrent unless told otherwise, trims its name, takes seats as text too, and audits it', async () => {
    const { deps, ada } = world();
    const res = await addLicense({ deps, actor: ada.actor, input: { name: '  Campus 2026 ', seats: '50' } });
    expect(res).toEqual({ license: { id: 1, name: 'Campus 2026', seats: 50, seatModel: 'concurrent', memberCap: null, createdAt: T0 }, occupied: 0, reserved: 0 });
    expect(deps.store.dump().licenses).toEqual([{ id: 1, name: 'Campus 2026', seats: 50, seatModel: 'concurrent', memberCap: null, createdAt: T0, createdBy: ada.person.id }]);
    expect(deps.store.auditLog()).toEqual([
      {
        at: T0, platform: 'slack', actorUserId: ada.actor.userId, actorPersonId: ada.person.id,
        action: 'license.created', subjectType: 'license', subjectId: 1, details: { name: 'Campus 2026', seats: 50, seatModel: 'concurrent', memberCap: null },
      },
    ]);
    const listed = await listLicenses({ deps, actor: ada.actor, input: undefined });
    expect(listed.map((u) => [u.license.name, u.license.seats, u.occupied, u.reserved])).toEqual([['Campus 2026', 50, 0, 0]]);
  });

  it.each([[''], ['   '], ['x'.repeat(81)]])('refuses the name %j as INVALID_INPUT', async (name) => {
    const { deps, ada } = world();
    const before = deps.store.dump();
    const err = await domainErrorOf(addLicense({ deps, actor: ada.actor, input: { name, seats: 5 } }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(deps.store.dump()).toEqual(before);
  });

  it.each([[0], ['0'], [-3], ['abc'], [''], [2.5], ['12 seats'], [100_001]])('refuses %j seats as INVALID_INPUT', async (seats) => {
    const { deps, ada } = world();
    const before = deps.store.dump();
    const err = await domainErrorOf(addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats } }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.userMessage.length).toBeGreaterThan(0);
    expect(deps.store.dump()).toEqual(before);
  });

  it('accepts 1 and 100000 seats, the bounds', async () => {
    const { deps, ada } = world();
    expect((await addLicense({ deps, actor: ada.actor, input: { name: 'One', seats: 1 } })).license.seats).toBe(1);
    expect((await addLicense({ deps, actor: ada.actor, input: { name: 'Many', seats: 100_000 } })).license.seats).toBe(100_000);
  });

  it('refuses a name that differs from an existing one only in letter case, as CONFLICT', async () => {
    const { deps, ada } = world();
    await addLicense({ deps, actor: ada.actor, input: { name: 'Campus', seats: 5 } });
    const before = deps.store.dump();
    const err = await domainErrorOf(addLicense({ deps, actor: ada.actor, input: { name: 'CAMPUS ', seats: 9 } }));
    expect(err.code).toBe('CONFLICT');
    expect(err.userMessage).toContain('"Campus"');
    expect(deps.store.dump()).toEqual(before);
    expect(deps.store.dump().licenses).toHaveLength(1);
  });
});

describe('addLicense: who may comes first', () => {
  it('a non-admin with malformed input hears FORBIDDEN, not a complaint about the input', async () => {
    const deps = domainDeps();
    const mallory = aPerson(deps.store);
    const err = await domainErrorOf(addLicense({ deps, actor: mallory.actor, input: { name: '', seats: 'lots' } }));
    expect(err.code).toBe('FORBIDDEN');
  });
});
