/** The ledger events of requests. A communication request from sending to closing, its disclosure consents, expiry and escalation. */
export const REQUEST_EVENTS = {
  sent: 'request.sent',
  acknowledged: 'request.acknowledged',
  responded: 'request.responded',
  declined: 'request.declined',
  closed: 'request.closed',
  withdrawn: 'request.withdrawn',
  disclosureConsented: 'request.disclosure-consented',
  disclosed: 'request.disclosed',
  expired: 'request.expired',
  escalated: 'request.escalated',
} as const;
