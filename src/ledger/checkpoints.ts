/**
 * Signed checkpoints of the ledger tree (C2SP tlog-checkpoint notes, Ed25519).
 *
 * Policy: an entry never waits long to be covered by a signed checkpoint. A
 * new checkpoint of the committed tree is signed when
 *   - at least `maxEntries` entries are not covered by the latest one, or
 *   - the oldest uncovered entry is at least `maxSeconds` old,
 * checked by a background tick in every instance (every min(maxSeconds, 5) s,
 * src/background.ts, which backs off while the database is unavailable)
 * and again whenever the latest checkpoint is read; and on demand. So the
 * checkpoint a reader gets lags the tree by less than maxEntries entries and
 * maxSeconds seconds. Only committed state is ever signed (the frontier and
 * size are read together outside any write transaction), and instances that
 * race to sign the same size produce the same note (Ed25519 is deterministic;
 * the insert keeps the first).
 */
import type { Clock } from '../clock.ts';
import { signingKeyPair, toHex, type SigningKeyPair } from '../crypto/index.ts';
import type { Queryable } from '../db/index.ts';
import { constantTimeEqual } from '../crypto/index.ts';
import { formatCheckpoint, formatVerifierKey, signNote, verifierKeyOf, type VerifierKey } from './note.ts';
import { ledgerDb } from './tables.ts';
import { readFrontier } from './tree-store.ts';

export interface CheckpointPolicy {
  /** Sign once this many entries are uncovered. */
  maxEntries: number;
  /** Sign once the oldest uncovered entry is this many seconds old. */
  maxSeconds: number;
}

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Uint8Array;
  /** The signed note, exactly as signed. */
  note: string;
  createdAt: Date;
}

/** read: the latest is wanted now (sign if there is none, or if one is due); tick: sign if due; now: sign if the tree grew. */
export type SignMode = 'read' | 'tick' | 'now';

export interface CheckpointerDeps {
  clock: Clock;
  origin: string;
  signingSeed: Uint8Array;
  policy: CheckpointPolicy;
}

/** Two checkpoints of one size with different roots: the log forked. Never expected; refuse loudly. */
export class CheckpointConflictError extends Error {}

export function createCheckpointer({ clock, origin, signingSeed, policy }: CheckpointerDeps) {
  const keyPair: SigningKeyPair = signingKeyPair(signingSeed);
  const verifierKey: VerifierKey = verifierKeyOf(origin, keyPair.publicKey);

  const toCheckpoint = (r: { tree_size: string | number | bigint; root_hash: Uint8Array; note: string; created_at: Date }): StoredCheckpoint => ({
    treeSize: Number(r.tree_size),
    rootHash: new Uint8Array(r.root_hash),
    note: r.note,
    createdAt: r.created_at,
  });

  async function latest(q: Queryable): Promise<StoredCheckpoint | undefined> {
    const row = await ledgerDb(q).selectFrom('ledger_checkpoints').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async function get(q: Queryable, size: number): Promise<StoredCheckpoint | undefined> {
    const row = await ledgerDb(q).selectFrom('ledger_checkpoints').selectAll().where('tree_size', '=', size).executeTakeFirst();
    return row && toCheckpoint(row);
  }

  /** Checkpoints with tree size >= from, ascending. */
  async function list(q: Queryable, from: number, limit: number): Promise<{ checkpoints: StoredCheckpoint[]; next: number | null }> {
    const rows = await ledgerDb(q)
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .where('tree_size', '>=', from)
      .orderBy('tree_size')
      .limit(limit + 1)
      .execute();
    return { checkpoints: rows.slice(0, limit).map(toCheckpoint), next: rows.length > limit ? Number(rows[limit]!.tree_size) : null };
  }

  /** When the oldest entry not covered by a checkpoint of `covered` entries was appended. */
  async function appendedAt(q: Queryable, index: number): Promise<Date | undefined> {
    const row = await q.selectFrom('ledger_entries').select('created_at').where('seq', '=', index).executeTakeFirst();
    return row?.created_at;
  }

  async function due(q: Queryable, size: number, last: StoredCheckpoint | undefined): Promise<boolean> {
    const covered = last?.treeSize ?? 0;
    if (size <= covered) return false;
    if (size - covered >= policy.maxEntries) return true;
    const oldest = await appendedAt(q, covered);
    return oldest !== undefined && clock().getTime() - oldest.getTime() >= policy.maxSeconds * 1000;
  }

  /**
   * Signs a checkpoint of the committed tree if `mode` calls for one. Returns
   * the latest checkpoint afterwards (undefined only for a tick on an empty
   * log) and whether this call created it. Not to be called inside a write
   * transaction: it must see committed state only.
   */
  async function sign(q: Queryable, mode: SignMode): Promise<{ checkpoint: StoredCheckpoint | undefined; created: boolean }> {
    const [frontier, last] = await Promise.all([readFrontier(q), latest(q)]);
    const size = frontier.size;
    const wanted =
      mode === 'now' ? !last || size > last.treeSize : mode === 'read' ? !last || (await due(q, size, last)) : await due(q, size, last);
    if (!wanted || (last && last.treeSize === size)) return { checkpoint: last, created: false };
    const rootHash = frontier.root();
    const note = signNote(formatCheckpoint({ origin, size, rootHash }), origin, keyPair);
    const inserted = await ledgerDb(q)
      .insertInto('ledger_checkpoints')
      .values({ tree_size: size, root_hash: rootHash, note, created_at: clock() })
      .onConflict((oc) => oc.column('tree_size').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { checkpoint: toCheckpoint(inserted), created: true };
    // Another instance signed this size first: it must be the same tree.
    const existing = (await get(q, size))!;
    if (!constantTimeEqual(existing.rootHash, rootHash)) {
      throw new CheckpointConflictError(`checkpoint of size ${size} has root ${toHex(existing.rootHash)}, the tree has ${toHex(rootHash)}`);
    }
    const newest = await latest(q);
    return { checkpoint: newest, created: false };
  }

  return {
    origin,
    verifierKey,
    /** `<name>+<key ID>+<base64(0x01 || public key)>` */
    verifierKeyString: formatVerifierKey(verifierKey),
    latest,
    get,
    list,
    sign,
    /** How often the background tick checks whether a checkpoint is due. */
    tickMs: Math.min(policy.maxSeconds, 5) * 1000,
  };
}

export type Checkpointer = ReturnType<typeof createCheckpointer>;
