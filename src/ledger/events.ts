/**
 * Every type of ledger entry, gathered from the domains' own `events.ts`.
 * An append names one of these (LedgerEventType), never a loose string, and
 * the list is what docs/ledger.md's table of entry types is checked against.
 */
import { APIKEY_EVENTS } from '../apikeys/events.ts';
import { CHECK_EVENTS } from '../checks/events.ts';
import { CONTACT_EVENTS } from '../contacts/events.ts';
import { DISCLOSURE_EVENTS } from '../disclosure/events.ts';
import { EXPORT_EVENTS } from '../exports/events.ts';
import { GOVERNANCE_EVENTS } from '../governance/events.ts';
import { KEY_EVENTS } from '../keys/events.ts';
import { WEBHOOK_EVENTS } from '../notifications/events.ts';
import { PENDING_EVENTS } from '../pending/events.ts';
import { REQUEST_EVENTS } from '../requests/events.ts';
import { STATE_EVENTS } from '../states/events.ts';
import { USER_EVENTS } from '../users/events.ts';

export const LEDGER_EVENTS = {
  apikeys: APIKEY_EVENTS,
  checks: CHECK_EVENTS,
  contacts: CONTACT_EVENTS,
  disclosure: DISCLOSURE_EVENTS,
  exports: EXPORT_EVENTS,
  governance: GOVERNANCE_EVENTS,
  keys: KEY_EVENTS,
  notifications: WEBHOOK_EVENTS,
  pending: PENDING_EVENTS,
  requests: REQUEST_EVENTS,
  states: STATE_EVENTS,
  users: USER_EVENTS,
} as const;

type Values<T> = T[keyof T];
export type LedgerEventType = Values<{ [D in keyof typeof LEDGER_EVENTS]: Values<(typeof LEDGER_EVENTS)[D]> }>;

/** Every entry type, once each (a type shared by two domains would be a bug: the test says so). */
export const LEDGER_EVENT_TYPES: readonly LedgerEventType[] = Object.values(LEDGER_EVENTS).flatMap((d) => Object.values(d) as LedgerEventType[]);
