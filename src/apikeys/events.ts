/** The ledger events of apikeys. API keys created and revoked. */
export const APIKEY_EVENTS = {
  created: 'apikey.created',
  revoked: 'apikey.revoked',
} as const;
