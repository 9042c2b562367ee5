/** SQL for webhooks and the notification outbox. Rows carry ciphertexts; sealing happens in the service. */
import type { Insertable, Selectable } from 'kysely';
import type { Queryable, Trx } from '../db/index.ts';
import type { NotificationOutboxTable, WebhooksTable } from '../db/schema.ts';
import type { WrappedKeyRow } from '../keys/service.ts';

export type WebhookRow = Selectable<WebhooksTable>;
export type OutboxRow = Selectable<NotificationOutboxTable>;

/** The state's webhook with the (wrapped) key it is sealed under. */
export async function findWebhook(q: Queryable, state: string, lock = false): Promise<(WebhookRow & { key: WrappedKeyRow }) | undefined> {
  let query = q
    .selectFrom('webhooks')
    .innerJoin('state_keys', 'state_keys.id', 'webhooks.key_id')
    .selectAll('webhooks')
    .select(['state_keys.kek_id', 'state_keys.wrapped_key'])
    .where('webhooks.state_code', '=', state);
  if (lock) query = query.forUpdate('webhooks');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { kek_id, wrapped_key, ...webhook } = row;
  return { ...webhook, key: { id: webhook.key_id, kek_id, wrapped_key } };
}

export async function hasWebhook(q: Queryable, state: string): Promise<boolean> {
  return (await q.selectFrom('webhooks').select('id').where('state_code', '=', state).executeTakeFirst()) !== undefined;
}

export async function insertWebhook(trx: Trx, row: Insertable<WebhooksTable>): Promise<void> {
  await trx.insertInto('webhooks').values(row).execute();
}

export async function deleteWebhook(trx: Trx, state: string): Promise<boolean> {
  const rows = await trx.deleteFrom('webhooks').where('state_code', '=', state).returning('id').execute();
  return rows.length > 0;
}

export async function insertMessages(trx: Trx, rows: Insertable<NotificationOutboxTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('notification_outbox').values(rows).execute();
}

/**
 * Due messages, locked for the claiming transaction; rows another worker
 * holds (locked) or has leased (locked_until in the future) are skipped.
 */
export function lockDue(trx: Trx, now: Date, limit: number): Promise<OutboxRow[]> {
  return trx
    .selectFrom('notification_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function keyRow(q: Queryable, id: string): Promise<WrappedKeyRow | undefined> {
  return q.selectFrom('state_keys').select(['id', 'kek_id', 'wrapped_key']).where('id', '=', id).executeTakeFirst();
}

/** Takes the lease: one more attempt, no other worker claims the row until `lockedUntil`. */
export async function lease(trx: Trx, id: string, now: Date, lockedUntil: Date): Promise<void> {
  await trx
    .updateTable('notification_outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), locked_until: lockedUntil, updated_at: now }))
    .where('id', '=', id)
    .execute();
}

/** Final state: the payload and its key reference are erased. */
export async function finish(
  q: Queryable,
  id: string,
  status: 'delivered' | 'failed' | 'skipped',
  now: Date,
  error: string | null,
  onlyIfAttempts?: number,
): Promise<boolean> {
  let query = q
    .updateTable('notification_outbox')
    .set({ status, payload: null, key_id: null, locked_until: null, last_error: error, finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending');
  if (onlyIfAttempts !== undefined) query = query.where('attempts', '=', onlyIfAttempts);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Releases the lease and schedules the next attempt, unless another worker has claimed the row since. */
export async function reschedule(q: Queryable, id: string, attempts: number, now: Date, next: Date, error: string): Promise<boolean> {
  const result = await q
    .updateTable('notification_outbox')
    .set({ next_attempt_at: next, locked_until: null, last_error: error, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Pending messages of a state sealed under another key than `keyId`, locked (waiting for a worker's claim to commit). */
export function pendingUnderOtherKey(trx: Trx, state: string, keyId: string, limit: number): Promise<OutboxRow[]> {
  return trx
    .selectFrom('notification_outbox')
    .selectAll()
    .where('state_code', '=', state)
    .where('status', '=', 'pending')
    .where('key_id', '!=', keyId)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

export async function deleteAllOfState(trx: Trx, state: string): Promise<void> {
  await trx.deleteFrom('notification_outbox').where('state_code', '=', state).execute();
  await trx.deleteFrom('webhooks').where('state_code', '=', state).execute();
}
