/**
 * The ledger events of governance. Their facts are enough to recompute every
 * outcome from the ledger alone (verify.ts): the rule and electorate fixed
 * when the proposal was made, each position, each withdrawal of a state, and
 * the decision with its tally.
 */
import { STATE_EVENTS } from '../states/events.ts';

export const GOVERNANCE_EVENTS = {
  proposed: 'governance.proposed',
  voted: 'governance.voted',
  withdrawn: 'governance.proposal-withdrawn',
  decided: 'governance.decided',
} as const;

/** Participation's own event, which takes a state's vote away. */
export const STATE_WITHDRAWN = STATE_EVENTS.withdrawn;
