import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { fromHex, toHex } from '../../src/crypto/index.ts';
import { canonicalJson, leafHash } from '../../src/ledger/entry.ts';
import { MemoryTree, verifyConsistency, verifyInclusion } from '../../src/ledger/merkle.ts';
import { openCheckpoint, parseVerifierKey, type VerifierKey } from '../../src/ledger/note.ts';
import { startHarness, type Harness } from '../harness.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

let h: Harness;
let key: VerifierKey;
let auditor: string;
const system: Actor = { role: 'secretariat', sub: 'test-system', state: null };
const checkpoints: { size: number; root: Uint8Array }[] = [];
type Served = { index: number; leafHash: string; entry: Record<string, unknown> };
let served: Served[] = [];

const append = (parties: string[][]) =>
  h.database.db.transaction().execute((trx) =>
    h.service.services.ledger.appendAll(
      trx,
      parties.map((p, i) => ({ type: 'test.event' as LedgerEventType, actor: system, parties: p, subject: { i: String(i) } })),
    ),
  );

async function signNow() {
  const res = await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: auditor });
  expect([200, 201]).toContain(res.statusCode);
  const cp = openCheckpoint(res.json().note, key); // trust the signed note, not the JSON next to it
  checkpoints.push({ size: cp.size, root: cp.rootHash });
}

beforeAll(async () => {
  h = await startHarness();
  auditor = h.token('auditor');
  key = parseVerifierKey((await h.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey);
  // 37 entries: DEU is party to every third, FRA to all; checkpoints at 1, 8, 13, 32 and 37.
  const parties = (n: number, from: number) => Array.from({ length: n }, (_, i) => ((from + i) % 3 === 0 ? ['DEU', 'FRA'] : ['FRA']));
  for (const [n, from] of [
    [1, 0],
    [7, 1],
    [5, 8],
    [19, 13],
    [5, 32],
  ] as const) {
    await append(parties(n, from));
    await signNow();
  }
  const res = await h.request({ method: 'GET', url: '/v1/ledger/entries?limit=1000', token: auditor });
  served = res.json().entries;
  expect(served.map((e) => e.index)).toEqual(Array.from({ length: 37 }, (_, i) => i));
});
afterAll(() => h?.close());

/** What a client computes itself: the leaf hash of the served entry. */
const leafOf = (e: Served) => leafHash(canonicalJson(e.entry));

describe('inclusion proofs', () => {
  it('prove every entry into every signed checkpoint that covers it', async () => {
    for (const { size, root } of checkpoints) {
      for (const e of served.filter((x) => x.index < size)) {
        const res = await h.request({ method: 'GET', url: `/v1/ledger/entries/${e.index}/inclusion-proof?treeSize=${size}`, token: auditor });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ index: e.index, treeSize: size, leafHash: toHex(leafOf(e)) });
        expect(body.checkpoint).toBeUndefined();
        verifyInclusion(e.index, size, leafOf(e), body.proof.map(fromHex), root);
      }
    }
  });

  it('default to the latest checkpoint, returned with the proof, and say when it does not cover the entry yet', async () => {
    const res = await h.request({ method: 'GET', url: '/v1/ledger/entries/20/inclusion-proof', token: auditor });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const cp = openCheckpoint(body.checkpoint.note, key);
    expect(body.treeSize).toBe(cp.size);
    verifyInclusion(20, cp.size, leafOf(served[20]!), body.proof.map(fromHex), cp.rootHash);

    const [receipt] = await append([['FRA']]); // not covered: under N entries and T seconds since the last checkpoint
    const pending = await h.request({ method: 'GET', url: `/v1/ledger/entries/${receipt!.index}/inclusion-proof`, token: auditor });
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ type: expect.stringContaining('/conflict'), detail: expect.stringContaining('(size 37)') });
    const explicit = await h.request({ method: 'GET', url: `/v1/ledger/entries/${receipt!.index}/inclusion-proof?treeSize=38`, token: auditor });
    expect(explicit.statusCode).toBe(200);
    expect(explicit.json().leafHash).toBe(receipt!.leafHash);
  });

  it('hold the server to a receipt: the receipt of a change proves into a later checkpoint', async () => {
    const fra = h.token('delegate', 'FRA');
    await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
    const res = await h.request({ method: 'PUT', url: '/v1/states/DEU/participation', token: h.token('delegate', 'DEU') });
    const receipt = res.json().receipt as { index: number; leafHash: string };
    await signNow();
    const { size, root } = checkpoints.at(-1)!;
    const proof = await h.request({ method: 'GET', url: `/v1/ledger/entries/${receipt.index}/inclusion-proof?treeSize=${size}`, token: h.token('delegate', 'DEU') });
    expect(proof.statusCode).toBe(200);
    verifyInclusion(receipt.index, size, fromHex(receipt.leafHash), proof.json().proof.map(fromHex), root);
  });

  it('are given to delegates for the entries their state is party to only (others are 404, like absent ones)', async () => {
    const deu = h.token('delegate', 'DEU');
    for (const e of served.slice(0, 9)) {
      const res = await h.request({ method: 'GET', url: `/v1/ledger/entries/${e.index}/inclusion-proof?treeSize=37`, token: deu });
      expect(res.statusCode).toBe((e.entry.parties as string[]).includes('DEU') ? 200 : 404);
    }
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries/0/inclusion-proof?treeSize=37', token: h.token('delegate', 'KEN') })).statusCode).toBe(404);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries/100000/inclusion-proof', token: auditor })).statusCode).toBe(404);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries/0/inclusion-proof', token: h.token('observer') })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries/0/inclusion-proof' })).statusCode).toBe(401);
  });

  it('refuse impossible sizes with problem details', async () => {
    const cases: [string, number, string][] = [
      ['/v1/ledger/entries/5/inclusion-proof?treeSize=5', 400, 'bad-request'],
      ['/v1/ledger/entries/5/inclusion-proof?treeSize=100000', 400, 'bad-request'],
      ['/v1/ledger/entries/5/inclusion-proof?treeSize=0', 400, 'validation-error'],
      ['/v1/ledger/entries/x/inclusion-proof', 400, 'validation-error'],
      ['/v1/ledger/entries/1/inclusion-proof?treeSize=1.5', 400, 'validation-error'],
    ];
    for (const [url, status, type] of cases) {
      const res = await h.request({ method: 'GET', url, token: auditor });
      expect({ url, status: res.statusCode }).toEqual({ url, status });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().type).toContain(`/problems/${type}`);
    }
  });
});

