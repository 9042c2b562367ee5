/** The ledger events of keys. Key rotation: the master key, a state's data key, and the destruction of a retired data key. */
export const KEY_EVENTS = {
  masterRotated: 'keys.master-rotated',
  stateKeyRotated: 'state.key-rotated',
  stateKeyDestroyed: 'state.key-retired-destroyed',
} as const;
