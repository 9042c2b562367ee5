import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { toHex } from '../../src/crypto/index.ts';
import { leafHash } from '../../src/ledger/entry.ts';
import { CompactRange, MemoryTree } from '../../src/ledger/merkle.ts';
import { readFrontier, storedConsistencyProof, storedInclusionProof, storedRoot } from '../../src/ledger/tree-store.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';
import { LEDGER_ENTRY_CTE } from '../../src/ledger/service.ts';
import { runStatement } from '../../src/db/index.ts';

let h: Harness;
const system: Actor = { role: 'secretariat', sub: 'test-system', state: null };
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const appendMany = (n: number, type = 'test.bulk' as LedgerEventType) =>
  h.database.db.transaction().execute((trx) =>
    h.service.services.ledger.appendAll(
      trx,
      Array.from({ length: n }, (_, i) => ({ type, actor: system, parties: i % 2 ? ['FRA'] : ['DEU', 'FRA'], subject: { n: String(i) } })),
    ),
  );

/** The tree recomputed from the stored entries alone (canonical JSON -> leaf hash). */
async function treeFromEntries(): Promise<MemoryTree> {
  const rows = await h.sql<{ seq: string | number; canonical: string; leaf_hash: Uint8Array }>('select seq, canonical, leaf_hash from ledger_entries order by seq');
  rows.forEach((r, i) => {
    expect(Number(r.seq)).toBe(i);
    expect(toHex(leafHash(r.canonical))).toBe(toHex(r.leaf_hash));
    expect(JSON.parse(r.canonical).index).toBe(i);
  });
  return new MemoryTree(rows.map((r) => leafHash(r.canonical)));
}

/** Every stored node equals the recomputed one, and exactly the complete nodes are stored. */
async function expectTreeMatches(tree: MemoryTree) {
  const nodes = await h.sql<{ level: number; idx: string | number; hash: Uint8Array }>('select level, idx, hash from ledger_tree_nodes order by level, idx');
  let expected = 0;
  for (let width = tree.size; width > 0; width = Math.floor(width / 2)) expected += width;
  expect(nodes.length).toBe(expected);
  for (const n of nodes) expect(toHex(n.hash)).toBe(toHex(tree.node({ level: n.level, index: Number(n.idx) })));
  const frontier = await readFrontier(h.database.db);
  expect(frontier.size).toBe(tree.size);
  expect(toHex(frontier.root())).toBe(toHex(tree.root()));
}

