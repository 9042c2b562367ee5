/**
 * The ledger: every state change queues one entry inside the change's own
 * transaction (if the append fails, the change fails), through change():
 * open the transaction, run the change, commit, then wait until the entries
 * are integrated and fill in their receipts. The integrator (integrator.ts)
 * gives queued entries their indices in batches, under a row lock on the
 * single ledger_state row, which makes the sequence gap-free across
 * processes; the same lock guards the Merkle tree's frontier, so the entries,
 * the tree nodes they complete and the new tree state are written together in
 * one statement. Triggers refuse UPDATE/DELETE/TRUNCATE of entries, nodes and
 * checkpoints. appendAll() writes entries directly under the lock (bulk loads).
 *
 * Reading side: entries (filtered for delegates), inclusion and consistency
 * proofs from the stored nodes, and signed checkpoints (checkpoints.ts).
 */
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize, ledgerScope, permits } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { configSchema, type Config, type WitnessSetting } from '../config.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { commitment, toBase64, toHex } from '../crypto/index.ts';
import { insertValues, type Db, type Queryable, type Trx } from '../db/index.ts';
import { createIntegrator, sequenceEntries, type QueuedBody } from './integrator.ts';
import { collectReceipts, QueuedReceipt, type Receipt } from './receipt.ts';
import { ledgerDb } from './tables.ts';
import { notFound, Problem } from '../http/problem.ts';
import { createCheckpointer, type CheckpointPolicy, type StoredCheckpoint } from './checkpoints.ts';
import { canonicalJson, type LedgerEntry } from './entry.ts';
import type { LedgerEventType } from './events.ts';
import { createWitnessing } from './witnesses.ts';
import { lockFrontier, storedConsistencyProof, storedInclusionProof, treeSize, writeAppends } from './tree-store.ts';

export type { Receipt } from './receipt.ts';

export interface LedgerEvent {
  type: LedgerEventType;
  actor: Actor;
  parties: string[];
  subject: Record<string, string>;
  facts?: LedgerEntry['facts'];
  /** Confidential content to commit to; only its keyed hash is written. */
  content?: unknown;
}

/** Name of the common table expression a fused ledger entry is written by (ledger.fusedEntry). */
export const LEDGER_ENTRY_CTE = 'ledger_entry';

/** A ledger entry written by the change's own statement: see ledger.fusedEntry(). */
export interface FusedEntry {
  /** The common table expression that queues the entry (`ledger_entry as (…)`); its values are appended to `params`. */
  cteText(params: unknown[]): string;
  /** The column the statement returns: the queued entry's id, as `ledger_ticket`. */
  ticketText: string;
  /** The entry's receipt, from the statement's returned row. */
  receipt(row: { ledger_ticket: string | number }): Receipt;
}

export interface ServedEntry {
  index: number;
  leafHash: string;
  entry: LedgerEntry;
}

export interface LedgerServiceDeps {
  clock: Clock;
  commitmentKey: Uint8Array;
  /** Ed25519 seed signing the checkpoints (LEDGER_SIGNING_KEY). */
  signingSeed: Uint8Array;
  /** The log's identity and its key name (LEDGER_ORIGIN). */
  origin: string;
  checkpointPolicy: CheckpointPolicy;
  /** Witnesses that cosign checkpoints (LEDGER_WITNESSES, LEDGER_WITNESS_QUORUM); none by default. */
  witnesses?: { list: readonly WitnessSetting[]; quorum: number; timeoutMs: number; retryMs?: number; fetch?: typeof fetch };
}

/** The configuration the ledger reads. */
export type LedgerConfig = Pick<Config, 'LEDGER_ORIGIN' | 'LEDGER_CHECKPOINT_ENTRIES' | 'LEDGER_CHECKPOINT_SECONDS'> &
  Partial<Pick<Config, 'LEDGER_WITNESSES' | 'LEDGER_WITNESS_QUORUM' | 'LEDGER_WITNESS_TIMEOUT_MS'>>;

/** Ledger settings from the keyring (signing key) and configuration (origin, checkpoint policy; defaults when absent). */
export function ledgerSettings(
  keyring: Pick<Keyring, 'ledgerSigningSeed'>,
  config: LedgerConfig = configSchema.parse({}),
): Omit<LedgerServiceDeps, 'clock' | 'commitmentKey'> {
  return {
    signingSeed: keyring.ledgerSigningSeed,
    origin: config.LEDGER_ORIGIN,
    checkpointPolicy: { maxEntries: config.LEDGER_CHECKPOINT_ENTRIES, maxSeconds: config.LEDGER_CHECKPOINT_SECONDS },
    witnesses: { list: config.LEDGER_WITNESSES ?? [], quorum: config.LEDGER_WITNESS_QUORUM ?? 0, timeoutMs: config.LEDGER_WITNESS_TIMEOUT_MS ?? 5000 },
  };
}


