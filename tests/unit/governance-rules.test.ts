/** Decision rules at their edges, and the recomputation from ledger entries, as tables. */
import { describe, expect, it } from 'vitest';
import { decide, ruleProblem, ruleSchema, settlesEarly, tally, type Position, type Rule } from '../../src/governance/rules.ts';
import { recomputeGovernance, type GovernanceEntry } from '../../src/governance/verify.ts';

const T = (support: number, object: number, abstain: number, electorate = 10) => ({ support, object, abstain, electorate });

describe('decide: each rule at its edges', () => {
  const cases: [string, Rule, ReturnType<typeof T>, 'adopted' | 'rejected', string][] = [
    ['consensus: one support, no objection', { type: 'consensus' }, T(1, 0, 0), 'adopted', 'consensus'],
    ['consensus: a single objection', { type: 'consensus' }, T(9, 1, 0), 'rejected', 'objection'],
    ['consensus: nobody supports', { type: 'consensus' }, T(0, 0, 3), 'rejected', 'no support'],
    ['silence: nobody speaks', { type: 'silence' }, T(0, 0, 0), 'adopted', 'silence kept'],
    ['silence: abstentions keep silence', { type: 'silence' }, T(0, 0, 4), 'adopted', 'silence kept'],
    ['silence: a single objection breaks it', { type: 'silence' }, T(9, 1, 0), 'rejected', 'silence broken'],
    ['qm 0.7: exactly the threshold (7 of 10)', { type: 'qualified-majority', threshold: 0.7, quorum: 5 }, T(7, 3, 0), 'adopted', 'threshold met'],
    ['qm 0.7: just below (6 of 9 = 0.667)', { type: 'qualified-majority', threshold: 0.7, quorum: 5 }, T(6, 3, 0), 'rejected', 'threshold not met'],
    ['qm 0.7: 0.7 of 3 needs 3 (2.1 rounds up)', { type: 'qualified-majority', threshold: 0.7, quorum: 1 }, T(2, 1, 0), 'rejected', 'threshold not met'],
    ['qm 0.5: a tie is exactly the threshold', { type: 'qualified-majority', threshold: 0.5, quorum: 2 }, T(2, 2, 0), 'adopted', 'threshold met'],
    ['qm 0.51: a tie falls short', { type: 'qualified-majority', threshold: 0.51, quorum: 2 }, T(2, 2, 0), 'rejected', 'threshold not met'],
    ['qm: quorum one short', { type: 'qualified-majority', threshold: 0.7, quorum: 5 }, T(3, 0, 1), 'rejected', 'quorum not reached'],
    ['qm: quorum exactly reached with an abstention', { type: 'qualified-majority', threshold: 0.7, quorum: 5 }, T(4, 0, 1), 'adopted', 'threshold met'],
    ['qm: only abstentions', { type: 'qualified-majority', threshold: 0.7, quorum: 2 }, T(0, 0, 5), 'rejected', 'no votes for or against'],
    ['qm 1: unanimity of votes cast', { type: 'qualified-majority', threshold: 1, quorum: 1 }, T(5, 0, 4), 'adopted', 'threshold met'],
    ['threshold 3: exactly 3 support', { type: 'threshold', minStates: 3 }, T(3, 5, 0), 'adopted', 'enough states support'],
    ['threshold 3: one short', { type: 'threshold', minStates: 3 }, T(2, 0, 0), 'rejected', 'too few states support'],
  ];
  it.each(cases)('%s', (_name, rule, t, outcome, reason) => {
    expect(decide(rule, t)).toEqual({ outcome, tally: t, reason });
  });

  it('counts only the positions of states in the electorate', () => {
    const positions = new Map<string, Position>([
      ['FRA', 'support'],
      ['KEN', 'object'],
      ['BRA', 'abstain'],
    ]);
    expect(tally(['FRA', 'BRA', 'DEU'], positions)).toEqual({ support: 1, object: 0, abstain: 1, electorate: 3 });
  });

  it('ends early only under silence, on an objection', () => {
    expect(settlesEarly({ type: 'silence' }, 'object')).toBe(true);
    expect(settlesEarly({ type: 'silence' }, 'support')).toBe(false);
    expect(settlesEarly({ type: 'consensus' }, 'object')).toBe(false);
  });

  it('refuses rules outside their bounds, naming the field', () => {
    const bad = (r: unknown) => ruleSchema.safeParse(r).error?.issues.map((i) => i.path.join('.'));
    expect(bad({ type: 'qualified-majority', threshold: 0, quorum: 1 })).toEqual(['threshold']);
    expect(bad({ type: 'qualified-majority', threshold: 1.01, quorum: 1 })).toEqual(['threshold']);
    expect(bad({ type: 'qualified-majority', threshold: 0.7 })).toEqual(['quorum']);
    expect(bad({ type: 'threshold', minStates: 0 })).toEqual(['minStates']);
    expect(bad({ type: 'majority' })).toEqual(['type']);
    expect(ruleProblem({ type: 'qualified-majority', threshold: 0.7, quorum: 4 }, 3)?.path).toBe('quorum');
    expect(ruleProblem({ type: 'qualified-majority', threshold: 0.7, quorum: 3 }, 3)).toBeNull();
    expect(ruleProblem({ type: 'threshold', minStates: 4 }, 3)?.path).toBe('minStates');
  });
});

