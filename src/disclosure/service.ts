/**
 * Disclosure grants: an owner state opens its contacts of some domains to one
 * counterpart or to every participating state, unilaterally or on condition
 * of reciprocity. Every grant, revocation, and change of effect caused by a
 * counterpart's decision is written to the ledger in the same transaction.
 */
import type { Actor } from '../auth/actor.ts';
import { authorize, stateOf } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import * as queries from './queries.ts';
import { effectiveDomains, EVERYONE, statusOf, type Domain, type Grant, type Mode } from './rules.ts';
import { DISCLOSURE_EVENTS } from './events.ts';

/** What a caller may see of other states' confidential contacts, by owner state. */
export interface Access {
  domainsFrom(owner: string): ReadonlySet<string>;
}
const NOTHING: ReadonlySet<string> = new Set();
export const NO_ACCESS: Access = { domainsFrom: () => NOTHING };

export type { GrantTuple } from './queries.ts';
export type GrantStatus = ReturnType<typeof statusOf> | 'pending-participation' | 'directory-wide';

export interface GrantView {
  owner: string;
  counterpart: string;
  mode: Mode;
  domains: Domain[];
  status: GrantStatus;
  /** Domains in effect towards the counterpart (per-counterpart grants). */
  effectiveDomains?: Domain[];
  /** For a directory-wide reciprocal grant: states that reciprocate (and for which domains). */
  reciprocatedBy?: { state: string; domains: Domain[] }[];
  createdAt: string;
  updatedAt: string;
}

interface Deps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  states: StatesService;
}

const sorted = (s: Iterable<string>) => [...s].sort() as Domain[];
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && sorted(a).join() === sorted(b).join();

