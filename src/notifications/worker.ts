/**
 * The outbox worker: delivers due messages, at least once, with retries.
 *
 * Why a small outbox loop rather than pg-boss: the outbox must be written in
 * the same transaction as the event it announces, through the caller's
 * Kysely transaction, on PostgreSQL and on embedded PGlite alike. pg-boss
 * owns its own schema and connection pool and expects a multi-connection
 * server (LISTEN/NOTIFY, advisory locks, its own maintenance queries); PGlite
 * has a single connection. One table and this loop do the same job on both
 * backends, with one code path.
 *
 * A pass repeats, batch by batch, until nothing is due:
 *   1. claim (one short transaction): lock due rows FOR UPDATE SKIP LOCKED,
 *      skip rows leased by another worker (locked_until in the future),
 *      count the attempt and take a lease (locked_until = now + lease),
 *      decrypt what is needed, commit;
 *   2. deliver, OUTSIDE any transaction (network I/O never holds a
 *      transaction or a row lock open);
 *   3. record the outcome (one statement, its own transaction): delivered;
 *      or the next attempt after an exponential backoff with jitter; or
 *      failed after NOTIFY_MAX_ATTEMPTS; or skipped (no webhook any more, no
 *      such contact, SMTP not configured).
 * If the process dies between 1 and 3, the lease expires and another worker
 * (or the restarted one) delivers the message again with the same id
 * (webhook-id), so receivers can drop the duplicate. stop() interrupts the
 * webhook requests in flight (emails in flight finish) and makes them due
 * again at once. A message acknowledged with a 2xx is never sent again.
 *
 * Time comes from the injected Clock (due times, leases, webhook-timestamp);
 * only the poll interval and the attempt time limit use real timers.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Key } from '../crypto/index.ts';
import type { Db, Trx } from '../db/index.ts';
import type { KeysService } from '../keys/service.ts';
import { postWebhook, sendEmail, webhookBody, type AttemptLimits, type AttemptResult, type MessageContent } from './delivery.ts';
import * as queries from './queries.ts';
import type { NotificationsConfig } from './service.ts';
import { checkWebhookUrl, type Resolver } from './ssrf.ts';

export type EmailResolver = (contactId: string, state: string) => Promise<string | null>;

export interface PassResult {
  delivered: number;
  retrying: number;
  failed: number;
  skipped: number;
}

interface Job {
  id: string;
  state: string;
  channel: 'webhook' | 'email';
  contactId: string | null;
  /** Attempts including this one. */
  attempt: number;
  content: MessageContent;
  webhook: { url: string; secret: Uint8Array } | null;
}

type Outcome = AttemptResult | { skip: string };

/** Upper bound of batches in one pass, so one pass always ends. */
const MAX_BATCHES_PER_PASS = 100;

interface WorkerDeps {
  db: Db;
  clock: Clock;
  keys: KeysService;
  config: NotificationsConfig;
  logger: Logger;
  resolve: Resolver;
  resolveEmail: EmailResolver;
  random: () => number;
  messageContent(key: Key, row: { id: string; state_code: string; payload: Uint8Array }): MessageContent;
  openWebhook(trx: Trx, state: string): Promise<{ url: string; secret: Uint8Array } | null>;
}

