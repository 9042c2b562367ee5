/** The ledger events of contacts. A contact's life: created, changed, deleted, its verification requested and confirmed. */
export const CONTACT_EVENTS = {
  created: 'contact.created',
  updated: 'contact.updated',
  deleted: 'contact.deleted',
  verification: 'contact.verification',
  confirmed: 'contact.confirmed',
} as const;
