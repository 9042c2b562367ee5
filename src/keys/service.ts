/**
 * Per-state data keys (envelope encryption). Each participating state has one
 * active data key, stored only wrapped under the master key (KEK). Destroying
 * a state's keys (withdrawal) makes its ciphertexts unrecoverable.
 */
import { generateKey, unwrapKey, wrapKey, type Key } from '../crypto/index.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { Queryable, Trx } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import { sql } from 'kysely';

export class KeyUnavailableError extends Error {}

/** The configured master key(s) cannot open the data keys stored in the database: refuse to start. */
export class MasterKeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyMismatchError';
  }
}

/**
 * The guard of a one-statement change (see ledger.change's oneStatement):
 * a common table expression that locks (FOR SHARE) the participation of each
 * state and the key the change used for it, and a returned column that
 * aborts the statement (poc_change_guard, SQLSTATE PC001, migration 0019)
 * unless every state still participates with that key active. Evaluated
 * after the statement's writes, in the same statement: either all of it is
 * written under keys that were active when it committed, or none of it.
 * Parameters are appended to `params`.
 */
export function keysUnchangedGuard(pairs: readonly { state: string; keyId: string }[], params: unknown[]): { cte: string; column: string } {
  const conditions = pairs.map(({ state, keyId }) => {
    params.push(state, keyId);
    return `(s.code = $${params.length - 1}::text and k.id = $${params.length}::text)`;
  });
  return {
    cte: `keys_unchanged as (select s.code from states s join state_keys k on k.state_code = s.code and k.status = 'active'
      where s.status = 'participating' and (${conditions.join(' or ')}) for share of s, k)`,
    column: `(select poc_change_guard(count(*) = ${pairs.length}, 'participation or key changed since read') from keys_unchanged) as keys_unchanged`,
  };
}

export interface WrappedKeyRow {
  id: string;
  kek_id: string | null;
  wrapped_key: Uint8Array | null;
}

export function createKeysService({ keyring, clock }: { keyring: Keyring; clock: Clock }) {
  const keks = new Map<string, Key>([keyring.master, ...keyring.previousMasters].map((k) => [k.id, k]));
  /** Unwrapped data keys by id; only used after the database confirms the key is not destroyed. */
  const cache = new Map<string, Key>();
  const CACHE_MAX = 4096;

  function unwrap(row: WrappedKeyRow): Key {
    if (!row.wrapped_key || !row.kek_id) throw new KeyUnavailableError(`data key ${row.id} is destroyed`);
    const cached = cache.get(row.id);
    if (cached) return cached;
    const kek = keks.get(row.kek_id);
    if (!kek) throw new KeyUnavailableError(`data key ${row.id} is wrapped under unknown master key ${row.kek_id}`);
    const key = unwrapKey(kek, row.id, row.wrapped_key);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(row.id, key);
    return key;
  }

  async function createStateKey(trx: Trx, state: string): Promise<Key> {
    const key = generateKey();
    await trx
      .insertInto('state_keys')
      .values({
        id: key.id,
        state_code: state,
        kek_id: keyring.master.id,
        wrapped_key: wrapKey(keyring.master, key),
        status: 'active',
        created_at: clock(),
      })
      .execute();
    cache.set(key.id, key);
    return key;
  }

  async function activeKey(db: Queryable, state: string): Promise<Key> {
    const row = await db
      .selectFrom('state_keys')
      .select(['id', 'kek_id', 'wrapped_key'])
      .where('state_code', '=', state)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!row) throw new KeyUnavailableError(`state ${state} has no active data key`);
    return unwrap(row);
  }

  /**
   * The state's active key if it participates, in one statement.
   * - `lock: false`: read without a lock; a one-statement change checks it
   *   again when it writes (keysUnchangedGuard).
   * - `lock: true`: a transaction's usual start. It locks (shared) the
   *   participation row AND the active key row. Locking the key row is what
   *   makes the key safe to use although it is read in the locking statement:
   *   a rotation or withdrawal that changed it while this statement waited
   *   makes PostgreSQL re-check the locked rows, and nothing is returned.
   * Undefined then, or when the state does not participate: the caller falls
   * back to the lock, then activeKey() (a new snapshot), which decides and
   * reports the case.
   */
  async function participatingKey(q: Queryable, state: string, opts: { lock: boolean }): Promise<Key | undefined> {
    const { rows } = await sql<WrappedKeyRow>`
      select k.id, k.kek_id, k.wrapped_key
      from states s
      join state_keys k on k.state_code = s.code and k.status = 'active'
      where s.code = ${state} and s.status = 'participating'
      ${opts.lock ? sql`for share of s, k` : sql``}`.execute(q);
    return rows[0] ? unwrap(rows[0]) : undefined;
  }

  /** Crypto-shredding: the wrapped keys are erased; nothing can decrypt the state's data afterwards. */
  async function destroyStateKeys(trx: Trx, state: string): Promise<string[]> {
    const rows = await trx
      .updateTable('state_keys')
      .set({ wrapped_key: null, kek_id: null, status: 'destroyed', destroyed_at: clock() })
      .where('state_code', '=', state)
      .where('status', '!=', 'destroyed')
      .returning('id')
      .execute();
    for (const r of rows) cache.delete(r.id);
    return rows.map((r) => r.id);
  }

  /** A (possibly retired) data key by id; fails if it was destroyed. */
  async function keyById(db: Queryable, id: string): Promise<Key> {
    const row = await db.selectFrom('state_keys').select(['id', 'kek_id', 'wrapped_key']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new KeyUnavailableError(`no data key ${id}`);
    return unwrap(row);
  }

  /** Destroys the given keys (used when a rotation has moved everything off them). */
  async function destroyKeys(trx: Trx, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('state_keys')
      .set({ wrapped_key: null, kek_id: null, status: 'destroyed', destroyed_at: clock() })
      .where('id', 'in', ids)
      .where('status', '!=', 'destroyed')
      .returning('id')
      .execute();
    for (const r of rows) cache.delete(r.id);
    return rows.map((r) => r.id);
  }

  /**
   * Start-up canary: one live data key per master key id found in the
   * database must unwrap under the configured master keys. A wrong
   * POC_MASTER_KEY is then noticed at start, not as a 500 on every read.
   */
  async function verifyMasterKeys(db: Queryable): Promise<void> {
    const rows = await db
      .selectFrom('state_keys')
      .select(['id', 'kek_id', 'wrapped_key'])
      .where('wrapped_key', 'is not', null)
      .where('kek_id', 'is not', null)
      .distinctOn('kek_id')
      .orderBy('kek_id')
      .orderBy('id')
      .execute();
    const configured = [...keks.keys()].join(', ');
    for (const row of rows) {
      const kek = keks.get(row.kek_id!);
      let opens = false;
      if (kek) {
        try {
          unwrapKey(kek, row.id, row.wrapped_key!);
          opens = true;
        } catch {
          opens = false;
        }
      }
      if (!opens) {
        throw new MasterKeyMismatchError(
          `POC_MASTER_KEY does not open the data keys stored in the database (they are wrapped under master key ${row.kek_id}; the configured master key id is ${configured}): start with the right POC_MASTER_KEY, and the old one in POC_MASTER_KEY_PREVIOUS during a master-key rotation`,
        );
      }
    }
  }

  return { verifyMasterKeys, unwrap, createStateKey, activeKey, participatingKey, keyById, destroyStateKeys, destroyKeys };
}

export type KeysService = ReturnType<typeof createKeysService>;
