/**
 * Reachability checks ("ping tests"): the secretariat starts a round; every
 * targeted point of contact is notified with a one-time challenge, and a
 * delegate of that state proves receipt by returning it. Rounds report, per
 * state, whether it was reached and how long it took, never contact data.
 * Exercise rounds run the full workflow, are labelled, and stay out of the
 * real statistics.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { authorize, permits } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { randomBytes, sha256, utf8 } from '../crypto/index.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { notFound, Problem } from '../http/problem.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import { percentile } from '../stats.ts';
import type { Domain } from '../vocabulary.ts';
import { DOMAINS } from '../vocabulary.ts';
import { CHECK_EVENTS } from './events.ts';

export interface CheckNotifier {
  enqueue(
    trx: Trx,
    n: { state: string; type: string; subject: { checkId: string }; link: string; exercise: boolean; targets: { webhook: boolean; contactIds: string[] }; extra: Record<string, string> },
  ): Promise<unknown>;
}

export interface StateResult {
  state: string;
  targets: number;
  acknowledged: number;
  reached: boolean;
  reachedInTime: boolean;
  secondsToAcknowledge: number | null;
}

export interface CheckReport {
  id: string;
  exercise: boolean;
  domains: Domain[];
  createdAt: string;
  closesAt: string;
  open: boolean;
  summary: { states: number; reached: number; reachedInTime: number; reachRate: number; medianSeconds: number | null; p90Seconds: number | null };
  states: StateResult[];
}


interface Deps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  notifier: CheckNotifier;
  contactsInDomain: (q: Queryable, state: string, domain: Domain) => Promise<string[]>;
  publicBaseUrl: string;
}

/** The figures of a set of state results (all of them for the secretariat, a delegate's own state for a delegate). */
function summarize(states: StateResult[]): CheckReport['summary'] {
  const times = states.map((s) => s.secondsToAcknowledge).filter((t): t is number => t !== null).sort((a, b) => a - b);
  const reached = states.filter((s) => s.reached).length;
  return {
    states: states.length,
    reached,
    reachedInTime: states.filter((s) => s.reachedInTime).length,
    reachRate: states.length ? reached / states.length : 0,
    medianSeconds: percentile(times, 50),
    p90Seconds: percentile(times, 90),
  };
}

const challengeHash = (challenge: string) => sha256(utf8(`poc/check-challenge/v1\u0000${challenge}`));

