/** The ledger events of notifications. A state's webhook set or removed. */
export const WEBHOOK_EVENTS = {
  set: 'webhook.set',
  removed: 'webhook.removed',
} as const;