describe('consistency proofs', () => {
  it('prove that every signed checkpoint extends every earlier one, for any authenticated caller', async () => {
    const observer = h.token('observer');
    for (const [i, a] of checkpoints.entries()) {
      for (const b of checkpoints.slice(i)) {
        const res = await h.request({ method: 'GET', url: `/v1/ledger/consistency-proof?from=${a.size}&to=${b.size}`, token: observer });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ from: a.size, to: b.size });
        verifyConsistency(a.size, b.size, a.root, b.root, res.json().proof.map(fromHex));
      }
    }
  });

  it('work between any two sizes, against roots recomputed from the entries', async () => {
    const tree = new MemoryTree(served.map(leafOf));
    for (const [m, n] of [
      [0, 37],
      [3, 5],
      [10, 11],
      [16, 37],
      [21, 21],
    ]) {
      const res = await h.request({ method: 'GET', url: `/v1/ledger/consistency-proof?from=${m}&to=${n}`, token: auditor });
      verifyConsistency(m!, n!, tree.root(m), tree.root(n), res.json().proof.map(fromHex));
    }
  });

  it('refuse impossible sizes with problem details', async () => {
    for (const [url, type] of [
      ['/v1/ledger/consistency-proof?from=5&to=4', 'bad-request'],
      ['/v1/ledger/consistency-proof?from=1&to=100000', 'bad-request'],
      ['/v1/ledger/consistency-proof?from=1', 'validation-error'],
      ['/v1/ledger/consistency-proof?from=-1&to=3', 'validation-error'],
    ] as const) {
      const res = await h.request({ method: 'GET', url, token: auditor });
      expect({ url, status: res.statusCode, type: res.json().type }).toEqual({ url, status: 400, type: expect.stringContaining(`/problems/${type}`) });
    }
    expect((await h.request({ method: 'GET', url: '/v1/ledger/consistency-proof?from=1&to=2' })).statusCode).toBe(401);
  });
});
