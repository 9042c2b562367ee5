/** The ledger events of users. The user registry: registration, changes of role or state, other changes, deactivation. */
export const USER_EVENTS = {
  registered: 'user.registered',
  roleChanged: 'user.role-changed',
  updated: 'user.updated',
  deactivated: 'user.deactivated',
} as const;
