import { sql, type Kysely } from 'kysely';

// The secretariat's toolkit: contact verification and freshness, and
// reachability checks ("ping tests") with one-time challenges.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('contacts')
    .addColumn('verification_status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`verification_status in ('pending', 'verified', 'rejected')`))
    .addColumn('verified_at', 'timestamptz')
    .addColumn('verification_note', 'bytea')
    .addColumn('confirmed_at', 'timestamptz')
    .execute();
  await sql`update contacts set confirmed_at = updated_at`.execute(db);
  await sql`alter table contacts alter column confirmed_at set not null`.execute(db);

  await db.schema
    .createTable('checks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('exercise', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('domains', sql`text[]`, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // One row per targeted contact; the challenge is stored only as a hash.
  await db.schema
    .createTable('check_targets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('check_id', 'uuid', (c) => c.notNull().references('checks.id'))
    .addColumn('state_code', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'uuid')
    .addColumn('challenge_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('check_targets_check_idx').on('check_targets').columns(['check_id', 'state_code']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('check_targets').execute();
  await db.schema.dropTable('checks').execute();
  await db.schema.alterTable('contacts').dropColumn('confirmed_at').dropColumn('verification_note').dropColumn('verified_at').dropColumn('verification_status').execute();
}
