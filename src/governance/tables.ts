/**
 * Kysely types of the governance tables (migration 0013), kept with the
 * domain and merged into the shared Database type with withTables().
 */
import type { ColumnType, Kysely } from 'kysely';
import type { Queryable } from '../db/index.ts';
import type { Database } from '../db/schema.ts';
import type { Position, ProposalKind } from './rules.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: written as a JSON string, read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export type { ProposalKind };
export type ProposalStatus = 'open' | 'adopted' | 'rejected' | 'withdrawn';

// Type aliases (not interfaces) so that they satisfy withTables' Record constraint.
export type GovernanceTables = {
  governance_proposals: {
    id: string;
    kind: ProposalKind;
    status: ProposalStatus;
    dedupe_key: string;
    payload: Json<Record<string, unknown>>;
    sealed_payload: Uint8Array | null;
    rule: Json<Record<string, unknown>>;
    electorate: string[];
    proposer_role: string;
    proposer_state: string | null;
    proposer_sub: string;
    deadline: Timestamp;
    created_at: Timestamp;
    decided_at: Timestamp | null;
    decision: Json<Record<string, unknown>> | null;
  };
  governance_votes: {
    proposal_id: string;
    state_code: string;
    position: Position;
    key_id: string | null;
    explanation: Uint8Array | null;
    cast_by: string;
    cast_at: Timestamp;
  };
  governance_rules: { kind: string; rule: Json<Record<string, unknown>>; proposal_id: string; updated_at: Timestamp };
  directory_settings: { name: string; value: Json<unknown>; proposal_id: string; updated_at: Timestamp };
  observer_organizations: {
    id: string;
    name: string;
    category: 'industry' | 'academia' | 'civil-society' | 'international-organization';
    contact: Uint8Array;
    status: 'accredited' | 'suspended';
    accredited_by: string;
    accredited_at: Timestamp;
    suspended_at: Timestamp | null;
  };
};

export type GovernanceDb = Kysely<Database & GovernanceTables>;

/** The same connection or transaction, typed with the governance tables. */
export function governanceDb(q: Queryable): GovernanceDb {
  return (q as Kysely<Database>).withTables<GovernanceTables>() as unknown as GovernanceDb;
}