describe('recomputeGovernance', () => {
  const deadline = '2030-01-02T00:00:00.000Z';
  const at = '2030-01-01T00:00:00.000Z';
  const proposed = (index: number, id: string, rule: Rule, electorate: string[], extra: Record<string, unknown> = {}): GovernanceEntry => ({
    index,
    type: 'governance.proposed',
    at,
    subject: { proposal: id },
    facts: { kind: 'freshness-period', deadline, rule: JSON.stringify(rule), electorate, ...extra },
  });
  const voted = (index: number, id: string, state: string, position: Position, when = at): GovernanceEntry => ({
    index,
    type: 'governance.voted',
    at: when,
    subject: { proposal: id },
    facts: { state, position },
  });
  const decided = (index: number, id: string, outcome: string, t: ReturnType<typeof T>, when = deadline): GovernanceEntry => ({
    index,
    type: 'governance.decided',
    at: when,
    subject: { proposal: id },
    facts: { kind: 'freshness-period', outcome, reason: 'x', ...t },
  });

  it('agrees with a correct history, including a state that withdrew mid-vote', () => {
    const r = recomputeGovernance([
      proposed(0, 'p', { type: 'consensus' }, ['FRA', 'KEN', 'BRA']),
      voted(1, 'p', 'FRA', 'support'),
      voted(2, 'p', 'KEN', 'object'),
      voted(3, 'p', 'KEN', 'abstain'), // a later vote replaces the earlier one
      voted(4, 'p', 'BRA', 'object'),
      { index: 5, type: 'state.withdrawn', at, subject: { state: 'BRA' } }, // BRA keeps no vote
      decided(6, 'p', 'adopted', T(1, 0, 1, 2)),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.proposals[0]).toMatchObject({ status: 'decided', recomputed: { outcome: 'adopted', tally: T(1, 0, 1, 2) } });
  });

  it('reports a recorded outcome or tally the rule does not give', () => {
    const r = recomputeGovernance([proposed(0, 'p', { type: 'consensus' }, ['FRA', 'KEN']), voted(1, 'p', 'FRA', 'support'), voted(2, 'p', 'KEN', 'object'), decided(3, 'p', 'adopted', T(1, 0, 0, 2))]);
    expect(r.problems.map((p) => p.message)).toEqual(['recorded adopted, the rule gives rejected (objection)', 'recorded object 0, recomputed 1']);
  });

  it('reports votes from outside the electorate, after the deadline, and early decisions the rule does not allow', () => {
    const r = recomputeGovernance([
      proposed(0, 'p', { type: 'consensus' }, ['FRA']),
      voted(1, 'p', 'KEN', 'support'),
      voted(2, 'p', 'FRA', 'support', '2030-01-03T00:00:00.000Z'),
      decided(3, 'p', 'adopted', T(1, 0, 0, 1), at),
    ]);
    expect(r.problems.map((p) => p.message)).toEqual([
      'KEN voted but is not in the electorate',
      'FRA voted after the deadline',
      'decided before the deadline without an objection that ends it',
    ]);
  });

  it('accepts an early decision after an objection under silence', () => {
    const r = recomputeGovernance([proposed(0, 'p', { type: 'silence' }, ['FRA', 'KEN']), voted(1, 'p', 'KEN', 'object'), decided(2, 'p', 'rejected', T(0, 1, 0, 2), at)]);
    expect(r.problems).toEqual([]);
  });

  it('checks that later proposals use the rule the members adopted', () => {
    const qm = { type: 'qualified-majority', threshold: 0.7, quorum: 1 } as const;
    const r = recomputeGovernance([
      { ...proposed(0, 'r', { type: 'consensus' }, ['FRA']), facts: { kind: 'decision-rule', deadline, rule: JSON.stringify({ type: 'consensus' }), electorate: ['FRA'], forKind: 'freshness-period', forRule: JSON.stringify(qm) } },
      voted(1, 'r', 'FRA', 'support'),
      { ...decided(2, 'r', 'adopted', T(1, 0, 0, 1)), facts: { kind: 'decision-rule', outcome: 'adopted', reason: 'consensus', ...T(1, 0, 0, 1) } },
      proposed(3, 'ok', qm, ['FRA']),
      proposed(4, 'stale', { type: 'consensus' }, ['FRA'], { kind: 'freshness-period' }),
    ]);
    expect(r.problems).toEqual([{ index: 4, proposal: 'stale', message: `proposal uses rule {"type":"consensus"}, but the members adopted ${JSON.stringify(qm)} for freshness-period` }]);
  });
});
