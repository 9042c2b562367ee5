import { sql, type Kysely } from 'kysely';

// Idempotency keys are scoped to the caller's whole identity (issuer, subject,
// role, state), not to the token subject alone: a token with the same `sub`
// but another role or state must never replay someone else's result.
// `subject` becomes `identity` (a hash of the four). Stored results cannot be
// mapped to an identity (role and issuer were not kept), so they are cleared:
// they are a 24-hour retry cache, and a retry after the upgrade runs once more
// through the normal checks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from idempotency_keys`.execute(db);
  await db.schema.alterTable('idempotency_keys').renameColumn('subject', 'identity').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from idempotency_keys`.execute(db);
  await db.schema.alterTable('idempotency_keys').renameColumn('identity', 'subject').execute();
}
