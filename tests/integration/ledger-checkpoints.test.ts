import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { fromBase64, signingKeyPair, toHex } from '../../src/crypto/index.ts';
import { emptyRoot } from '../../src/ledger/merkle.ts';
import { openCheckpoint, parseVerifierKey, verifierKeyOf } from '../../src/ledger/note.ts';
import { readFrontier } from '../../src/ledger/tree-store.ts';
import { startHarness, type Harness } from '../harness.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

const ORIGIN = 'poc.test/ledger';
const SEED = randomBytes(32).toString('base64');
let now = Date.UTC(2026, 5, 1, 12, 0, 0);
const advance = (seconds: number) => (now += seconds * 1000);
const system: Actor = { role: 'secretariat', sub: 'test-system', state: null };

let h: Harness;
beforeAll(async () => {
  // The background tick runs on a fake interval timer, advanced by the tests.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  h = await startHarness({
    env: { LEDGER_SIGNING_KEY: SEED, LEDGER_ORIGIN: ORIGIN, LEDGER_CHECKPOINT_ENTRIES: '5', LEDGER_CHECKPOINT_SECONDS: '60' },
    clock: () => new Date(now),
  });
});
afterAll(async () => {
  await h?.close();
  vi.useRealTimers();
});

const append = (n: number) =>
  h.database.db.transaction().execute((trx) =>
    h.service.services.ledger.appendAll(trx, Array.from({ length: n }, () => ({ type: 'test.event' as LedgerEventType, actor: system, parties: ['FRA'], subject: {} }))),
  );
const key = () => verifierKeyOf(ORIGIN, signingKeyPair(fromBase64(SEED)).publicKey);
type Served = { origin: string; treeSize: number; rootHash: string; note: string; createdAt: string };
async function latest(token = h.token('observer')): Promise<Served> {
  const res = await h.request({ method: 'GET', url: '/v1/ledger/checkpoint', token });
  expect(res.statusCode).toBe(200);
  return res.json();
}
/** The served JSON agrees with the signed note, which verifies with the configured key. */
function checkSigned(c: Served) {
  const cp = openCheckpoint(c.note, key());
  expect({ origin: cp.origin, treeSize: cp.size, rootHash: toHex(cp.rootHash) }).toEqual({ origin: c.origin, treeSize: c.treeSize, rootHash: c.rootHash });
  return cp;
}
const count = async () => Number((await h.sql<{ n: number }>('select count(*)::int as n from ledger_checkpoints'))[0]!.n);

describe('the signing key', () => {
  it('is served to anyone, as a C2SP verifier key derived from LEDGER_SIGNING_KEY and LEDGER_ORIGIN', async () => {
    const res = await h.request({ method: 'GET', url: '/v1/ledger/public-key' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = key();
    expect(body).toEqual({
      origin: ORIGIN,
      algorithm: 'Ed25519',
      keyName: ORIGIN,
      keyId: expected.keyId,
      publicKey: Buffer.from(expected.publicKey).toString('base64'),
      verifierKey: body.verifierKey,
    });
    expect(toHex(parseVerifierKey(body.verifierKey).publicKey)).toBe(toHex(expected.publicKey));
  });
});

describe('checkpoints', () => {
  it('the first read of an empty ledger signs the empty tree', async () => {
    const c = await latest();
    expect(c.treeSize).toBe(0);
    expect(c.rootHash).toBe(toHex(emptyRoot()));
    checkSigned(c);
    expect(c.note).toBe(`${ORIGIN}\n0\n${Buffer.from(emptyRoot()).toString('base64')}\n\n— ${ORIGIN} ${c.note.split(' ').at(-1)}`);
  });

  it('are signed at most every N entries or T seconds: reads get the latest without signing until one is due', async () => {
    await append(3);
    advance(59);
    expect((await latest()).treeSize).toBe(0); // 3 < 5 entries uncovered, the oldest is 59 s old
    advance(1);
    const c3 = await latest(); // the oldest uncovered entry is 60 s old
    expect(c3.treeSize).toBe(3);
    expect(checkSigned(c3).rootHash).toEqual((await readFrontier(h.database.db)).root());
    await append(4);
    expect((await latest()).treeSize).toBe(3); // 4 < 5 uncovered, new entries
    await append(1);
    expect((await latest()).treeSize).toBe(8); // 5 uncovered
    expect(await count()).toBe(3);
  });

  it('are signed by the background tick of each instance when due, and not otherwise', async () => {
    await append(2);
    await vi.advanceTimersByTimeAsync(60_000); // many ticks, nothing due (2 entries, 0 s old)
    expect(await count()).toBe(3);
    advance(60);
    await vi.advanceTimersByTimeAsync(5_000); // one tick: due by age
    await vi.waitFor(async () => expect(await count()).toBe(4));
    const sizes = await h.sql<{ tree_size: string | number }>('select tree_size from ledger_checkpoints order by tree_size');
    expect(sizes.map((r) => Number(r.tree_size))).toEqual([0, 3, 8, 10]);
  });

  it('are signed on demand by the secretariat and auditors only', async () => {
    await append(1);
    for (const role of ['delegate', 'observer'] as const) {
      const res = await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token(role, role === 'delegate' ? 'FRA' : undefined) });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const created = await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('auditor') });
    expect(created.statusCode).toBe(201);
    expect(created.json().treeSize).toBe(11);
    checkSigned(created.json());
    const again = await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('secretariat') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(created.json());
  });

  it('are listed by size and served one by one, to any authenticated caller', async () => {
    const observer = h.token('observer');
    const page1 = await h.request({ method: 'GET', url: '/v1/ledger/checkpoints?limit=2', token: observer });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().checkpoints.map((c: Served) => c.treeSize)).toEqual([0, 3]);
    expect(page1.json().next).toBe(8);
    const page2 = await h.request({ method: 'GET', url: `/v1/ledger/checkpoints?from=${page1.json().next}&limit=10`, token: observer });
    expect(page2.json().checkpoints.map((c: Served) => c.treeSize)).toEqual([8, 10, 11]);
    expect(page2.json().next).toBeNull();
    for (const c of [...page1.json().checkpoints, ...page2.json().checkpoints] as Served[]) {
      checkSigned(c);
      const one = await h.request({ method: 'GET', url: `/v1/ledger/checkpoints/${c.treeSize}`, token: h.token('delegate', 'KEN') });
      expect(one.json()).toEqual(c);
    }
    expect((await h.request({ method: 'GET', url: '/v1/ledger/checkpoints/4', token: observer })).statusCode).toBe(404);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/checkpoints/x', token: observer })).statusCode).toBe(400);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/checkpoints/-1', token: observer })).statusCode).toBe(400);
    for (const url of ['/v1/ledger/checkpoint', '/v1/ledger/checkpoints', '/v1/ledger/checkpoints/0']) {
      expect((await h.request({ method: 'GET', url })).statusCode).toBe(401);
    }
  });

  it('store the root each signed note states', async () => {
    const rows = await h.sql<{ tree_size: string | number; root_hash: Uint8Array; note: string }>('select tree_size, root_hash, note from ledger_checkpoints order by tree_size');
    for (const r of rows) {
      const cp = openCheckpoint(r.note, key());
      expect(cp.size).toBe(Number(r.tree_size));
      expect(toHex(cp.rootHash)).toBe(toHex(r.root_hash));
    }
  });
});
