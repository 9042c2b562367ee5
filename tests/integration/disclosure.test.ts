import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO3166_ALPHA3 } from '../../src/states/iso3166.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const join = (state: string) => h.request({ method: 'PUT', url: `/v1/states/${state}/participation`, token: h.token('delegate', state) });
const grant = (owner: string, counterpart: string, body: { mode: string; domains: string[] }) =>
  h.request({ method: 'PUT', url: `/v1/states/${owner}/disclosures/${counterpart}`, token: h.token('delegate', owner), payload: body });
const revoke = (owner: string, counterpart: string) =>
  h.request({ method: 'DELETE', url: `/v1/states/${owner}/disclosures/${counterpart}`, token: h.token('delegate', owner) });
const addContact = async (state: string, extra: Record<string, unknown> = {}) => {
  const res = await h.request({ method: 'POST', url: `/v1/states/${state}/contacts`, token: h.token('delegate', state), payload: sampleContact(extra) });
  expect(res.statusCode).toBe(201);
  return res.json().contact.id as string;
};
const sees = async (viewer: string, id: string) => (await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: h.token('delegate', viewer) })).statusCode === 200;
const ledgerTypes = async (state: string) =>
  (await h.sql<{ type: string }>(`select type from ledger_entries where $1 = any(parties) order by seq`, [state])).map((r) => r.type);

