/**
 * Incident communications between two participating states.
 *
 * Lifecycle:  sent → acknowledged → responded | declined → closed
 *             sent | acknowledged → withdrawn  (by the sender)
 *             sent | acknowledged → expired    (respondBy passed)
 * Responding is voluntary: a recipient may decline without a reason. Every
 * step is one transaction with its ledger entry (commitments, never text) and
 * its notifications (outbox rows) inside it.
 *
 * Free text is sealed under its author's state data key: the request under
 * the sender's, a response under the recipient's. The secretariat sees
 * metadata only, unless both parties consented to disclose the exchange to it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { actsFor, authorize, permits, stateOf } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { openString, seal, type Key } from '../crypto/index.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { insertValues, isDatabaseUnavailable, runStatement, untilGuardHolds } from '../db/index.ts';
import type { NotificationOutboxTable, RequestsTable } from '../db/schema.ts';
import { cursorTime, type CursorCodec } from '../http/cursor.ts';
import { conflict, forbidden, notFound, Problem } from '../http/problem.ts';
import type { IdempotencyService } from '../idempotency/service.ts';
import { KeyUnavailableError, keysUnchangedGuard, type KeysService, type WrappedKeyRow } from '../keys/service.ts';
import type { FusedEntry, LedgerEvent, LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import { percentile } from '../stats.ts';
import type { Domain } from '../vocabulary.ts';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { DECISIONS, REQUEST_STATUSES, REQUEST_TYPES, TLP_LEVELS, URGENCIES } from './templates.ts';
import { REQUEST_EVENTS } from './events.ts';

export type Urgency = (typeof URGENCIES)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type Decision = (typeof DECISIONS)[number];
type RequestRow = Selectable<RequestsTable>;

export interface NewRequest {
  to: string;
  domain: Domain;
  type: (typeof REQUEST_TYPES)[number];
  urgency: Urgency;
  subject: string;
  incidentSummary: string;
  ask: string;
  tlp: (typeof TLP_LEVELS)[number];
  language: string;
  respondBy?: string | undefined;
  relatesTo?: string | undefined;
  exercise?: boolean | undefined;
}

type Notification = { state: string; type: string; subject: { requestId: string }; link: string; exercise: boolean; targets: { webhook: boolean; contactIds: string[] } };

/** What the outbox needs to notify a state; the notifications service implements it. */
export interface Notifier {
  enqueue(trx: Trx, n: Notification): Promise<unknown>;
  /** The outbox rows of a notification, built from what the caller read (the state's active key, whether it has a webhook). */
  messages(n: Notification, context: { key: Key | null; hasWebhook: boolean }): { rows: Insertable<NotificationOutboxTable>[] };
}

/** Acknowledgement deadlines per urgency, in minutes. */
export type AckSla = Record<Urgency, number>;

export interface RequestMetadata {
  id: string;
  from: string;
  to: string;
  status: RequestStatus;
  overdue: boolean;
  exercise: boolean;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  respondedAt: string | null;
  closedAt: string | null;
  withdrawnAt: string | null;
  expiredAt: string | null;
}

export interface RequestView extends RequestMetadata {
  domain: Domain;
  type: NewRequest['type'];
  urgency: Urgency;
  tlp: NewRequest['tlp'];
  language: string;
  subject: string | null;
  incidentSummary: string | null;
  ask: string | null;
  respondBy: string | null;
  relatesTo: string | null;
  escalationLevel: number;
  responses: { decision: Decision; body: string | null; at: string }[];
  disclosure: { consents: { party: string; audience: string }[]; effective: string[] };
}

