/** SQL for contacts. Rows carry ciphertexts; decryption happens in the service. */
import { CompiledQuery, sql, type Selectable } from 'kysely';
import { insertValues, runStatement, type Queryable } from '../db/index.ts';
import type { ContactsTable } from '../db/schema.ts';
import type { FusedEntry } from '../ledger/service.ts';
import { keysUnchangedGuard } from '../keys/service.ts';

export type ContactRow = Selectable<ContactsTable>;
export type ContactRowWithKey = ContactRow & { kek_id: string | null; wrapped_key: Uint8Array | null };

function withKey(q: Queryable) {
  return q
    .selectFrom('contacts')
    .innerJoin('state_keys', 'state_keys.id', 'contacts.key_id')
    .innerJoin('states', 'states.code', 'contacts.state_code')
    .selectAll('contacts')
    .select(['state_keys.kek_id', 'state_keys.wrapped_key'])
    .where('states.status', '=', 'participating');
}

/** The hot read path's query, compiled once (Kysely otherwise rebuilds and compiles it per call, ~50 µs). */
const ID_SLOT = '00000000-0000-0000-0000-00000000beef';
let findByIdCompiled: CompiledQuery<ContactRowWithKey> | undefined;

export async function findById(q: Queryable, id: string, lock = false): Promise<ContactRowWithKey | undefined> {
  if (lock) return withKey(q).where('contacts.id', '=', id).forUpdate('contacts').executeTakeFirst();
  findByIdCompiled ??= withKey(q).where('contacts.id', '=', ID_SLOT).compile();
  const compiled = findByIdCompiled;
  const result = await q.executeQuery<ContactRowWithKey>({ ...compiled, parameters: compiled.parameters.map((p) => (p === ID_SLOT ? id : p)) });
  return result.rows[0];
}

/** A contact as a reader fetches it: the row, its wrapped key, and (when they matter) the grants deciding access. */
export type ContactReadRow = ContactRowWithKey & { grants: unknown[] | null };

/**
 * The read path in one statement, compiled once: the contact of a
 * participating state with its wrapped key and, for a delegate of another
 * state ($2) reading a confidential contact, the grants between the two
 * states (an empty list when the reader's state does not participate; null
 * when grants cannot matter). `grantsSql(owner, viewer)` is the disclosure
 * domain's SQL for those grants.
 *
 * The row comes back as ONE json column (row_to_json) rather than 27 typed
 * ones: node-postgres rebuilds its per-column parsers from the row
 * description on every execution (`addFields`, about 19 µs a read with 27
 * columns, 12 % of the read path's CPU), and one JSON.parse is cheaper than
 * 27 column parsers. readRow() turns bytea (hex text) and timestamps back into
 * the types the other queries return.
 */
export function readStatement(grantsSql: (owner: string, viewer: string) => string): string {
  return `select row_to_json(r) as row from (
    select c.*, k.kek_id, k.wrapped_key,
    case when $2::text is null or c.visibility = 'public' or c.state_code = $2::text then null
         when (select s.status from states s where s.code = $2::text) is distinct from 'participating' then '[]'::json
         else ${grantsSql('c.state_code', '$2::text')} end as grants
    from contacts c
    join state_keys k on k.id = c.key_id
    join states st on st.code = c.state_code
    where c.id = $1::uuid and st.status = 'participating') r`;
}

const BYTEA_COLUMNS = ['name', 'title', 'rank', 'organization', 'email', 'phone', 'languages', 'timezone', 'availability', 'public_key', 'notes', 'email_bidx', 'verification_note', 'wrapped_key'] as const;
const TIMESTAMP_COLUMNS = ['verified_at', 'confirmed_at', 'created_at', 'updated_at'] as const;

/** A contacts row as row_to_json renders it, with bytea and timestamps converted back. */
function readRow(json: Record<string, unknown>): ContactReadRow {
  for (const column of BYTEA_COLUMNS) {
    const v = json[column];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' || !v.startsWith('\\x')) throw new Error(`contacts.${column}: expected bytea as hex text`);
    json[column] = Buffer.from(v.slice(2), 'hex');
  }
  for (const column of TIMESTAMP_COLUMNS) {
    const v = json[column];
    if (typeof v === 'string') json[column] = new Date(v);
  }
  return json as unknown as ContactReadRow;
}

