import { sql, type Kysely } from 'kysely';

// Foundation schema: participation, per-state data keys (wrapped), encrypted
// contacts and the append-only ledger. Contact fields are bytea ciphertexts
// (see src/crypto); only ids, domains and timestamps are plaintext.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('states')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[A-Z]{3}$'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('participating', 'withdrawn')`))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('state_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state_code', 'text', (c) => c.notNull().references('states.code'))
    .addColumn('kek_id', 'text')
    .addColumn('wrapped_key', 'bytea')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'retired', 'destroyed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('destroyed_at', 'timestamptz')
    .addCheckConstraint(
      'state_keys_destroyed_has_no_key',
      sql`(status = 'destroyed') = (wrapped_key is null)`,
    )
    .execute();
  await sql`create unique index state_keys_one_active on state_keys (state_code) where status = 'active'`.execute(db);

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('state_code', 'text', (c) => c.notNull().references('states.code'))
    .addColumn('key_id', 'text', (c) => c.notNull().references('state_keys.id'))
    .addColumn('domains', sql`text[]`, (c) => c.notNull())
    .addColumn('name', 'bytea', (c) => c.notNull())
    .addColumn('title', 'bytea', (c) => c.notNull())
    .addColumn('rank', 'bytea', (c) => c.notNull())
    .addColumn('organization', 'bytea', (c) => c.notNull())
    .addColumn('email', 'bytea', (c) => c.notNull())
    .addColumn('phone', 'bytea', (c) => c.notNull())
    .addColumn('languages', 'bytea', (c) => c.notNull())
    .addColumn('timezone', 'bytea', (c) => c.notNull())
    .addColumn('availability', 'bytea', (c) => c.notNull())
    .addColumn('public_key', 'bytea')
    .addColumn('notes', 'bytea')
    .addColumn('email_bidx', 'bytea', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint(
      'contacts_domains_valid',
      sql`cardinality(domains) between 1 and 3 and domains <@ array['diplomatic', 'policy', 'technical']::text[]`,
    )
    .execute();
  await db.schema.createIndex('contacts_state_idx').on('contacts').columns(['state_code', 'created_at', 'id']).execute();
  await db.schema.createIndex('contacts_email_bidx_uq').on('contacts').columns(['state_code', 'email_bidx']).unique().execute();
  await db.schema.createIndex('contacts_email_bidx_idx').on('contacts').column('email_bidx').execute();

  // The ledger: one row per state change, appended inside the change's transaction.
  await db.schema
    .createTable('ledger_entries')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq >= 0`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parties', sql`text[]`, (c) => c.notNull())
    .addColumn('canonical', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'bytea', (c) => c.notNull().check(sql`length(leaf_hash) = 32`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index ledger_entries_parties_idx on ledger_entries using gin (parties)`.execute(db);

  // Single row serialising appends: SELECT ... FOR UPDATE gives gap-free sequence numbers.
  await db.schema
    .createTable('ledger_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into ledger_state (id, size) values (1, 0)`.execute(db);

  // Append-only: updates, deletes and truncation of ledger rows are refused.
  await sql`
    create function ledger_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger entries are append-only (% refused)', tg_op
        using errcode = 'P0001';
    end
    $$`.execute(db);
  await sql`create trigger ledger_entries_append_only before update or delete on ledger_entries
            for each row execute function ledger_refuse_change()`.execute(db);
  await sql`create trigger ledger_entries_no_truncate before truncate on ledger_entries
            for each statement execute function ledger_refuse_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_state').execute();
  await sql`drop trigger if exists ledger_entries_no_truncate on ledger_entries`.execute(db);
  await sql`drop trigger if exists ledger_entries_append_only on ledger_entries`.execute(db);
  await db.schema.dropTable('ledger_entries').execute();
  await sql`drop function if exists ledger_refuse_change()`.execute(db);
  await db.schema.dropTable('contacts').execute();
  await db.schema.dropTable('state_keys').execute();
  await db.schema.dropTable('states').execute();
}
