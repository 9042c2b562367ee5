import { sql, type Kysely } from 'kysely';

// Observer users belong to an accredited observer organisation (governance,
// migration 0013). Only observers carry one; the service requires it for every
// observer it registers or changes, and refuses the credentials of an observer
// whose organisation is suspended. Older observer rows without an organisation
// stay valid rows (they can still be deactivated) but are refused at sign-in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('organization_id', 'uuid', (c) => c.references('observer_organizations.id'))
    .execute();
  await sql`alter table users add constraint users_organization_only_observers check (organization_id is null or role = 'observer')`.execute(db);
  await db.schema.createIndex('users_organization_idx').on('users').column('organization_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_organization_idx').execute();
  await sql`alter table users drop constraint users_organization_only_observers`.execute(db);
  await db.schema.alterTable('users').dropColumn('organization_id').execute();
}
