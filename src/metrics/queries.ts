/**
 * Aggregate operational figures read at scrape time: counts and ages only,
 * never a row's content. One query per figure, each on an indexed or small set.
 */
import { sql } from 'kysely';
import type { Queryable } from '../db/index.ts';

/** Notifications waiting for delivery, and when the oldest of them was queued. */
export async function outboxBacklog(q: Queryable): Promise<{ pending: number; oldest: Date | null }> {
  const row = await q
    .selectFrom('notification_outbox')
    .select([sql<number>`count(*)::int`.as('pending'), sql<Date | null>`min(created_at)`.as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return { pending: row?.pending ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

/** The latest reachability round (check): when it started, how many challenges were sent (one per contact), how many acknowledged. */
export async function latestRound(q: Queryable): Promise<{ exercise: boolean; createdAt: Date; targets: number; acknowledged: number } | null> {
  const check = await q.selectFrom('checks').select(['id', 'exercise', 'created_at']).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!check) return null;
  const row = await q
    .selectFrom('check_targets')
    .select([sql<number>`count(*)::int`.as('targets'), sql<number>`count(acknowledged_at)::int`.as('acknowledged')])
    .where('check_id', '=', check.id)
    .executeTakeFirst();
  return { exercise: check.exercise, createdAt: new Date(check.created_at), targets: row?.targets ?? 0, acknowledged: row?.acknowledged ?? 0 };
}
