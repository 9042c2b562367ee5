/**
 * Decision rules, pure: given a rule, the electorate and the positions cast,
 * the outcome. Used by the service at the deadline and by governance:verify
 * to recompute every outcome from the ledger alone, so both must agree.
 *
 *   consensus           adopted if at least one state supports and none objects
 *   silence             adopted unless at least one state objects (breaks silence)
 *   qualified-majority  support / (support + object) >= threshold, and at least
 *                       `quorum` states voted (abstentions count towards the quorum)
 *   threshold           at least `minStates` states support
 *
 * Only the positions of states still in the electorate count: a state that
 * withdrew after the proposal was made keeps no vote.
 */
import { z } from 'zod';

export const PROPOSAL_KINDS = ['observer-accreditation', 'observer-suspension', 'freshness-period', 'template-version', 'decision-rule'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const POSITIONS = ['support', 'object', 'abstain'] as const;
export type Position = (typeof POSITIONS)[number];

/** Thresholds are compared exactly, to a millionth: 0.7 of 10 votes is 7. */
const SCALE = 1_000_000;

export const ruleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('consensus') }).strict(),
  z.object({ type: z.literal('silence') }).strict(),
  z
    .object({
      type: z.literal('qualified-majority'),
      threshold: z
        .number()
        .gt(0, 'threshold must be above 0')
        .lte(1, 'threshold must be at most 1')
        .refine((t) => Math.abs(t * SCALE - Math.round(t * SCALE)) < 1e-6, 'threshold has at most 6 decimals'),
      quorum: z.number().int().min(0).max(10_000),
    })
    .strict(),
  z.object({ type: z.literal('threshold'), minStates: z.number().int().min(1).max(10_000) }).strict(),
]);
export type Rule = z.infer<typeof ruleSchema>;

export interface Tally {
  support: number;
  object: number;
  abstain: number;
  /** States that may vote at decision time. */
  electorate: number;
}

export type Outcome = 'adopted' | 'rejected';

export interface Decision {
  outcome: Outcome;
  tally: Tally;
  /** Why, in a few words (stable strings, recorded in the ledger). */
  reason: string;
}

/** Counts the positions of the states that are still in the electorate. */
export function tally(electorate: readonly string[], positions: ReadonlyMap<string, Position>): Tally {
  const t: Tally = { support: 0, object: 0, abstain: 0, electorate: electorate.length };
  for (const state of electorate) {
    const p = positions.get(state);
    if (p) t[p] += 1;
  }
  return t;
}

/** The outcome at the deadline. */
export function decide(rule: Rule, t: Tally): Decision {
  switch (rule.type) {
    case 'consensus':
      if (t.object > 0) return { outcome: 'rejected', tally: t, reason: 'objection' };
      if (t.support === 0) return { outcome: 'rejected', tally: t, reason: 'no support' };
      return { outcome: 'adopted', tally: t, reason: 'consensus' };
    case 'silence':
      return t.object > 0 ? { outcome: 'rejected', tally: t, reason: 'silence broken' } : { outcome: 'adopted', tally: t, reason: 'silence kept' };
    case 'qualified-majority': {
      const voting = t.support + t.object + t.abstain;
      if (voting < rule.quorum) return { outcome: 'rejected', tally: t, reason: 'quorum not reached' };
      const cast = t.support + t.object;
      if (cast === 0) return { outcome: 'rejected', tally: t, reason: 'no votes for or against' };
      const met = t.support * SCALE >= Math.round(rule.threshold * SCALE) * cast;
      return met ? { outcome: 'adopted', tally: t, reason: 'threshold met' } : { outcome: 'rejected', tally: t, reason: 'threshold not met' };
    }
    case 'threshold':
      return t.support >= rule.minStates
        ? { outcome: 'adopted', tally: t, reason: 'enough states support' }
        : { outcome: 'rejected', tally: t, reason: 'too few states support' };
  }
}

/**
 * Whether a vote just cast settles the outcome before the deadline: under
 * the silence procedure, an objection ends it at once.
 */
export function settlesEarly(rule: Rule, position: Position): boolean {
  return rule.type === 'silence' && position === 'object';
}

/** A rule that can never be met by the given electorate is refused when proposed. */
export function ruleProblem(rule: Rule, electorateSize: number): { path: string; message: string } | null {
  if (rule.type === 'qualified-majority' && rule.quorum > electorateSize) {
    return { path: 'quorum', message: `quorum ${rule.quorum} is above the electorate (${electorateSize} participating states)` };
  }
  if (rule.type === 'threshold' && rule.minStates > electorateSize) {
    return { path: 'minStates', message: `minStates ${rule.minStates} is above the electorate (${electorateSize} participating states)` };
  }
  return null;
}
