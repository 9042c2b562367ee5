/**
 * The ledger as a tiled log (C2SP tlog-tiles) under /v1/ledger/tlog/: tiles
 * equal the stored tree around the tile boundary (255, 256, 257), partial
 * tiles give way to full ones as the tree grows, caching headers, access
 * rules, and ledger:verify --tiles.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { runCli } from '../../src/cli/ledger-verify.ts';
import { leafHash } from '../../src/ledger/entry.ts';
import { toHex } from '../../src/tlog/crypto.ts';
import { MemoryTree } from '../../src/tlog/merkle.ts';
import { openCheckpoint, parseVerifierKey } from '../../src/tlog/note.ts';
import { decodeEntryBundle } from '../../src/tlog/tiles.ts';
import { startHarness, type Harness } from '../harness.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

let h: Harness;
let url: string;
let vkey: string;
const dir = mkdtempSync(path.join(tmpdir(), 'tiles-'));
const system: Actor = { role: 'secretariat', sub: 'test-system', state: null };
beforeAll(async () => {
  h = await startHarness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  vkey = (await h.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey;
});
afterAll(() => h?.close());

const growTo = async (size: number) => {
  const n = size - (await h.service.services.ledger.size(h.database.db));
  await h.database.db.transaction().execute((trx) =>
    h.service.services.ledger.appendAll(trx, Array.from({ length: n }, (_, i) => ({ type: 'test.tiles' as LedgerEventType, actor: system, parties: i % 3 ? ['FRA'] : ['DEU'], subject: { n: String(i) } }))),
  );
};
async function treeFromEntries(): Promise<{ tree: MemoryTree; canonical: string[] }> {
  const rows = await h.sql<{ canonical: string }>('select canonical from ledger_entries order by seq');
  return { tree: new MemoryTree(rows.map((r) => leafHash(r.canonical))), canonical: rows.map((r) => r.canonical) };
}
const get = (p: string, token = h.token('auditor')) => h.request({ method: 'GET', url: `/v1/ledger/tlog/${p}`, token });
const hashesOf = (tree: MemoryTree, level: number, from: number, count: number) =>
  Buffer.concat(Array.from({ length: count }, (_, i) => tree.node({ level, index: from + i })));

describe('tiles around the tile boundary', () => {
  it('at 255 entries: one partial level-0 tile and its entry bundle; no full tile yet', async () => {
    await growTo(255);
    const { tree, canonical } = await treeFromEntries();
    const partial = await get('tile/0/000.p/255');
    expect(partial.statusCode).toBe(200);
    expect(partial.headers['content-type']).toBe('application/octet-stream');
    expect(partial.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(partial.rawPayload, hashesOf(tree, 0, 0, 255))).toBe(0);
    expect((await get('tile/0/000')).statusCode).toBe(404);
    expect((await get('tile/1/000.p/1')).statusCode).toBe(404);
    const bundle = await get('tile/entries/000.p/255');
    expect(bundle.statusCode).toBe(200);
    expect(decodeEntryBundle(new Uint8Array(bundle.rawPayload)).map((e) => Buffer.from(e).toString())).toEqual(canonical);
  });

  it('at 256: the full tile (immutable) replaces the partial one, and level 1 has a partial tile of width 1 holding its hash', async () => {
    await growTo(256);
    const { tree } = await treeFromEntries();
    const full = await get('tile/0/000');
    expect(full.statusCode).toBe(200);
    expect(full.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(Buffer.compare(full.rawPayload, hashesOf(tree, 0, 0, 256))).toBe(0);
    const up = await get('tile/1/000.p/1');
    expect(Buffer.compare(up.rawPayload, tree.node({ level: 8, index: 0 }))).toBe(0);
    expect(toHex(new Uint8Array(up.rawPayload))).toBe(toHex(tree.root(256)));
    expect((await get('tile/entries/000')).statusCode).toBe(200);
  });

  it('at 257: a new partial level-0 tile of width 1; all tiles equal the stored tree', async () => {
    await growTo(257);
    const { tree } = await treeFromEntries();
    expect(Buffer.compare((await get('tile/0/001.p/1')).rawPayload, hashesOf(tree, 0, 256, 1))).toBe(0);
    expect(Buffer.compare((await get('tile/0/000')).rawPayload, hashesOf(tree, 0, 0, 256))).toBe(0);
    expect((await get('tile/0/001.p/2')).statusCode).toBe(404);
    expect((await get('tile/1/000.p/2')).statusCode).toBe(404);
  });
});

describe('the checkpoint, access and bad paths', () => {
  it('serves the signed checkpoint as text to any authenticated caller', async () => {
    const res = await get('checkpoint', h.token('observer'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(openCheckpoint(res.body, parseVerifierKey(vkey)).size).toBeGreaterThan(0);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/tlog/checkpoint' })).statusCode).toBe(401);
  });

  it('hash tiles to any authenticated caller, entry bundles to the secretariat and auditors only', async () => {
    expect((await get('tile/0/000', h.token('observer'))).statusCode).toBe(200);
    expect((await get('tile/0/000', h.token('delegate', 'FRA'))).statusCode).toBe(200);
    expect((await get('tile/entries/000', h.token('observer'))).statusCode).toBe(403);
    expect((await get('tile/entries/000', h.token('delegate', 'FRA'))).statusCode).toBe(403);
    expect((await get('tile/entries/000', h.token('secretariat'))).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/tlog/tile/0/000' })).statusCode).toBe(401);
  });

  it('refuses paths that are not canonical tile paths (400) and tiles the tree does not hold (404)', async () => {
    for (const p of ['tile/0/0', 'tile/0/x000/000', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/64/000', 'tile/abc', 'tile/entries/000.p/012']) {
      const res = await get(p);
      expect(res.statusCode, p).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get('tile/0/x001/000')).statusCode).toBe(404);
    expect((await get('tile/3/000.p/1')).statusCode).toBe(404);
  });
});

describe('npm run ledger:verify -- --tiles', () => {
  it('verifies the ledger from tiles alone (entries too for an auditor, hash tiles only for an observer), and remembers it', async () => {
    const state = path.join(dir, 'tiles.json');
    const r = await runCli(['--tiles', `${url}/v1/ledger/tlog/`, '--token', h.token('auditor'), '--public-key', vkey, '--state', state]);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    const size = r.report!.treeSize;
    expect(size).toBeGreaterThanOrEqual(255);
    expect(r.report!.entriesChecked).toBe(size);
    const observer = await runCli(['--tiles', `${url}/v1/ledger/tlog/`, '--token', h.token('observer'), '--public-key', vkey, '--state', path.join(dir, 'obs.json')]);
    expect(observer.code).toBe(0);
    expect(observer.report!.entriesChecked).toBe(0);
    // Later, with the remembered checkpoint: the tree in the tiles must extend it.
    await growTo(size + 300);
    await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('secretariat') });
    const again = await runCli(['--tiles', `${url}/v1/ledger/tlog/`, '--token', h.token('auditor'), '--state', state]);
    expect(again.code).toBe(0);
    expect(again.report).toMatchObject({ treeSize: size + 300, consistencyProofsChecked: 1 });
  });

  it('fails naming the entry when an entry was rewritten under the tiles', async () => {
    await h.sql('alter table ledger_entries disable trigger ledger_entries_append_only');
    try {
      const [row] = await h.sql<{ canonical: string }>('select canonical from ledger_entries where seq = 300');
      await h.sql('update ledger_entries set canonical = $1 where seq = 300', [row!.canonical.replace('"test.tiles"', '"test.tilez"')]);
    } finally {
      await h.sql('alter table ledger_entries enable trigger ledger_entries_append_only');
    }
    const r = await runCli(['--tiles', `${url}/v1/ledger/tlog/`, '--token', h.token('auditor'), '--public-key', vkey, '--state', path.join(dir, 'tampered.json')]);
    expect(r.code).toBe(1);
    expect(r.report!.failure).toEqual({ firstBadIndex: 300, reason: 'entry 300 does not hash to its level-0 tile hash' });
  });
});
