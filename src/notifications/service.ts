/**
 * Notifications: where each state wants to be notified (its webhook; email
 * addresses come from its contacts) and the transactional outbox.
 *
 * The webhook URL and signing secret are sealed under the state's data key,
 * so withdrawal (which destroys the key) shreds them; the withdrawal hook also
 * deletes them with the state's outbox rows. The secret is shown once, in the
 * response that sets it.
 *
 * enqueue() writes outbox rows inside the CALLER's transaction, so a
 * notification exists if and only if the event it announces was committed.
 * Rows hold the recipient state, contact ids (never an address: the address
 * is resolved when the message is delivered) and the message sealed under the
 * state's data key (it may carry a one-time challenge). The worker
 * (worker.ts) delivers them.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { openString, seal, open, type Key } from '../crypto/index.ts';
import type { Db, Trx } from '../db/index.ts';
import type { NotificationOutboxTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';
import { conflict, notFound, Problem } from '../http/problem.ts';
import { KeyUnavailableError, type KeysService } from '../keys/service.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import { newSecret, type MessageContent } from './delivery.ts';
import * as queries from './queries.ts';
import { checkWebhookUrl, describeRefusal, systemResolver, type Resolver } from './ssrf.ts';
import { createNotificationWorker, type EmailResolver } from './worker.ts';
import { WEBHOOK_EVENTS } from './events.ts';

export type NotificationsConfig = Pick<
  Config,
  | 'PUBLIC_BASE_URL'
  | 'WEBHOOKS_ALLOW_PRIVATE'
  | 'SMTP_URL'
  | 'SMTP_FROM'
  | 'NOTIFY_POLL_MS'
  | 'NOTIFY_MAX_ATTEMPTS'
  | 'NOTIFY_BACKOFF_MS'
  | 'NOTIFY_BACKOFF_MAX_MS'
  | 'NOTIFY_TIMEOUT_MS'
  | 'NOTIFY_BATCH_SIZE'
>;

const idString = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id (letters, digits, "-" or "_")');
const RESERVED_KEYS = new Set(['state', 'requestId', 'checkId', 'link', 'exercise', 'type', 'timestamp']);

/** What an event announces; validated, so a caller's mistake fails its transaction rather than a delivery. */
export const notificationSchema = z
  .object({
    /** Recipient state. */
    state: z.string().regex(/^[A-Z]{3}$/),
    /** Event type, e.g. "request.received". */
    type: z.string().max(64).regex(/^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/),
    subject: z.object({ requestId: idString.optional(), checkId: idString.optional() }).strict(),
    /** A path in this service (e.g. /v1/requests/<id>) or an absolute URL under PUBLIC_BASE_URL; delivered as an absolute URL. */
    link: z.string().max(1024).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    exercise: z.boolean().default(false),
    targets: z
      .object({
        webhook: z.boolean(),
        contactIds: z.array(z.uuid()).max(100),
      })
      .strict(),
    /** Non-confidential fields (e.g. a one-time challenge) copied into the webhook data and the email. */
    extra: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/), z.string().max(512).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'))
      .default({})
      .refine((e) => Object.keys(e).length <= 16, 'at most 16 extra fields')
      .refine((e) => Object.keys(e).every((k) => !RESERVED_KEYS.has(k)), `extra fields must not be named ${[...RESERVED_KEYS].join(', ')}`),
  })
  .strict();

export type NotificationInput = z.input<typeof notificationSchema>;

/** What enqueue reads about the recipient state, when the caller has read it already in its transaction. */
export interface NotifyContext {
  /** The state's active data key; null when it has none (withdrawn: it is not notified). */
  key: Key | null;
  hasWebhook: boolean;
}

/** The sealed outbox payload (version 1). */
interface Payload {
  v: 1;
  type: string;
  createdAt: string;
  requestId?: string;
  checkId?: string;
  link: string;
  exercise: boolean;
  extra: Record<string, string>;
}

export interface WebhookView {
  state: string;
  url: string;
  setAt: Date;
}

interface Deps {
  db: Db;
  clock: Clock;
  keys: KeysService;
  ledger: LedgerService;
  states: StatesService;
  config: NotificationsConfig;
  logger: Logger;
  /** The email address of a contact of `state` at delivery time; null when it no longer exists. */
  resolveEmail: EmailResolver;
  /** DNS resolution for the SSRF checks (tests inject one). */
  resolve?: Resolver;
  /** Jitter source for retry backoff. */
  random?: () => number;
}

export const webhookLoc = (column: 'url' | 'secret', rowId: string) => ({ table: 'webhooks', column, rowId });
export const payloadLoc = (rowId: string) => ({ table: 'notification_outbox', column: 'payload', rowId });