export function createNotificationWorker(d: WorkerDeps) {
  const { config, logger } = d;
  /** How long a claimed message is reserved for the worker delivering it. */
  const leaseMs = 2 * config.NOTIFY_TIMEOUT_MS + 30_000;
  const stopController = new AbortController();
  // stop() interrupts webhook requests (a receiver may hold one open for the whole time limit;
  // the redelivery carries the same webhook-id), but lets emails in flight finish within their
  // time limit: an SMTP session cut after the server took the message would send it twice.
  const webhookLimits: AttemptLimits = { timeoutMs: config.NOTIFY_TIMEOUT_MS, stop: stopController.signal };
  const emailLimits: AttemptLimits = { timeoutMs: config.NOTIFY_TIMEOUT_MS, stop: new AbortController().signal };
  let stopped = false;
  const passes = new Set<Promise<unknown>>();
  const transport: Transporter | null = config.SMTP_URL
    ? nodemailer.createTransport({
        url: config.SMTP_URL,
        connectionTimeout: config.NOTIFY_TIMEOUT_MS,
        greetingTimeout: config.NOTIFY_TIMEOUT_MS,
        socketTimeout: config.NOTIFY_TIMEOUT_MS,
      })
    : null;
  const messageIdDomain = new URL(config.PUBLIC_BASE_URL).hostname || 'poc-directory';

  /** Delay before attempt n+1 after n failed attempts: base * 2^(n-1), capped, with jitter in [half, full]. */
  function backoffMs(attempts: number): number {
    const full = Math.min(config.NOTIFY_BACKOFF_MAX_MS, config.NOTIFY_BACKOFF_MS * 2 ** Math.min(attempts - 1, 40));
    return Math.max(1, Math.ceil(full / 2 + d.random() * (full / 2)));
  }

  /** Step 1: claims a batch. Returns the jobs, and how many rows were due (some finish here). */
  async function claim(result: PassResult): Promise<{ jobs: Job[]; due: number }> {
    const now = d.clock();
    return d.db.transaction().execute(async (trx) => {
      const rows = await queries.lockDue(trx, now, config.NOTIFY_BATCH_SIZE);
      const jobs: Job[] = [];
      for (const row of rows) {
        if (row.attempts >= config.NOTIFY_MAX_ATTEMPTS) {
          // Its last attempt was claimed but never recorded (the worker died): give up.
          await queries.finish(trx, row.id, 'failed', now, row.last_error ?? 'lease-expired');
          result.failed++;
          continue;
        }
        let content: MessageContent;
        try {
          const keyRow = row.key_id ? await queries.keyRow(trx, row.key_id) : undefined;
          if (!keyRow || !row.payload) throw new Error('no key');
          content = d.messageContent(d.keys.unwrap(keyRow), { id: row.id, state_code: row.state_code, payload: row.payload });
        } catch {
          await queries.finish(trx, row.id, 'failed', now, 'key-unavailable');
          result.failed++;
          continue;
        }
        let webhook: Job['webhook'] = null;
        if (row.channel === 'webhook') {
          webhook = await d.openWebhook(trx, row.state_code);
          if (!webhook) {
            await queries.finish(trx, row.id, 'skipped', now, 'no-webhook');
            result.skipped++;
            continue;
          }
        }
        await queries.lease(trx, row.id, now, new Date(now.getTime() + leaseMs));
        jobs.push({ id: row.id, state: row.state_code, channel: row.channel, contactId: row.contact_id, attempt: row.attempts + 1, content, webhook });
      }
      return { jobs, due: rows.length };
    });
  }

  /** Step 2: one attempt, outside any transaction. */
  async function attempt(job: Job): Promise<Outcome> {
    if (job.channel === 'webhook') {
      const check = await checkWebhookUrl(job.webhook!.url, { allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE, resolve: d.resolve });
      if (!check.ok) return { ok: false, error: check.reason === 'address' ? `refused-${check.addressClass}` : `refused-${check.reason}` };
      return postWebhook({
        url: check.url,
        address: check.address,
        id: job.id,
        timestamp: Math.floor(d.clock().getTime() / 1000),
        body: webhookBody(job.content),
        secret: job.webhook!.secret,
        limits: webhookLimits,
      });
    }
    if (!transport) return { skip: 'smtp-not-configured' };
    let to: string | null;
    try {
      to = await d.resolveEmail(job.contactId!, job.state);
    } catch {
      return { ok: false, error: 'contact-unavailable' };
    }
    if (!to) return { skip: 'no-contact' };
    return sendEmail({ transport, from: config.SMTP_FROM, to, id: job.id, messageIdDomain, content: job.content, limits: emailLimits });
  }

  /** Step 3: records the outcome (only ids, channel and short error codes are logged). */
  async function record(job: Job, outcome: Outcome, result: PassResult): Promise<void> {
    const now = d.clock();
    const about = { messageId: job.id, state: job.state, channel: job.channel, attempt: job.attempt };
    if ('skip' in outcome) {
      await queries.finish(d.db, job.id, 'skipped', now, outcome.skip);
      result.skipped++;
      if (outcome.skip === 'smtp-not-configured') logger.warn(about, 'SMTP_URL is not set: email notification skipped');
      else logger.info({ ...about, reason: outcome.skip }, 'notification skipped');
    } else if (outcome.ok) {
      await queries.finish(d.db, job.id, 'delivered', now, null);
      result.delivered++;
    } else if (outcome.interrupted) {
      await queries.reschedule(d.db, job.id, job.attempt, now, now, outcome.error);
      result.retrying++;
    } else if (job.attempt >= config.NOTIFY_MAX_ATTEMPTS) {
      await queries.finish(d.db, job.id, 'failed', now, outcome.error, job.attempt);
      result.failed++;
      logger.warn({ ...about, error: outcome.error }, 'notification failed; no attempts left');
    } else {
      const next = new Date(now.getTime() + backoffMs(job.attempt));
      await queries.reschedule(d.db, job.id, job.attempt, now, next, outcome.error);
      result.retrying++;
      logger.info({ ...about, error: outcome.error, nextAttemptAt: next.toISOString() }, 'notification attempt failed; will retry');
    }
  }

  async function run(job: Job, result: PassResult): Promise<void> {
    const outcome = await attempt(job).catch((): Outcome => ({ ok: false, error: 'error' }));
    await record(job, outcome, result);
  }

  /** One pass: claims and delivers every due message, batch by batch. */
  async function deliverDue(): Promise<PassResult> {
    const result: PassResult = { delivered: 0, retrying: 0, failed: 0, skipped: 0 };
    if (stopped) return result;
    const pass = (async () => {
      for (let i = 0; i < MAX_BATCHES_PER_PASS && !stopped; i++) {
        const { jobs, due } = await claim(result);
        if (due === 0) break;
        await Promise.all(jobs.map((job) => run(job, result)));
      }
    })();
    passes.add(pass);
    try {
      await pass;
    } finally {
      passes.delete(pass);
    }
    return result;
  }

  async function stop(): Promise<void> {
    stopped = true;
    stopController.abort();
    await Promise.allSettled([...passes]);
    transport?.close();
  }

  return { deliverDue, stop };
}
