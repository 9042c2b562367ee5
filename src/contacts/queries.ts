/** SQL for contacts. Rows carry ciphertexts; decryption happens in the service. */
import type { Selectable } from 'kysely';
import type { Queryable } from '../db/index.ts';
import type { ContactsTable } from '../db/schema.ts';

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

export function findById(q: Queryable, id: string, lock = false): Promise<ContactRowWithKey | undefined> {
  const query = withKey(q).where('contacts.id', '=', id);
  return (lock ? query.forUpdate('contacts') : query).executeTakeFirst();
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

export async function insert(q: Queryable, row: ContactRow): Promise<void> {
  await q.insertInto('contacts').values(row).execute();
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
