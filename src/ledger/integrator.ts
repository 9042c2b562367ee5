/**
 * The integrator: sequencing off the request path (issue 11).
 *
 * A change's transaction queues its entry (ledger_queue: the entry without
 * its index) and commits without touching the tree, so it never waits on
 * another change's commit. The integrator then, in one transaction per batch:
 * locks the tree state (the ledger_state row: one integrator at a time across
 * every instance), takes up to MAX_BATCH_ENTRIES queued entries in queue
 * order, gives them the next indices, writes the entries, the tree nodes they
 * complete and the new tree state, and deletes them from the queue. Indices
 * stay gap-free and the tree consistent, as before; a batch costs one commit
 * (one fsync) however many entries it holds.
 *
 * Who runs it: every instance. ledger.change() waits, after its commit, for
 * its entries to be integrated (settle), and a background loop drains what
 * nobody waits for (entries of a process that died between its commit and
 * its integration). Within a process, runs never overlap: changes that
 * commit while a run is in flight are taken by the next run, so under load
 * each run integrates everything that committed during the previous one.
 * An entry integrated by another instance is found by its queue id
 * (ledger_entries.queue_id).
 */
import { toHex } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import { canonicalJson, leafHash, type LedgerEntry } from './entry.ts';
import type { QueuedReceipt, Receipt } from './receipt.ts';
import { ledgerDb } from './tables.ts';
import type { CompactRange } from './merkle.ts';
import { lockFrontier, MAX_BATCH_ENTRIES, writeAppends, type AppendBatch } from './tree-store.ts';

/** A queued entry's body: the entry without its index. */
export type QueuedBody = Omit<LedgerEntry, 'index'>;

/** An entry to be given its index: its body, its time, and the queued row it comes from (if any). */
export interface Unsequenced {
  body: QueuedBody;
  at: Date;
  queueId?: string;
}

/**
 * Gives entries the next indices on `range` (mutated: it ends as the state
 * after them): each entry's canonical text, leaf hash and the nodes it
 * completes, in batches of at most MAX_BATCH_ENTRIES, with their receipts.
 * Shared by the integrator and the direct bulk path (appendAll).
 */
export function sequenceEntries(range: CompactRange, items: readonly Unsequenced[]): { batches: AppendBatch[]; receipts: Receipt[] } {
  const receipts: Receipt[] = [];
  const batches: AppendBatch[] = [];
  let batch: AppendBatch | undefined;
  for (const { body, at, queueId } of items) {
    const index = range.size;
    const canonical = canonicalJson({ ...body, index });
    const hash = leafHash(canonical);
    if (batch && batch.entries.length === MAX_BATCH_ENTRIES) {
      batch.after = range.clone(); // the state at the end of the full batch
      batch = undefined;
    }
    if (!batch) batches.push((batch = { entries: [], nodes: [], after: range }));
    batch.nodes.push(...range.append(hash));
    batch.entries.push({ seq: index, type: body.type, parties: body.parties, canonical, leaf_hash: hash, created_at: at, ...(queueId !== undefined ? { queue_id: queueId } : {}) });
    receipts.push({ index, leafHash: toHex(hash) });
  }
  // The last batch's `after` is `range` itself, now final.
  return { batches, receipts };
}

/** A settled ticket's entry was not found, queued or integrated: it never committed (or the queue was tampered with). */
export class LostTicketError extends Error {
  constructor(ticket: string) {
    super(`ledger queue entry ${ticket} is neither queued nor integrated`);
    this.name = 'LostTicketError';
  }
}

interface Waiter {
  receipt: QueuedReceipt;
  /** The number of the last run started when this waiter came: a later run must have seen its entry. */
  after: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface RunState {
  waiters: Map<string, Waiter[]>;
  started: number;
  running: Promise<void> | undefined;
  again: boolean;
}

export function createIntegrator({ batchSize = MAX_BATCH_ENTRIES }: { batchSize?: number } = {}) {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_ENTRIES) throw new RangeError(`batchSize must be 1 to ${MAX_BATCH_ENTRIES}`);
  const states = new WeakMap<Db, RunState>();
  const stateOf = (db: Db): RunState => {
    let s = states.get(db);
    if (!s) states.set(db, (s = { waiters: new Map(), started: 0, running: undefined, again: false }));
    return s;
  };

