import { sql, type Kysely } from 'kysely';

// Offline exports: the X25519 public key each state registered to receive
// its exports encrypted. Only the public key is stored (it is not secret).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('export_keys')
    .addColumn('state_code', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull().check(sql`algorithm = 'X25519'`))
    .addColumn('public_key', 'bytea', (c) => c.notNull().check(sql`octet_length(public_key) = 32`))
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('export_keys').execute();
}
