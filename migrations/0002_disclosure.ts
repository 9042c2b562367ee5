import { sql, type Kysely } from 'kysely';

// Disclosure: the owner's grants (per counterpart or directory-wide, per
// domain, unilateral or reciprocal) and per-contact public listing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('disclosure_grants')
    .addColumn('owner_state', 'text', (c) => c.notNull().references('states.code'))
    .addColumn('counterpart', 'text', (c) => c.notNull().check(sql`counterpart = '*' or counterpart ~ '^[A-Z]{3}$'`))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('unilateral', 'reciprocal')`))
    .addColumn('domains', sql`text[]`, (c) =>
      c.notNull().check(sql`cardinality(domains) between 1 and 3 and domains <@ array['diplomatic', 'policy', 'technical']::text[]`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('disclosure_grants_pk', ['owner_state', 'counterpart'])
    .addCheckConstraint('disclosure_grants_not_self', sql`owner_state <> counterpart`)
    .execute();
  await db.schema.createIndex('disclosure_grants_counterpart_idx').on('disclosure_grants').column('counterpart').execute();

  await db.schema
    .alterTable('contacts')
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('confidential').check(sql`visibility in ('confidential', 'public')`))
    .execute();
  await sql`create index contacts_public_idx on contacts (state_code, created_at, id) where visibility = 'public'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists contacts_public_idx`.execute(db);
  await db.schema.alterTable('contacts').dropColumn('visibility').execute();
  await db.schema.dropTable('disclosure_grants').execute();
}