  /** One batch: the receipts of the entries it integrated, and whether it was full (more may be queued). */
  async function integrateOnce(db: Db): Promise<{ done: Map<string, Receipt>; full: boolean }> {
    return db.transaction().execute(async (trx) => {
      // The lock first, the queue second: the queue is then read after the previous integrator committed.
      const range = await lockFrontier(trx);
      const rows = await ledgerDb(trx).selectFrom('ledger_queue').select(['id', 'body', 'created_at']).orderBy('id').limit(batchSize).execute();
      const done = new Map<string, Receipt>();
      if (rows.length === 0) return { done, full: false };
      const items = rows.map((r) => ({ body: JSON.parse(r.body) as QueuedBody, at: new Date(r.created_at), queueId: String(r.id) }));
      const { batches, receipts } = sequenceEntries(range, items);
      items.forEach((item, i) => done.set(item.queueId, receipts[i]!));
      await writeAppends(trx, batches);
      // After the entries are written: the queue's trigger lets a row go only once an entry names it.
      await ledgerDb(trx).deleteFrom('ledger_queue').where('id', 'in', [...done.keys()]).execute();
      return { done, full: rows.length === batchSize };
    });
  }

  /** Receipts of entries already integrated (by any instance), by queue id. */
  async function lookup(db: Db, tickets: readonly string[]): Promise<Map<string, Receipt>> {
    const found = new Map<string, Receipt>();
    if (tickets.length === 0) return found;
    const rows = await db.selectFrom('ledger_entries').select(['queue_id', 'seq', 'leaf_hash']).where('queue_id', 'in', tickets).execute();
    for (const r of rows) found.set(String(r.queue_id), { index: Number(r.seq), leafHash: toHex(r.leaf_hash) });
    return found;
  }

  function settleWaiters(s: RunState, results: Map<string, Receipt>): void {
    for (const [ticket, receipt] of results) {
      const waiting = s.waiters.get(ticket);
      if (!waiting) continue;
      s.waiters.delete(ticket);
      for (const w of waiting) {
        w.receipt.settle(receipt);
        w.resolve();
      }
    }
  }

  async function runUntilSettled(db: Db, s: RunState): Promise<void> {
    do {
      s.again = false;
      const run = ++s.started;
      try {
        const { done, full } = await integrateOnce(db);
        settleWaiters(s, done);
        // Waiters this run had to see, still unsettled: integrated by another instance, or beyond a full batch.
        const due = [...s.waiters.entries()].filter(([, ws]) => ws.some((w) => w.after < run)).map(([t]) => t);
        if (due.length > 0 && !full) {
          settleWaiters(s, await lookup(db, due));
          for (const ticket of due) {
            const waiting = s.waiters.get(ticket);
            if (!waiting) continue;
            s.waiters.delete(ticket);
            for (const w of waiting) w.reject(new LostTicketError(ticket));
          }
        }
        if (s.waiters.size > 0) s.again = true;
      } catch (err) {
        // The database failed (or the stored tree is broken): every waiter hears it; their entries stay queued.
        for (const waiting of s.waiters.values()) for (const w of waiting) w.reject(err);
        s.waiters.clear();
        return;
      }
    } while (s.again);
  }

  function kick(db: Db, s: RunState): void {
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = runUntilSettled(db, s).finally(() => {
      s.running = undefined;
      if (s.waiters.size > 0) kick(db, s); // came after the last run decided to stop
    });
  }

  /**
   * Fills in each receipt once its (committed) entry is integrated, by this
   * process or another. Rejects with the database's error if integrating
   * fails (the entries stay queued and are integrated later).
   */
  async function settle(db: Db, receipts: readonly QueuedReceipt[]): Promise<void> {
    const open = receipts.filter((r) => !r.settled);
    if (open.length === 0) return;
    const s = stateOf(db);
    const waits = open.map(
      (receipt) =>
        new Promise<void>((resolve, reject) => {
          const w: Waiter = { receipt, after: s.started, resolve, reject };
          const list = s.waiters.get(receipt.ticket);
          if (list) list.push(w);
          else s.waiters.set(receipt.ticket, [w]);
        }),
    );
    kick(db, s);
    await Promise.all(waits);
  }

  /** Integrates everything queued (the background loop); returns how many entries it integrated. */
  async function drain(db: Db): Promise<number> {
    let total = 0;
    for (;;) {
      const { done, full } = await integrateOnce(db);
      total += done.size;
      settleWaiters(stateOf(db), done);
      if (!full) return total;
    }
  }

  /** Entries waiting in the queue (for /metrics and the operator). */
  async function queued(db: Db): Promise<number> {
    const row = await ledgerDb(db).selectFrom('ledger_queue').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  return { settle, drain, queued };
}

export type Integrator = ReturnType<typeof createIntegrator>;