describe('grants', () => {
  beforeAll(async () => {
    for (const s of ['MEX', 'PER', 'URY']) await join(s);
  });

  it('a grant is created (201), repeated identically without effect (200, no entry), changed (200 with a receipt) and revoked', async () => {
    const first = await grant('MEX', 'PER', { mode: 'unilateral', domains: ['technical'] });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ grant: { owner: 'MEX', counterpart: 'PER', mode: 'unilateral', domains: ['technical'], status: 'effective' }, receipt: { index: expect.any(Number) } });
    const size = (await ledgerTypes('MEX')).length;
    const same = await grant('MEX', 'PER', { mode: 'unilateral', domains: ['technical'] });
    expect(same.statusCode).toBe(200);
    expect(same.json().receipt).toBeUndefined();
    expect((await ledgerTypes('MEX')).length).toBe(size);
    const changed = await grant('MEX', 'PER', { mode: 'reciprocal', domains: ['technical', 'policy'] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ grant: { status: 'pending-reciprocity', effectiveDomains: [] }, receipt: { index: expect.any(Number) } });
    expect((await revoke('MEX', 'PER')).statusCode).toBe(200);
    expect((await revoke('MEX', 'PER')).statusCode).toBe(404);
    expect((await ledgerTypes('MEX')).slice(-3)).toEqual(['disclosure.granted', 'disclosure.granted', 'disclosure.revoked']);
  });

  it('refuses grants by others, to oneself, for a non-participating owner, and bad bodies, changing nothing', async () => {
    const before = await h.sql('select * from disclosure_grants order by owner_state, counterpart');
    const other = await h.request({ method: 'PUT', url: '/v1/states/MEX/disclosures/PER', token: h.token('delegate', 'PER'), payload: { mode: 'unilateral', domains: ['technical'] } });
    expect(other.statusCode).toBe(403);
    expect((await h.request({ method: 'PUT', url: '/v1/states/MEX/disclosures/PER', token: h.token('secretariat'), payload: { mode: 'unilateral', domains: ['technical'] } })).statusCode).toBe(403);
    expect((await grant('MEX', 'MEX', { mode: 'unilateral', domains: ['technical'] })).statusCode).toBe(400);
    expect((await grant('SWE', 'MEX', { mode: 'unilateral', domains: ['technical'] })).statusCode).toBe(409);
    const bad = await grant('MEX', 'PER', { mode: 'sometimes', domains: ['military'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.mode', 'body.domains.0']));
    expect((await grant('MEX', 'XXX', { mode: 'unilateral', domains: ['technical'] })).statusCode).toBe(400);
    expect((await grant('MEX', 'PER', { mode: 'unilateral', domains: [] })).statusCode).toBe(400);
    expect(await h.sql('select * from disclosure_grants order by owner_state, counterpart')).toEqual(before);
  });

  it('reciprocity: opens when the counterpart grants back, and closes at once when it revokes, with ledger entries', async () => {
    const id = await addContact('URY', { domains: ['technical'] });
    await grant('URY', 'PER', { mode: 'reciprocal', domains: ['technical'] });
    expect(await sees('PER', id)).toBe(false);
    await grant('PER', 'URY', { mode: 'unilateral', domains: ['technical'] });
    expect(await sees('PER', id)).toBe(true);
    const uryView = (await h.request({ method: 'GET', url: '/v1/states/URY/disclosures', token: h.token('delegate', 'URY') })).json();
    expect(uryView.granted).toEqual([expect.objectContaining({ counterpart: 'PER', status: 'effective', effectiveDomains: ['technical'] })]);
    expect(uryView.received).toEqual([expect.objectContaining({ owner: 'PER', status: 'effective' })]);

    await revoke('PER', 'URY');
    expect(await sees('PER', id)).toBe(false);
    const entries = await h.sql<{ type: string; canonical: string }>(`select type, canonical from ledger_entries where type = 'disclosure.effect-changed' order by seq`);
    expect(entries.map((e) => JSON.parse(e.canonical).facts)).toEqual([
      expect.objectContaining({ effectiveDomains: ['technical'], previousDomains: [] }),
      expect.objectContaining({ effectiveDomains: [], previousDomains: ['technical'], cause: 'decision of PER' }),
    ]);
    expect(JSON.parse(entries[1]!.canonical)).toMatchObject({ parties: ['PER', 'URY'], subject: { owner: 'URY', viewer: 'PER' } });
  });

  it('lists disclosures only for the state, the secretariat and auditors', async () => {
    expect((await h.request({ method: 'GET', url: '/v1/states/URY/disclosures', token: h.token('delegate', 'MEX') })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/states/URY/disclosures', token: h.token('observer') })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/states/URY/disclosures', token: h.token('secretariat') })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/states/URY/disclosures', token: h.token('auditor') })).statusCode).toBe(200);
  });
});

describe('public listing', () => {
  it('a contact made public is visible to observers and the public directory; made confidential again, it disappears; each change is in the ledger', async () => {
    await join('NOR');
    const nor = h.token('delegate', 'NOR');
    const id = await addContact('NOR');
    const inPublic = async () => JSON.stringify((await h.request({ method: 'GET', url: '/v1/public/directory?limit=100' })).json()).includes(id);
    expect(await inPublic()).toBe(false);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: h.token('observer') })).statusCode).toBe(404);
    const pub = await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: nor, payload: { visibility: 'public' } });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().contact.visibility).toBe('public');
    expect(await inPublic()).toBe(true);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: h.token('observer') })).statusCode).toBe(200);
    // Public does not mean editable by others.
    expect((await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: h.token('delegate', 'MEX'), payload: { rank: 'x' } })).statusCode).toBe(403);
    await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: nor, payload: { visibility: 'confidential' } });
    expect(await inPublic()).toBe(false);
    const facts = (await h.sql<{ canonical: string }>(`select canonical from ledger_entries where type = 'contact.updated' and canonical like $1 order by seq`, [`%${id}%`])).map(
      (r) => JSON.parse(r.canonical).facts,
    );
    expect(facts).toEqual([expect.objectContaining({ changed: ['visibility'], visibility: 'public' }), expect.objectContaining({ changed: ['visibility'], visibility: 'confidential' })]);
  });

  it('the public directory needs no token, paginates, and groups by state and domain', async () => {
    await join('SWE');
    for (let i = 0; i < 3; i++) await addContact('SWE', { visibility: 'public', domains: ['technical', 'policy'] });
    const first = await h.request({ method: 'GET', url: '/v1/public/directory?limit=2' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.nextCursor).toEqual(expect.any(String));
    const swe = body.states.find((s: { state: string }) => s.state === 'SWE');
    expect(swe.domains.technical).toHaveLength(2);
    expect(swe.domains.policy).toHaveLength(2);
    const second = (await h.request({ method: 'GET', url: `/v1/public/directory?limit=2&cursor=${body.nextCursor}` })).json();
    expect(second.states.flatMap((s: { domains: { technical?: unknown[] } }) => s.domains.technical ?? [])).toHaveLength(1);
    expect((await h.request({ method: 'GET', url: '/v1/public/directory?limit=500' })).statusCode).toBe(400);
  });
});

