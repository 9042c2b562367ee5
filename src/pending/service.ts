/**
 * Dual control (the two-person rule). When a state's authority switches it
 * on, a change to that state's contacts, disclosure grants, webhook or
 * participation (withdrawal) made by one user is not applied: it
 * becomes a pending change (its content sealed under the state's data key)
 * that another user of the same state approves or rejects. On approval the
 * change is applied by its domain's service, in the same transaction as the
 * approval and its ledger entry; two concurrent approvals apply it once.
 * Pending changes expire (PENDING_CHANGE_TTL_HOURS, 72 h by default).
 * Every step (policy change, proposal, approval, rejection, expiry) is a ledger entry.
 *
 * Withdrawal destroys the state's key, under which the content is sealed: an
 * approval opens the content before applying it, and the withdrawal closes
 * (expires, with ledger entries) the state's other pending changes; what is
 * left of a withdrawn state's changes is listed without content (shredded).
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { actsFor, authorize, permits } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { openString, seal, type Key } from '../crypto/index.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import type { PendingChangesTable } from '../db/schema.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import { KeyUnavailableError, type KeysService } from '../keys/service.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import type { UsersService } from '../users/service.ts';
import { PENDING_EVENTS } from './events.ts';

export const PENDING_ACTIONS = [
  'contacts.create',
  'contacts.update',
  'contacts.delete',
  'disclosure.grant',
  'disclosure.revoke',
  'webhook.set',
  'webhook.remove',
  'participation.withdraw',
] as const;
export type PendingAction = (typeof PENDING_ACTIONS)[number];

/** Applies an approved change as `actor`, calling `within(trx)` inside its own transaction before it commits. */
export type Applier = (actor: Actor, content: unknown, within: (trx: Trx) => Promise<void>) => Promise<unknown>;

export interface PendingChangeView {
  id: string;
  state: string;
  action: PendingAction;
  target: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  proposedBy: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  /** The proposed change; shown to the users of the state only. */
  content?: unknown;
}

type Row = Selectable<PendingChangesTable>;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const SYSTEM_ACTOR: Actor = { sub: 'system:dual-control', role: 'secretariat', state: null };