interface Deps {
  db: Db;
  clock: Clock;
  keys: KeysService;
  ledger: LedgerService;
  states: StatesService;
  idempotency: IdempotencyService;
  notifier: Notifier;
  /** Ids of a state's contacts serving a domain, in escalation order. */
  contactsInDomain: (q: Queryable, state: string, domain: Domain) => Promise<string[]>;
  ackSla: AckSla;
  publicBaseUrl: string;
  cursors: CursorCodec;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const SEALED = ['subject', 'incident_summary', 'ask'] as const;
const listCursor = z.tuple([cursorTime, z.uuid()]);

export function createRequestsService({ db, clock, keys, ledger, states, idempotency, notifier, contactsInDomain, ackSla, publicBaseUrl, cursors }: Deps) {
  const loc = (table: string, column: string, rowId: string) => ({ table, column, rowId });
  const link = (id: string) => `${publicBaseUrl.replace(/\/$/, '')}/v1/requests/${id}`;
  const ackDeadline = (row: Pick<RequestRow, 'created_at' | 'urgency'>, level = 0) =>
    new Date(new Date(row.created_at).getTime() + ackSla[row.urgency] * 60_000 * (level + 1));
  const overdue = (row: RequestRow, now: Date) => row.status === 'sent' && now > ackDeadline(row);

  const parties = (row: Pick<RequestRow, 'sender_state' | 'recipient_state'>) => ({ sender: row.sender_state, recipient: row.recipient_state });
  const isParty = (actor: Actor, row: Pick<RequestRow, 'sender_state' | 'recipient_state'>) => permits(actor, 'requests.party', { request: parties(row) });

  async function consentsOf(q: Queryable, id: string) {
    const rows = await q.selectFrom('request_disclosure_consents').select(['party_state', 'audience']).where('request_id', '=', id).orderBy('audience').orderBy('party_state').execute();
    const consents = rows.map((r) => ({ party: r.party_state, audience: r.audience }));
    const byAudience = new Map<string, Set<string>>();
    for (const c of consents) byAudience.set(c.audience, (byAudience.get(c.audience) ?? new Set()).add(c.party));
    const effective = [...byAudience].filter(([, parties]) => parties.size === 2).map(([a]) => a);
    return { consents, effective };
  }

  /** May `actor` read the content? The two parties always; others only where both parties consented. */
  function canReadContent(actor: Actor, row: RequestRow, effective: string[]): boolean {
    return permits(actor, 'requests.read-content', { request: { ...parties(row), effective } });
  }

  function metadata(row: RequestRow, now: Date): RequestMetadata {
    return {
      id: row.id,
      from: row.sender_state,
      to: row.recipient_state,
      status: row.status,
      overdue: overdue(row, now),
      exercise: row.exercise,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      acknowledgedAt: iso(row.acknowledged_at),
      respondedAt: iso(row.responded_at),
      closedAt: iso(row.closed_at),
      withdrawnAt: iso(row.withdrawn_at),
      expiredAt: iso(row.expired_at),
    };
  }

  /** A key of the author's state, or null when it was destroyed (the author withdrew: its words are shredded). */
  async function keyOrNull(q: Queryable, keyId: string | null): Promise<Key | null> {
    if (!keyId) return null;
    try {
      return await keys.keyById(q, keyId);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err; // an outage is a 503, not shredded content
      return null;
    }
  }

  async function fullView(q: Queryable, row: RequestRow, now: Date, consents: Awaited<ReturnType<typeof consentsOf>>): Promise<RequestView> {
    const key = await keyOrNull(q, row.key_id);
    const text = (column: (typeof SEALED)[number]) => (key && row[column] ? openString(key, row[column]!, loc('requests', column, row.id)) : null);
    const responseRows = await q.selectFrom('request_responses').selectAll().where('request_id', '=', row.id).orderBy('created_at').execute();
    const responses = [];
    for (const r of responseRows) {
      const rk = await keyOrNull(q, r.key_id);
      responses.push({ decision: r.decision, body: rk && r.body ? openString(rk, r.body, loc('request_responses', 'body', r.id)) : null, at: iso(r.created_at)! });
    }
    return {
      ...metadata(row, now),
      domain: row.domain as Domain,
      type: row.type as NewRequest['type'],
      urgency: row.urgency,
      tlp: row.tlp as NewRequest['tlp'],
      language: row.language,
      subject: text('subject'),
      incidentSummary: text('incident_summary'),
      ask: text('ask'),
      respondBy: iso(row.respond_by),
      relatesTo: row.relates_to,
      escalationLevel: row.escalation_level,
      responses,
      disclosure: consents,
    };
  }

  async function load(q: Queryable, id: string, lock = false): Promise<RequestRow | undefined> {
    const query = q.selectFrom('requests').selectAll().where('id', '=', id);
    return (lock ? query.forUpdate() : query).executeTakeFirst();
  }

  async function notify(trx: Trx, row: RequestRow, state: string, type: string, contactIds: string[] = []) {
    await notifier.enqueue(trx, { state, type, subject: { requestId: row.id }, link: link(row.id), exercise: row.exercise, targets: { webhook: true, contactIds } });
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * What sending reads, in one statement: the active data keys of both states
   * (wrapped), whether the recipient has a webhook, and the recipient's
   * contacts serving the domain in escalation order (as contactsInDomain).
   */
  interface SendContext {
    senderKey: WrappedKeyRow | null;
    recipientKey: WrappedKeyRow | null;
    hasWebhook: boolean;
    pocs: string[];
  }
  type ContextRow = WrappedKeyRow & { code: string; has_webhook: boolean | null; pocs: string[] | null };
  const contextOf = (rows: readonly ContextRow[], from: string, to: string): SendContext => {
    const keyOf = (code: string) => {
      const r = rows.find((x) => x.code === code);
      return r?.id ? { id: r.id, kek_id: r.kek_id, wrapped_key: r.wrapped_key } : null;
    };
    const recipient = rows.find((x) => x.code === to);
    return { senderKey: keyOf(from), recipientKey: keyOf(to), hasWebhook: recipient?.has_webhook === true, pocs: recipient?.pocs ?? [] };
  };

  /**
   * Both states' participation and active keys, the recipient's webhook and
   * its points of contact, in one statement.
   * - `lock: false`: the one-statement send's read; its write checks the keys
   *   again (keysUnchangedGuard).
   * - `lock: true`: the transactional send's start. It locks (shared) both
   *   participation rows AND their active key rows. Locking the key rows is
   *   what makes the keys safe to use although they are read in the locking
   *   statement: a rotation or withdrawal that changed a key while this
   *   statement waited makes PostgreSQL re-check the locked rows, its state
   *   drops out of the result, and the caller falls back to the two-statement
   *   path (lock, then read with a new snapshot).
   * Undefined when either state is missing (not participating, no active key,
   * changed).
   */
  async function sendContextRows(q: Queryable, from: string, to: string, domain: Domain, lock: boolean): Promise<{ participating: Set<string>; ctx: SendContext } | undefined> {
    const { rows } = await sql<ContextRow & { status: string }>`
      select s.code, s.status, k.id, k.kek_id, k.wrapped_key,
        case when s.code = ${to}::text then exists (select 1 from webhooks w where w.state_code = ${to}::text) end as has_webhook,
        case when s.code = ${to}::text then array(select c.id::text from contacts c where c.state_code = ${to}::text and ${domain}::text = any(c.domains) order by c.created_at, c.id) end as pocs
      from states s
      join state_keys k on k.state_code = s.code and k.status = 'active'
      where s.code in (${from}::text, ${to}::text)
      order by s.code
      ${lock ? sql`for share of s, k` : sql``}`.execute(q);
    if (rows.length !== 2 || rows.some((r) => r.status !== 'participating')) return undefined;
    return { participating: new Set([from, to]), ctx: contextOf(rows, from, to) };
  }

  /** After the participation locks (a new snapshot): the keys, the recipient's webhook and points of contact. */
  async function sendContext(trx: Trx, from: string, to: string, domain: Domain): Promise<SendContext> {
    const { rows } = await sql<ContextRow>`
      select s.code, k.id, k.kek_id, k.wrapped_key,
        exists (select 1 from webhooks w where w.state_code = ${to}) as has_webhook,
        array(select c.id::text from contacts c where c.state_code = ${to} and ${domain}::text = any(c.domains) order by c.created_at, c.id) as pocs
      from (values (${from}::text), (${to}::text)) as s(code)
      left join state_keys k on k.state_code = s.code and k.status = 'active'`.execute(trx);
    return contextOf(rows, from, to);
  }

  /** A send's rows, notification and ledger event, sealed under the sender's key of `ctx`. */
  function buildSend(actor: Actor, from: string, input: NewRequest, now: Date, ctx: SendContext) {
    if (!ctx.senderKey) throw new KeyUnavailableError(`state ${from} has no active data key`);
    const key = keys.unwrap(ctx.senderKey);
    const id = randomUUID();
    const row: RequestRow = {
      id,
      sender_state: from,
      recipient_state: input.to,
      domain: input.domain,
      type: input.type,
      urgency: input.urgency,
      tlp: input.tlp,
      language: input.language,
      key_id: key.id,
      subject: seal(key, input.subject, loc('requests', 'subject', id)),
      incident_summary: seal(key, input.incidentSummary, loc('requests', 'incident_summary', id)),
      ask: seal(key, input.ask, loc('requests', 'ask', id)),
      respond_by: input.respondBy ? new Date(input.respondBy) : null,
      relates_to: input.relatesTo ?? null,
      exercise: input.exercise ?? false,
      status: 'sent',
      escalation_level: 0,
      created_at: now,
      updated_at: now,
      acknowledged_at: null,
      responded_at: null,
      closed_at: null,
      withdrawn_at: null,
      expired_at: null,
    };
    const recipientKey = ctx.recipientKey ? keys.unwrap(ctx.recipientKey) : null;
    const { rows: messages } = notifier.messages(
      { state: input.to, type: 'request.sent', subject: { requestId: id }, link: link(id), exercise: row.exercise, targets: { webhook: true, contactIds: ctx.pocs.slice(0, 1) } },
      { key: recipientKey, hasWebhook: ctx.hasWebhook },
    );
    const event: LedgerEvent = {
      type: REQUEST_EVENTS.sent,
      actor,
      parties: [from, input.to],
      subject: { request: id },
      facts: {
        type: row.type,
        urgency: row.urgency,
        domain: row.domain,
        tlp: row.tlp,
        language: row.language,
        exercise: row.exercise,
        ...(row.relates_to ? { relatesTo: row.relates_to } : {}),
      },
      content: { subject: input.subject, incidentSummary: input.incidentSummary, ask: input.ask },
    };
    const request: RequestView = {
      ...metadata(row, now),
      domain: input.domain,
      type: input.type,
      urgency: input.urgency,
      tlp: input.tlp,
      language: input.language,
      subject: input.subject,
      incidentSummary: input.incidentSummary,
      ask: input.ask,
      respondBy: iso(row.respond_by),
      relatesTo: row.relates_to,
      escalationLevel: 0,
      responses: [],
      disclosure: { consents: [], effective: [] },
    };
    return { row, messages, event, request, keyIds: [key.id, recipientKey?.id ?? null] as const };
  }

  /**
   * The request, its outbox rows and its ledger entry in one statement. With
   * `guard` (the one-statement send), the same statement then locks both
   * participations and the keys the rows were sealed and notified under
   * (FOR SHARE) and checks that they still participate and are still active;
   * if not (a rotation or withdrawal since they were read), poc_change_guard
   * aborts the statement with SQLSTATE PC001 and nothing is written.
   */
  function sendStatement(built: ReturnType<typeof buildSend>, entry: FusedEntry, guard: { from: string; to: string } | null): [string, unknown[]] {
    const params: unknown[] = [];
    const ctes = [entry.cteText(params), ...(built.messages.length > 0 ? [`m as (${insertValues('notification_outbox', built.messages, params)})`] : [])];
    let returning = entry.ticketText;
    if (guard) {
      const check = keysUnchangedGuard(
        [
          { state: guard.from, keyId: built.keyIds[0] },
          { state: guard.to, keyId: built.keyIds[1]! },
        ],
        params,
      );
      ctes.unshift(check.cte);
      returning += `, ${check.column}`;
    }
    return [`with ${ctes.join(', ')} ${insertValues('requests', [built.row as unknown as Record<string, unknown>], params)} returning ${returning}`, params];
  }

  /**
   * The usual send (no Idempotency-Key, no relatesTo) as ONE statement, its
   * own transaction: the keys and channels read without a lock, then the
   * guarded write (sendStatement). Two round trips instead of four (BEGIN,
   * lock and read, write, COMMIT). Undefined when this path cannot decide
   * (a state not participating, no key, the guard failing three times): the
   * caller takes the transactional path, which decides and reports.
   */
  async function sendInOneStatement(actor: Actor, from: string, input: NewRequest, now: Date) {
    return untilGuardHolds(async () => {
      const read = await sendContextRows(db, from, input.to, input.domain, false);
      if (!read?.ctx.senderKey || !read.ctx.recipientKey) return undefined;
      const built = buildSend(actor, from, input, now, read.ctx);
      return ledger.change(
        db,
        async (q) => {
          const entry = ledger.fusedEntry(q, built.event);
          const [inserted] = await runStatement<{ ledger_ticket: string }>(q, ...sendStatement(built, entry, { from, to: input.to }));
          if (!inserted) throw new Error('the request insert returned no row');
          return { status: 201, body: { request: built.request, receipt: entry.receipt(inserted) }, replayed: false };
        },
        { oneStatement: true },
      );
    });
  }

  async function send(actor: Actor, input: NewRequest, idempotencyKey?: string): Promise<{ status: number; body: { request: RequestView; receipt: Receipt }; replayed: boolean }> {
    authorize(actor, 'requests.send');
    const from = stateOf(actor)!;
    if (input.to === from) throw new Problem('validation-error', 'a state cannot send a request to itself', { errors: [{ path: 'body.to', message: 'must differ from your state' }] });
    const now = clock();
    if (input.respondBy && new Date(input.respondBy) <= now) {
      throw new Problem('validation-error', 'respondBy must be in the future', { errors: [{ path: 'body.respondBy', message: 'must be in the future' }] });
    }
    if (idempotencyKey === undefined && input.relatesTo === undefined) {
      const sent = await sendInOneStatement(actor, from, input, now);
      if (sent) return sent;
    }
    return ledger.change(db, async (trx) => {
      // Both participations are locked (shared); the sender's is decided first. Usually one statement
      // also reads the keys and the recipient's channels (sendContextRows); otherwise lock, then read.
      // Authorization first, then the idempotency lookup: a replay is authorized exactly like the original call.
      const fast = await sendContextRows(trx, from, input.to, input.domain, true);
      const participating = fast?.participating ?? (await states.lockParticipatingAll(trx, [from, input.to]));
      if (!participating.has(from)) throw conflict(`${from} is not participating; join first`);
      return idempotency.run(trx, actor, idempotencyKey, 'POST /v1/requests', input, async () => {
        if (!participating.has(input.to)) throw conflict(`${input.to} is not participating in the directory`);
        if (input.relatesTo) {
          const related = await load(trx, input.relatesTo);
          if (!related || !isParty(actor, related)) throw new Problem('validation-error', 'relatesTo must be a request your state is party to', { errors: [{ path: 'body.relatesTo', message: 'unknown request' }] });
        }
        // Read after the participation locks (a new snapshot), so a rotation or withdrawal that committed
        // before them is seen, and none can start before this transaction ends.
        const ctx = fast?.ctx ?? (await sendContext(trx, from, input.to, input.domain));
        const built = buildSend(actor, from, input, now, ctx);
        // The request, its notification and its ledger entry in one statement.
        const entry = ledger.fusedEntry(trx, built.event);
        const [inserted] = await runStatement<{ ledger_ticket: string }>(trx, ...sendStatement(built, entry, null));
        if (!inserted) throw new Error('the request insert returned no row');
        // The entry is queued with the change; it gets its index once the change has committed (ledger.change).
        const receipt = entry.receipt(inserted);
        const request = built.request;
        return { status: 201, body: { request, receipt } };
      });
    });
  }

  // ---- transitions -----------------------------------------------------------------------------

  type Transition = 'acknowledge' | 'answer' | 'decline' | 'close' | 'withdraw';
  const RULES: Record<Transition, { from: RequestStatus[]; by: 'sender' | 'recipient' | 'either'; to: RequestStatus }> = {
    acknowledge: { from: ['sent'], by: 'recipient', to: 'acknowledged' },
    answer: { from: ['sent', 'acknowledged'], by: 'recipient', to: 'responded' },
    decline: { from: ['sent', 'acknowledged'], by: 'recipient', to: 'declined' },
    close: { from: ['acknowledged', 'responded', 'declined', 'expired'], by: 'either', to: 'closed' },
    withdraw: { from: ['sent', 'acknowledged'], by: 'sender', to: 'withdrawn' },
  };

  /** 404 unless the caller's state is party to the request; 403 unless it is the side `by` names. */
  async function authorizeParty(q: Queryable, actor: Actor, id: string, by: 'sender' | 'recipient' | 'either', what: string): Promise<void> {
    const row = await load(q, id);
    if (!row || !isParty(actor, row)) throw notFound('request');
    if (!permits(actor, 'requests.transition', { request: { ...parties(row), by } })) throw forbidden(`only the ${by} may ${what} this request`);
  }

  async function transition(
    actor: Actor,
    id: string,
    what: Transition,
    scope: string,
    request: unknown,
    idempotencyKey: string | undefined,
    extra?: { body?: string | undefined },
  ): Promise<{ status: number; body: { request: RequestView; receipt: Receipt }; replayed: boolean }> {
    return ledger.change(db, async (trx) => {
      // The policy decides before the idempotency layer, so a replay is authorised like the original call.
      await authorizeParty(trx, actor, id, RULES[what].by, what);
      return idempotency.run(trx, actor, idempotencyKey, scope, request, async () => {
        const now = clock();
        await expireDue(trx, now, id);
        const row = await load(trx, id, true);
        if (!row || !isParty(actor, row)) throw notFound('request');
        const rule = RULES[what];
        const role = actsFor(actor, row.sender_state) ? 'sender' : 'recipient';
        if (!permits(actor, 'requests.transition', { request: { ...parties(row), by: rule.by } })) throw forbidden(`only the ${rule.by} may ${what} this request`);
        if (!rule.from.includes(row.status)) {
          throw new Problem('invalid-transition', `cannot ${what} a request that is ${row.status}`, { currentStatus: row.status, allowedFrom: rule.from });
        }
        const set: Partial<RequestRow> = { status: rule.to, updated_at: now };
        if (what === 'acknowledge') set.acknowledged_at = now;
        if (what === 'answer' || what === 'decline') {
          set.responded_at = now;
          if (!row.acknowledged_at) set.acknowledged_at = now;
        }
        if (what === 'close') set.closed_at = now;
        if (what === 'withdraw') set.withdrawn_at = now;
        await trx.updateTable('requests').set(set).where('id', '=', id).execute();

        let content: unknown;
        if (what === 'answer' || what === 'decline') {
          const responseId = randomUUID();
          const key = extra?.body ? await keys.activeKey(trx, row.recipient_state) : null;
          await trx
            .insertInto('request_responses')
            .values({
              id: responseId,
              request_id: id,
              decision: what,
              key_id: key?.id ?? null,
              body: key && extra?.body ? seal(key, extra.body, loc('request_responses', 'body', responseId)) : null,
              created_at: now,
            })
            .execute();
          if (extra?.body) content = { body: extra.body };
        }
        const type = { acknowledge: REQUEST_EVENTS.acknowledged, answer: REQUEST_EVENTS.responded, decline: REQUEST_EVENTS.declined, close: REQUEST_EVENTS.closed, withdraw: REQUEST_EVENTS.withdrawn }[what];
        const updated = { ...row, ...set } as RequestRow;
        const counterpart = role === 'sender' ? row.recipient_state : row.sender_state;
        await notify(trx, updated, counterpart, type);
        const request = await fullView(trx, updated, now, await consentsOf(trx, id));
        // The entry is queued with the change; it gets its index once the change has committed (ledger.change).
        const receipt = await ledger.append(trx, {
          type,
          actor,
          parties: [row.sender_state, row.recipient_state],
          subject: { request: id },
          facts: { from: row.status, to: rule.to, ...(what === 'answer' || what === 'decline' ? { decision: what } : {}) },
          ...(content ? { content } : {}),
        });
        return { status: what === 'answer' || what === 'decline' ? 201 : 200, body: { request, receipt } };
      });
    });
  }

  const acknowledge = (actor: Actor, id: string, key?: string) => transition(actor, id, 'acknowledge', `POST /v1/requests/${id}/acknowledgement`, {}, key);
  const respond = (actor: Actor, id: string, input: { decision: Decision; body?: string | undefined }, key?: string) =>
    transition(actor, id, input.decision, `POST /v1/requests/${id}/responses`, input, key, { body: input.body });
  const close = (actor: Actor, id: string, key?: string) => transition(actor, id, 'close', `POST /v1/requests/${id}/close`, {}, key);
  const withdraw = (actor: Actor, id: string, key?: string) => transition(actor, id, 'withdraw', `POST /v1/requests/${id}/withdrawal`, {}, key);

  // ---- disclosure beyond the two parties ----------------------------------------------------

  async function consent(
    actor: Actor,
    id: string,
    audience: string,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: { consents: RequestView['disclosure']; receipt: Receipt | null }; replayed: boolean }> {
    return ledger.change(db, async (trx) => {
      await authorizeParty(trx, actor, id, 'either', 'consent to disclose');
      return idempotency.run<{ consents: RequestView['disclosure']; receipt: Receipt | null }>(trx, actor, idempotencyKey, `POST /v1/requests/${id}/disclosure-consents`, { audience }, async () => {
        const row = await load(trx, id, true);
        if (!row || !isParty(actor, row)) throw notFound('request');
        if (audience === row.sender_state || audience === row.recipient_state) {
          throw new Problem('validation-error', 'the audience must be beyond the two parties', { errors: [{ path: 'body.audience', message: 'is a party already' }] });
        }
        const party = stateOf(actor)!;
        const inserted = await trx
          .insertInto('request_disclosure_consents')
          .values({ request_id: id, party_state: party, audience, created_at: clock() })
          .onConflict((oc) => oc.doNothing())
          .returning('audience')
          .executeTakeFirst();
        if (!inserted) return { status: 200, body: { consents: await consentsOf(trx, id), receipt: null } };
        const consents = await consentsOf(trx, id);
        const receipt = await ledger.append(trx, {
          type: REQUEST_EVENTS.disclosureConsented,
          actor,
          parties: [row.sender_state, row.recipient_state],
          subject: { request: id },
          facts: { audience, effective: consents.effective.includes(audience) },
        });
        if (consents.effective.includes(audience)) {
          await ledger.append(trx, {
            type: REQUEST_EVENTS.disclosed,
            actor,
            parties: [row.sender_state, row.recipient_state, ...(/^[A-Z]{3}$/.test(audience) ? [audience] : [])],
            subject: { request: id },
            facts: { audience },
          });
        }
        return { status: 201, body: { consents, receipt } };
      });
    });
  }

  // ---- time: expiry and escalation ----------------------------------------------------------

  const SYSTEM: Actor = { role: 'secretariat', sub: 'system:sla', state: null };

  async function expireDue(trx: Trx, now: Date, onlyId?: string): Promise<number> {
    let query = trx
      .selectFrom('requests')
      .selectAll()
      .where('status', 'in', ['sent', 'acknowledged'])
      .where('respond_by', '<', now)
      .forUpdate()
      .skipLocked();
    if (onlyId) query = query.where('id', '=', onlyId);
    const rows = await query.execute();
    for (const row of rows) {
      await trx.updateTable('requests').set({ status: 'expired', expired_at: now, updated_at: now }).where('id', '=', row.id).execute();
      await ledger.append(trx, { type: REQUEST_EVENTS.expired, actor: SYSTEM, parties: [row.sender_state, row.recipient_state], subject: { request: row.id }, facts: { from: row.status } });
      const expired = { ...row, status: 'expired' as const };
      await notify(trx, expired, row.sender_state, 'request.expired');
      await notify(trx, expired, row.recipient_state, 'request.expired');
    }
    return rows.length;
  }

  /**
   * Expires requests whose respondBy passed, and escalates unacknowledged
   * requests past their acknowledgement deadline to the recipient's next
   * point of contact in the domain (one more per elapsed deadline).
   */
  async function sweep(): Promise<{ expired: number; escalated: number }> {
    return ledger.change(db, async (trx) => {
      const now = clock();
      const expired = await expireDue(trx, now);
      const soonest = new Date(now.getTime() - Math.min(...Object.values(ackSla)) * 60_000);
      const open = await trx.selectFrom('requests').selectAll().where('status', '=', 'sent').where('created_at', '<', soonest).forUpdate().skipLocked().execute();
      let escalated = 0;
      for (const row of open) {
        if (now <= ackDeadline(row, row.escalation_level)) continue;
        const pocs = await contactsInDomain(trx, row.recipient_state, row.domain as Domain);
        const level = row.escalation_level + 1;
        if (level >= pocs.length) continue;
        await trx.updateTable('requests').set({ escalation_level: level, updated_at: now }).where('id', '=', row.id).execute();
        await ledger.append(trx, { type: REQUEST_EVENTS.escalated, actor: SYSTEM, parties: [row.sender_state, row.recipient_state], subject: { request: row.id }, facts: { level } });
        await notify(trx, { ...row, escalation_level: level }, row.recipient_state, 'request.escalated', [pocs[level]!]);
        escalated++;
      }
      return { expired, escalated };
    });
  }

  // ---- reading ------------------------------------------------------------------------------------

  async function get(actor: Actor, id: string): Promise<RequestView | RequestMetadata> {
    await sweep();
    const row = await load(db, id);
    if (!row) throw notFound('request');
    const now = clock();
    const consents = await consentsOf(db, id);
    if (canReadContent(actor, row, consents.effective)) return fullView(db, row, now, consents);
    if (permits(actor, 'requests.read-metadata')) return metadata(row, now);
    throw notFound('request');
  }

  async function list(
    actor: Actor,
    opts: { box?: 'inbox' | 'outbox' | undefined; status?: RequestStatus | undefined; cursor?: string | undefined; limit: number },
  ): Promise<{ items: (RequestMetadata & { subject?: string | null; domain?: Domain; urgency?: Urgency; type?: NewRequest['type'] })[]; nextCursor: string | null }> {
    authorize(actor, 'requests.list');
    await sweep();
    let query = db.selectFrom('requests').selectAll();
    const own = stateOf(actor);
    if (own) {
      const box = opts.box ?? 'inbox';
      query = query.where(box === 'inbox' ? 'recipient_state' : 'sender_state', '=', own);
    }
    if (opts.status) query = query.where('status', '=', opts.status);
    if (opts.cursor) {
      const [after, cid] = cursors.decode('requests.list', opts.cursor, listCursor);
      query = query.where((eb) => eb.or([eb('created_at', '<', after), eb.and([eb('created_at', '=', after), eb('id', '<', cid)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).execute();
    const page = rows.slice(0, opts.limit);
    const now = clock();
    const items = [];
    for (const row of page) {
      if (!own) {
        items.push(metadata(row, now));
        continue;
      }
      const key = await keyOrNull(db, row.key_id);
      items.push({
        ...metadata(row, now),
        domain: row.domain as Domain,
        type: row.type as NewRequest['type'],
        urgency: row.urgency,
        subject: key && row.subject ? openString(key, row.subject, loc('requests', 'subject', row.id)) : null,
      });
    }
    const last = page.at(-1);
    return { items, nextCursor: rows.length > opts.limit && last ? cursors.encode('requests.list', [iso(last.created_at)!, last.id]) : null };
  }

  /** Key rotation: re-seals a state's requests and responses under `to`. */
  async function reencrypt(trx: Trx, state: string, to: Key, limit: number): Promise<number> {
    const reqs = await trx
      .selectFrom('requests')
      .selectAll()
      .where('sender_state', '=', state)
      .where('key_id', 'is not', null)
      .where('key_id', '!=', to.id)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const r of reqs) {
      const from = await keys.keyById(trx, r.key_id!);
      const set: Partial<RequestRow> = { key_id: to.id };
      for (const column of SEALED) if (r[column]) set[column] = seal(to, openString(from, r[column]!, loc('requests', column, r.id)), loc('requests', column, r.id));
      await trx.updateTable('requests').set(set).where('id', '=', r.id).execute();
    }
    const resps = await trx
      .selectFrom('request_responses')
      .innerJoin('requests', 'requests.id', 'request_responses.request_id')
      .selectAll('request_responses')
      .where('requests.recipient_state', '=', state)
      .where('request_responses.key_id', 'is not', null)
      .where('request_responses.key_id', '!=', to.id)
      .limit(limit)
      .forUpdate('request_responses')
      .skipLocked()
      .execute();
    for (const r of resps) {
      const from = await keys.keyById(trx, r.key_id!);
      const body = seal(to, openString(from, r.body!, loc('request_responses', 'body', r.id)), loc('request_responses', 'body', r.id));
      await trx.updateTable('request_responses').set({ key_id: to.id, body }).where('id', '=', r.id).execute();
    }
    return reqs.length + resps.length;
  }

  /** Statistics without content: counts by status and urgency, time to acknowledge. Real traffic, or exercises only. */
  async function statistics(actor: Actor, exercise: boolean) {
    authorize(actor, 'reports.read');
    const rows = await db.selectFrom('requests').select(['status', 'urgency', 'created_at', 'acknowledged_at']).where('exercise', '=', exercise).execute();
    const byStatus: Record<string, number> = {};
    const byUrgency: Record<string, number> = {};
    const times: number[] = [];
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      byUrgency[r.urgency] = (byUrgency[r.urgency] ?? 0) + 1;
      if (r.acknowledged_at) times.push((new Date(r.acknowledged_at).getTime() - new Date(r.created_at).getTime()) / 1000);
    }
    times.sort((a, b) => a - b);
    return {
      exercise,
      requests: rows.length,
      byStatus,
      byUrgency,
      acknowledged: times.length,
      medianSecondsToAcknowledge: percentile(times, 50),
      p90SecondsToAcknowledge: percentile(times, 90),
    };
  }

  /**
   * The aggregate report's volumes: requests sent per calendar month (UTC),
   * oldest first. Counts only: no party, no content, no status.
   */
  async function volumesByMonth(actor: Actor, exercise: boolean): Promise<{ month: string; requests: number }[]> {
    authorize(actor, 'reports.read-aggregate');
    const month = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM')`;
    const rows = await db
      .selectFrom('requests')
      .select((eb) => [month.as('month'), eb.fn.countAll<string>().as('requests')])
      .where('exercise', '=', exercise)
      .groupBy(month)
      .orderBy(month)
      .execute();
    return rows.map((r) => ({ month: r.month, requests: Number(r.requests) }));
  }

  return { send, acknowledge, respond, close, withdraw, consent, sweep, get, list, reencrypt, statistics, volumesByMonth };
}

export type RequestsService = ReturnType<typeof createRequestsService>;
