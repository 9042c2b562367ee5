/**
 * The ledger: every state change appends one entry inside the change's own
 * transaction (if the append fails, the change fails). Appends are
 * serialised by a row lock on the single ledger_state row, which makes the
 * sequence gap-free across processes; the same lock guards the Merkle tree's
 * frontier, so the entry, the tree nodes it completes and the new tree state
 * are written together, in O(log n), in one statement. Triggers refuse
 * UPDATE/DELETE/TRUNCATE of entries, nodes and checkpoints.
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
import type { Db, Queryable, Trx } from '../db/index.ts';
import { notFound, Problem } from '../http/problem.ts';
import { createCheckpointer, type CheckpointPolicy, type StoredCheckpoint } from './checkpoints.ts';
import { canonicalJson, leafHash, type LedgerEntry } from './entry.ts';
import type { LedgerEventType } from './events.ts';
import type { CompactRange, Node } from './merkle.ts';
import { createWitnessing } from './witnesses.ts';
import {
  lockFrontier,
  MAX_BATCH_ENTRIES,
  MAX_CONDITIONAL_ENTRIES,
  storedConsistencyProof,
  storedInclusionProof,
  treeSize,
  writeAppends,
  writeAppendsAt,
  type AppendBatch,
} from './tree-store.ts';

export interface LedgerEvent {
  type: LedgerEventType;
  actor: Actor;
  parties: string[];
  subject: Record<string, string>;
  facts?: LedgerEntry['facts'];
  /** Confidential content to commit to; only its keyed hash is written. */
  content?: unknown;
}

/** What a state-changing response returns so the caller can hold the server to it. */
export interface Receipt {
  index: number;
  leafHash: string;
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


/**
 * How long an append waits for the previous append of its own process to
 * return before it goes ahead anyway (its guess may then be stale: one more
 * round trip). Bounded, because PostgreSQL's deadlock detector cannot see
 * this wait; it is shorter than PostgreSQL's default deadlock_timeout (1 s).
 */
const QUEUE_WAIT_MS = 250;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

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

  function buildEntry(index: number, event: LedgerEvent, at: Date, committed: string | undefined): LedgerEntry {
    return {
      v: 1,
      index,
      type: event.type,
      at: at.toISOString(),
      actor: { role: event.actor.role, sub: event.actor.sub, ...(event.actor.state ? { state: event.actor.state } : {}) },
      parties: [...new Set(event.parties)].sort(),
      subject: event.subject,
      ...(event.facts ? { facts: event.facts } : {}),
      ...(committed !== undefined ? { commitment: committed } : {}),
    };
  }

  /**
   * The tree state after the last append this process sent, whether or not
   * it has committed yet: the guess an append builds on so that it needs one
   * statement and no lockFrontier() round trip. The database decides
   * (writeAppendsAt applies only if the committed state is exactly this), so
   * a wrong guess costs a round trip, never an index. Objects published here
   * are never mutated.
   */
  let tip: CompactRange | undefined;
  /** Settles when the statement of the latest queued append of this process has returned. */
  let queue: Promise<void> = Promise.resolve();
  /** The state after each open transaction's last append: it holds the row lock, so this is exact. */
  const held = new WeakMap<Trx, CompactRange>();

  /** Builds the entries of `events` on `range` (mutated: it ends as the state after them). */
  function build(range: CompactRange, events: readonly LedgerEvent[], commitments: (string | undefined)[]): { batches: AppendBatch[]; receipts: Receipt[] } {
    const receipts: Receipt[] = [];
    const batches: AppendBatch[] = [];
    let batch: AppendBatch | undefined;
    for (const [i, event] of events.entries()) {
      const index = range.size;
      const at = clock();
      const entry = buildEntry(index, event, at, commitments[i]);
      const canonical = canonicalJson(entry);
      const hash = leafHash(canonical);
      if (batch && batch.entries.length === MAX_BATCH_ENTRIES) {
        batch.after = range.clone(); // the state at the end of the full batch
        batch = undefined;
      }
      if (!batch) batches.push((batch = { entries: [], nodes: [], after: range }));
      const nodes: Node[] = range.append(hash);
      batch.entries.push({ seq: index, type: entry.type, parties: entry.parties, canonical, leaf_hash: hash, created_at: at });
      batch.nodes.push(...nodes);
      receipts.push({ index, leafHash: toHex(hash) });
    }
    // The last batch's `after` is `range` itself, now final.
    return { batches, receipts };
  }

  /**
   * Appends events in order inside the caller's transaction. The append
   * holds the ledger_state row lock until the caller commits, so it does as
   * little as possible once it has it: first, one conditional statement on
   * top of `tip` (lock, entries, nodes, new state; it waits for a concurrent
   * appender of this process inside PostgreSQL); if the committed state is not
   * `tip` (another instance appended, or an append of this process rolled
   * back), the locked path: lockFrontier(), then one statement per batch of
   * up to 2000 entries. Either way the entry, its index and the tree are
   * written under the row lock, gap-free. `append` is this with one event;
   * bulk loads (imports, benchmarks) use the same path.
   */
  async function appendAll(trx: Trx, events: readonly LedgerEvent[]): Promise<Receipt[]> {
    // Appends are serialised from the lock to the caller's commit: do what does not need the index first.
    const commitments = events.map(commitmentOf);
    const conditional = events.length > 0 && events.length <= MAX_CONDITIONAL_ENTRIES;
    // A transaction that appended already holds the lock and knows the state exactly; it never waits here.
    let base = held.get(trx);
    let release: (() => void) | undefined;
    if (!base) {
      // Appends of this process form one queue: each is sent once the previous one's statement has
      // returned, so that it reaches PostgreSQL after it and builds on its state (it then waits there for
      // that transaction's commit). The wait is bounded: PostgreSQL cannot see it in a deadlock cycle.
      const previous = queue;
      queue = new Promise<void>((resolve) => (release = resolve));
      await Promise.race([previous, delay(QUEUE_WAIT_MS)]);
      base = tip;
    }
    try {
      let locked: CompactRange | undefined;
      if (conditional && base) {
        const range = base.clone();
        const { batches, receipts } = build(range, events, commitments);
        tip = range; // the next append of this process builds on it
        let result: Awaited<ReturnType<typeof writeAppendsAt>> | undefined;
        try {
          result = await writeAppendsAt(trx, base, batches[0]!);
        } finally {
          if (!result?.applied && tip === range) tip = undefined;
        }
        if (result.applied) {
          held.set(trx, range);
          return receipts;
        }
        locked = result.locked; // the guess was stale: the statement locked the row and returned the current state
      }
      const range = locked ?? (await lockFrontier(trx));
      const { batches, receipts } = build(range, events, commitments);
      await writeAppends(trx, batches);
      tip = range; // the committed state once the caller commits (if it does not, the next guess fails and is corrected)
      held.set(trx, range);
      return receipts;
    } finally {
      release?.();
    }
  }

  async function append(trx: Trx, event: LedgerEvent): Promise<Receipt> {
    return (await appendAll(trx, [event]))[0]!;
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

  return { append, appendAll, list, size, inclusionProof, consistencyProof, listCanonical, checkpoints, witnessing };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