export function createLedgerService({ clock, commitmentKey, signingSeed, origin, checkpointPolicy, witnesses }: LedgerServiceDeps) {
  const checkpoints = createCheckpointer({ clock, origin, signingSeed, policy: checkpointPolicy });
  const witnessing = createWitnessing({
    witnesses: witnesses?.list ?? [],
    quorum: witnesses?.quorum ?? 0,
    timeoutMs: witnesses?.timeoutMs ?? 5000,
    clock,
    ...(witnesses?.retryMs !== undefined ? { retryMs: witnesses.retryMs } : {}),
    ...(witnesses?.fetch ? { fetch: witnesses.fetch } : {}),
  });

  /** The keyed hash of the event's confidential content (computed before the append lock is taken). */
  const commitmentOf = (event: LedgerEvent): string | undefined =>
    event.content !== undefined ? toBase64(commitment(commitmentKey, canonicalJson(event.content))) : undefined;

  function buildBody(event: LedgerEvent, at: Date, committed: string | undefined): QueuedBody {
    return {
      v: 1,
      type: event.type,
      at: at.toISOString(),
      actor: { role: event.actor.role, sub: event.actor.sub, ...(event.actor.state ? { state: event.actor.state } : {}) },
      parties: [...new Set(event.parties)].sort(),
      subject: event.subject,
      ...(event.facts ? { facts: event.facts } : {}),
      ...(committed !== undefined ? { commitment: committed } : {}),
    };
  }

  const integrator = createIntegrator();
  /** The receipts of each open change's queued entries (change() settles them after its commit). */
  const queuedIn = new WeakMap<Trx, QueuedReceipt[]>();
  /** Fused entries (fusedEntry) whose receipt has not been taken yet, per change. */
  const unclaimedIn = new WeakMap<Trx, Set<object>>();

  /**
   * A state change with its ledger entries: opens the transaction, runs
   * `fn` (which appends with append()), commits, then waits for the entries
   * to be integrated and fills in their receipts, including the receipts
   * of a response stored by an idempotency key and replayed. The result is
   * returned only once every entry of the change has its index. If the
   * integration fails (the database went away after the commit), this
   * rejects; the change stays committed and its entries queued, and they are
   * integrated by the next run (a retry with the same Idempotency-Key
   * returns the stored result with its receipt).
   */
  async function change<T>(db: Db, fn: (trx: Trx) => Promise<T>, opts: { oneStatement?: boolean } = {}): Promise<T> {
    const queued: QueuedReceipt[] = [];
    const run = async (trx: Trx) => {
      queuedIn.set(trx, queued);
      const value = await fn(trx);
      if (unclaimedIn.get(trx)?.size) throw new Error('ledger.fusedEntry(): an entry was written without taking its receipt');
      return value;
    };
    // oneStatement: a change whose writes, its fused entry included, are ONE statement, which is then its
    // own transaction (no BEGIN and COMMIT round trips). `fn` gets a handle of its own on the database.
    const result = opts.oneStatement ? await run(db.withoutPlugins() as unknown as Trx) : await db.transaction().execute(run);
    const receipts: QueuedReceipt[] = [...queued];
    collectReceipts(result, receipts);
    await integrator.settle(db, receipts);
    return result;
  }

  /**
   * Queues one entry in the change's transaction (one statement; no lock,
   * so concurrent changes never wait for each other's commit). The receipt
   * is filled in when change() returns. Only inside change().
   */
  async function append(trx: Trx, event: LedgerEvent): Promise<Receipt> {
    const queued = queuedIn.get(trx);
    if (!queued) throw new Error('ledger.append() runs only inside ledger.change()');
    const at = clock();
    const body = JSON.stringify(buildBody(event, at, commitmentOf(event)));
    const row = await ledgerDb(trx).insertInto('ledger_queue').values({ body, created_at: at }).returning('id').executeTakeFirstOrThrow();
    const receipt = new QueuedReceipt(String(row.id));
    queued.push(receipt);
    return receipt;
  }

  /**
   * The same queued entry as append(), written by the change's own statement
   * instead of one of its own (a round trip fewer on the hot paths: a send,
   * a contact's creation). The caller puts `entry.cteText(params)` in its
   * statement's WITH list, returns `entry.ticketText`, and passes the
   * returned row to `entry.receipt()`. A fused entry whose
   * receipt was never taken fails the change (it would not be waited for).
   * Only inside change().
   */
  function fusedEntry(trx: Trx, event: LedgerEvent): FusedEntry {
    const queued = queuedIn.get(trx);
    if (!queued) throw new Error('ledger.fusedEntry() runs only inside ledger.change()');
    const at = clock();
    const body = JSON.stringify(buildBody(event, at, commitmentOf(event)));
    const unclaimed = { fused: true as const };
    const pending = unclaimedIn.get(trx) ?? new Set<object>();
    unclaimedIn.set(trx, pending);
    pending.add(unclaimed);
    return {
      cteText(params) {
        return `${LEDGER_ENTRY_CTE} as (${insertValues('ledger_queue', [{ body, created_at: at }], params)} returning id)`;
      },
      ticketText: `(select id::text from ${LEDGER_ENTRY_CTE}) as ledger_ticket`,
      receipt(row) {
        if (!pending.delete(unclaimed)) throw new Error('ledger.fusedEntry(): receipt() taken twice');
        const receipt = new QueuedReceipt(String(row.ledger_ticket));
        queued.push(receipt);
        return receipt;
      },
    };
  }

  /**
   * Appends events directly, in order, inside the caller's transaction:
   * locks the tree state (held until the caller commits, so for bulk loads:
   * imports, benchmarks, tests), then one statement per batch of up to 2000
   * entries. The receipts are final at once.
   */
  async function appendAll(trx: Trx, events: readonly LedgerEvent[]): Promise<Receipt[]> {
    const commitments = events.map(commitmentOf);
    const range = await lockFrontier(trx);
    const { batches, receipts } = sequenceEntries(
      range,
      events.map((event, i) => {
        const at = clock();
        return { body: buildBody(event, at, commitments[i]), at };
      }),
    );
    await writeAppends(trx, batches);
    return receipts;
  }

  /** Entries from `from` on; delegates see only entries their state is party to. */
  async function list(db: Queryable, actor: Actor, from: number, limit: number): Promise<{ entries: ServedEntry[]; next: number | null }> {
    const page = await listCanonical(db, actor, from, limit);
    return { entries: page.entries.map((e) => ({ index: e.index, leafHash: e.leafHash, entry: JSON.parse(e.canonical) as LedgerEntry })), next: page.next };
  }

  /**
   * The same page with each entry's stored canonical text, for serving it
   * verbatim (no parse and re-serialisation per entry). Each text is still
   * checked to be JSON, so a corrupt row fails the page as list() does.
   */
  async function listCanonical(
    db: Queryable,
    actor: Actor,
    from: number,
    limit: number,
  ): Promise<{ entries: { index: number; leafHash: string; canonical: string }[]; next: number | null }> {
    let query = db
      .selectFrom('ledger_entries')
      .select(['seq', 'canonical', 'leaf_hash'])
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(limit + 1);
    const scope = ledgerScope(actor);
    if ('party' in scope) query = query.where(sql<boolean>`parties @> array[${scope.party}]::text[]`);
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    return {
      entries: page.map((r) => {
        JSON.parse(r.canonical);
        return { index: Number(r.seq), leafHash: toHex(r.leaf_hash), canonical: r.canonical };
      }),
      next: rows.length > limit ? Number(rows[limit]!.seq) : null,
    };
  }

  async function size(db: Queryable): Promise<number> {
    return treeSize(db);
  }

  async function checkTreeSize(db: Queryable, wanted: number): Promise<number> {
    const current = await treeSize(db);
    if (wanted > current) throw new Problem('bad-request', `tree size ${wanted} exceeds the ledger size ${current}`);
    return current;
  }

  /**
   * Inclusion proof of entry `index` in the tree of `size` entries (default:
   * the latest checkpoint, returned with the proof). Secretariat and auditors:
   * any entry; delegates: entries their state is party to (others are 404,
   * as if absent); observers: none.
   */
  async function inclusionProof(db: Db, actor: Actor, index: number, size: number | undefined) {
    authorize(actor, 'ledger.read-entries');
    const row = await db.selectFrom('ledger_entries').select('parties').where('seq', '=', index).executeTakeFirst();
    if (!row || !(permits(actor, 'ledger.read-entries', { state: null }) || row.parties.some((state) => permits(actor, 'ledger.read-entries', { state })))) throw notFound('ledger entry');
    let checkpoint: StoredCheckpoint | undefined;
    if (size === undefined) {
      checkpoint = (await checkpoints.sign(db, 'read')).checkpoint!;
      size = checkpoint.treeSize;
      if (index >= size) {
        throw new Problem('conflict', `entry ${index} is not covered by the latest checkpoint (size ${size}) yet; retry later or pass treeSize`);
      }
    } else {
      if (index >= size) throw new Problem('bad-request', `index ${index} is not below treeSize ${size}`);
      await checkTreeSize(db, size);
    }
    const proof = await storedInclusionProof(db, index, size);
    return { index, treeSize: size, leafHash: proof.leafHash, proof: proof.proof, checkpoint };
  }

  /** Consistency proof between two tree sizes (any authenticated caller: it holds hashes only). */
  async function consistencyProof(db: Db, from: number, to: number) {
    if (from > to) throw new Problem('bad-request', `from (${from}) must not exceed to (${to})`);
    await checkTreeSize(db, to);
    return { from, to, proof: await storedConsistencyProof(db, from, to) };
  }

  return { change, append, fusedEntry, appendAll, integrate: (db: Db) => integrator.drain(db), queued: (db: Db) => integrator.queued(db), list, size, inclusionProof, consistencyProof, listCanonical, checkpoints, witnessing };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
