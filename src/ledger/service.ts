/**
 * The ledger core: every state change appends one entry inside the change's
 * own transaction (if the append fails, the change fails). Appends are
 * serialised by a row lock on the single ledger_state row, which makes the
 * sequence gap-free across processes; triggers refuse UPDATE/DELETE/TRUNCATE.
 */
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { commitment, toBase64, toHex } from '../crypto/index.ts';
import type { Queryable, Trx } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import { canonicalJson, leafHash, type LedgerEntry } from './entry.ts';

export interface LedgerEvent {
  type: string;
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
}

export function createLedgerService({ clock, commitmentKey }: LedgerServiceDeps) {
  async function append(trx: Trx, event: LedgerEvent): Promise<Receipt> {
    const state = await trx.selectFrom('ledger_state').select('size').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
    const index = Number(state.size);
    const at = clock();
    const entry: LedgerEntry = {
      v: 1,
      index,
      type: event.type,
      at: at.toISOString(),
      actor: { role: event.actor.role, sub: event.actor.sub, ...(event.actor.state ? { state: event.actor.state } : {}) },
      parties: [...new Set(event.parties)].sort(),
      subject: event.subject,
      ...(event.facts ? { facts: event.facts } : {}),
      ...(event.content !== undefined ? { commitment: toBase64(commitment(commitmentKey, canonicalJson(event.content))) } : {}),
    };
    const canonical = canonicalJson(entry);
    const hash = leafHash(canonical);
    await trx
      .insertInto('ledger_entries')
      .values({ seq: index, type: entry.type, parties: entry.parties, canonical, leaf_hash: hash, created_at: at })
      .execute();
    await trx.updateTable('ledger_state').set({ size: index + 1 }).where('id', '=', 1).execute();
    return { index, leafHash: toHex(hash) };
  }

  /** Entries from `from` on; delegates see only entries their state is party to. */
  async function list(db: Queryable, actor: Actor, from: number, limit: number): Promise<{ entries: ServedEntry[]; next: number | null }> {
    let query = db
      .selectFrom('ledger_entries')
      .select(['seq', 'canonical', 'leaf_hash'])
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(limit + 1);
    if (actor.role === 'delegate') query = query.where(sql<boolean>`parties @> array[${actor.state}]::text[]`);
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    return {
      entries: page.map((r) => ({
        index: Number(r.seq),
        leafHash: toHex(r.leaf_hash),
        entry: JSON.parse(r.canonical) as LedgerEntry,
      })),
      next: rows.length > limit ? Number(rows[limit]!.seq) : null,
    };
  }

  async function size(db: Queryable): Promise<number> {
    const row = await db.selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.size);
  }

  return { append, list, size };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
