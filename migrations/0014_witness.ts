import { sql, type Kysely } from 'kysely';

// Witnessed checkpoints (C2SP tlog-witness / tlog-cosignature):
//
// - ledger_cosignatures: the cosignature lines witnesses returned for a
//   checkpoint (one per witness and tree size). Append-only like the
//   checkpoints they sign; served appended to the checkpoint note.
// - ledger_witness_state: what the log knows of each configured witness: the
//   size it last cosigned (learned from its 200s and 409s; the old size of the
//   next submission) and the last attempt's outcome, for retries and for the
//   secretariat and auditors (GET /v1/ledger/witnesses). Updated in place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_cosignatures')
    .addColumn('tree_size', 'bigint', (c) => c.notNull().check(sql`tree_size >= 0`)) // no foreign key: it would let TRUNCATE of ledger_checkpoints fail before its append-only trigger
    .addColumn('witness', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_cosignatures_pk', ['tree_size', 'witness'])
    .execute();
  await sql`create trigger ledger_cosignatures_append_only before update or delete on ledger_cosignatures
            for each row execute function ledger_refuse_change()`.execute(db);
  await sql`create trigger ledger_cosignatures_no_truncate before truncate on ledger_cosignatures
            for each statement execute function ledger_refuse_change()`.execute(db);
  await sql`revoke update, delete, truncate on ledger_cosignatures from public`.execute(db);

  await db.schema
    .createTable('ledger_witness_state')
    .addColumn('witness', 'text', (c) => c.primaryKey())
    .addColumn('cosigned_size', 'bigint', (c) => c.check(sql`cosigned_size >= 0`))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_witness_state').execute();
  await db.schema.dropTable('ledger_cosignatures').execute();
}