describe('withdrawal is crypto-shredding', () => {
  it('destroys the data key: old rows cannot be decrypted with the master key, no usable wrapped key remains, grants and public listings go', async () => {
    await join('POL');
    await join('CZE');
    const id = await addContact('POL', { visibility: 'public', notes: 'shred-me-secret-note' });
    await grant('POL', 'CZE', { mode: 'unilateral', domains: ['technical'] });
    await grant('CZE', 'POL', { mode: 'reciprocal', domains: ['technical'] });
    const rows = await h.sql<{ id: string; key_id: string; notes: Uint8Array }>(`select id, key_id, notes from contacts where id = $1`, [id]);
    const keyBefore = (await h.sql<{ id: string; kek_id: string; wrapped_key: Uint8Array }>(`select id, kek_id, wrapped_key from state_keys where state_code = 'POL'`))[0]!;
    // Before: the master key unwraps the data key, which opens the notes.
    const crypto = await import('../../src/crypto/index.ts');
    await crypto.initCrypto();
    const master = crypto.keyFromBytes(crypto.fromBase64(h.masterKey));
    const dek = crypto.unwrapKey(master, keyBefore.id, keyBefore.wrapped_key);
    expect(crypto.openString(dek, rows[0]!.notes, { table: 'contacts', column: 'notes', rowId: id })).toBe('shred-me-secret-note');

    const res = await h.request({ method: 'DELETE', url: '/v1/states/POL/participation', token: h.token('delegate', 'POL') });
    expect(res.statusCode).toBe(200);

    // After: no wrapped key is left for the state; nothing the database holds unwraps under the master key to that key id.
    const keyAfter = (await h.sql<{ wrapped_key: Uint8Array | null; status: string }>(`select wrapped_key, status from state_keys where id = $1`, [keyBefore.id]))[0]!;
    expect(keyAfter).toEqual({ wrapped_key: null, status: 'destroyed' });
    const columns = await h.sql<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public' and data_type = 'bytea'`,
    );
    for (const { table_name, column_name } of columns) {
      for (const r of await h.sql<{ v: Uint8Array | null }>(`select "${column_name}" as v from "${table_name}"`)) {
        if (!r.v) continue;
        expect(() => crypto.unwrapKey(master, keyBefore.id, r.v!)).toThrow();
      }
    }
    const dump = JSON.stringify(await h.sql(`select * from contacts`)) + JSON.stringify(await h.sql(`select canonical from ledger_entries`));
    expect(dump).not.toContain('shred-me-secret-note');
    expect(await h.sql(`select * from contacts where state_code = 'POL'`)).toEqual([]);
    expect(await h.sql(`select * from disclosure_grants where owner_state = 'POL'`)).toEqual([]);
    expect(JSON.stringify((await h.request({ method: 'GET', url: '/v1/public/directory?limit=100' })).json())).not.toContain(id);
    // CZE's reciprocal grant lost its effect; the ledger says so.
    const types = await ledgerTypes('POL');
    expect(types.slice(-3)).toEqual(['disclosure.revoked', 'disclosure.effect-changed', 'state.withdrawn']);
    // Re-joining starts with a new key and no contacts.
    expect((await join('POL')).statusCode).toBe(201);
    expect((await h.request({ method: 'GET', url: '/v1/states/POL/contacts', token: h.token('delegate', 'POL') })).json().items).toEqual([]);
  });
});

