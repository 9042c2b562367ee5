/** The ledger events of states. A state joining and withdrawing from the directory. */
export const STATE_EVENTS = {
  joined: 'state.joined',
  withdrawn: 'state.withdrawn',
} as const;
