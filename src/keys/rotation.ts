/**
 * Key rotation without downtime, resumable at any point.
 *
 * Master key: every live data key is re-wrapped under the current master key,
 * one row per transaction; older master keys stay accepted (POC_MASTER_KEY_PREVIOUS)
 * until no row needs them, so every contact stays readable throughout.
 *
 * State data key: a new key becomes active (the old one 'retired', still
 * usable for reading), everything sealed under the retired key is re-sealed
 * batch by batch by the registered re-encryptors, and the retired key is
 * destroyed once nothing uses it. Running the command again after an
 * interruption resumes where it stopped.
 */
import type { Actor } from '../auth/actor.ts';
import { unwrapKey, wrapKey, type Key } from '../crypto/index.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { Db, Trx } from '../db/index.ts';
import { conflict } from '../http/problem.ts';
import type { LedgerService } from '../ledger/service.ts';
import type { KeysService } from './service.ts';
import { KEY_EVENTS } from './events.ts';

/** Re-seals up to `limit` items of `state` not yet under `to`; returns how many it re-sealed. */
export type Reencryptor = (trx: Trx, state: string, to: Key, limit: number) => Promise<number>;

export const SYSTEM_ACTOR: Actor = { role: 'secretariat', sub: 'system:key-rotation', state: null };

export interface RotationProgress {
  rewrapped?: number;
  reencrypted?: number;
  destroyedKeys?: string[];
  done: boolean;
}

export function createRotationService({ db, keyring, keys, ledger }: { db: Db; keyring: Keyring; keys: KeysService; ledger: LedgerService }) {
  const reencryptors: Reencryptor[] = [];
  const register = (r: Reencryptor) => reencryptors.push(r);
  const previous = new Map(keyring.previousMasters.map((k) => [k.id, k]));

  /** Re-wraps every live data key under the current master key. `maxRows` bounds the work (to resume later). */
  async function rotateMaster(opts: { maxRows?: number; onProgress?: (rewrapped: number) => void } = {}): Promise<RotationProgress> {
    let rewrapped = 0;
    for (;;) {
      if (opts.maxRows !== undefined && rewrapped >= opts.maxRows) return { rewrapped, done: false };
      const moved = await ledger.change(db, async (trx) => {
        const row = await trx
          .selectFrom('state_keys')
          .select(['id', 'kek_id', 'wrapped_key'])
          .where('status', '!=', 'destroyed')
          .where('kek_id', '!=', keyring.master.id)
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return false;
        const kek = previous.get(row.kek_id!);
        if (!kek) throw new Error(`data key ${row.id} is wrapped under master key ${row.kek_id}, which is not configured (set POC_MASTER_KEY_PREVIOUS)`);
        const dataKey = unwrapKey(kek, row.id, row.wrapped_key!);
        await trx.updateTable('state_keys').set({ kek_id: keyring.master.id, wrapped_key: wrapKey(keyring.master, dataKey) }).where('id', '=', row.id).execute();
        return true;
      });
      if (!moved) break;
      rewrapped++;
      opts.onProgress?.(rewrapped);
    }
    if (rewrapped > 0) {
      await ledger.change(db, (trx) =>
        ledger.append(trx, { type: KEY_EVENTS.masterRotated, actor: SYSTEM_ACTOR, parties: [], subject: { kek: keyring.master.id }, facts: { rewrapped } }),
      );
    }
    return { rewrapped, done: true };
  }

  /** Starts (or resumes) the rotation of a state's data key. `maxBatches` bounds the work (to resume later). */
  async function rotateStateKey(
    state: string,
    opts: { batchSize?: number; maxBatches?: number; onProgress?: (reencrypted: number) => void } = {},
  ): Promise<RotationProgress & { keyId: string }> {
    const batchSize = opts.batchSize ?? 200;
    const active = await ledger.change(db, async (trx) => {
      const st = await trx.selectFrom('states').select('status').where('code', '=', state).forUpdate().executeTakeFirst();
      if (st?.status !== 'participating') throw conflict(`${state} is not participating`);
      const retired = await trx.selectFrom('state_keys').select('id').where('state_code', '=', state).where('status', '=', 'retired').executeTakeFirst();
      if (retired) return keys.activeKey(trx, state); // an interrupted rotation: resume it
      const old = await keys.activeKey(trx, state);
      await trx.updateTable('state_keys').set({ status: 'retired' }).where('id', '=', old.id).execute();
      const fresh = await keys.createStateKey(trx, state);
      await ledger.append(trx, {
        type: KEY_EVENTS.stateKeyRotated,
        actor: SYSTEM_ACTOR,
        parties: [state],
        subject: { state },
        facts: { newKey: fresh.id, retiredKey: old.id },
      });
      return fresh;
    });

    let reencrypted = 0;
    for (let batch = 0; ; batch++) {
      if (opts.maxBatches !== undefined && batch >= opts.maxBatches) return { keyId: active.id, reencrypted, done: false };
      const n = await ledger.change(db, async (trx) => {
        let total = 0;
        for (const r of reencryptors) total += await r(trx, state, active, batchSize);
        return total;
      });
      reencrypted += n;
      if (n === 0) break;
      opts.onProgress?.(reencrypted);
    }

    const destroyedKeys = await ledger.change(db, async (trx) => {
      const retired = await trx.selectFrom('state_keys').select('id').where('state_code', '=', state).where('status', '=', 'retired').forUpdate().execute();
      const destroyed = await keys.destroyKeys(trx, retired.map((r) => r.id));
      if (destroyed.length > 0) {
        await ledger.append(trx, { type: KEY_EVENTS.stateKeyDestroyed, actor: SYSTEM_ACTOR, parties: [state], subject: { state }, facts: { destroyedKeys: destroyed, reencrypted } });
      }
      return destroyed;
    });
    return { keyId: active.id, reencrypted, destroyedKeys, done: true };
  }

  return { register, rotateMaster, rotateStateKey };
}

export type RotationService = ReturnType<typeof createRotationService>;