describe('property: random grants, revocations and visibility changes never disclose more than the rules allow', () => {
  type Op =
    | { kind: 'grant'; owner: number; to: number | '*'; mode: 'unilateral' | 'reciprocal'; domains: string[] }
    | { kind: 'revoke'; owner: number; to: number | '*' }
    | { kind: 'visibility'; contact: number; visibility: 'public' | 'confidential' };
  const DOMAINS = ['diplomatic', 'policy', 'technical'];
  const pool = [...ISO3166_ALPHA3].filter((c) => c >= 'M' && !['MEX', 'NOR', 'PER', 'POL', 'SWE', 'URY', 'CZE', 'NPL'].includes(c));
  let next = 0;

  /** The rules restated: may `viewer` (a state index, or 'observer') see contact c? */
  function model(grants: Map<string, { mode: string; domains: string[] }>, vis: string[], contactState: number[], contactDomains: string[][], viewer: number | 'observer', c: number): boolean {
    if (vis[c] === 'public') return true;
    if (viewer === 'observer') return false;
    const owner = contactState[c]!;
    if (owner === viewer) return true;
    const given = (from: number, to: number) => {
      const out = new Set<string>();
      for (const key of [`${from}>${to}`, `${from}>*`]) for (const d of grants.get(key)?.domains ?? []) out.add(d);
      return out;
    };
    for (const key of [`${owner}>${viewer}`, `${owner}>*`]) {
      const g = grants.get(key);
      if (!g) continue;
      for (const d of g.domains) {
        if (!contactDomains[c]!.includes(d)) continue;
        if (g.mode === 'unilateral' || given(viewer, owner).has(d)) return true;
      }
    }
    return false;
  }

  it('matches the reference model after every step', async () => {
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant('grant' as const),
        owner: fc.nat(2),
        to: fc.oneof(fc.nat(2), fc.constant('*' as const)),
        mode: fc.constantFrom('unilateral' as const, 'reciprocal' as const),
        domains: fc.subarray(DOMAINS, { minLength: 1 }),
      }),
      fc.record({ kind: fc.constant('revoke' as const), owner: fc.nat(2), to: fc.oneof(fc.nat(2), fc.constant('*' as const)) }),
      fc.record({ kind: fc.constant('visibility' as const), contact: fc.nat(5), visibility: fc.constantFrom('public' as const, 'confidential' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 7 }), async (ops) => {
        const states = pool.slice(next, next + 3);
        next += 3;
        for (const s of states) await join(s);
        const contactDomains = [['technical'], ['diplomatic', 'policy']];
        const ids: string[] = [];
        const contactState: number[] = [];
        const allDomains: string[][] = [];
        for (let s = 0; s < 3; s++)
          for (const d of contactDomains) {
            ids.push(await addContact(states[s]!, { domains: d }));
            contactState.push(s);
            allDomains.push(d);
          }
        const vis = ids.map(() => 'confidential');
        const grants = new Map<string, { mode: string; domains: string[] }>();
        for (const op of ops) {
          if (op.kind === 'grant') {
            if (op.to === op.owner) continue;
            const res = await grant(states[op.owner]!, op.to === '*' ? '*' : states[op.to]!, { mode: op.mode, domains: op.domains });
            expect([200, 201]).toContain(res.statusCode);
            grants.set(`${op.owner}>${op.to}`, { mode: op.mode, domains: op.domains });
          } else if (op.kind === 'revoke') {
            if (op.to === op.owner) continue;
            const res = await revoke(states[op.owner]!, op.to === '*' ? '*' : states[op.to]!);
            expect(res.statusCode).toBe(grants.delete(`${op.owner}>${op.to}`) ? 200 : 404);
          } else {
            const owner = states[contactState[op.contact]!]!;
            const res = await h.request({ method: 'PATCH', url: `/v1/contacts/${ids[op.contact]}`, token: h.token('delegate', owner), payload: { visibility: op.visibility } });
            expect(res.statusCode).toBe(200);
            vis[op.contact] = op.visibility;
          }
          for (const viewer of [0, 1, 2, 'observer'] as const) {
            const token = viewer === 'observer' ? h.token('observer') : h.token('delegate', states[viewer]!);
            const body = (await h.request({ method: 'GET', url: '/v1/directory?limit=100', token })).json() as { states: { domains: Record<string, { id: string }[]> }[] };
            const seen = new Set(body.states.flatMap((s) => Object.values(s.domains).flat().map((c) => c.id)));
            for (let c = 0; c < ids.length; c++) {
              expect(seen.has(ids[c]!), `viewer ${viewer} contact ${c} after ${JSON.stringify(op)}`).toBe(model(grants, vis, contactState, allDomains, viewer, c));
            }
          }
        }
      }),
      { numRuns: 20 },
    );
  }, 240_000);
});
