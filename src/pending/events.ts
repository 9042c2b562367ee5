/** The ledger events of pending. Dual control: the state's policy, and each pending change proposed, approved, rejected or expired. */
export const PENDING_EVENTS = {
  policyChanged: 'state.policy-changed',
  proposed: 'change.proposed',
  approved: 'change.approved',
  rejected: 'change.rejected',
  expired: 'change.expired',
} as const;
