import { sql, type Kysely } from 'kysely';

// Who speaks for a state: the user registry, API keys (stored as hashes),
// each state's dual-control policy and its pending changes (content sealed).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('issuer', 'text', (c) => c.notNull())
    // Keyed hash of issuer + subject: the lookup on every request; subject itself is sealed.
    .addColumn('identity_bidx', 'bytea', (c) => c.notNull().unique())
    .addColumn('subject', 'bytea', (c) => c.notNull())
    .addColumn('display_name', 'bytea', (c) => c.notNull())
    .addColumn('nomination_ref', 'bytea')
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('delegate', 'authority', 'secretariat', 'auditor', 'observer')`))
    .addColumn('state_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'deactivated')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deactivated_at', 'timestamptz')
    .addCheckConstraint('users_state_for_state_roles', sql`(role in ('delegate', 'authority')) = (state_code is not null)`)
    .execute();
  await db.schema.createIndex('users_state_idx').on('users').columns(['state_code', 'created_at']).execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    // SHA-256 of the secret; the secret itself is shown once and never stored.
    .addColumn('secret_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_keys_user_idx').on('api_keys').column('user_id').execute();

  await db.schema
    .createTable('state_policies')
    .addColumn('state_code', 'text', (c) => c.primaryKey())
    .addColumn('dual_control', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pending_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('state_code', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    // Who proposed it: issuer and subject (compared to the approver's), and role.
    .addColumn('proposer', 'text', (c) => c.notNull())
    .addColumn('proposer_role', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected', 'expired')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('pending_changes_state_idx').on('pending_changes').columns(['state_code', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pending_changes').execute();
  await db.schema.dropTable('state_policies').execute();
  await db.schema.dropTable('api_keys').execute();
  await db.schema.dropTable('users').execute();
}
