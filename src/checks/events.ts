/** The ledger events of checks. Reachability checks (ping tests) started and acknowledged. */
export const CHECK_EVENTS = {
  started: 'check.started',
  acknowledged: 'check.acknowledged',
} as const;
