/**
 * Recomputes every governance outcome from ledger entries alone, pure: the
 * rule and electorate recorded when each proposal was made, each position
 * as cast, each state's withdrawal from the directory (which takes its vote
 * away), then the decision rule (rules.ts) at the recorded decision. Any
 * decision that differs, a vote from outside the electorate, a proposal that
 * did not use the rule the members had adopted for its kind, or an early
 * decision that the rule does not allow, is reported.
 */
import { GOVERNANCE_EVENTS, STATE_WITHDRAWN } from './events.ts';
import { decide, POSITIONS, ruleSchema, settlesEarly, tally, type Position, type Rule, type Tally } from './rules.ts';

/** The part of a ledger entry the recomputation reads (see src/ledger/entry.ts). */
export interface GovernanceEntry {
  index: number;
  type: string;
  at: string;
  subject: Record<string, string>;
  facts?: Record<string, unknown>;
}

export interface RecomputedProposal {
  proposal: string;
  kind: string;
  proposedAt: number;
  decidedAt: number | null;
  recorded: { outcome: string; tally: Tally } | null;
  recomputed: { outcome: string; tally: Tally; reason: string } | null;
  status: 'open' | 'withdrawn' | 'decided';
}

export interface GovernanceReport {
  proposals: RecomputedProposal[];
  decided: number;
  /** Each difference between what the ledger records and what the rules give. */
  problems: { index: number; proposal: string; message: string }[];
}

interface Open {
  kind: string;
  rule: Rule;
  electorate: Set<string>;
  positions: Map<string, Position>;
  proposedAt: number;
  deadline: number;
  lastVote: { position: Position } | null;
  result: RecomputedProposal;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function recomputeGovernance(entries: Iterable<GovernanceEntry>): GovernanceReport {
  const proposals = new Map<string, Open>();
  const adoptedRules = new Map<string, string>(); // kind -> canonical rule adopted by the members
  const problems: GovernanceReport['problems'] = [];
  const report: RecomputedProposal[] = [];
  const problem = (index: number, proposal: string, message: string) => problems.push({ index, proposal, message });
  // Facts of each proposal entry (a decision-rule adoption needs the rule it proposed).
  const proposalFacts = new Map<string, Record<string, unknown>>();

  for (const e of entries) {
    const facts = e.facts ?? {};
    const id = e.subject.proposal ?? '';
    switch (e.type) {
      case GOVERNANCE_EVENTS.proposed: {
        const rule = ruleSchema.safeParse(typeof facts.rule === 'string' ? safeJson(facts.rule) : undefined);
        if (!rule.success || !isStringArray(facts.electorate) || typeof facts.kind !== 'string' || typeof facts.deadline !== 'string') {
          problem(e.index, id, 'proposal entry lacks its kind, rule, electorate or deadline');
          break;
        }
        const adopted = adoptedRules.get(facts.kind);
        if (adopted !== undefined && adopted !== facts.rule) {
          problem(e.index, id, `proposal uses rule ${String(facts.rule)}, but the members adopted ${adopted} for ${facts.kind}`);
        }
        const result: RecomputedProposal = { proposal: id, kind: facts.kind, proposedAt: e.index, decidedAt: null, recorded: null, recomputed: null, status: 'open' };
        proposals.set(id, {
          kind: facts.kind,
          rule: rule.data,
          electorate: new Set(facts.electorate),
          positions: new Map(),
          proposedAt: e.index,
          deadline: Date.parse(facts.deadline),
          lastVote: null,
          result,
        });
        report.push(result);
        break;
      }
      case GOVERNANCE_EVENTS.voted: {
        const p = proposals.get(id);
        const state = facts.state;
        const position = facts.position as Position;
        if (!p || p.result.status !== 'open') {
          problem(e.index, id, 'vote on a proposal that is not open');
          break;
        }
        if (typeof state !== 'string' || !POSITIONS.includes(position)) {
          problem(e.index, id, 'vote entry lacks its state or position');
          break;
        }
        if (!p.electorate.has(state)) problem(e.index, id, `${state} voted but is not in the electorate`);
        if (Date.parse(e.at) >= p.deadline) problem(e.index, id, `${state} voted after the deadline`);
        p.positions.set(state, position);
        p.lastVote = { position };
        break;
      }
      case STATE_WITHDRAWN: {
        const state = e.subject.state;
        if (!state) break;
        for (const p of proposals.values()) {
          if (p.result.status !== 'open') continue;
          p.electorate.delete(state);
          p.positions.delete(state);
        }
        break;
      }
      case GOVERNANCE_EVENTS.withdrawn: {
        const p = proposals.get(id);
        if (!p || p.result.status !== 'open') problem(e.index, id, 'withdrawal of a proposal that is not open');
        else p.result.status = 'withdrawn';
        break;
      }
      case GOVERNANCE_EVENTS.decided: {
        const p = proposals.get(id);
        if (!p || p.result.status !== 'open') {
          problem(e.index, id, 'decision on a proposal that is not open');
          break;
        }
        const recorded = {
          outcome: String(facts.outcome),
          tally: { support: Number(facts.support), object: Number(facts.object), abstain: Number(facts.abstain), electorate: Number(facts.electorate) },
        };
        const electorate = [...p.electorate];
        const decision = decide(p.rule, tally(electorate, p.positions));
        p.result.status = 'decided';
        p.result.decidedAt = e.index;
        p.result.recorded = recorded;
        p.result.recomputed = { outcome: decision.outcome, tally: decision.tally, reason: decision.reason };
        const early = Date.parse(e.at) < p.deadline;
        if (early && !(p.lastVote && settlesEarly(p.rule, p.lastVote.position))) {
          problem(e.index, id, 'decided before the deadline without an objection that ends it');
        }
        if (recorded.outcome !== decision.outcome) problem(e.index, id, `recorded ${recorded.outcome}, the rule gives ${decision.outcome} (${decision.reason})`);
        for (const k of ['support', 'object', 'abstain', 'electorate'] as const) {
          if (recorded.tally[k] !== decision.tally[k]) problem(e.index, id, `recorded ${k} ${recorded.tally[k]}, recomputed ${decision.tally[k]}`);
        }
        if (decision.outcome === 'adopted' && p.kind === 'decision-rule') {
          const forKind = proposalFacts.get(id)?.forKind;
          const forRule = proposalFacts.get(id)?.forRule;
          if (typeof forKind === 'string' && typeof forRule === 'string') adoptedRules.set(forKind, forRule);
        }
        break;
      }
    }
    if (e.type === GOVERNANCE_EVENTS.proposed) proposalFacts.set(id, facts);
  }
  return { proposals: report, decided: report.filter((p) => p.status === 'decided').length, problems };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
