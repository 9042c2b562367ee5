/**
 * Idempotency keys (the `Idempotency-Key` header) for state-changing calls.
 *
 * The key is claimed with an INSERT in the operation's own transaction: a
 * concurrent duplicate blocks on that row until the first transaction ends,
 * then either replays its stored result (committed) or claims the key itself
 * (rolled back), so concurrent duplicates produce exactly one effect. A
 * replay with the same body returns the original result and writes nothing;
 * the same key with a different body (or for another operation) is refused
 * with 422. Keys are kept per caller identity for `ttlHours`: the issuer,
 * subject, role and state of the token together, so a token that shares only
 * its `sub` with another never sees the other's results.
 * The stored result may hold confidential content, so it is sealed under the
 * caller's state data key. `run` is not an authorization step: callers run
 * the operation's own authorization checks first, in the same transaction, so
 * a replay is authorized exactly like the original call. A stored result whose
 * data key was destroyed (the state withdrew) is refused with a 409 problem.
 */
import type { Actor } from '../auth/actor.ts';
import type { Clock } from '../clock.ts';
import { constantTimeEqual, openString, seal, sha256, toHex, utf8, type Key } from '../crypto/index.ts';
import type { Trx } from '../db/index.ts';
import { Problem } from '../http/problem.ts';
import { KeyUnavailableError, type KeysService } from '../keys/service.ts';
import { canonicalJson } from '../ledger/entry.ts';

export interface Outcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The caller's whole identity, hashed: issuer, subject, role and state. */
export function identityOf(actor: Actor): string {
  return toHex(sha256(utf8(canonicalJson({ iss: actor.iss ?? null, sub: actor.sub, role: actor.role, state: actor.state }))));
}

export function createIdempotencyService({ clock, keys, ttlHours = 24 }: { clock: Clock; keys: KeysService; ttlHours?: number }) {
  const where = (identity: string, key: string) => ({ table: 'idempotency_keys', column: 'response', rowId: `${identity}\u0000${key}` });

  async function run<T>(
    trx: Trx,
    actor: Actor,
    key: string | undefined,
    scope: string,
    request: unknown,
    op: () => Promise<{ status: number; body: T }>,
  ): Promise<Outcome<T>> {
    if (key === undefined) return { ...(await op()), replayed: false };
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw new Problem('bad-request', 'Idempotency-Key must be 1-255 visible ASCII characters');
    const identity = identityOf(actor);
    const now = clock();
    const hash = sha256(utf8(canonicalJson({ scope, request })));
    await trx.deleteFrom('idempotency_keys').where('identity', '=', identity).where('key', '=', key).where('expires_at', '<', now).execute();
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({
        identity,
        key,
        scope,
        request_hash: hash,
        state_code: actor.state,
        created_at: now,
        expires_at: new Date(now.getTime() + ttlHours * 3_600_000),
      })
      .onConflict((oc) => oc.columns(['identity', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();

    if (!claimed) {
      const row = await trx.selectFrom('idempotency_keys').selectAll().where('identity', '=', identity).where('key', '=', key).executeTakeFirstOrThrow();
      if (row.scope !== scope || !constantTimeEqual(row.request_hash, hash)) {
        throw new Problem('idempotency-key-reused', 'this Idempotency-Key was used with a different request; use a new key for a new request');
      }
      if (!row.response || !row.key_id || !row.state_code || row.status_code === null) {
        throw new Problem('conflict', 'a request with this Idempotency-Key is still in progress; retry shortly');
      }
      let stored: Key;
      try {
        stored = await keys.keyById(trx, row.key_id);
      } catch (err) {
        if (!(err instanceof KeyUnavailableError)) throw err;
        throw new Problem('idempotency-result-unavailable', 'the result stored for this Idempotency-Key was sealed under a data key that has been destroyed (the state withdrew); use a new key');
      }
      const body = JSON.parse(openString(stored, row.response, where(identity, key))) as T;
      return { status: row.status_code, body, replayed: true };
    }

    const result = await op();
    let sealedWith: Key | undefined;
    if (actor.state) sealedWith = await keys.activeKey(trx, actor.state);
    if (sealedWith) {
      await trx
        .updateTable('idempotency_keys')
        .set({ status_code: result.status, key_id: sealedWith.id, response: seal(sealedWith, JSON.stringify(result.body), where(identity, key)) })
        .where('identity', '=', identity)
        .where('key', '=', key)
        .execute();
    }
    return { ...result, replayed: false };
  }

  /** Key rotation: re-seals stored results of a state under `to`. */
  async function reencrypt(trx: Trx, state: string, to: Key, limit: number): Promise<number> {
    const rows = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('state_code', '=', state)
      .where('key_id', 'is not', null)
      .where('key_id', '!=', to.id)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const row of rows) {
      const from = await keys.keyById(trx, row.key_id!);
      const plain = openString(from, row.response!, where(row.identity, row.key));
      await trx
        .updateTable('idempotency_keys')
        .set({ key_id: to.id, response: seal(to, plain, where(row.identity, row.key)) })
        .where('identity', '=', row.identity)
        .where('key', '=', row.key)
        .execute();
    }
    return rows.length;
  }

  /** Drops expired keys (called by the maintenance loop). */
  async function purgeExpired(trx: Trx): Promise<number> {
    const rows = await trx.deleteFrom('idempotency_keys').where('expires_at', '<', clock()).returning('key').execute();
    return rows.length;
  }

  return { run, reencrypt, purgeExpired };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
