import { sql, type Kysely } from 'kysely';

// Incident communications between two states, their responses, disclosure
// consents, and idempotency keys. Free text is sealed under the author
// state's data key (the request under the sender's, a response under the
// recipient's); the rest is metadata.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('sender_state', 'text', (c) => c.notNull().references('states.code'))
    .addColumn('recipient_state', 'text', (c) => c.notNull().references('states.code'))
    .addColumn('domain', 'text', (c) => c.notNull().check(sql`domain in ('diplomatic', 'policy', 'technical')`))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('notification', 'request-for-information', 'request-for-assistance', 'follow-up')`))
    .addColumn('urgency', 'text', (c) => c.notNull().check(sql`urgency in ('routine', 'priority', 'urgent')`))
    .addColumn('tlp', 'text', (c) => c.notNull().check(sql`tlp in ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language ~ '^[a-z]{2}$'`))
    .addColumn('key_id', 'text', (c) => c.references('state_keys.id'))
    .addColumn('subject', 'bytea')
    .addColumn('incident_summary', 'bytea')
    .addColumn('ask', 'bytea')
    .addColumn('respond_by', 'timestamptz')
    .addColumn('relates_to', 'uuid', (c) => c.references('requests.id'))
    .addColumn('exercise', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('sent', 'acknowledged', 'responded', 'declined', 'closed', 'withdrawn', 'expired')`),
    )
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('expired_at', 'timestamptz')
    .addCheckConstraint('requests_two_parties', sql`sender_state <> recipient_state`)
    .execute();
  await db.schema.createIndex('requests_sender_idx').on('requests').columns(['sender_state', 'created_at', 'id']).execute();
  await db.schema.createIndex('requests_recipient_idx').on('requests').columns(['recipient_state', 'created_at', 'id']).execute();
  await sql`create index requests_open_idx on requests (created_at) where status in ('sent', 'acknowledged')`.execute(db);

  await db.schema
    .createTable('request_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('requests.id'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('answer', 'decline')`))
    .addColumn('key_id', 'text', (c) => c.references('state_keys.id'))
    .addColumn('body', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_responses_request_idx').on('request_responses').column('request_id').execute();

  await db.schema
    .createTable('request_disclosure_consents')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('requests.id'))
    .addColumn('party_state', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('secretariat', 'public') or audience ~ '^[A-Z]{3}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_disclosure_consents_pk', ['request_id', 'party_state', 'audience'])
    .execute();

  // Idempotency keys, per caller (token subject); the stored response is sealed under the caller's state key.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'bytea', (c) => c.notNull())
    .addColumn('state_code', 'text')
    .addColumn('key_id', 'text')
    .addColumn('status_code', 'integer')
    .addColumn('response', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['subject', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expires_idx').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('request_disclosure_consents').execute();
  await db.schema.dropTable('request_responses').execute();
  await db.schema.dropTable('requests').execute();
}
