/**
 * Two service instances (separate connection pools, as two processes would
 * have) appending to one PostgreSQL database at once: one gap-free sequence,
 * one consistent tree, and checkpoints signed by either instance that all
 * extend each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { fromHex, toHex } from '../../src/crypto/index.ts';
import { leafHash } from '../../src/ledger/entry.ts';
import { MemoryTree, verifyInclusion } from '../../src/ledger/merkle.ts';
import { openCheckpoint, parseVerifierKey } from '../../src/ledger/note.ts';
import type { Receipt } from '../../src/ledger/service.ts';
import { readFrontier } from '../../src/ledger/tree-store.ts';
import { DatabaseSource } from '../../src/ledger/verify-sources.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { sampleContact } from '../harness.ts';
import { startCluster, type Cluster } from '../harness-multi.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster(2);
});
afterAll(() => c?.close());

const system: Actor = { role: 'secretariat', sub: 'writer', state: null };

describe('two instances appending at once', () => {
  it('keep one gap-free sequence and one consistent tree, and sign checkpoints that extend each other', async () => {
    const [a, b] = c.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    const fra = c.h.token('delegate', 'FRA');
    const deu = c.h.token('delegate', 'DEU');
    expect((await a.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra })).statusCode).toBe(201);
    expect((await b.request({ method: 'PUT', url: '/v1/states/DEU/participation', token: deu })).statusCode).toBe(201);

    const receipts: Receipt[] = [];
    const apiWriter = async (instance: typeof a, state: string, token: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await instance.request({ method: 'POST', url: `/v1/states/${state}/contacts`, token, payload: sampleContact() });
        expect(res.statusCode).toBe(201);
        receipts.push(res.json().receipt);
      }
    };
    const directWriter = async (instance: typeof a, n: number, batch: number) => {
      const { db } = instance.service.database;
      for (let i = 0; i < n; i++) {
        receipts.push(
          ...(await db.transaction().execute((trx) =>
            instance.service.services.ledger.appendAll(trx, Array.from({ length: batch }, () => ({ type: 'test.parallel' as LedgerEventType, actor: system, parties: [], subject: {} }))),
          )),
        );
      }
    };
    const checkpointer = async (instance: typeof a, n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await instance.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: c.h.token('auditor') });
        expect([200, 201]).toContain(res.statusCode);
      }
    };
    // Eight writers per instance in parallel, and both instances signing checkpoints meanwhile.
    await Promise.all([
      ...[a, b].flatMap((instance) => [
        apiWriter(instance, 'FRA', fra, 15),
        apiWriter(instance, 'DEU', deu, 15),
        ...Array.from({ length: 4 }, () => directWriter(instance, 15, 1)),
        directWriter(instance, 5, 7),
        directWriter(instance, 2, 60),
        checkpointer(instance, 20),
      ]),
    ]);

    // One gap-free sequence: every receipt distinct, together exactly the indexes after the two joins.
    const total = 2 + 2 * (15 + 15 + 4 * 15 + 5 * 7 + 2 * 60);
    expect(receipts.map((r) => r.index).sort((x, y) => x - y)).toEqual(Array.from({ length: total - 2 }, (_, i) => i + 2));
    const rows = await c.h.sql<{ seq: string; canonical: string; leaf_hash: Uint8Array }>('select seq, canonical, leaf_hash from ledger_entries order by seq');
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: total }, (_, i) => i));

    // One tree: recomputed from the entries, equal to the stored nodes and frontier.
    const tree = new MemoryTree(rows.map((r) => leafHash(r.canonical)));
    for (const r of receipts) expect(toHex(tree.node({ level: 0, index: r.index }))).toBe(r.leafHash);
    const nodes = await c.h.sql<{ level: number; idx: string; hash: Uint8Array }>('select level, idx, hash from ledger_tree_nodes');
    let complete = 0;
    for (let width = total; width > 0; width = Math.floor(width / 2)) complete += width;
    expect(nodes.length).toBe(complete);
    for (const n of nodes) expect(toHex(n.hash)).toBe(toHex(tree.node({ level: n.level, index: Number(n.idx) })));
    const frontier = await readFrontier(c.h.database.db);
    expect(toHex(frontier.root())).toBe(toHex(tree.root()));

    // Checkpoints signed by both instances: each root is the tree at its size, and the audit (which checks
    // consistency between every consecutive pair) passes.
    const key = parseVerifierKey((await b.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey);
    const final = await a.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: c.h.token('auditor') });
    const notes = await c.h.sql<{ note: string }>('select note from ledger_checkpoints order by tree_size');
    expect(notes.length).toBeGreaterThan(2);
    for (const { note } of notes) {
      const cp = openCheckpoint(note, key);
      expect(toHex(cp.rootHash)).toBe(toHex(tree.root(cp.size)));
    }
    const report = await verifyLedger(new DatabaseSource(c.h.database), { key, mode: 'full' });
    expect(report).toMatchObject({ ok: true, treeSize: total, entriesChecked: total, checkpointsChecked: notes.length });

    // Each writer can hold the server to its receipt, through either instance.
    const latest = openCheckpoint(final.json().note, key);
    for (const r of receipts.filter((_, i) => i % 25 === 0)) {
      const res = await b.request({ method: 'GET', url: `/v1/ledger/entries/${r.index}/inclusion-proof?treeSize=${latest.size}`, token: c.h.token('auditor') });
      verifyInclusion(r.index, latest.size, fromHex(r.leafHash), res.json().proof.map(fromHex), latest.rootHash);
    }
  });

  it('a change never waits for another change: an open change holds no lock, and one rolled back costs no index', async () => {
    const [a, b] = c.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    const ledger = a.service.services.ledger;
    const { db } = a.service.database;
    const event = { type: 'test.parallel' as LedgerEventType, actor: system, parties: [], subject: {} };
    const sizeNow = async () => Number((await c.h.sql<{ size: string }>('select size from ledger_state where id = 1'))[0]!.size);
    await ledger.change(db, (trx) => ledger.append(trx, event));
    const start = await sizeNow();

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let queued!: () => void;
    const isQueued = new Promise<void>((resolve) => (queued = resolve));
    const doomed = ledger
      .change(db, async (trx) => {
        await ledger.append(trx, event);
        queued();
        await gate;
        throw new Error('roll back');
      })
      .catch((err: unknown) => err);
    await isQueued;
    // While that change is open (its entry queued, uncommitted), changes on both instances integrate at once.
    const t0 = performance.now();
    const first = await ledger.change(db, (trx) => ledger.append(trx, event));
    const second = await b.service.services.ledger.change(b.service.database.db, (trx) => b.service.services.ledger.append(trx, event));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect([first.index, second.index]).toEqual([start, start + 1]);
    release();
    expect(String(await doomed)).toBe('Error: roll back');
    // Nothing of it remains queued, and it took no index.
    expect(await c.h.sql('select id from ledger_queue')).toEqual([]);
    expect((await ledger.change(db, (trx) => ledger.append(trx, event))).index).toBe(start + 2);
    expect(await sizeNow()).toBe(start + 3);

    const rows = await c.h.sql<{ seq: string; canonical: string }>('select seq, canonical from ledger_entries order by seq');
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: start + 3 }, (_, i) => i));
    const tree = new MemoryTree(rows.map((r) => leafHash(r.canonical)));
    expect(toHex((await readFrontier(c.h.database.db)).root())).toBe(toHex(tree.root()));
  });

  it('an entry queued by a process that stopped before integrating it is integrated by another instance, in one batch with the rest', async () => {
    const [a, b] = c.instances as [Cluster['instances'][0], Cluster['instances'][0]];
    const sizeBefore = Number((await c.h.sql<{ size: string }>('select size from ledger_state where id = 1'))[0]!.size);
    // What a dead process leaves: committed changes whose entries nobody waits for.
    const body = (n: number) => JSON.stringify({ v: 1, type: 'test.orphan', at: new Date().toISOString(), actor: { role: 'secretariat', sub: 'gone' }, parties: [], subject: { n: String(n) } });
    for (let n = 0; n < 5; n++) await c.h.sql('insert into ledger_queue (body, created_at) values ($1, now())', [body(n)]);
    // Another instance's next change takes them in its batch, in queue order, before its own entry.
    const ledger = b.service.services.ledger;
    const receipt = await ledger.change(b.service.database.db, (trx) => ledger.append(trx, { type: 'test.parallel' as LedgerEventType, actor: system, parties: [], subject: {} }));
    expect(receipt.index).toBe(sizeBefore + 5);
    const rows = await c.h.sql<{ seq: string; canonical: string; queue_id: string }>('select seq, canonical, queue_id from ledger_entries where seq >= $1 order by seq', [sizeBefore]);
    expect(rows.slice(0, 5).map((r) => JSON.parse(r.canonical).subject.n)).toEqual(['0', '1', '2', '3', '4']);
    expect(rows.map((r) => Number(r.queue_id))).toEqual([...rows.map((r) => Number(r.queue_id))].sort((x, y) => x - y));
    expect(await c.h.sql('select id from ledger_queue')).toEqual([]);
    // The drain (the background loop's pass) finds nothing left.
    expect(await a.service.services.ledger.integrate(a.service.database.db)).toBe(0);
    const key = parseVerifierKey((await a.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey);
    await a.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: c.h.token('auditor') });
    expect(await verifyLedger(new DatabaseSource(c.h.database), { key, mode: 'full' })).toMatchObject({ ok: true, treeSize: sizeBefore + 6 });
  });
});
