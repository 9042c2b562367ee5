/**
 * The Merkle tree in the database (tables of migration 0003): the right-edge
 * frontier with the tree size in ledger_state, and every complete subtree
 * hash in ledger_tree_nodes. Proofs and historical roots are computed from
 * the O(log n) stored nodes they need, fetched in one query; the tree is
 * never rebuilt per request. The hashing itself is merkle.ts.
 */
import { sql } from 'kysely';
import type { Queryable, Trx } from '../db/index.ts';
import {
  CompactRange,
  consistencyProof,
  decompose,
  inclusionProof,
  nodeKey,
  nodesFor,
  consistencyRanges,
  inclusionRanges,
  rootFromNodes,
  type Node,
  type NodeId,
} from './merkle.ts';
import { ledgerDb } from './tables.ts';

/** The stored tree is not what it must be (a node is missing, or the state is malformed). */
export class TreeStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeStorageError';
  }
}

function frontierOf(size: number | string | bigint, bytes: Uint8Array): CompactRange {
  try {
    return CompactRange.fromBytes(Number(size), new Uint8Array(bytes));
  } catch (err) {
    throw new TreeStorageError(`ledger_state holds a malformed frontier: ${(err as Error).message}`);
  }
}

/** Locks the tree state for the rest of the transaction (this is what serialises appends) and returns it. */
export async function lockFrontier(trx: Trx): Promise<CompactRange> {
  const row = await ledgerDb(trx).selectFrom('ledger_state').select(['size', 'frontier']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  return frontierOf(row.size, row.frontier);
}

/** The committed tree state (size and frontier, read together). */
export async function readFrontier(q: Queryable): Promise<CompactRange> {
  const row = await ledgerDb(q).selectFrom('ledger_state').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirstOrThrow();
  return frontierOf(row.size, row.frontier);
}

/** Committed tree size. */
export async function treeSize(q: Queryable): Promise<number> {
  const row = await ledgerDb(q).selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.size);
}

export interface EntryRow {
  seq: number;
  type: string;
  parties: string[];
  canonical: string;
  leaf_hash: Uint8Array;
  created_at: Date;
  /** The queued entry this one integrates (the integrator then deletes it from ledger_queue). */
  queue_id?: string;
}

/** Entries appended together: written in one statement with the nodes they completed and the state after them. */
export interface AppendBatch {
  entries: EntryRow[];
  nodes: Node[];
  /** The tree state after this batch. */
  after: CompactRange;
}

/** Parameters per statement stay well under PostgreSQL's 65535: at most this many entries per batch. */
export const MAX_BATCH_ENTRIES = 2000;

/**
 * Writes appended entries, the nodes they completed and the new tree state,
 * inside the caller's transaction, which must hold the lock of lockFrontier().
 * One statement per batch (a single append is one statement).
 */
export async function writeAppends(trx: Trx, batches: readonly AppendBatch[]): Promise<void> {
  const t = ledgerDb(trx);
  for (const { entries, nodes, after } of batches) {
    if (entries.length === 0) continue;
    if (entries.length > MAX_BATCH_ENTRIES) throw new RangeError(`at most ${MAX_BATCH_ENTRIES} entries per batch`);
    const rows = nodes.map((n) => ({ level: n.level, idx: n.index, hash: n.hash }));
    await t
      .with('e', (db) => db.insertInto('ledger_entries').values(entries))
      .with('n', (db) => db.insertInto('ledger_tree_nodes').values(rows))
      .updateTable('ledger_state')
      .set({ size: after.size, frontier: after.toBytes() })
      .where('id', '=', 1)
      .execute();
  }
}

/** Fetches the given complete nodes in one query; throws TreeStorageError if one is missing. */
export async function fetchNodes(q: Queryable, ids: readonly NodeId[]): Promise<(id: NodeId) => Uint8Array> {
  const found = new Map<string, Uint8Array>();
  if (ids.length > 0) {
    const pairs = sql.join(ids.map((id) => sql`(${id.level}::smallint, ${id.index}::bigint)`));
    const rows = await ledgerDb(q)
      .selectFrom('ledger_tree_nodes')
      .select(['level', 'idx', 'hash'])
      .where(sql<boolean>`(level, idx) in (${pairs})`)
      .execute();
    for (const r of rows) found.set(nodeKey({ level: Number(r.level), index: Number(r.idx) }), new Uint8Array(r.hash));
  }
  return (id) => {
    const hash = found.get(nodeKey(id));
    if (!hash) throw new TreeStorageError(`tree node ${nodeKey(id)} is missing`);
    return hash;
  };
}

export interface StoredInclusionProof {
  /** The leaf hash the tree holds for the entry (level-0 node). */
  leafHash: Uint8Array;
  proof: Uint8Array[];
}

/** Inclusion proof of leaf `index` in the tree of `size` leaves (size must not exceed the committed size). */
export async function storedInclusionProof(q: Queryable, index: number, size: number): Promise<StoredInclusionProof> {
  const leaf: NodeId = { level: 0, index };
  const node = await fetchNodes(q, [leaf, ...nodesFor(inclusionRanges(index, size))]);
  return { leafHash: node(leaf), proof: inclusionProof(index, size, node) };
}

/** Consistency proof between tree sizes m <= n (n must not exceed the committed size). */
export async function storedConsistencyProof(q: Queryable, m: number, n: number): Promise<Uint8Array[]> {
  const node = await fetchNodes(q, nodesFor(consistencyRanges(m, n)));
  return consistencyProof(m, n, node);
}

/** Root of the tree at any past size (size must not exceed the committed size). */
export async function storedRoot(q: Queryable, size: number): Promise<Uint8Array> {
  const node = await fetchNodes(q, size === 0 ? [] : decompose({ begin: 0, end: size }));
  return rootFromNodes(size, node);
}

/**
 * The stored hashes of `count` consecutive complete nodes at `level` from
 * index `from` (a tlog-tiles tile is 256 of them at level 8·L). Throws
 * TreeStorageError if one is missing.
 */
export async function nodesInRange(q: Queryable, level: number, from: number, count: number): Promise<Uint8Array[]> {
  const rows = await ledgerDb(q)
    .selectFrom('ledger_tree_nodes')
    .select(['idx', 'hash'])
    .where('level', '=', level)
    .where('idx', '>=', from)
    .where('idx', '<', from + count)
    .orderBy('idx')
    .execute();
  if (rows.length !== count || rows.some((r, i) => Number(r.idx) !== from + i)) throw new TreeStorageError(`tree nodes ${level}/${from}..${from + count - 1} are incomplete`);
  return rows.map((r) => new Uint8Array(r.hash));
}