describe('the Merkle tree maintained on append', () => {
  it('starts empty', async () => {
    const frontier = await readFrontier(h.database.db);
    expect(frontier.size).toBe(0);
    expect(toHex(frontier.root())).toBe(toHex(new CompactRange().root()));
    expect(await h.sql('select * from ledger_tree_nodes')).toEqual([]);
  });

  it('grows with every change made through the API, in the same transaction, and stores each complete subtree once', async () => {
    const fra = h.token('delegate', 'FRA');
    const deu = h.token('delegate', 'DEU');
    await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
    await h.request({ method: 'PUT', url: '/v1/states/DEU/participation', token: deu });
    for (let i = 0; i < 5; i++) expect((await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })).statusCode).toBe(201);
    await expectTreeMatches(await treeFromEntries());
  });

  it('appends in bulk through the same path (several statements per transaction) with the same result', async () => {
    const before = (await readFrontier(h.database.db)).size;
    const receipts = await appendMany(2100); // more than one batch of 2000
    expect(receipts.map((r) => r.index)).toEqual(Array.from({ length: 2100 }, (_, i) => before + i));
    const tree = await treeFromEntries();
    expect(receipts.map((r) => r.leafHash)).toEqual(Array.from({ length: 2100 }, (_, i) => toHex(tree.node({ level: 0, index: before + i }))));
    await expectTreeMatches(tree);
  });

  it('serves roots and proofs from stored nodes that match the recomputed tree at every size', async () => {
    const tree = await treeFromEntries();
    for (const size of [1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025, 2047, tree.size - 1, tree.size]) {
      expect(toHex(await storedRoot(h.database.db, size))).toBe(toHex(tree.root(size)));
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        const p = await storedInclusionProof(h.database.db, index, size);
        expect(toHex(p.leafHash)).toBe(toHex(tree.node({ level: 0, index })));
        expect(p.proof.map(toHex)).toEqual(tree.inclusionProof(index, size).map(toHex));
      }
      for (const m of [0, 1, Math.floor(size / 3), size]) {
        expect((await storedConsistencyProof(h.database.db, m, size)).map(toHex)).toEqual(tree.consistencyProof(m, size).map(toHex));
      }
    }
  });

  it('rolls the entry back with the change: a failed change leaves no queued entry, entry, node or state behind', async () => {
    const before = await readFrontier(h.database.db);
    const nodes = await h.sql<{ n: number }>('select count(*)::int as n from ledger_tree_nodes');
    const ledger = h.service.services.ledger;
    await expect(
      ledger.change(h.database.db, async (trx) => {
        await ledger.append(trx, { type: 'test.doomed' as LedgerEventType, actor: system, parties: [], subject: {} });
        throw new Error('the change fails after its append');
      }),
    ).rejects.toThrow('the change fails');
    expect(await h.sql('select id from ledger_queue')).toEqual([]);
    const after = await readFrontier(h.database.db);
    expect(after.size).toBe(before.size);
    expect(toHex(after.root())).toBe(toHex(before.root()));
    expect(await h.sql<{ n: number }>('select count(*)::int as n from ledger_tree_nodes')).toEqual(nodes);
    expect(await h.sql(`select seq from ledger_entries where type = 'test.doomed'`)).toEqual([]);
  });

  it('appends only inside ledger.change(), and a receipt has no index before the change returns', async () => {
    const ledger = h.service.services.ledger;
    const event = { type: 'test.rule' as LedgerEventType, actor: system, parties: [], subject: {} };
    await expect(h.database.db.transaction().execute((trx) => ledger.append(trx, event))).rejects.toThrow(/only inside ledger.change/);
    let early: unknown;
    const receipt = await ledger.change(h.database.db, async (trx) => {
      const r = await ledger.append(trx, event);
      try {
        early = r.index;
      } catch (err) {
        early = err;
      }
      return r;
    });
    expect(String(early)).toMatch(/has no index yet/);
    expect(receipt.index).toBe((await readFrontier(h.database.db)).size - 1);
    expect(JSON.parse(JSON.stringify(receipt))).toEqual({ index: receipt.index, leafHash: receipt.leafHash });
  });

  it("writes a fused entry with the change's own statement, and refuses one outside a change or without its receipt taken", async () => {
    const ledger = h.service.services.ledger;
    const db = h.database.db;
    const event = { type: 'test.fused' as LedgerEventType, actor: system, parties: ['FRA'], subject: { n: 'fused' } };
    await expect(db.transaction().execute(async (trx) => ledger.fusedEntry(trx, event))).rejects.toThrow(/only inside ledger.change/);
    const size = (await readFrontier(db)).size;
    // Written but its receipt never taken: the change fails and leaves nothing (no entry, no queued row).
    await expect(
      ledger.change(db, async (trx) => {
        const entry = ledger.fusedEntry(trx, event);
        const params: unknown[] = [];
        await runStatement(trx, `with ${entry.cteText(params)} select id from ${LEDGER_ENTRY_CTE}`, params);
      }),
    ).rejects.toThrow(/without taking its receipt/);
    expect(await ledger.queued(db)).toBe(0);
    expect((await readFrontier(db)).size).toBe(size);
    // Taken: one entry, with this event's body, at the next index.
    const receipt = await ledger.change(db, async (trx) => {
      const entry = ledger.fusedEntry(trx, event);
      const params: unknown[] = [];
      const [row] = await runStatement<{ ledger_ticket: string }>(trx, `with ${entry.cteText(params)} select ${entry.ticketText}`, params);
      return entry.receipt(row!);
    });
    expect(receipt.index).toBe(size);
    const stored = await ledger.list(db, system, size, 1);
    expect(stored.entries[0]!.entry).toMatchObject({ type: 'test.fused', parties: ['FRA'], subject: { n: 'fused' } });
    await expectTreeMatches(await treeFromEntries());
  });

  it('stays one consistent tree under concurrent writers', async () => {
    const fra = h.token('delegate', 'FRA');
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })),
      ...Array.from({ length: 5 }, () => appendMany(3, 'test.concurrent' as LedgerEventType)),
    ]);
    expect(results.slice(0, 10).map((r) => (r as { statusCode: number }).statusCode)).toEqual(Array(10).fill(201));
    await expectTreeMatches(await treeFromEntries());
  });

  it('refuses changes to stored nodes, checkpoints and a shrinking or deleted tree state at the database', async () => {
    await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('auditor') });
    await expect(h.sql(`update ledger_tree_nodes set hash = hash where level = 0 and idx = 0`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`delete from ledger_tree_nodes where level = 0 and idx = 0`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`truncate ledger_tree_nodes`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`update ledger_checkpoints set note = ''`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`delete from ledger_checkpoints`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`truncate ledger_checkpoints`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`update ledger_state set size = size - 1`)).rejects.toThrow(/only grows/);
    await expect(h.sql(`delete from ledger_state`)).rejects.toThrow(/only grows/);
    await expect(h.sql(`truncate ledger_state`)).rejects.toThrow(/only grows/);
    await expectTreeMatches(await treeFromEntries());
  });
});
