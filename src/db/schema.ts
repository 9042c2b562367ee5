/** Kysely table types. Kept in one place; each domain's queries import from here. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** bigint columns: pg returns strings, PGlite numbers; always convert with Number(). */
type BigIntColumn = ColumnType<string | number | bigint, number | bigint, number | bigint>;

export interface StatesTable {
  code: string;
  status: 'participating' | 'withdrawn';
  joined_at: Timestamp;
  withdrawn_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface StateKeysTable {
  id: string;
  state_code: string;
  kek_id: string | null;
  wrapped_key: Uint8Array | null;
  status: 'active' | 'retired' | 'destroyed';
  created_at: Timestamp;
  destroyed_at: Timestamp | null;
}

export interface ContactsTable {
  id: string;
  state_code: string;
  key_id: string;
  domains: string[];
  name: Uint8Array;
  title: Uint8Array;
  rank: Uint8Array;
  organization: Uint8Array;
  email: Uint8Array;
  phone: Uint8Array;
  languages: Uint8Array;
  timezone: Uint8Array;
  availability: Uint8Array;
  public_key: Uint8Array | null;
  notes: Uint8Array | null;
  email_bidx: Uint8Array;
  version: number;
  visibility: 'confidential' | 'public';
  verification_status: 'pending' | 'verified' | 'rejected';
  verified_at: Timestamp | null;
  verification_note: Uint8Array | null;
  confirmed_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChecksTable {
  id: string;
  exercise: boolean;
  domains: string[];
  created_by: string;
  created_at: Timestamp;
  closes_at: Timestamp;
}

export interface CheckTargetsTable {
  id: string;
  check_id: string;
  state_code: string;
  contact_id: string | null;
  challenge_hash: Uint8Array;
  sent_at: Timestamp;
  acknowledged_at: Timestamp | null;
}

export interface DisclosureGrantsTable {
  owner_state: string;
  /** A state code, or '*' for every participating state. */
  counterpart: string;
  mode: 'unilateral' | 'reciprocal';
  domains: string[];
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RequestsTable {
  id: string;
  sender_state: string;
  recipient_state: string;
  domain: string;
  type: string;
  urgency: 'routine' | 'priority' | 'urgent';
  tlp: string;
  language: string;
  key_id: string | null;
  subject: Uint8Array | null;
  incident_summary: Uint8Array | null;
  ask: Uint8Array | null;
  respond_by: Timestamp | null;
  relates_to: string | null;
  exercise: boolean;
  status: 'sent' | 'acknowledged' | 'responded' | 'declined' | 'closed' | 'withdrawn' | 'expired';
  escalation_level: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  acknowledged_at: Timestamp | null;
  responded_at: Timestamp | null;
  closed_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  expired_at: Timestamp | null;
}

export interface RequestResponsesTable {
  id: string;
  request_id: string;
  decision: 'answer' | 'decline';
  key_id: string | null;
  body: Uint8Array | null;
  created_at: Timestamp;
}

export interface RequestDisclosureConsentsTable {
  request_id: string;
  party_state: string;
  audience: string;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  /** Hex SHA-256 of the caller's whole identity (issuer, subject, role, state); see src/idempotency/service.ts. */
  identity: string;
  key: string;
  scope: string;
  request_hash: Uint8Array;
  state_code: string | null;
  key_id: string | null;
  status_code: number | null;
  response: Uint8Array | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface LedgerEntriesTable {
  seq: BigIntColumn;
  type: string;
  parties: string[];
  canonical: string;
  leaf_hash: Uint8Array;
  created_at: Timestamp;
  /** The ledger_queue id this entry was integrated from (migration 0018); null for entries appended directly. */
  queue_id: ColumnType<string | number | null, string | number | null | undefined, never>;
}

export interface LedgerStateTable {
  id: number;
  size: BigIntColumn;
}

export interface WebhooksTable {
  id: string;
  state_code: string;
  key_id: string;
  /** Sealed under the state's data key. */
  url: Uint8Array;
  /** Sealed under the state's data key. */
  secret: Uint8Array;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NotificationOutboxTable {
  id: string;
  event_id: string;
  state_code: string;
  channel: 'webhook' | 'email';
  contact_id: string | null;
  type: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  key_id: string | null;
  /** Sealed under key_id while pending; null once finished. */
  payload: Uint8Array | null;
  attempts: number;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface UsersTable {
  id: string;
  issuer: string;
  identity_bidx: Uint8Array;
  subject: Uint8Array;
  display_name: Uint8Array;
  nomination_ref: Uint8Array | null;
  role: 'delegate' | 'authority' | 'secretariat' | 'auditor' | 'observer';
  state_code: string | null;
  /** Observers: their accredited organisation (observer_organizations, migration 0017); null for every other role. */
  organization_id: string | null;
  status: 'active' | 'deactivated';
  created_at: Timestamp;
  updated_at: Timestamp;
  deactivated_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  scopes: string[];
  secret_hash: Uint8Array;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface StatePoliciesTable {
  state_code: string;
  dual_control: boolean;
  updated_at: Timestamp;
}

export interface PendingChangesTable {
  id: string;
  state_code: string;
  action: string;
  target: string | null;
  proposer: string;
  proposer_role: string;
  key_id: string;
  content: Uint8Array;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  created_at: Timestamp;
  expires_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface Database {
  states: StatesTable;
  state_keys: StateKeysTable;
  contacts: ContactsTable;
  disclosure_grants: DisclosureGrantsTable;
  requests: RequestsTable;
  request_responses: RequestResponsesTable;
  request_disclosure_consents: RequestDisclosureConsentsTable;
  idempotency_keys: IdempotencyKeysTable;
  checks: ChecksTable;
  check_targets: CheckTargetsTable;
  ledger_entries: LedgerEntriesTable;
  ledger_state: LedgerStateTable;
  webhooks: WebhooksTable;
  notification_outbox: NotificationOutboxTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  state_policies: StatePoliciesTable;
  pending_changes: PendingChangesTable;
}

export type { Generated };
