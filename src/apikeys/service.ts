/**
 * API keys for machine clients. A key is `pocdir_` + 256 random bits
 * (base64url); only its SHA-256 is stored, and it is looked up by that hash
 * on every request (no cache: a revocation or a deactivation of its user
 * bites on the next request, on every instance, and so does the suspension
 * of an observer's organisation). A key acts as the user who
 * made it, within its scopes; its last use is recorded at most once a minute.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { API_KEY_PREFIX } from '../auth/plugin.ts';
import type { Actor, ApiKeyScope, Role } from '../auth/actor.ts';
import { authorize, permits } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { sha256, utf8 } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import { conflict, forbidden, notFound, Problem } from '../http/problem.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import type { UsersService } from '../users/service.ts';
import { APIKEY_EVENTS } from './events.ts';

export const MAX_KEY_LIFETIME_DAYS = 366;
const LAST_USE_RESOLUTION_MS = 60_000;

export interface ApiKeyView {
  id: string;
  userId: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function createApiKeysService({ db, clock, ledger, users }: { db: Db; clock: Clock; ledger: LedgerService; users: UsersService }) {
  const hashOf = (secret: string) => sha256(utf8(secret));
  const view = (r: { id: string; user_id: string; name: string; scopes: string[]; created_at: Date | string; expires_at: Date | string; revoked_at: Date | string | null; last_used_at: Date | string | null }): ApiKeyView => ({
    id: r.id,
    userId: r.user_id,
    name: r.name,
    scopes: r.scopes as ApiKeyScope[],
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at)!,
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
  });

  async function create(actor: Actor, input: { name: string; scopes: ApiKeyScope[]; expiresAt: string }): Promise<{ apiKey: ApiKeyView; secret: string; receipt: Receipt }> {
    authorize(actor, 'apikeys.create');
    const now = clock();
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt <= now || expiresAt.getTime() - now.getTime() > MAX_KEY_LIFETIME_DAYS * 86_400_000 - 86_400_000) {
      throw new Problem('validation-error', 'expiresAt must be in the future and at most one year away', { errors: [{ path: 'body.expiresAt', message: 'at most one year from now' }] });
    }
    return ledger.change(db, async (trx) => {
      const user = await users.activeUserOf(trx, actor);
      if (!user) throw forbidden('API keys belong to registered users: ask your authority or the secretariat to register you (POST /v1/users)');
      const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const row = {
        id: randomUUID(),
        user_id: user.id,
        name: input.name,
        scopes: [...new Set(input.scopes)].sort(),
        secret_hash: hashOf(secret),
        created_at: now,
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
      };
      await trx.insertInto('api_keys').values(row).execute();
      const receipt = await ledger.append(trx, {
        type: APIKEY_EVENTS.created,
        actor,
        parties: user.state ? [user.state] : [],
        subject: { apiKey: row.id, user: user.id },
        facts: { scopes: row.scopes, expiresAt: expiresAt.toISOString() },
      });
      return { apiKey: view(row), secret, receipt };
    });
  }

  const withOwner = () =>
    db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .select(['api_keys.id', 'api_keys.user_id', 'api_keys.name', 'api_keys.scopes', 'api_keys.created_at', 'api_keys.expires_at', 'api_keys.revoked_at', 'api_keys.last_used_at', 'users.state_code']);

  /** Own keys; an authority also its state's users' keys; the secretariat every key. */
  async function list(actor: Actor): Promise<ApiKeyView[]> {
    const me = await users.activeUserOf(db, actor);
    let query = withOwner().orderBy('api_keys.created_at').limit(1000);
    if (actor.role === 'authority' && actor.state) query = query.where((eb) => eb.or([eb('users.state_code', '=', actor.state), eb('api_keys.user_id', '=', me?.id ?? null)]));
    else if (actor.role !== 'secretariat') {
      if (!me) return [];
      query = query.where('api_keys.user_id', '=', me.id);
    }
    const rows = await query.execute();
    return rows.filter((r) => permits(actor, 'apikeys.read', { apiKey: { ownerState: r.state_code, own: r.user_id === me?.id } })).map(view);
  }

  async function revoke(actor: Actor, id: string): Promise<{ apiKey: ApiKeyView; receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
      const me = await users.activeUserOf(trx, actor);
      const row = await trx
        .selectFrom('api_keys')
        .innerJoin('users', 'users.id', 'api_keys.user_id')
        .selectAll('api_keys')
        .select('users.state_code')
        .where('api_keys.id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      const resource = row ? { apiKey: { ownerState: row.state_code, own: row.user_id === me?.id } } : {};
      if (!row || !permits(actor, 'apikeys.read', resource)) throw notFound('API key');
      authorize(actor, 'apikeys.revoke', resource);
      if (row.revoked_at) throw conflict('the API key is already revoked');
      const now = clock();
      await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
      const receipt = await ledger.append(trx, {
        type: APIKEY_EVENTS.revoked,
        actor,
        parties: row.state_code ? [row.state_code] : [],
        subject: { apiKey: id, user: row.user_id },
      });
      return { apiKey: view({ ...row, revoked_at: now }), receipt };
    });
  }

  /**
   * The actor a presented key acts as: looked up by its hash (no cache), null
   * when unknown, revoked, expired or its user deactivated.
   */
  async function resolve(secret: string): Promise<Actor | null> {
    if (!/^pocdir_[A-Za-z0-9_-]{43}$/.test(secret)) return null;
    const row = await db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .select(['api_keys.id', 'api_keys.scopes', 'api_keys.expires_at', 'api_keys.revoked_at', 'api_keys.last_used_at', 'users.id as user_id', 'users.role', 'users.state_code', 'users.issuer', 'users.status', 'users.organization_id'])
      .where('api_keys.secret_hash', '=', hashOf(secret))
      .executeTakeFirst();
    const now = clock();
    if (!row || row.revoked_at || new Date(row.expires_at) <= now || row.status !== 'active') return null;
    // An observer's key stops with its organisation's suspension (the registry's rule, as for tokens).
    if (!(await users.admitted(row.role, row.organization_id))) return null;
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= LAST_USE_RESOLUTION_MS) {
      await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return { sub: `user:${row.user_id}`, iss: row.issuer, role: row.role as Role, state: row.state_code, userId: row.user_id, apiKeyId: row.id, scopes: row.scopes as ApiKeyScope[] };
  }

  return { create, list, revoke, resolve };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