export function createNotificationsService(deps: Deps) {
  const { db, clock, keys, ledger, states, config } = deps;
  const resolve = deps.resolve ?? systemResolver;
  const baseUrl = config.PUBLIC_BASE_URL.replace(/\/+$/, '');

  /** Links always point into this service: stored as a path, made absolute at delivery. */
  function linkPath(link: string): string {
    if (link.startsWith('/') && !link.startsWith('//')) return link;
    if (link.startsWith(baseUrl + '/')) return link.slice(baseUrl.length);
    throw new Error(`notification link must be a path or a URL under PUBLIC_BASE_URL (${baseUrl})`);
  }

  function refused(message: string): Problem {
    return new Problem('validation-error', 'the webhook URL was refused', { errors: [{ path: 'body.url', message }] });
  }

  /**
   * Sets (or replaces) the state's webhook with a fresh signing secret,
   * returned here and never again. The URL is checked (scheme, and every
   * address it resolves to) before the transaction: no network I/O inside it.
   */
  async function setWebhook(
    actor: Actor,
    state: string,
    rawUrl: string,
    within?: (trx: Trx) => Promise<void>,
  ): Promise<{ webhook: WebhookView; secret: string; created: boolean; receipt: Receipt }> {
    const url = await checkWebhook(actor, state, rawUrl);
    const secret = newSecret();
    return ledger.change(db, async (trx) => {
      if (!(await states.lockParticipating(trx, state))) throw conflict(`${state} is not participating; join first (PUT /v1/states/${state}/participation)`);
      const key = await keys.activeKey(trx, state);
      const replaced = await queries.deleteWebhook(trx, state);
      const id = randomUUID();
      const now = clock();
      await queries.insertWebhook(trx, {
        id,
        state_code: state,
        key_id: key.id,
        url: seal(key, url, webhookLoc('url', id)),
        secret: seal(key, secret.bytes, webhookLoc('secret', id)),
        created_at: now,
        updated_at: now,
      });
      const receipt = await ledger.append(trx, { type: WEBHOOK_EVENTS.set, actor, parties: [state], subject: { state }, facts: { replaced } });
      await within?.(trx);
      return { webhook: { state, url, setAt: now }, secret: secret.text, created: !replaced, receipt };
    });
  }

  /**
   * Refuses (403, 400) a webhook the caller may not set, before it is set or
   * proposed (dual control); returns the normalised URL. Checked again when applied.
   */
  async function checkWebhook(actor: Actor, state: string, rawUrl: string): Promise<string> {
    authorize(actor, 'webhook.change', { state });
    const check = await checkWebhookUrl(rawUrl, { allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE, resolve });
    if (!check.ok) throw refused(describeRefusal(check));
    return check.url.href;
  }

  /** Refuses (403, 404) a removal the caller may not make, before it is applied or proposed (dual control). */
  async function checkRemove(actor: Actor, state: string): Promise<void> {
    authorize(actor, 'webhook.change', { state });
    if (!(await queries.findWebhook(db, state))) throw notFound('webhook');
  }

  /** The state's webhook URL and when it was set (never the secret): its delegates and the secretariat. */
  async function getWebhook(actor: Actor, state: string): Promise<WebhookView> {
    authorize(actor, 'webhook.read', { state });
    const row = await queries.findWebhook(db, state);
    if (!row) throw notFound('webhook');
    const key = keys.unwrap(row.key);
    return { state, url: openString(key, row.url, webhookLoc('url', row.id)), setAt: row.created_at };
  }

  async function removeWebhook(actor: Actor, state: string, within?: (trx: Trx) => Promise<void>): Promise<{ receipt: Receipt }> {
    authorize(actor, 'webhook.change', { state });
    return ledger.change(db, async (trx) => {
      if (!(await queries.deleteWebhook(trx, state))) throw notFound('webhook');
      const receipt = await ledger.append(trx, { type: WEBHOOK_EVENTS.removed, actor, parties: [state], subject: { state } });
      await within?.(trx);
      return { receipt };
    });
  }

  /**
   * Writes the notification of an event to the outbox, in the caller's
   * transaction: one message for the state's webhook (if it has one and
   * `targets.webhook`), one per contact id for email. Returns the message ids
   * (a webhook message id is its `webhook-id`); none for a state that does
   * not participate. Throws (failing the caller's transaction) on invalid input.
   */
  async function enqueue(trx: Trx, input: NotificationInput, context?: NotifyContext): Promise<{ eventId: string; messageIds: string[] }> {
    const n = notificationSchema.parse(input);
    const wantsWebhook = n.targets.webhook && (context ? context.hasWebhook : await queries.hasWebhook(trx, n.state));
    if (!wantsWebhook && n.targets.contactIds.length === 0) return { eventId: randomUUID(), messageIds: [] };
    // A state that does not participate (withdrawn: no active data key) is not notified.
    const key = context
      ? context.key
      : await keys.activeKey(trx, n.state).catch((err: unknown) => {
          if (err instanceof KeyUnavailableError) return null;
          throw err;
        });
    const { eventId, rows } = build(n, wantsWebhook, key);
    await queries.insertMessages(trx, rows);
    return { eventId, messageIds: rows.map((r) => r.id) };
  }

  /**
   * The outbox rows of a notification, without writing them, for a caller
   * that read `context` itself in its own transaction (after locking the
   * state's participation) and writes the rows with its own statement.
   */
  function messages(input: NotificationInput, context: NotifyContext): { eventId: string; rows: Insertable<NotificationOutboxTable>[] } {
    const n = notificationSchema.parse(input);
    return build(n, n.targets.webhook && context.hasWebhook, context.key);
  }

  function build(n: z.output<typeof notificationSchema>, webhook: boolean, key: Key | null): { eventId: string; rows: Insertable<NotificationOutboxTable>[] } {
    const link = linkPath(n.link);
    const eventId = randomUUID();
    const contactIds = [...new Set(n.targets.contactIds)];
    const channels: { channel: 'webhook' | 'email'; contactId: string | null }[] = [
      ...(webhook ? [{ channel: 'webhook' as const, contactId: null }] : []),
      ...contactIds.map((id) => ({ channel: 'email' as const, contactId: id })),
    ];
    if (channels.length === 0 || !key) return { eventId, rows: [] };
    const now = clock();
    const payload: Payload = {
      v: 1,
      type: n.type,
      createdAt: now.toISOString(),
      ...(n.subject.requestId ? { requestId: n.subject.requestId } : {}),
      ...(n.subject.checkId ? { checkId: n.subject.checkId } : {}),
      link,
      exercise: n.exercise,
      extra: n.extra,
    };
    const plaintext = JSON.stringify(payload);
    const rows = channels.map(({ channel, contactId }) => {
      const id = randomUUID();
      return {
        id,
        event_id: eventId,
        state_code: n.state,
        channel,
        contact_id: contactId,
        type: n.type,
        status: 'pending' as const,
        key_id: key.id,
        payload: seal(key, plaintext, payloadLoc(id)),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      };
    });
    return { eventId, rows };
  }


  /** Opens a message's payload into what the delivery renders (link made absolute). */
  function messageContent(key: Key, row: { id: string; state_code: string; payload: Uint8Array }): MessageContent {
    const p = JSON.parse(openString(key, row.payload, payloadLoc(row.id))) as Payload;
    return {
      type: p.type,
      createdAt: p.createdAt,
      state: row.state_code,
      requestId: p.requestId,
      checkId: p.checkId,
      link: baseUrl + p.link,
      exercise: p.exercise,
      extra: p.extra,
    };
  }

  /** Opens the state's webhook (URL and secret bytes), or null when it has none. */
  async function openWebhook(trx: Trx, state: string): Promise<{ url: string; secret: Uint8Array } | null> {
    const row = await queries.findWebhook(trx, state);
    if (!row) return null;
    const key = keys.unwrap(row.key);
    return { url: openString(key, row.url, webhookLoc('url', row.id)), secret: open(key, row.secret, webhookLoc('secret', row.id)) };
  }

  /** Key rotation: re-seals the state's webhook and pending messages under `to`. */
  async function reencrypt(trx: Trx, state: string, to: Key, limit: number): Promise<number> {
    let n = 0;
    const hook = await queries.findWebhook(trx, state, true);
    if (hook && hook.key_id !== to.id) {
      const from = keys.unwrap(hook.key);
      await trx
        .updateTable('webhooks')
        .set({
          key_id: to.id,
          url: seal(to, open(from, hook.url, webhookLoc('url', hook.id)), webhookLoc('url', hook.id)),
          secret: seal(to, open(from, hook.secret, webhookLoc('secret', hook.id)), webhookLoc('secret', hook.id)),
        })
        .where('id', '=', hook.id)
        .execute();
      n++;
    }
    for (const row of await queries.pendingUnderOtherKey(trx, state, to.id, limit)) {
      const keyRow = await queries.keyRow(trx, row.key_id!);
      if (!keyRow) continue;
      const from = keys.unwrap(keyRow);
      const payload = seal(to, open(from, row.payload!, payloadLoc(row.id)), payloadLoc(row.id));
      await trx.updateTable('notification_outbox').set({ key_id: to.id, payload }).where('id', '=', row.id).execute();
      n++;
    }
    return n;
  }

  // Withdrawal: the webhook and every outbox row of the state go in the same transaction as its key.
  states.onWithdraw(async (trx, state) => {
    await queries.deleteAllOfState(trx, state);
  });

  const worker = createNotificationWorker({
    db,
    clock,
    keys,
    config,
    logger: deps.logger,
    resolve,
    resolveEmail: deps.resolveEmail,
    random: deps.random ?? Math.random,
    messageContent,
    openWebhook,
  });

  return {
    setWebhook,
    checkWebhook,
    getWebhook,
    removeWebhook,
    checkRemove,
    enqueue,
    messages,
    reencrypt,
    /** One delivery pass over every due message (tests call it directly). */
    deliverDue: worker.deliverDue,
    /** Final: no further pass (the background loop in src/background.ts calls deliverDue every NOTIFY_POLL_MS), interrupts webhook requests in flight (due again at once), lets emails in flight finish; final. */
    stop: worker.stop,
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
