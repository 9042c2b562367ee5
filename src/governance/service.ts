/**
 * Multilateral governance: members propose typed changes to the directory's
 * own rules, each state takes one position, and the outcome is computed at
 * the deadline under the decision rule in force for that kind when the
 * proposal was made (rules.ts). An adopted proposal takes effect in the same
 * transaction as its decision and its ledger entry.
 *
 * Who may do what:
 *   propose   a delegate of a participating state, or the secretariat
 *   vote      a delegate of a state of the electorate (participating when the
 *             proposal was made, and not withdrawn since)
 *   withdraw  the proposer, before the deadline
 *   read      participating states' delegates, the secretariat and auditors see
 *             everything but other states' explanations; observers see the
 *             proposals about observers and every outcome; others nothing
 */
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { stateOf } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { openString, seal, type Key } from '../crypto/index.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { conflict, forbidden, notFound, Problem } from '../http/problem.ts';
import type { KeysService } from '../keys/service.ts';
import { canonicalJson } from '../ledger/entry.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import { GOVERNANCE_EVENTS } from './events.ts';
import { decide, ruleProblem, ruleSchema, settlesEarly, tally, type Decision, type Position, type Rule } from './rules.ts';
import type { NewProposal } from './schemas.ts';
import { governanceDb, type GovernanceTables, type ProposalKind } from './tables.ts';

type ProposalRow = Selectable<GovernanceTables['governance_proposals']>;

export interface GovernanceDeps {
  db: Db;
  clock: Clock;
  keys: KeysService;
  ledger: LedgerService;
  states: StatesService;
  /** Seals observer organisations' contacts (a subkey of the index root; never stored). */
  observerContactKey: Key;
  /** The rule per kind until a decision-rule proposal changes it. */
  defaultRules: Record<ProposalKind, Rule>;
  /** The freshness period until a freshness-period proposal changes it. */
  defaultFreshnessDays: number;
}

const SYSTEM: Actor = { role: 'secretariat', sub: 'system:governance', state: null };
const MIN_DEADLINE_MS = 60_000;
const MAX_DEADLINE_MS = 366 * 86_400_000;

/** The state a caller speaks for (delegates and its authority). */
const speaksFor = stateOf;