export function createDisclosureService({ db, clock, ledger, states }: Deps) {
  async function isParticipating(q: Queryable, state: string): Promise<boolean> {
    const row = await q.selectFrom('states').select('status').where('code', '=', state).executeTakeFirst();
    return row?.status === 'participating';
  }

  /** Loads, once per request, what a caller may see of other states' confidential contacts. */
  async function accessFor(q: Queryable, actor: Actor): Promise<Access> {
    const viewer = stateOf(actor);
    if (!viewer) return NO_ACCESS;
    if (!(await isParticipating(q, viewer))) return NO_ACCESS;
    const grants = (await queries.grantsAround(q, viewer)).map(queries.toGrant);
    const memo = new Map<string, ReadonlySet<string>>();
    return {
      domainsFrom(owner) {
        let d = memo.get(owner);
        if (!d) memo.set(owner, (d = effectiveDomains(grants, owner, viewer)));
        return d;
      },
    };
  }

  /**
   * What `viewer` may see of one owner's contacts, from the grants a single
   * read statement fetched with the contact (grantsBetweenSql): the same
   * rules as accessFor, without the two extra queries on the read path.
   */
  const readAccess = {
    grantsSql: queries.grantsBetweenSql,
    access(viewer: string, grants: readonly queries.GrantTuple[]): Access {
      const all = grants.map(queries.tupleToGrant);
      const memo = new Map<string, ReadonlySet<string>>();
      return {
        domainsFrom(owner) {
          let d = memo.get(owner);
          if (!d) memo.set(owner, (d = effectiveDomains(all, owner, viewer)));
          return d;
        },
      };
    },
  };

  /** Owners whose disclosure to `viewer` is open in at least one domain (to narrow directory queries). */
  async function ownersVisibleTo(q: Queryable, actor: Actor, access: Access): Promise<string[]> {
    const viewer = stateOf(actor);
    if (!viewer) return [];
    const grants = await queries.grantsAround(q, viewer);
    const owners = new Set(grants.filter((g) => g.owner_state !== viewer).map((g) => g.owner_state));
    return [...owners].filter((o) => access.domainsFrom(o).size > 0);
  }

  /** Effective domains, towards `pivot`, of every reciprocal grant that depends on the pivot's own grants. */
  async function reciprocalEffects(trx: Trx, pivot: string): Promise<Map<string, Domain[]>> {
    const grants = (await queries.grantsAround(trx, pivot)).map(queries.toGrant);
    const pivotIn = await isParticipating(trx, pivot);
    const out = new Map<string, Domain[]>();
    for (const g of grants) {
      if (g.owner === pivot || g.mode !== 'reciprocal' || out.has(g.owner)) continue;
      out.set(g.owner, pivotIn ? sorted(effectiveDomains(grants, g.owner, pivot)) : []);
    }
    return out;
  }

  /** Ledger entries for every disclosure to `pivot` whose effect changed because of the pivot's decision. */
  async function recordEffects(trx: Trx, actor: Actor, pivot: string, before: Map<string, Domain[]>): Promise<void> {
    const after = await reciprocalEffects(trx, pivot);
    const owners = [...new Set([...before.keys(), ...after.keys()])].sort();
    for (const owner of owners) {
      const was = before.get(owner) ?? [];
      const now = after.get(owner) ?? [];
      if (was.join() === now.join()) continue;
      await ledger.append(trx, {
        type: DISCLOSURE_EVENTS.effectChanged,
        actor,
        parties: [owner, pivot],
        subject: { owner, viewer: pivot },
        facts: { effectiveDomains: now, previousDomains: was, cause: `decision of ${pivot}` },
      });
    }
  }

  function requireOwnDelegate(actor: Actor, state: string) {
    authorize(actor, 'disclosure.change', { state });
  }

  function checkCounterpart(owner: string, counterpart: string) {
    if (counterpart === owner) throw new Problem('validation-error', 'a state cannot grant disclosure to itself', { errors: [{ path: 'params.counterpart', message: 'must differ from the owner state' }] });
  }

  async function grant(
    actor: Actor,
    owner: string,
    counterpart: string,
    input: { mode: Mode; domains: Domain[] },
    within?: (trx: Trx) => Promise<void>,
  ): Promise<{ grant: GrantView; created: boolean; receipt?: Receipt }> {
    checkGrant(actor, owner, counterpart);
    return ledger.change(db, async (trx) => {
      if (!(await states.lockParticipating(trx, owner))) throw conflict(`${owner} is not participating; join first`);
      const existing = await queries.findGrant(trx, owner, counterpart, true);
      if (existing && existing.mode === input.mode && sameSet(existing.domains, input.domains)) {
        await within?.(trx);
        return { grant: await view(trx, existing), created: false };
      }
      const before = await reciprocalEffects(trx, owner);
      const now = clock();
      const row: queries.GrantRow = {
        owner_state: owner,
        counterpart,
        mode: input.mode,
        domains: sorted(input.domains),
        created_at: existing?.created_at ?? now,
        updated_at: now,
      };
      await queries.upsertGrant(trx, row);
      const receipt = await ledger.append(trx, {
        type: DISCLOSURE_EVENTS.granted,
        actor,
        parties: counterpart === EVERYONE ? [owner] : [owner, counterpart],
        subject: { owner, counterpart },
        facts: { mode: row.mode, domains: row.domains, ...(existing ? { previousMode: existing.mode, previousDomains: sorted(existing.domains) } : {}) },
      });
      await recordEffects(trx, actor, owner, before);
      await within?.(trx);
      return { grant: await view(trx, row), created: !existing, receipt };
    });
  }

  /** Refuses (403, 400) a grant the caller may not make, before it is applied or proposed (dual control). */
  function checkGrant(actor: Actor, owner: string, counterpart: string): void {
    requireOwnDelegate(actor, owner);
    checkCounterpart(owner, counterpart);
  }

  /** Refuses (403, 404) a revocation the caller may not make, before it is applied or proposed (dual control). */
  async function checkRevoke(actor: Actor, owner: string, counterpart: string): Promise<void> {
    requireOwnDelegate(actor, owner);
    if (!(await queries.findGrant(db, owner, counterpart, false))) throw notFound('disclosure grant');
  }

  async function revoke(actor: Actor, owner: string, counterpart: string, within?: (trx: Trx) => Promise<void>): Promise<{ receipt: Receipt }> {
    requireOwnDelegate(actor, owner);
    return ledger.change(db, async (trx) => {
      const existing = await queries.findGrant(trx, owner, counterpart, true);
      if (!existing) throw notFound('disclosure grant');
      const before = await reciprocalEffects(trx, owner);
      await queries.deleteGrant(trx, owner, counterpart);
      const receipt = await ledger.append(trx, {
        type: DISCLOSURE_EVENTS.revoked,
        actor,
        parties: counterpart === EVERYONE ? [owner] : [owner, counterpart],
        subject: { owner, counterpart },
        facts: { mode: existing.mode, domains: sorted(existing.domains) },
      });
      await recordEffects(trx, actor, owner, before);
      await within?.(trx);
      return { receipt };
    });
  }

  /** Withdrawal: the state's grants are removed, and the effect on others' reciprocal grants recorded. */
  states.onWithdraw(async (trx, state, actor) => {
    const before = await reciprocalEffects(trx, state);
    const removed = await queries.deleteGrantsOf(trx, state);
    for (const counterpart of removed.sort()) {
      await ledger.append(trx, {
        type: DISCLOSURE_EVENTS.revoked,
        actor,
        parties: counterpart === EVERYONE ? [state] : [state, counterpart],
        subject: { owner: state, counterpart },
        facts: { cause: 'withdrawal' },
      });
    }
    // Once withdrawn, nothing is disclosed to the state any more.
    for (const [owner, was] of before) {
      if (was.length === 0) continue;
      await ledger.append(trx, {
        type: DISCLOSURE_EVENTS.effectChanged,
        actor,
        parties: [owner, state],
        subject: { owner, viewer: state },
        facts: { effectiveDomains: [], previousDomains: was, cause: `withdrawal of ${state}` },
      });
    }
  });

  async function view(q: Queryable, row: queries.GrantRow): Promise<GrantView> {
    const base = {
      owner: row.owner_state,
      counterpart: row.counterpart,
      mode: row.mode,
      domains: sorted(row.domains),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
    if (row.counterpart === EVERYONE) {
      if (row.mode === 'unilateral') return { ...base, status: 'directory-wide' };
      const grants = (await queries.grantsAround(q, row.owner_state)).map(queries.toGrant);
      const others = [...new Set(grants.filter((g) => g.owner !== row.owner_state).map((g) => g.owner))].sort();
      const reciprocatedBy = others
        .map((state) => ({ state, domains: sorted(row.domains.filter((d) => effectiveDomains(grants, row.owner_state, state).has(d))) }))
        .filter((r) => r.domains.length > 0);
      return { ...base, status: 'directory-wide', reciprocatedBy };
    }
    if (!(await isParticipating(q, row.counterpart)) || !(await isParticipating(q, row.owner_state))) {
      return { ...base, status: 'pending-participation', effectiveDomains: [] };
    }
    const grants = (await queries.grantsAround(q, row.counterpart)).map(queries.toGrant);
    const effective = effectiveDomains(grants, row.owner_state, row.counterpart);
    const mine = sorted(row.domains.filter((d) => effective.has(d)));
    return { ...base, status: statusOf(row.domains, new Set(mine)), effectiveDomains: mine };
  }

  async function list(actor: Actor, state: string): Promise<{ granted: GrantView[]; received: GrantView[] }> {
    authorize(actor, 'disclosure.list', { state });
    const rows = await queries.grantsAround(db, state);
    const granted: GrantView[] = [];
    const received: GrantView[] = [];
    const stateIn = await isParticipating(db, state);
    const grants: Grant[] = rows.map(queries.toGrant);
    for (const row of rows) {
      if (row.owner_state === state) {
        granted.push(await view(db, row));
        continue;
      }
      const effective = stateIn ? effectiveDomains(grants, row.owner_state, state) : new Set<string>();
      const mine = sorted(row.domains.filter((d) => effective.has(d)));
      received.push({
        owner: row.owner_state,
        counterpart: row.counterpart,
        mode: row.mode,
        domains: sorted(row.domains),
        status: stateIn ? statusOf(row.domains, new Set(mine)) : 'pending-participation',
        effectiveDomains: mine,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
      });
    }
    return { granted, received };
  }

  return { accessFor, readAccess, ownersVisibleTo, grant, checkGrant, revoke, checkRevoke, list };
}

export type DisclosureService = ReturnType<typeof createDisclosureService>;
