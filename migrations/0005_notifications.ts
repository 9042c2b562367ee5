import { sql, type Kysely } from 'kysely';

// Notifications: each state's webhook (URL and signing secret sealed under the
// state's data key, so withdrawal shreds them) and the transactional outbox,
// written in the same transaction as the event it announces and drained by
// the worker in src/notifications/worker.ts. Outbox rows hold ids (state,
// contact) and a sealed payload; never an email address or a URL in clear.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('state_code', 'text', (c) => c.notNull().unique().references('states.code'))
    .addColumn('key_id', 'text', (c) => c.notNull().references('state_keys.id'))
    .addColumn('url', 'bytea', (c) => c.notNull())
    .addColumn('secret', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_outbox')
    // The message id: the `webhook-id` header, stable across retries.
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Every message enqueued by one event shares its event id.
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('state_code', 'text', (c) => c.notNull().references('states.code'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('webhook', 'email')`))
    // Email recipients are resolved from the contact at delivery time.
    .addColumn('contact_id', 'uuid')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'delivered', 'failed', 'skipped')`))
    // Sealed under key_id while pending; both erased once the message is finished.
    .addColumn('key_id', 'text', (c) => c.references('state_keys.id'))
    .addColumn('payload', 'bytea')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addCheckConstraint('notification_outbox_contact', sql`(channel = 'email') = (contact_id is not null)`)
    .addCheckConstraint('notification_outbox_payload', sql`(status = 'pending') = (payload is not null and key_id is not null)`)
    .execute();
  await sql`create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('notification_outbox_state_idx').on('notification_outbox').columns(['state_code', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_outbox').execute();
  await db.schema.dropTable('webhooks').execute();
}