export function createChecksService({ db, clock, ledger, notifier, contactsInDomain, publicBaseUrl }: Deps) {
  const link = (id: string) => `${publicBaseUrl.replace(/\/$/, '')}/v1/checks/${id}`;

  async function start(
    actor: Actor,
    input: { states?: string[] | undefined; domains?: Domain[] | undefined; exercise?: boolean | undefined; windowMinutes?: number | undefined },
  ): Promise<{ check: CheckReport; receipt: Receipt }> {
    authorize(actor, 'checks.start');
    return ledger.change(db, async (trx) => {
      const participating = (await trx.selectFrom('states').select('code').where('status', '=', 'participating').orderBy('code').execute()).map((r) => r.code);
      const states = input.states ? [...new Set(input.states)].sort() : participating;
      const absent = states.filter((s) => !participating.includes(s));
      if (absent.length > 0) {
        throw new Problem('validation-error', 'every targeted state must participate', { errors: absent.map((s) => ({ path: 'body.states', message: `${s} is not participating` })) });
      }
      if (states.length === 0) throw new Problem('validation-error', 'no participating state to check', { errors: [{ path: 'body.states', message: 'empty' }] });
      const domains = input.domains ?? [...DOMAINS];
      const exercise = input.exercise ?? false;
      const now = clock();
      const id = randomUUID();
      await trx
        .insertInto('checks')
        .values({ id, exercise, domains, created_by: actor.sub, created_at: now, closes_at: new Date(now.getTime() + (input.windowMinutes ?? 24 * 60) * 60_000) })
        .execute();
      let targets = 0;
      for (const state of states) {
        const contactIds = new Set<string>();
        for (const d of domains) for (const c of await contactsInDomain(trx, state, d)) contactIds.add(c);
        // A state with no contact in these domains is still targeted, through its webhook.
        const perTarget: (string | null)[] = contactIds.size > 0 ? [...contactIds] : [null];
        for (const contactId of perTarget) {
          const challenge = Buffer.from(randomBytes(18)).toString('base64url');
          const targetId = randomUUID();
          await trx
            .insertInto('check_targets')
            .values({ id: targetId, check_id: id, state_code: state, contact_id: contactId, challenge_hash: challengeHash(challenge), sent_at: now, acknowledged_at: null })
            .execute();
          await notifier.enqueue(trx, {
            state,
            type: CHECK_EVENTS.started,
            subject: { checkId: id },
            link: link(id),
            exercise,
            targets: { webhook: true, contactIds: contactId ? [contactId] : [] },
            extra: { challenge, acknowledgeAt: `${link(id)}/acknowledgements` },
          });
          targets++;
        }
      }
      const receipt = await ledger.append(trx, {
        type: CHECK_EVENTS.started,
        actor,
        parties: states,
        subject: { check: id },
        facts: { exercise, domains, states: states.length, targets },
      });
      return { check: (await report(trx, id))!, receipt };
    });
  }

  async function acknowledge(actor: Actor, id: string, challenge: string): Promise<{ state: string; acknowledgedAt: string; secondsToAcknowledge: number; late: boolean; receipt: Receipt }> {
    authorize(actor, 'checks.acknowledge');
    return ledger.change(db, async (trx) => {
      const check = await trx.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirst();
      const target = check
        ? await trx
            .selectFrom('check_targets')
            .selectAll()
            .where('check_id', '=', id)
            .where('challenge_hash', '=', challengeHash(challenge))
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      // A wrong challenge, another round's, or another state's: all look the same.
      if (!check || !target || target.state_code !== actor.state) throw notFound('challenge for this check');
      if (target.acknowledged_at) throw new Problem('invalid-transition', 'this challenge was already used', { currentStatus: 'acknowledged', allowedFrom: ['sent'] });
      const now = clock();
      await trx.updateTable('check_targets').set({ acknowledged_at: now }).where('id', '=', target.id).execute();
      const seconds = (now.getTime() - new Date(target.sent_at).getTime()) / 1000;
      const late = now > new Date(check.closes_at);
      const receipt = await ledger.append(trx, {
        type: CHECK_EVENTS.acknowledged,
        actor,
        parties: [actor.state],
        subject: { check: id, target: target.id },
        facts: { secondsToAcknowledge: Math.round(seconds), late, exercise: check.exercise },
      });
      return { state: actor.state, acknowledgedAt: now.toISOString(), secondsToAcknowledge: seconds, late, receipt };
    });
  }

  async function report(q: Queryable, id: string): Promise<CheckReport | undefined> {
    const check = await q.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!check) return undefined;
    const rows = await q.selectFrom('check_targets').select(['state_code', 'sent_at', 'acknowledged_at']).where('check_id', '=', id).orderBy('state_code').execute();
    const closesAt = new Date(check.closes_at);
    const byState = new Map<string, StateResult>();
    for (const r of rows) {
      let s = byState.get(r.state_code);
      if (!s) byState.set(r.state_code, (s = { state: r.state_code, targets: 0, acknowledged: 0, reached: false, reachedInTime: false, secondsToAcknowledge: null }));
      s.targets++;
      if (!r.acknowledged_at) continue;
      const at = new Date(r.acknowledged_at);
      const seconds = (at.getTime() - new Date(r.sent_at).getTime()) / 1000;
      s.acknowledged++;
      s.reached = true;
      if (at <= closesAt) s.reachedInTime = true;
      s.secondsToAcknowledge = s.secondsToAcknowledge === null ? seconds : Math.min(s.secondsToAcknowledge, seconds);
    }
    const states = [...byState.values()];
    return {
      id: check.id,
      exercise: check.exercise,
      domains: check.domains as Domain[],
      createdAt: new Date(check.created_at).toISOString(),
      closesAt: closesAt.toISOString(),
      open: clock() <= closesAt,
      summary: summarize(states),
      states,
    };
  }

  /** The secretariat and auditors see every state's result; a delegate only its own state's. */
  async function get(actor: Actor, id: string): Promise<CheckReport> {
    const r = await report(db, id);
    if (!r) throw notFound('check');
    // The check-summary rule ('checks.read'): every row to staff, a state's own row to its users.
    if (!permits(actor, 'checks.read')) throw notFound('check');
    const rows = r.states.filter((s) => permits(actor, 'checks.read', { state: s.state }));
    if (rows.length === 0) throw notFound('check');
    // The summary too counts only what the caller may see.
    return rows.length === r.states.length ? r : { ...r, states: rows, summary: summarize(rows) };
  }

  async function list(actor: Actor): Promise<{ id: string; exercise: boolean; createdAt: string; closesAt: string }[]> {
    authorize(actor, 'checks.list');
    const rows = await db.selectFrom('checks').selectAll().orderBy('created_at', 'desc').limit(500).execute();
    return rows.map((c) => ({ id: c.id, exercise: c.exercise, createdAt: new Date(c.created_at).toISOString(), closesAt: new Date(c.closes_at).toISOString() }));
  }

  /** Aggregate over rounds: real rounds only, or exercise rounds only. */
  async function reachability(actor: Actor, exercise: boolean) {
    authorize(actor, 'reports.read');
    return figures(exercise);
  }

  /** The aggregate report's reachability: the rates over every round, without per-round or per-state rows. */
  async function reachabilityRates(actor: Actor, exercise: boolean) {
    authorize(actor, 'reports.read-aggregate');
    const { perRound: _perRound, statesChecked: _statesChecked, ...rates } = await figures(exercise);
    return rates;
  }

  async function figures(exercise: boolean) {
    const checks = await db.selectFrom('checks').select('id').where('exercise', '=', exercise).orderBy('created_at').execute();
    const rounds: CheckReport[] = [];
    for (const c of checks) rounds.push((await report(db, c.id))!);
    const stateRounds = rounds.flatMap((r) => r.states);
    const times = stateRounds.map((s) => s.secondsToAcknowledge).filter((t): t is number => t !== null).sort((a, b) => a - b);
    return {
      exercise,
      rounds: rounds.length,
      statesChecked: new Set(stateRounds.map((s) => s.state)).size,
      stateRounds: stateRounds.length,
      reached: stateRounds.filter((s) => s.reached).length,
      reachRate: stateRounds.length ? stateRounds.filter((s) => s.reached).length / stateRounds.length : 0,
      reachedInTimeRate: stateRounds.length ? stateRounds.filter((s) => s.reachedInTime).length / stateRounds.length : 0,
      medianSeconds: percentile(times, 50),
      p90Seconds: percentile(times, 90),
      perRound: rounds.map((r) => ({ id: r.id, createdAt: r.createdAt, ...r.summary })),
    };
  }

  return { start, acknowledge, get, list, reachability, reachabilityRates };
}

export type ChecksService = ReturnType<typeof createChecksService>;