export function createPendingService({
  db,
  clock,
  keys,
  ledger,
  users,
  states,
  ttlHours,
}: {
  db: Db;
  clock: Clock;
  keys: KeysService;
  ledger: LedgerService;
  users: UsersService;
  states: StatesService;
  ttlHours: number;
}) {
  const appliers = new Map<PendingAction, Applier>();
  const loc = (id: string) => ({ table: 'pending_changes', column: 'content', rowId: id });
  const statusAt = (row: Row, now: Date): Row['status'] => (row.status === 'pending' && new Date(row.expires_at) <= now ? 'expired' : row.status);
  const proposerName = (proposer: string) => proposer.replace(/^sub:[^\n]*\n/, '');

  async function view(q: Queryable, actor: Actor, row: Row): Promise<PendingChangeView> {
    const base: PendingChangeView = {
      id: row.id,
      state: row.state_code,
      action: row.action as PendingAction,
      target: row.target,
      status: statusAt(row, clock()),
      proposedBy: proposerName(row.proposer),
      createdAt: iso(row.created_at)!,
      expiresAt: iso(row.expires_at)!,
      decidedAt: iso(row.decided_at),
    };
    if (!actsFor(actor, row.state_code)) return base;
    const content = await openContent(q, row);
    return content === SHREDDED ? base : { ...base, content };
  }

  const SHREDDED = Symbol('shredded');
  /** The change's content, or SHREDDED when its key is destroyed (the state withdrew). */
  async function openContent(q: Queryable, row: Row): Promise<unknown> {
    let key: Key;
    try {
      key = await keys.keyById(q, row.key_id);
    } catch (err) {
      if (err instanceof KeyUnavailableError) return SHREDDED;
      throw err;
    }
    return JSON.parse(openString(key, row.content, loc(row.id))) as unknown;
  }

  function register(action: PendingAction, applier: Applier): void {
    appliers.set(action, applier);
  }

  async function dualControl(q: Queryable, state: string): Promise<boolean> {
    const row = await q.selectFrom('state_policies').select('dual_control').where('state_code', '=', state).executeTakeFirst();
    return row?.dual_control === true;
  }

  async function getPolicy(actor: Actor, state: string): Promise<{ state: string; dualControl: boolean }> {
    authorize(actor, 'policy.read', { state });
    return { state, dualControl: await dualControl(db, state) };
  }

  async function setPolicy(actor: Actor, state: string, on: boolean): Promise<{ policy: { state: string; dualControl: boolean }; receipt: Receipt | null }> {
    authorize(actor, 'policy.change', { state });
    return ledger.change(db, async (trx) => {
      const was = await dualControl(trx, state);
      if (was === on) return { policy: { state, dualControl: on }, receipt: null };
      await trx
        .insertInto('state_policies')
        .values({ state_code: state, dual_control: on, updated_at: clock() })
        .onConflict((oc) => oc.column('state_code').doUpdateSet({ dual_control: on, updated_at: clock() }))
        .execute();
      const receipt = await ledger.append(trx, { type: PENDING_EVENTS.policyChanged, actor, parties: [state], subject: { state }, facts: { dualControl: on } });
      return { policy: { state, dualControl: on }, receipt };
    });
  }

  /** Records a change for a second user to approve (the caller is already authorised to propose it). */
  async function propose(actor: Actor, state: string, action: PendingAction, target: string | null, content: unknown): Promise<{ pendingChange: PendingChangeView; receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
      // FOR SHARE on the state: a concurrent withdrawal waits, so its hook sees (and closes) this change.
      if (!(await states.lockParticipating(trx, state))) throw conflict(`${state} is not participating; join first (PUT /v1/states/${state}/participation)`);
      const key = await keys.activeKey(trx, state);
      const id = randomUUID();
      const now = clock();
      const row: Row = {
        id,
        state_code: state,
        action,
        target,
        proposer: await users.identityOf(trx, actor),
        proposer_role: actor.role,
        key_id: key.id,
        content: seal(key, JSON.stringify(content), loc(id)),
        status: 'pending',
        created_at: now,
        expires_at: new Date(now.getTime() + ttlHours * 3_600_000),
        decided_at: null,
        decided_by: null,
      };
      await trx.insertInto('pending_changes').values(row).execute();
      const receipt = await ledger.append(trx, {
        type: PENDING_EVENTS.proposed,
        actor,
        parties: [state],
        subject: { state, change: id, ...(target ? { target } : {}) },
        facts: { action, expiresAt: iso(row.expires_at)! },
        content,
      });
      return { pendingChange: await view(trx, actor, row), receipt };
    });
  }

  async function list(actor: Actor, state: string): Promise<PendingChangeView[]> {
    authorize(actor, 'pending.list', { state });
    const rows = await db.selectFrom('pending_changes').selectAll().where('state_code', '=', state).orderBy('created_at', 'desc').limit(500).execute();
    const out: PendingChangeView[] = [];
    for (const row of rows) out.push(await view(db, actor, row));
    return out;
  }

  /** The change, if the caller may see it (users of its state, the secretariat, auditors); 404 otherwise. */
  async function visible(q: Queryable, actor: Actor, id: string, lock = false): Promise<Row> {
    const query = q.selectFrom('pending_changes').selectAll().where('id', '=', id);
    const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
    if (!row || !permits(actor, 'pending.list', { state: row.state_code })) throw notFound('pending change');
    return row;
  }

  function requireOpen(row: Row, now: Date): void {
    const status = statusAt(row, now);
    if (status !== 'pending') throw new Problem('invalid-transition', `the change is ${status}`, { currentStatus: status, allowedFrom: ['pending'] });
  }

  /** Marks an expired change expired (with its ledger entry); a no-op if it is not. */
  async function expireIfDue(id: string): Promise<void> {
    await ledger.change(db, async (trx) => {
      const row = await trx.selectFrom('pending_changes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row || row.status !== 'pending' || statusAt(row, clock()) !== 'expired') return;
      await trx.updateTable('pending_changes').set({ status: 'expired', decided_at: clock() }).where('id', '=', id).execute();
      await ledger.append(trx, { type: PENDING_EVENTS.expired, actor: SYSTEM_ACTOR, parties: [row.state_code], subject: { state: row.state_code, change: id }, facts: { action: row.action } });
    });
  }

  async function decide(actor: Actor, id: string, approve: boolean): Promise<{ pendingChange: PendingChangeView; receipt: Receipt; result?: unknown }> {
    const row = await visible(db, actor, id);
    const me = await users.identityOf(db, actor);
    const pending = { state: row.state_code, proposedBySelf: me === row.proposer };
    authorize(actor, 'pending.decide', { pending });
    if (approve) authorize(actor, 'pending.approve-own', { pending });
    if (statusAt(row, clock()) === 'expired') await expireIfDue(id);
    requireOpen(row, clock());

    let receipt: Receipt | undefined;
    let decided: Row | undefined;
    const settle = async (trx: Trx) => {
      const locked = await visible(trx, actor, id, true);
      const now = clock();
      requireOpen(locked, now);
      const status = approve ? 'approved' : 'rejected';
      await trx.updateTable('pending_changes').set({ status, decided_at: now, decided_by: me }).where('id', '=', id).execute();
      decided = { ...locked, status, decided_at: now, decided_by: me };
      receipt = await ledger.append(trx, {
        type: approve ? PENDING_EVENTS.approved : PENDING_EVENTS.rejected,
        actor,
        parties: [row.state_code],
        subject: { state: row.state_code, change: id, ...(row.target ? { target: row.target } : {}) },
        facts: { action: row.action },
      });
    };

    if (!approve) {
      await ledger.change(db, settle);
      return { pendingChange: await view(db, actor, decided!), receipt: receipt! };
    }
    const applier = appliers.get(row.action as PendingAction);
    if (!applier) throw new Problem('internal', `no applier for ${row.action}`);
    // Opened before applying: a withdrawal destroys the key the content is sealed under.
    const content = await openContent(db, row);
    if (content === SHREDDED) throw conflict(`the change can no longer be applied: ${row.state_code}'s data key is destroyed`);
    const result = await applier(actor, content, settle);
    return { pendingChange: await view(db, actor, decided!), receipt: receipt!, result };
  }

  /** Key rotation: re-seals the state's pending changes (decided ones too, so they stay listable) under `to`. */
  async function reencrypt(trx: Trx, state: string, to: Key, limit: number): Promise<number> {
    // Changes sealed under a destroyed key (before a withdrawal) are shredded: nothing to re-seal.
    const live = trx.selectFrom('state_keys').select('id').where('state_code', '=', state).where('status', '!=', 'destroyed');
    const rows = await trx
      .selectFrom('pending_changes')
      .selectAll()
      .where('state_code', '=', state)
      .where('key_id', '!=', to.id)
      .where('key_id', 'in', live)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .execute();
    for (const row of rows) {
      const from = await keys.keyById(trx, row.key_id);
      const content = seal(to, openString(from, row.content, loc(row.id)), loc(row.id));
      await trx.updateTable('pending_changes').set({ key_id: to.id, content }).where('id', '=', row.id).execute();
    }
    return rows.length;
  }

  // Withdrawal: the state's other open changes lapse with it (their content is shredded with the key).
  // Under dual control the withdrawal's own change is settled before the hooks run (states/service.ts).
  states.onWithdraw(async (trx, state, actor) => {
    const open = await trx.selectFrom('pending_changes').select(['id', 'action']).where('state_code', '=', state).where('status', '=', 'pending').orderBy('created_at').forUpdate().execute();
    for (const row of open) {
      await trx.updateTable('pending_changes').set({ status: 'expired', decided_at: clock() }).where('id', '=', row.id).execute();
      await ledger.append(trx, { type: PENDING_EVENTS.expired, actor, parties: [state], subject: { state, change: row.id }, facts: { action: row.action, cause: 'withdrawal' } });
    }
  });

  return {
    register,
    reencrypt,
    dualControl: (state: string) => dualControl(db, state),
    getPolicy,
    setPolicy,
    propose,
    list,
    get: async (actor: Actor, id: string) => view(db, actor, await visible(db, actor, id)),
    approve: (actor: Actor, id: string) => decide(actor, id, true),
    reject: (actor: Actor, id: string) => decide(actor, id, false),
  };
}

export type PendingService = ReturnType<typeof createPendingService>;
