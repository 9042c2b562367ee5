/**
 * Participation: a state joins (getting a fresh data key), and may withdraw
 * at any time, which crypto-shreds its contact data.
 */
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { conflict } from '../http/problem.ts';
import type { KeysService } from '../keys/service.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import { STATE_EVENTS } from './events.ts';

export type ParticipationStatus = 'participating' | 'withdrawn' | 'not-participating';

export interface Participation {
  state: string;
  status: ParticipationStatus;
  joinedAt: Date | null;
  withdrawnAt: Date | null;
}

interface Deps {
  db: Db;
  clock: Clock;
  keys: KeysService;
  ledger: LedgerService;
}

export function createStatesService({ db, clock, keys, ledger }: Deps) {
  function requireOwnDelegate(actor: Actor, state: string) {
    authorize(actor, 'participation.change', { state });
  }

  async function participation(q: Queryable, state: string): Promise<Participation> {
    const row = await q.selectFrom('states').selectAll().where('code', '=', state).executeTakeFirst();
    if (!row) return { state, status: 'not-participating', joinedAt: null, withdrawnAt: null };
    return { state, status: row.status, joinedAt: row.joined_at, withdrawnAt: row.withdrawn_at };
  }

  /** Locks the state's row for the rest of the transaction (FOR SHARE) and tells whether it participates. */
  async function lockParticipating(trx: Trx, state: string): Promise<boolean> {
    const row = await trx.selectFrom('states').select('status').where('code', '=', state).forShare().executeTakeFirst();
    return row?.status === 'participating';
  }

  /** Locks (shared) the participation of several states in one statement, in a fixed order; returns those participating. */
  async function lockParticipatingAll(trx: Trx, codes: readonly string[]): Promise<Set<string>> {
    const rows = await trx.selectFrom('states').select(['code', 'status']).where('code', 'in', [...new Set(codes)]).orderBy('code').forShare().execute();
    return new Set(rows.filter((r) => r.status === 'participating').map((r) => r.code));
  }

  async function join(actor: Actor, state: string): Promise<{ participation: Participation; created: boolean; receipt?: Receipt }> {
    requireOwnDelegate(actor, state);
    return ledger.change(db, async (trx) => {
      const row = await trx.selectFrom('states').select('status').where('code', '=', state).forUpdate().executeTakeFirst();
      if (row?.status === 'participating') return { participation: await participation(trx, state), created: false };
      const now = clock();
      if (row) {
        await trx.updateTable('states').set({ status: 'participating', joined_at: now, withdrawn_at: null, updated_at: now }).where('code', '=', state).execute();
      } else {
        await trx.insertInto('states').values({ code: state, status: 'participating', joined_at: now, withdrawn_at: null, updated_at: now }).execute();
      }
      await keys.createStateKey(trx, state);
      const receipt = await ledger.append(trx, { type: STATE_EVENTS.joined, actor, parties: [state], subject: { state } });
      return { participation: await participation(trx, state), created: true, receipt };
    });
  }

  /**
   * Withdrawal: the state's data keys are destroyed and its contact rows
   * deleted in one transaction; ledger entries about it remain (they hold no
   * plaintext). Other domains' data about the state is removed by the
   * callbacks registered with onWithdraw.
   */
  type WithdrawHook = (trx: Trx, state: string, actor: Actor) => Promise<void>;
  const withdrawHooks: WithdrawHook[] = [];
  function onWithdraw(hook: WithdrawHook) {
    withdrawHooks.push(hook);
  }

  /**
   * `within` (dual control: the approval of this withdrawal) runs in the
   * same transaction, before the hooks, so the other domains' hooks see the
   * approved change decided; the pending hook closes the state's other changes.
   */
  async function withdraw(actor: Actor, state: string, within?: (trx: Trx) => Promise<void>): Promise<{ participation: Participation; receipt: Receipt }> {
    requireOwnDelegate(actor, state);
    return ledger.change(db, async (trx) => {
      const row = await trx.selectFrom('states').select('status').where('code', '=', state).forUpdate().executeTakeFirst();
      if (row?.status !== 'participating') throw conflict(`${state} is not participating`);
      await within?.(trx);
      for (const hook of withdrawHooks) await hook(trx, state, actor);
      const destroyed = await keys.destroyStateKeys(trx, state);
      const now = clock();
      await trx.updateTable('states').set({ status: 'withdrawn', withdrawn_at: now, updated_at: now }).where('code', '=', state).execute();
      const receipt = await ledger.append(trx, {
        type: STATE_EVENTS.withdrawn,
        actor,
        parties: [state],
        subject: { state },
        facts: { destroyedKeys: destroyed.length },
      });
      return { participation: await participation(trx, state), receipt };
    });
  }

  async function listParticipating(q: Queryable = db): Promise<{ state: string; joinedAt: Date }[]> {
    const rows = await q.selectFrom('states').select(['code', 'joined_at']).where('status', '=', 'participating').orderBy('code').execute();
    return rows.map((r) => ({ state: r.code, joinedAt: r.joined_at }));
  }

  return { participation: (state: string, q: Queryable = db) => participation(q, state), lockParticipating, lockParticipatingAll, join, withdraw, onWithdraw, listParticipating };
}

export type StatesService = ReturnType<typeof createStatesService>;
