/**
 * The user registry: who may speak for a state, and in which role. Personal
 * fields (subject, display name, nomination reference) are sealed under the
 * directory's user key and bound to their row; the lookup on every request
 * goes through a keyed hash of (issuer, subject). Every registration, change
 * and deactivation is a ledger entry with ids and roles only (a commitment
 * stands for the personal data).
 *
 * Observers belong to an accredited observer organisation (governance): only
 * the secretariat registers them, each with the organisation's id, and their
 * credentials (tokens in registry mode, API keys) are refused from the first
 * request after the organisation is suspended.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { STATE_ROLES, type Actor, type Role } from '../auth/actor.ts';
import { authorize, permits, stateOf } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { blindIndex, constantTimeEqual, openString, seal, type Key } from '../crypto/index.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { pgErrorCode, UNIQUE_VIOLATION } from '../db/index.ts';
import type { UsersTable } from '../db/schema.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import { USER_EVENTS } from './events.ts';
import type { LedgerEventType } from '../ledger/events.ts';

export interface UserView {
  id: string;
  issuer: string;
  subject: string;
  role: Role;
  state: string | null;
  /** Observers: their accredited organisation; null for other roles. */
  organizationId: string | null;
  displayName: string;
  nominationRef: string | null;
  status: 'active' | 'deactivated';
  createdAt: string;
  updatedAt: string;
  deactivatedAt: string | null;
}

export interface NewUser {
  subject: string;
  issuer?: string | undefined;
  role: Role;
  state?: string | undefined;
  organizationId?: string | undefined;
  displayName: string;
  nominationRef?: string | undefined;
}

export interface UserPatch {
  role?: Role | undefined;
  state?: string | null | undefined;
  organizationId?: string | null | undefined;
  displayName?: string | undefined;
  nominationRef?: string | null | undefined;
}

type UserRow = Selectable<UsersTable>;

interface Deps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  /** Seals personal fields (derived from the index root; never stored). */
  sealKey: Key;
  /** Keys the (issuer, subject) lookup hash. */
  identityKey: Uint8Array;
  /** Issuer of users registered without one (JWT_ISSUER, or '' for tokens without `iss`). */
  defaultIssuer: string;
  /** Governance's answer to "is this observer organisation accredited?" (its table is not read here). */
  organizations: { isAccredited(orgId: string, q?: Queryable, lock?: boolean): Promise<boolean> };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function checkRoleState(role: Role, state: string | null | undefined): string | null {
  const needsState = STATE_ROLES.includes(role);
  if (needsState && !state) throw new Problem('validation-error', `a ${role} needs a state`, { errors: [{ path: 'body.state', message: `required for role ${role}` }] });
  if (!needsState && state) throw new Problem('validation-error', `a ${role} has no state`, { errors: [{ path: 'body.state', message: `must be absent for role ${role}` }] });
  return needsState ? state! : null;
}

/** Observers need an organisation, other roles must not carry one (400 naming body.organizationId). */
function checkRoleOrganization(role: Role, organizationId: string | null | undefined): string | null {
  const needs = role === 'observer';
  if (needs && !organizationId) throw new Problem('validation-error', 'an observer needs an accredited organisation', { errors: [{ path: 'body.organizationId', message: 'required for role observer' }] });
  if (!needs && organizationId) throw new Problem('validation-error', `a ${role} has no organisation`, { errors: [{ path: 'body.organizationId', message: `must be absent for role ${role}` }] });
  return needs ? organizationId! : null;
}

const notAccredited = () => new Problem('organization-not-accredited', 'organizationId is not an accredited observer organisation (unknown or suspended)');