export async function findForReader(q: Queryable, statement: string, id: string, viewerState: string | null): Promise<ContactReadRow | undefined> {
  const result = await q.executeQuery<{ row: Record<string, unknown> | string }>(CompiledQuery.raw(statement, [id, viewerState]));
  const row = result.rows[0]?.row;
  if (row === undefined) return undefined;
  return readRow(typeof row === 'string' ? (JSON.parse(row) as Record<string, unknown>) : row);
}

export interface ListFilter {
  state: string;
  emailIndex?: Uint8Array | undefined;
  domain?: string | undefined;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export function listByState(q: Queryable, f: ListFilter): Promise<ContactRowWithKey[]> {
  let query = withKey(q).where('contacts.state_code', '=', f.state);
  if (f.emailIndex) query = query.where('contacts.email_bidx', '=', f.emailIndex);
  if (f.domain) query = query.where((eb) => eb(eb.val(f.domain), '=', eb.fn.any('contacts.domains')));
  if (f.after) {
    const { createdAt, id } = f.after;
    query = query.where((eb) =>
      eb.or([eb('contacts.created_at', '>', createdAt), eb.and([eb('contacts.created_at', '=', createdAt), eb('contacts.id', '>', id)])]),
    );
  }
  return query.orderBy('contacts.created_at').orderBy('contacts.id').limit(f.limit).execute();
}

/** Rows of a state sealed under another key than `keyId`, locked for re-encryption. */
export function listSealedUnderOtherKey(q: Queryable, state: string, keyId: string, limit: number): Promise<ContactRowWithKey[]> {
  return withKey(q).where('contacts.state_code', '=', state).where('contacts.key_id', '!=', keyId).orderBy('contacts.id').limit(limit).forUpdate('contacts').skipLocked().execute();
}

/** The contact and its ledger entry (ledger.fusedEntry) in one statement; returns the entry's ticket row. */
export async function insertWithEntry(
  q: Queryable,
  row: ContactRow,
  entry: Pick<FusedEntry, 'cteText' | 'ticketText'>,
  /** A one-statement change: the key the row was sealed under, checked in the same statement (keysUnchangedGuard). */
  guard?: { state: string; keyId: string },
): Promise<{ ledger_ticket: string }> {
  const params: unknown[] = [];
  const check = guard ? keysUnchangedGuard([guard], params) : undefined;
  const ctes = [...(check ? [check.cte] : []), entry.cteText(params)];
  const text = `with ${ctes.join(', ')} ${insertValues('contacts', [row as unknown as Record<string, unknown>], params)} returning ${entry.ticketText}${check ? `, ${check.column}` : ''}`;
  const [inserted] = await runStatement<{ ledger_ticket: string }>(q, text, params);
  if (!inserted) throw new Error('the contact insert returned no row');
  return inserted;
}

export async function update(q: Queryable, id: string, values: Partial<ContactRow>): Promise<void> {
  await q.updateTable('contacts').set(values).where('id', '=', id).execute();
}

export async function remove(q: Queryable, id: string): Promise<void> {
  await q.deleteFrom('contacts').where('id', '=', id).execute();
}

export async function removeAllOfState(q: Queryable, state: string): Promise<number> {
  const rows = await q.deleteFrom('contacts').where('state_code', '=', state).returning('id').execute();
  return rows.length;
}

export interface DirectoryFilter {
  /** Restrict to these owner states, or to public contacts of any state (both may apply: OR). */
  states: string[] | 'all';
  includePublic: boolean;
  after?: { state: string; createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Contacts of participating states in directory order (state, creation, id). */
export function listDirectory(q: Queryable, f: DirectoryFilter): Promise<ContactRowWithKey[]> {
  let query = withKey(q);
  if (f.states !== 'all') {
    const states = f.states;
    query = query.where((eb) => {
      const ors = [];
      if (states.length > 0) ors.push(eb('contacts.state_code', 'in', states));
      if (f.includePublic) ors.push(eb('contacts.visibility', '=', 'public'));
      return ors.length > 0 ? eb.or(ors) : eb.val(false);
    });
  }
  if (f.after) {
    const { state, createdAt, id } = f.after;
    query = query.where(sql<boolean>`(contacts.state_code, contacts.created_at, contacts.id) > (${state}, ${createdAt}, ${id}::uuid)`);
  }
  return query.orderBy('contacts.state_code').orderBy('contacts.created_at').orderBy('contacts.id').limit(f.limit).execute();
}
