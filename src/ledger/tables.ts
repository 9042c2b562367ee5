/**
 * Kysely types of the verifiable-ledger tables (migration 0003), kept with
 * the ledger and merged into the shared Database type with withTables().
 */
import type { ColumnType, Kysely } from 'kysely';
import type { Queryable } from '../db/index.ts';
import type { Database } from '../db/schema.ts';

/** bigint columns: pg returns strings, PGlite numbers; always convert with Number(). */
type BigIntColumn = ColumnType<string | number | bigint, number | bigint, number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

// A type alias (not an interface) so that it satisfies withTables' Record constraint.
export type LedgerTables = {
  ledger_state: { frontier: Uint8Array };
  // migration 0018: entries committed with their change, waiting for the integrator to give them an index
  ledger_queue: { id: ColumnType<string | number, never, never>; body: string; created_at: Timestamp };
  ledger_tree_nodes: { level: number; idx: BigIntColumn; hash: Uint8Array };
  ledger_checkpoints: { tree_size: BigIntColumn; root_hash: Uint8Array; note: string; created_at: Timestamp };
  // migration 0014
  ledger_cosignatures: { tree_size: BigIntColumn; witness: string; line: string; created_at: Timestamp };
  ledger_witness_state: {
    witness: string;
    cosigned_size: BigIntColumn | null;
    failures: ColumnType<number, number | undefined, number>;
    last_attempt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    last_success_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    last_error: string | null;
  };
};

export type LedgerDb = Kysely<Database & LedgerTables>;

/** The same connection or transaction, typed with the ledger tables. */
export function ledgerDb(q: Queryable): LedgerDb {
  return (q as Kysely<Database>).withTables<LedgerTables>() as unknown as LedgerDb;
}
