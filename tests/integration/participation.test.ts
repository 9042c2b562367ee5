import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const ledgerSize = async () => Number((await h.sql<{ size: string }>('select size from ledger_state'))[0]!.size);

describe('participation', () => {
  it('a delegate joins its state (201 with a ledger receipt), and joining again changes nothing (200)', async () => {
    const fra = h.token('delegate', 'FRA');
    const first = await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      participation: { state: 'FRA', status: 'participating', withdrawnAt: null },
      receipt: { index: expect.any(Number), leafHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const size = await ledgerSize();
    const again = await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
    expect(again.statusCode).toBe(200);
    expect(again.json().participation.joinedAt).toBe(first.json().participation.joinedAt);
    expect(await ledgerSize()).toBe(size);
    const keys = await h.sql(`select * from state_keys where state_code = 'FRA' and status = 'active'`);
    expect(keys).toHaveLength(1);
  });

  it('refuses joining for another state, and for non-delegates, changing nothing', async () => {
    const size = await ledgerSize();
    for (const token of [h.token('delegate', 'DEU'), h.token('secretariat'), h.token('auditor'), h.token('observer')]) {
      const res = await h.request({ method: 'PUT', url: '/v1/states/KEN/participation', token });
      expect(res.statusCode).toBe(403);
      expect(res.json().type).toBe(PROBLEM + 'forbidden');
    }
    expect(await ledgerSize()).toBe(size);
    expect(await h.sql(`select * from states where code = 'KEN'`)).toHaveLength(0);
  });

  it('validates the state code (ISO 3166-1 alpha-3)', async () => {
    for (const code of ['fra', 'FR', 'XYZ', 'FRANCE']) {
      const res = await h.request({ method: 'GET', url: `/v1/states/${code}/participation`, token: h.token('observer') });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ type: PROBLEM + 'validation-error', errors: [expect.objectContaining({ path: 'params.code' })] });
    }
  });

  it('GET participation tells any authenticated caller the status; GET /v1/states lists participants without contact data', async () => {
    await h.request({ method: 'PUT', url: '/v1/states/BRA/participation', token: h.token('delegate', 'BRA') });
    await h.request({ method: 'POST', url: '/v1/states/BRA/contacts', token: h.token('delegate', 'BRA'), payload: sampleContact() });
    const obs = h.token('observer');
    expect((await h.request({ method: 'GET', url: '/v1/states/BRA/participation', token: obs })).json().status).toBe('participating');
    expect((await h.request({ method: 'GET', url: '/v1/states/JPN/participation', token: obs })).json()).toEqual({
      state: 'JPN',
      status: 'not-participating',
      joinedAt: null,
      withdrawnAt: null,
    });
    const list = await h.request({ method: 'GET', url: '/v1/states', token: obs });
    expect(list.statusCode).toBe(200);
    const states = list.json().states as { state: string }[];
    expect(states.map((s) => s.state)).toEqual(expect.arrayContaining(['BRA', 'FRA']));
    expect(Object.keys(states[0]!).sort()).toEqual(['joinedAt', 'state']);
    expect((await h.request({ method: 'GET', url: '/v1/states' })).statusCode).toBe(401);
  });

  it('withdrawal destroys the data key, removes the contacts, records it; re-joining starts afresh', async () => {
    const bra = h.token('delegate', 'BRA');
    const created = await h.request({ method: 'POST', url: '/v1/states/BRA/contacts', token: bra, payload: sampleContact({ domains: ['diplomatic'] }) });
    const id = created.json().contact.id as string;
    const oldKey = (await h.sql<{ id: string }>(`select id from state_keys where state_code = 'BRA' and status = 'active'`))[0]!.id;

    expect((await h.request({ method: 'DELETE', url: '/v1/states/BRA/participation', token: h.token('delegate', 'FRA') })).statusCode).toBe(403);
    const res = await h.request({ method: 'DELETE', url: '/v1/states/BRA/participation', token: bra });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ participation: { status: 'withdrawn', withdrawnAt: expect.any(String) }, receipt: { index: expect.any(Number) } });

    const keys = await h.sql<{ status: string; wrapped_key: unknown; kek_id: unknown }>(`select status, wrapped_key, kek_id from state_keys where state_code = 'BRA'`);
    expect(keys).toEqual([{ status: 'destroyed', wrapped_key: null, kek_id: null }]);
    expect(await h.sql(`select id from contacts where state_code = 'BRA'`)).toHaveLength(0);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: bra })).statusCode).toBe(404);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: bra })).json().states.map((s: { state: string }) => s.state)).not.toContain('BRA');

    const again = await h.request({ method: 'DELETE', url: '/v1/states/BRA/participation', token: bra });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe(PROBLEM + 'conflict');

    // Writing a contact while withdrawn is refused.
    const refused = await h.request({ method: 'POST', url: '/v1/states/BRA/contacts', token: bra, payload: sampleContact() });
    expect(refused.statusCode).toBe(409);

    const rejoin = await h.request({ method: 'PUT', url: '/v1/states/BRA/participation', token: bra });
    expect(rejoin.statusCode).toBe(201);
    const newKey = (await h.sql<{ id: string }>(`select id from state_keys where state_code = 'BRA' and status = 'active'`))[0]!.id;
    expect(newKey).not.toBe(oldKey);
    expect((await h.request({ method: 'GET', url: '/v1/states/BRA/contacts', token: bra })).json().items).toEqual([]);

    const types = (await h.sql<{ type: string }>(`select type from ledger_entries where 'BRA' = any(parties) order by seq`)).map((r) => r.type);
    expect(types).toEqual(['state.joined', 'contact.created', 'contact.created', 'state.withdrawn', 'state.joined']);
  });
});
