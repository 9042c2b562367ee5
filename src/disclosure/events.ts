/** The ledger events of disclosure. Grants of one state to another, and changes of what a reciprocal grant effectively opens. */
export const DISCLOSURE_EVENTS = {
  granted: 'disclosure.granted',
  revoked: 'disclosure.revoked',
  effectChanged: 'disclosure.effect-changed',
} as const;