export function createUsersService({ db, clock, ledger, sealKey, identityKey, defaultIssuer, organizations }: Deps) {
  const loc = (column: string, rowId: string) => ({ table: 'users', column, rowId });
  const identity = (issuer: string, subject: string) => blindIndex(identityKey, `${issuer}\n${subject}`);
  const issuerOf = (actor: Actor) => actor.iss ?? defaultIssuer;

  function view(row: UserRow): UserView {
    const o = (column: 'subject' | 'display_name' | 'nomination_ref', v: Uint8Array) => openString(sealKey, v, loc(column, row.id));
    return {
      id: row.id,
      issuer: row.issuer,
      subject: o('subject', row.subject),
      role: row.role,
      state: row.state_code,
      organizationId: row.organization_id,
      displayName: o('display_name', row.display_name),
      nominationRef: row.nomination_ref ? o('nomination_ref', row.nomination_ref) : null,
      status: row.status,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      deactivatedAt: iso(row.deactivated_at),
    };
  }

  /** Whether `actor` is the user of this row (registry actors by id, claims actors by identity). */
  const isSelf = (actor: Actor, row: UserRow) => (actor.userId ? actor.userId === row.id : constantTimeEqual(identity(issuerOf(actor), actor.sub), row.identity_bidx));
  const target = (actor: Actor, row: UserRow) => ({ id: row.id, role: row.role, state: row.state_code, organization: row.organization_id, self: isSelf(actor, row) });

  const load = (q: Queryable, id: string, lock = false) => {
    const query = q.selectFrom('users').selectAll().where('id', '=', id);
    return (lock ? query.forUpdate() : query).executeTakeFirst() as Promise<UserRow | undefined>;
  };

  /** The row the caller may see, or 404 (existence is not revealed to others). */
  async function visible(q: Queryable, actor: Actor, id: string, lock = false): Promise<UserRow> {
    const row = await load(q, id, lock);
    if (!row || !permits(actor, 'users.read', { user: target(actor, row) })) throw notFound('user');
    return row;
  }

  const record = (trx: Trx, actor: Actor, type: LedgerEventType, row: Pick<UserRow, 'id' | 'role' | 'state_code' | 'organization_id'>, facts: Record<string, string>, content?: unknown) =>
    ledger.append(trx, {
      type,
      actor,
      parties: row.state_code ? [row.state_code] : [],
      subject: { user: row.id },
      facts: { role: row.role, ...(row.state_code ? { state: row.state_code } : {}), ...(row.organization_id ? { organization: row.organization_id } : {}), ...facts },
      ...(content === undefined ? {} : { content }),
    });

  async function register(actor: Actor, input: NewUser): Promise<{ user: UserView; receipt: Receipt }> {
    const state = checkRoleState(input.role, input.state);
    const organization = checkRoleOrganization(input.role, input.organizationId);
    authorize(actor, 'users.create', { change: { role: input.role, state, organization } });
    const issuer = input.issuer ?? defaultIssuer;
    const id = randomUUID();
    const now = clock();
    const row: UserRow = {
      id,
      issuer,
      identity_bidx: identity(issuer, input.subject),
      subject: seal(sealKey, input.subject, loc('subject', id)),
      display_name: seal(sealKey, input.displayName, loc('display_name', id)),
      nomination_ref: input.nominationRef ? seal(sealKey, input.nominationRef, loc('nomination_ref', id)) : null,
      role: input.role,
      state_code: state,
      organization_id: organization,
      status: 'active',
      created_at: now,
      updated_at: now,
      deactivated_at: null,
    };
    try {
      return await ledger.change(db, async (trx) => {
        if (organization && !(await organizations.isAccredited(organization, trx, true))) throw notAccredited();
        await trx.insertInto('users').values(row).execute();
        const receipt = await record(trx, actor, USER_EVENTS.registered, row, {}, { issuer, subject: input.subject, displayName: input.displayName, nominationRef: input.nominationRef ?? null });
        return { user: view(row), receipt };
      });
    } catch (err) {
      if (pgErrorCode(err) === UNIQUE_VIOLATION) throw conflict('a user with this issuer and subject is already registered');
      throw err;
    }
  }

  async function list(actor: Actor, state: string | undefined): Promise<UserView[]> {
    // An authority lists its own state's users (without ?state= too).
    const scope = state ?? (actor.role === 'authority' ? (stateOf(actor) ?? undefined) : undefined);
    authorize(actor, 'users.list', { state: scope });
    let query = db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').limit(1000);
    if (scope) query = query.where('state_code', '=', scope);
    return ((await query.execute()) as UserRow[]).map(view);
  }

  async function get(actor: Actor, id: string): Promise<UserView> {
    return view(await visible(db, actor, id));
  }

  async function update(actor: Actor, id: string, patch: UserPatch): Promise<{ user: UserView; receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
      const row = await visible(trx, actor, id, true);
      if (row.status !== 'active') throw conflict('the user is deactivated');
      const role = patch.role ?? row.role;
      const roleChanged = patch.role !== undefined && patch.role !== row.role;
      const state = checkRoleState(role, patch.state === undefined ? (roleChanged && !STATE_ROLES.includes(role) ? null : row.state_code) : patch.state);
      const organization = checkRoleOrganization(role, patch.organizationId === undefined ? (role === 'observer' ? row.organization_id : null) : patch.organizationId);
      authorize(actor, 'users.update', { user: target(actor, row), change: { role, state, organization } });
      if (organization && organization !== row.organization_id && !(await organizations.isAccredited(organization, trx, true))) throw notAccredited();
      const now = clock();
      const values = {
        role,
        state_code: state,
        organization_id: organization,
        ...(patch.displayName !== undefined ? { display_name: seal(sealKey, patch.displayName, loc('display_name', id)) } : {}),
        ...(patch.nominationRef !== undefined ? { nomination_ref: patch.nominationRef === null ? null : seal(sealKey, patch.nominationRef, loc('nomination_ref', id)) } : {}),
        updated_at: now,
      };
      await trx.updateTable('users').set(values).where('id', '=', id).execute();
      const next = { ...row, ...values };
      const changed = Object.keys(patch)
        .filter((k) => patch[k as keyof UserPatch] !== undefined)
        .sort();
      const personal = patch.displayName !== undefined || patch.nominationRef !== undefined;
      const receipt = await record(
        trx,
        actor,
        role !== row.role || state !== row.state_code || organization !== row.organization_id ? USER_EVENTS.roleChanged : USER_EVENTS.updated,
        next,
        {
          previousRole: row.role,
          ...(row.state_code ? { previousState: row.state_code } : {}),
          ...(row.organization_id && row.organization_id !== organization ? { previousOrganization: row.organization_id } : {}),
          changed: changed.join(','),
        },
        personal ? { displayName: patch.displayName ?? null, nominationRef: patch.nominationRef ?? null } : undefined,
      );
      return { user: view(next), receipt };
    });
  }

  async function deactivate(actor: Actor, id: string): Promise<{ user: UserView; receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
      const row = await visible(trx, actor, id, true);
      authorize(actor, 'users.deactivate', { user: target(actor, row) });
      if (row.status === 'deactivated') throw conflict('the user is already deactivated');
      const now = clock();
      await trx.updateTable('users').set({ status: 'deactivated', deactivated_at: now, updated_at: now }).where('id', '=', id).execute();
      const receipt = await record(trx, actor, USER_EVENTS.deactivated, row, {});
      return { user: view({ ...row, status: 'deactivated', deactivated_at: now, updated_at: now }), receipt };
    });
  }

  /**
   * Registry mode: the actor a verified (issuer, subject) is, read from the
   * database on every request (one indexed lookup), so a deactivation or a
   * role change bites on the caller's next request on every instance.
   */
  async function resolve(issuer: string, subject: string): Promise<Actor | null> {
    const row = await db
      .selectFrom('users')
      .select(['id', 'role', 'state_code', 'organization_id'])
      .where('identity_bidx', '=', identity(issuer, subject))
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!row || !(await admitted(row.role, row.organization_id))) return null;
    return { sub: `user:${row.id}`, iss: issuer, role: row.role, state: row.state_code, userId: row.id };
  }

  /**
   * Whether an active user's credentials are admitted: always, except an
   * observer whose organisation is not (or no longer) accredited, read on
   * every request like the user's own status (one indexed lookup, observers only).
   */
  async function admitted(role: Role, organizationId: string | null): Promise<boolean> {
    if (role !== 'observer') return true;
    return organizationId !== null && (await organizations.isAccredited(organizationId));
  }

  /** The active registered user a caller is (registry actors carry it; claims actors are looked up by identity). */
  async function activeUserOf(q: Queryable, actor: Actor): Promise<{ id: string; role: Role; state: string | null } | null> {
    const query = q.selectFrom('users').select(['id', 'role', 'state_code']).where('status', '=', 'active');
    const row = await (actor.userId ? query.where('id', '=', actor.userId) : query.where('identity_bidx', '=', identity(issuerOf(actor), actor.sub))).executeTakeFirst();
    return row ? { id: row.id, role: row.role, state: row.state_code } : null;
  }

  /** A stable identity for "is this the same person": the registry id when registered, else issuer and subject. */
  async function identityOf(q: Queryable, actor: Actor): Promise<string> {
    const user = await activeUserOf(q, actor);
    return user ? `user:${user.id}` : `sub:${issuerOf(actor)}\n${actor.sub}`;
  }

  return { register, list, get, update, deactivate, resolve, admitted, activeUserOf, identityOf };
}

export type UsersService = ReturnType<typeof createUsersService>;
