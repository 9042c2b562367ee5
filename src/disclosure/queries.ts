/** SQL for disclosure grants. */
import type { Selectable } from 'kysely';
import type { Queryable } from '../db/index.ts';
import type { DisclosureGrantsTable } from '../db/schema.ts';
import { EVERYONE, type Grant } from './rules.ts';

export type GrantRow = Selectable<DisclosureGrantsTable>;

export const toGrant = (r: GrantRow): Grant => ({ owner: r.owner_state, counterpart: r.counterpart, mode: r.mode, domains: r.domains });

/** Grants of participating owners that concern `state`: those it made and those made to it (or to everyone). */
export function grantsAround(q: Queryable, state: string): Promise<GrantRow[]> {
  return q
    .selectFrom('disclosure_grants')
    .innerJoin('states', 'states.code', 'disclosure_grants.owner_state')
    .selectAll('disclosure_grants')
    .where('states.status', '=', 'participating')
    .where((eb) => eb.or([eb('owner_state', '=', state), eb('counterpart', 'in', [state, EVERYONE])]))
    .orderBy('owner_state')
    .orderBy('counterpart')
    .execute();
}

export function findGrant(q: Queryable, owner: string, counterpart: string, lock = false): Promise<GrantRow | undefined> {
  const query = q.selectFrom('disclosure_grants').selectAll().where('owner_state', '=', owner).where('counterpart', '=', counterpart);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function upsertGrant(q: Queryable, row: GrantRow): Promise<void> {
  await q
    .insertInto('disclosure_grants')
    .values(row)
    .onConflict((oc) => oc.columns(['owner_state', 'counterpart']).doUpdateSet({ mode: row.mode, domains: row.domains, updated_at: row.updated_at }))
    .execute();
}

export async function deleteGrant(q: Queryable, owner: string, counterpart: string): Promise<void> {
  await q.deleteFrom('disclosure_grants').where('owner_state', '=', owner).where('counterpart', '=', counterpart).execute();
}

export async function deleteGrantsOf(q: Queryable, owner: string): Promise<string[]> {
  const rows = await q.deleteFrom('disclosure_grants').where('owner_state', '=', owner).returning('counterpart').execute();
  return rows.map((r) => r.counterpart);
}

export async function participatingStates(q: Queryable): Promise<string[]> {
  const rows = await q.selectFrom('states').select('code').where('status', '=', 'participating').execute();
  return rows.map((r) => r.code);
}

/** A grant as the read query returns it (json_build_array). */
export type GrantTuple = [owner: string, counterpart: string, mode: Grant['mode'], domains: string[]];

/**
 * SQL expression (text, for a statement compiled once) of the grants that
 * decide what `viewer` sees of `owner`'s contacts: the owner's grants to the
 * viewer or to everyone, and the viewer's grants back (for reciprocity), as a
 * json array of GrantTuple. Both arguments are SQL expressions; the caller
 * checks that both states participate.
 */
export function grantsBetweenSql(owner: string, viewer: string): string {
  return `(select coalesce(json_agg(json_build_array(g.owner_state, g.counterpart, g.mode, g.domains)), '[]'::json)
     from disclosure_grants g
     where (g.owner_state = ${owner} and g.counterpart in (${viewer}, '*'))
        or (g.owner_state = ${viewer} and g.counterpart in (${owner}, '*')))`;
}

export const tupleToGrant = ([owner, counterpart, mode, domains]: GrantTuple): Grant => ({ owner, counterpart, mode, domains });
