/** Export keys (migration 0008): Kysely types kept with the domain, and its queries. */
import type { ColumnType, Kysely } from 'kysely';
import type { Queryable } from '../db/index.ts';
import type { Database } from '../db/schema.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

// A type alias (not an interface) so that it satisfies withTables' Record constraint.
export type ExportTables = {
  export_keys: { state_code: string; algorithm: 'X25519'; public_key: Uint8Array; registered_by: string; registered_at: Timestamp };
};

const exportsDb = (q: Queryable) => (q as Kysely<Database>).withTables<ExportTables>() as unknown as Kysely<Database & ExportTables>;

export interface ExportKeyRow {
  state_code: string;
  algorithm: 'X25519';
  public_key: Uint8Array;
  registered_by: string;
  registered_at: Date;
}

export async function findKey(q: Queryable, state: string): Promise<ExportKeyRow | undefined> {
  const row = await exportsDb(q).selectFrom('export_keys').selectAll().where('state_code', '=', state).executeTakeFirst();
  return row && { ...row, public_key: new Uint8Array(row.public_key) };
}

/** Registers or replaces the key; true when there was none before. */
export async function upsertKey(q: Queryable, row: ExportKeyRow): Promise<boolean> {
  const before = await exportsDb(q).selectFrom('export_keys').select('state_code').where('state_code', '=', row.state_code).forUpdate().executeTakeFirst();
  await exportsDb(q)
    .insertInto('export_keys')
    .values(row)
    .onConflict((oc) => oc.column('state_code').doUpdateSet({ algorithm: row.algorithm, public_key: row.public_key, registered_by: row.registered_by, registered_at: row.registered_at }))
    .execute();
  return !before;
}

export async function removeKey(q: Queryable, state: string): Promise<boolean> {
  const result = await exportsDb(q).deleteFrom('export_keys').where('state_code', '=', state).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