export function createGovernanceService({ db, clock, keys, ledger, states, observerContactKey, defaultRules, defaultFreshnessDays }: GovernanceDeps) {
  const gdb = governanceDb(db);
  const proposalLoc = (id: string) => ({ table: 'governance_proposals', column: 'sealed_payload', rowId: id });
  const orgLoc = (id: string) => ({ table: 'observer_organizations', column: 'contact', rowId: id });
  const voteLoc = (id: string, state: string) => ({ table: 'governance_votes', column: 'explanation', rowId: `${id}/${state}` });

  // ---- the settings proposals change -------------------------------------------------------------

  /** The freshness period, refreshed from the database at most every few seconds (and at once on adoption here). */
  let freshness = { days: defaultFreshnessDays, readAt: 0 };
  const FRESHNESS_TTL_MS = 5_000;
  async function refreshSettings(): Promise<void> {
    const row = await gdb.selectFrom('directory_settings').select('value').where('name', '=', 'freshnessDays').executeTakeFirst();
    freshness = { days: row ? Number(row.value) : defaultFreshnessDays, readAt: Date.now() };
  }
  /** Days a contact stays fresh; synchronous for the read path, at most FRESHNESS_TTL_MS stale across instances. */
  function freshnessDays(): number {
    if (Date.now() - freshness.readAt > FRESHNESS_TTL_MS) {
      freshness.readAt = Date.now(); // one refresh at a time
      refreshSettings().catch(() => {
        freshness.readAt = 0;
      });
    }
    return freshness.days;
  }

  async function ruleFor(q: Trx | Db, kind: ProposalKind): Promise<Rule> {
    const row = await governanceDb(q).selectFrom('governance_rules').select('rule').where('kind', '=', kind).executeTakeFirst();
    return row ? ruleSchema.parse(row.rule) : defaultRules[kind];
  }

  /** The template version the members adopted, if any (the request template route shows it). */
  async function templateVersion(): Promise<{ version: string; labels: Record<string, Record<string, string>> } | null> {
    const row = await gdb.selectFrom('directory_settings').select('value').where('name', '=', 'templateVersion').executeTakeFirst();
    return (row?.value as { version: string; labels: Record<string, Record<string, string>> } | undefined) ?? null;
  }

  async function settings() {
    const [rules, rows] = await Promise.all([
      gdb.selectFrom('governance_rules').select(['kind', 'rule']).execute(),
      gdb.selectFrom('directory_settings').select(['name', 'value']).execute(),
    ]);
    const byName = new Map(rows.map((r) => [r.name, r.value]));
    const effective = { ...defaultRules } as Record<ProposalKind, Rule>;
    for (const r of rules) effective[r.kind as ProposalKind] = ruleSchema.parse(r.rule);
    return {
      rules: effective,
      freshnessDays: byName.has('freshnessDays') ? Number(byName.get('freshnessDays')) : defaultFreshnessDays,
      templateVersion: (byName.get('templateVersion') as Awaited<ReturnType<typeof templateVersion>> | undefined) ?? null,
    };
  }

  // ---- proposing ---------------------------------------------------------------------------------

  function validateDeadline(deadline: Date, now: Date) {
    const ahead = deadline.getTime() - now.getTime();
    if (!(ahead >= MIN_DEADLINE_MS && ahead <= MAX_DEADLINE_MS)) {
      throw new Problem('validation-error', 'the deadline is not valid', {
        errors: [{ path: 'body.deadline', message: 'must be between 1 minute and 366 days ahead' }],
      });
    }
  }

  /** What the proposal says in the clear (stored and shown), what is sealed, and what may not be open twice. */
  async function prepare(trx: Trx, input: NewProposal): Promise<{ details: Record<string, unknown>; sealed?: string; dedupe: string; facts: Record<string, string | number | string[]> }> {
    switch (input.kind) {
      case 'observer-accreditation': {
        const { name, category, contact } = input.organization;
        const dedupe = name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
        const existing = await governanceDb(trx).selectFrom('observer_organizations').select('id').where(sql`lower(name)`, '=', dedupe).executeTakeFirst();
        if (existing) throw conflict(`an organisation named "${name}" is already accredited or suspended`);
        return { details: { organization: { name, category } }, sealed: JSON.stringify(contact), dedupe, facts: { organization: name, category } };
      }
      case 'observer-suspension': {
        const org = await governanceDb(trx).selectFrom('observer_organizations').select(['status', 'name']).where('id', '=', input.organizationId).executeTakeFirst();
        if (!org) throw new Problem('validation-error', 'no such organisation', { errors: [{ path: 'body.organizationId', message: 'is not an accredited organisation' }] });
        if (org.status !== 'accredited') throw conflict('the organisation is already suspended');
        return { details: { organizationId: input.organizationId, organization: org.name }, dedupe: input.organizationId, facts: { organizationId: input.organizationId } };
      }
      case 'freshness-period':
        return { details: { days: input.days }, dedupe: 'freshness-period', facts: { days: input.days } };
      case 'template-version':
        return { details: { version: input.version, labels: input.labels ?? {} }, dedupe: 'template-version', facts: { version: input.version } };
      case 'decision-rule':
        return { details: { forKind: input.forKind, rule: input.rule }, dedupe: input.forKind, facts: { forKind: input.forKind, forRule: canonicalJson(input.rule) } };
    }
  }

  async function propose(actor: Actor, input: NewProposal): Promise<{ proposal: ProposalView; receipt: Receipt }> {
    const state = speaksFor(actor);
    if (!state && actor.role !== 'secretariat') throw forbidden('only delegates of participating states and the secretariat may propose');
    const now = clock();
    const deadline = new Date(input.deadline);
    validateDeadline(deadline, now);
    return ledger.change(db, async (trx) => {
      if (state && !(await states.lockParticipating(trx, state))) throw forbidden(`${state} is not participating`);
      const electorate = (await states.listParticipating(trx)).map((s) => s.state);
      if (input.kind === 'decision-rule') {
        const problem = ruleProblem(input.rule, electorate.length);
        if (problem) throw new Problem('validation-error', 'the rule cannot be met', { errors: [{ path: `body.rule.${problem.path}`, message: problem.message }] });
      }
      const rule = await ruleFor(trx, input.kind);
      const { details, sealed, dedupe, facts } = await prepare(trx, input);
      const id = randomUUID();
      const inserted = await governanceDb(trx)
        .insertInto('governance_proposals')
        .values({
          id,
          kind: input.kind,
          status: 'open',
          dedupe_key: dedupe,
          payload: JSON.stringify(details),
          sealed_payload: sealed !== undefined ? seal(observerContactKey, sealed, proposalLoc(id)) : null,
          rule: JSON.stringify(rule),
          electorate,
          proposer_role: actor.role,
          proposer_state: state,
          proposer_sub: actor.sub,
          deadline,
          created_at: now,
        })
        // The arbiter index's predicate as a literal: a parameter ($n) cannot prove it once the statement is prepared with a generic plan.
        .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).where('status', '=', sql.lit('open')).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw conflict(`an open ${input.kind} proposal for the same subject already exists`);
      const receipt = await ledger.append(trx, {
        type: GOVERNANCE_EVENTS.proposed,
        actor,
        parties: state ? [state] : [],
        subject: { proposal: id },
        facts: { kind: input.kind, deadline: deadline.toISOString(), rule: canonicalJson(rule), electorate, ...facts },
        content: { details, sealed: sealed ?? null },
      });
      return { proposal: await view(trx, actor, (await load(trx, id))!), receipt };
    });
  }

  // ---- voting and withdrawing ----------------------------------------------------------------------

  async function load(q: Trx | Db, id: string, lock = false) {
    let query = governanceDb(q).selectFrom('governance_proposals').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst() as Promise<ProposalRow | undefined>;
  }

  async function vote(actor: Actor, id: string, input: { position: Position; explanation?: string | undefined }) {
    const state = speaksFor(actor);
    if (!state) throw forbidden('only delegates of a state may vote');
    return ledger.change(db, async (trx) => {
      const row = await load(trx, id, true);
      if (!row || !(await mayRead(trx, actor, row))) throw notFound('proposal');
      const now = clock();
      if (row.status !== 'open') throw conflict(`the proposal is ${row.status}; voting is closed`, { currentStatus: row.status });
      if (now >= new Date(row.deadline)) throw conflict('the deadline has passed; voting is closed', { currentStatus: 'open' });
      if (!row.electorate.includes(state)) throw forbidden(`${state} is not in this proposal's electorate (states participating when it was made, not withdrawn since)`);
      let keyId: string | null = null;
      let explanation: Uint8Array | null = null;
      if (input.explanation !== undefined) {
        const key = await keys.activeKey(trx, state);
        keyId = key.id;
        explanation = seal(key, input.explanation, voteLoc(id, state));
      }
      await governanceDb(trx)
        .insertInto('governance_votes')
        .values({ proposal_id: id, state_code: state, position: input.position, key_id: keyId, explanation, cast_by: actor.sub, cast_at: now })
        .onConflict((oc) =>
          oc.columns(['proposal_id', 'state_code']).doUpdateSet({ position: input.position, key_id: keyId, explanation, cast_by: actor.sub, cast_at: now }),
        )
        .execute();
      const receipt = await ledger.append(trx, {
        type: GOVERNANCE_EVENTS.voted,
        actor,
        parties: [state],
        subject: { proposal: id },
        facts: { state, position: input.position },
        ...(input.explanation !== undefined ? { content: { explanation: input.explanation } } : {}),
      });
      const rule = ruleSchema.parse(row.rule);
      if (settlesEarly(rule, input.position)) await decideNow(trx, row, now);
      return { proposal: await view(trx, actor, (await load(trx, id))!), receipt };
    });
  }

  async function withdraw(actor: Actor, id: string) {
    return ledger.change(db, async (trx) => {
      const row = await load(trx, id, true);
      if (!row || !(await mayRead(trx, actor, row))) throw notFound('proposal');
      if (row.proposer_sub !== actor.sub || row.proposer_role !== actor.role || row.proposer_state !== (actor.state ?? null)) {
        throw forbidden('only the proposer may withdraw a proposal');
      }
      if (row.status !== 'open') throw conflict(`the proposal is ${row.status}`, { currentStatus: row.status });
      const now = clock();
      if (now >= new Date(row.deadline)) throw conflict('the deadline has passed', { currentStatus: 'open' });
      await governanceDb(trx).updateTable('governance_proposals').set({ status: 'withdrawn', decided_at: now }).where('id', '=', id).execute();
      const receipt = await ledger.append(trx, {
        type: GOVERNANCE_EVENTS.withdrawn,
        actor,
        parties: row.proposer_state ? [row.proposer_state] : [],
        subject: { proposal: id },
      });
      return { proposal: await view(trx, actor, (await load(trx, id))!), receipt };
    });
  }

  // A state that withdraws from the directory keeps no vote in open proposals.
  states.onWithdraw(async (trx, state) => {
    const g = governanceDb(trx);
    await sql`update governance_proposals set electorate = array_remove(electorate, ${state}) where status = 'open' and ${state} = any(electorate)`.execute(trx);
    await g
      .deleteFrom('governance_votes')
      .where('state_code', '=', state)
      .where('proposal_id', 'in', g.selectFrom('governance_proposals').select('id').where('status', '=', 'open'))
      .execute();
  });

  // ---- deciding --------------------------------------------------------------------------------------

  async function currentTally(trx: Trx | Db, row: ProposalRow) {
    const votes = await governanceDb(trx).selectFrom('governance_votes').select(['state_code', 'position']).where('proposal_id', '=', row.id).execute();
    return tally(row.electorate, new Map(votes.map((v) => [v.state_code, v.position])));
  }

  /** Decides a locked open proposal now, applies it if adopted, and records the decision. */
  async function decideNow(trx: Trx, row: ProposalRow, now: Date): Promise<Decision> {
    const decision = decide(ruleSchema.parse(row.rule), await currentTally(trx, row));
    await governanceDb(trx)
      .updateTable('governance_proposals')
      .set({ status: decision.outcome, decided_at: now, decision: JSON.stringify(decision) })
      .where('id', '=', row.id)
      .execute();
    const effect = decision.outcome === 'adopted' ? await apply(trx, row, now) : {};
    await ledger.append(trx, {
      type: GOVERNANCE_EVENTS.decided,
      actor: SYSTEM,
      parties: row.proposer_state ? [row.proposer_state] : [],
      subject: { proposal: row.id, ...effect },
      facts: { kind: row.kind, outcome: decision.outcome, reason: decision.reason, ...decision.tally },
    });
    return decision;
  }

  /** Makes an adopted proposal take effect; returns ids of what it created, for the ledger. */
  async function apply(trx: Trx, row: ProposalRow, now: Date): Promise<Record<string, string>> {
    const g = governanceDb(trx);
    const details = row.payload as Record<string, unknown>;
    switch (row.kind) {
      case 'observer-accreditation': {
        const org = details.organization as { name: string; category: GovernanceTables['observer_organizations']['category'] };
        const contact = openString(observerContactKey, row.sealed_payload!, proposalLoc(row.id));
        const orgId = randomUUID();
        await g
          .insertInto('observer_organizations')
          .values({ id: orgId, name: org.name, category: org.category, contact: seal(observerContactKey, contact, orgLoc(orgId)), status: 'accredited', accredited_by: row.id, accredited_at: now })
          .execute();
        return { organization: orgId };
      }
      case 'observer-suspension':
        await g.updateTable('observer_organizations').set({ status: 'suspended', suspended_at: now }).where('id', '=', details.organizationId as string).execute();
        return { organization: details.organizationId as string };
      case 'freshness-period':
        await setSetting(trx, 'freshnessDays', details.days, row.id, now);
        freshness = { days: details.days as number, readAt: Date.now() };
        return {};
      case 'template-version':
        await setSetting(trx, 'templateVersion', { version: details.version, labels: details.labels }, row.id, now);
        return {};
      case 'decision-rule':
        await g
          .insertInto('governance_rules')
          .values({ kind: details.forKind as string, rule: JSON.stringify(details.rule), proposal_id: row.id, updated_at: now })
          .onConflict((oc) => oc.column('kind').doUpdateSet({ rule: JSON.stringify(details.rule), proposal_id: row.id, updated_at: now }))
          .execute();
        return {};
    }
  }

  async function setSetting(trx: Trx, name: string, value: unknown, proposalId: string, now: Date) {
    await governanceDb(trx)
      .insertInto('directory_settings')
      .values({ name, value: JSON.stringify(value), proposal_id: proposalId, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: JSON.stringify(value), proposal_id: proposalId, updated_at: now }))
      .execute();
  }

  /** Decides every open proposal whose deadline has passed (the background sweep; also before reads). Safe on several instances. */
  async function sweep(): Promise<number> {
    const now = clock();
    let decided = 0;
    for (;;) {
      const done = await ledger.change(db, async (trx) => {
        const row = (await governanceDb(trx)
          .selectFrom('governance_proposals')
          .selectAll()
          .where('status', '=', 'open')
          .where('deadline', '<=', now)
          .orderBy('deadline')
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst()) as ProposalRow | undefined;
        if (!row) return false;
        await decideNow(trx, row, new Date(row.deadline));
        return true;
      });
      if (!done) return decided;
      decided++;
    }
  }

  // ---- reading -----------------------------------------------------------------------------------

  type Access = 'full' | 'observer' | 'none';
  async function access(q: Trx | Db, actor: Actor): Promise<Access> {
    if (actor.role === 'secretariat' || actor.role === 'auditor') return 'full';
    if (actor.role === 'observer') return 'observer';
    const state = speaksFor(actor);
    if (state && (await states.participation(state, q)).status === 'participating') return 'full';
    return 'none';
  }

  async function mayRead(q: Trx | Db, actor: Actor, row: ProposalRow): Promise<boolean> {
    const a = await access(q, actor);
    return a === 'full' || (a === 'observer' && row.kind.startsWith('observer-'));
  }

  async function view(q: Trx | Db, actor: Actor, row: ProposalRow): Promise<ProposalView> {
    const a = await access(q, actor);
    const full = a === 'full';
    const aboutObservers = row.kind.startsWith('observer-');
    const detailed = full || (a === 'observer' && aboutObservers);
    const details = row.payload as Record<string, unknown>;
    let positions: ProposalView['positions'] = null;
    let current: ProposalView['tally'] = null;
    if (full) {
      const votes = await governanceDb(q).selectFrom('governance_votes').selectAll().where('proposal_id', '=', row.id).orderBy('state_code').execute();
      const own = speaksFor(actor);
      positions = [];
      for (const v of votes) {
        let explanation: string | null = null;
        if (v.explanation && v.key_id && own === v.state_code) {
          explanation = openString(await keys.keyById(q, v.key_id), v.explanation, voteLoc(row.id, v.state_code));
        }
        positions.push({ state: v.state_code, position: v.position, castAt: new Date(v.cast_at).toISOString(), explanation });
      }
      current = tally(row.electorate, new Map(votes.map((v) => [v.state_code, v.position])));
    }
    let contact: unknown = undefined;
    if (row.sealed_payload && (actor.role === 'secretariat' || (row.proposer_state !== null && speaksFor(actor) === row.proposer_state))) {
      contact = JSON.parse(openString(observerContactKey, row.sealed_payload, proposalLoc(row.id)));
    }
    const decision = row.decision as { outcome: 'adopted' | 'rejected'; reason: string; tally: ProposalView['tally'] } | null;
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      details: detailed ? (contact !== undefined ? { ...details, organization: { ...(details.organization as object), contact } } : details) : null,
      rule: detailed ? ruleSchema.parse(row.rule) : null,
      proposer: detailed ? { role: row.proposer_role, state: row.proposer_state } : null,
      electorate: full ? row.electorate : null,
      deadline: new Date(row.deadline).toISOString(),
      createdAt: new Date(row.created_at).toISOString(),
      decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
      decision: decision ? { outcome: decision.outcome, reason: decision.reason, tally: decision.tally! } : null,
      tally: current,
      positions,
    };
  }

  async function get(actor: Actor, id: string): Promise<ProposalView> {
    if ((await access(db, actor)) === 'none') throw forbidden('only participating states, the secretariat, auditors and observers read proposals');
    await sweep();
    const row = await load(db, id);
    // Observers see the outcome of every proposal, the details only of those about observers.
    if (!row) throw notFound('proposal');
    return view(db, actor, row);
  }

  async function list(actor: Actor, query: { status?: string | undefined; kind?: ProposalKind | undefined }): Promise<ProposalView[]> {
    if ((await access(db, actor)) === 'none') throw forbidden('only participating states, the secretariat, auditors and observers read proposals');
    await sweep();
    let q = gdb.selectFrom('governance_proposals').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(200);
    if (query.status) q = q.where('status', '=', query.status as ProposalRow['status']);
    if (query.kind) q = q.where('kind', '=', query.kind);
    const rows = (await q.execute()) as ProposalRow[];
    return Promise.all(rows.map((r) => view(db, actor, r)));
  }

  async function observers(actor: Actor) {
    const rows = await gdb.selectFrom('observer_organizations').selectAll().orderBy('name').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      category: r.category,
      status: r.status,
      accreditedAt: new Date(r.accredited_at).toISOString(),
      suspendedAt: r.suspended_at ? new Date(r.suspended_at).toISOString() : null,
      contact: actor.role === 'secretariat' ? (JSON.parse(openString(observerContactKey, r.contact, orgLoc(r.id))) as { name: string; email: string; phone?: string }) : null,
    }));
  }

  /**
   * Whether an observer organisation is accredited (the user registry admits
   * observer users, and their credentials, only then). With `lock`, inside a
   * transaction, the row is held (FOR SHARE) so that a suspension decided
   * concurrently waits for the registration and then applies to its user.
   */
  async function isAccredited(orgId: string, q: Queryable = db, lock = false): Promise<boolean> {
    const query = governanceDb(q).selectFrom('observer_organizations').select('status').where('id', '=', orgId);
    const row = await (lock ? query.forShare() : query).executeTakeFirst();
    return row?.status === 'accredited';
  }

  return { propose, vote, withdraw, sweep, get, list, settings, templateVersion, observers, isAccredited, freshnessDays, refreshSettings };
}

export interface ProposalView {
  id: string;
  kind: ProposalKind;
  status: 'open' | 'adopted' | 'rejected' | 'withdrawn';
  details: Record<string, unknown> | null;
  rule: Rule | null;
  proposer: { role: string; state: string | null } | null;
  electorate: string[] | null;
  deadline: string;
  createdAt: string;
  decidedAt: string | null;
  decision: { outcome: 'adopted' | 'rejected'; reason: string; tally: { support: number; object: number; abstain: number; electorate: number } } | null;
  tally: { support: number; object: number; abstain: number; electorate: number } | null;
  positions: { state: string; position: Position; castAt: string; explanation: string | null }[] | null;
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;
