import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startService, type Service } from '../../src/server.ts';
import { JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
let fra: string;
const contacts = new Map<string, string>(); // id -> email
beforeAll(async () => {
  h = await startHarness();
  fra = h.token('delegate', 'FRA');
  await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
  for (let i = 0; i < 25; i++) {
    const body = sampleContact();
    const res = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: body });
    contacts.set(res.json().contact.id, body.email);
  }
});
afterAll(() => h?.close());

/** Every contact reads back, with its value, through this app. */
async function allReadable(app: Service['app'] = h.app) {
  for (const [id, email] of contacts) {
    const res = await app.inject({ method: 'GET', url: `/v1/contacts/${id}`, headers: { authorization: `Bearer ${fra}` } });
    expect(res.statusCode, id).toBe(200);
    expect(res.json().email).toBe(email);
  }
}
const keyRows = () => h.sql<{ id: string; status: string; kek_id: string | null }>(`select id, status, kek_id from state_keys where state_code = 'FRA' order by created_at`);
const keyOf = async (id: string) => (await h.sql<{ key_id: string }>(`select key_id from contacts where id = $1`, [id]))[0]!.key_id;

/** A second service instance on the same database, with other master-key configuration. */
async function instance(env: Record<string, string>): Promise<Service> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'poc-rot-')), JWT_SECRET, POC_INDEX_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent', ...env });
  return startService(config, createLogger('silent'), { database: h.database });
}

describe('state data key rotation', () => {
  it('is resumable after an interruption and keeps every contact readable throughout', async () => {
    const [oldKey] = await keyRows();
    const { rotation } = h.service.services;
    const partial = await rotation.rotateStateKey('FRA', { batchSize: 10, maxBatches: 1 });
    expect(partial.done).toBe(false);
    expect(partial.reencrypted).toBe(10);
    const keys = await keyRows();
    expect(keys.map((k) => k.status)).toEqual(['retired', 'active']);
    await allReadable();

    // Writes during the rotation go under the new key.
    const body = sampleContact();
    const created = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: body });
    contacts.set(created.json().contact.id, body.email);
    expect(await keyOf(created.json().contact.id)).toBe(partial.keyId);

    // Resuming does not start another rotation: it finishes this one.
    const resumed = await rotation.rotateStateKey('FRA', { batchSize: 10 });
    expect(resumed).toMatchObject({ keyId: partial.keyId, reencrypted: 15, done: true, destroyedKeys: [oldKey!.id] });
    expect((await keyRows()).map((k) => k.status)).toEqual(['destroyed', 'active']);
    for (const id of contacts.keys()) expect(await keyOf(id)).toBe(partial.keyId);
    await allReadable();

    const types = (await h.sql<{ type: string }>(`select type from ledger_entries where 'FRA' = any(parties) order by seq`)).map((r) => r.type);
    expect(types.filter((t) => t.startsWith('state.key'))).toEqual(['state.key-rotated', 'state.key-retired-destroyed']);
  });

  it('re-seals pending changes (dual control): after the old key is shredded they are still listed with content and approvable', async () => {
    const authority = h.token('authority', 'FRA');
    const other = h.token('delegate', 'FRA');
    expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/policy', token: authority, payload: { dualControl: true } })).statusCode).toBe(200);
    const body = sampleContact();
    const proposed = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: body });
    expect(proposed.statusCode).toBe(202);
    const id = proposed.json().pendingChange.id as string;
    const [{ key_id: oldKey }] = (await h.sql<{ key_id: string }>('select key_id from pending_changes where id = $1', [id])) as [{ key_id: string }];

    const rotated = await h.service.services.rotation.rotateStateKey('FRA');
    expect(rotated).toMatchObject({ done: true, destroyedKeys: [oldKey] });
    expect((await h.sql<{ key_id: string }>('select key_id from pending_changes where id = $1', [id]))[0]!.key_id).toBe(rotated.keyId);

    const listed = await h.request({ method: 'GET', url: '/v1/states/FRA/pending-changes', token: other });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items.find((c: { id: string }) => c.id === id).content.input.email).toBe(body.email);
    const approved = await h.request({ method: 'POST', url: `/v1/pending-changes/${id}/approval`, token: other });
    expect(approved.statusCode, approved.body).toBe(200);
    contacts.set(approved.json().result.contact.id, body.email);
    await allReadable();
    expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/policy', token: authority, payload: { dualControl: false } })).statusCode).toBe(200);
  });
});

describe('master key rotation', () => {
  it('re-wraps every data key under the new master key; the old key is accepted until then, and not needed after', async () => {
    const oldMaster = h.masterKey;
    const newMaster = randomBytes(32).toString('base64');
    const both = await instance({ POC_MASTER_KEY: newMaster, POC_MASTER_KEY_PREVIOUS: oldMaster });
    try {
      const partial = await both.services.rotation.rotateMaster({ maxRows: 0 });
      expect(partial.done).toBe(false);
      await allReadable(both.app); // nothing re-wrapped yet: served through the previous key
      const done = await both.services.rotation.rotateMaster();
      expect(done).toMatchObject({ done: true, rewrapped: 1 });
      expect(new Set((await keyRows()).filter((k) => k.status !== 'destroyed').map((k) => k.kek_id)).size).toBe(1);
      await allReadable(both.app);
    } finally {
      await both.app.close();
    }
    const onlyNew = await instance({ POC_MASTER_KEY: newMaster });
    try {
      await allReadable(onlyNew.app);
    } finally {
      await onlyNew.app.close();
    }
    // The old key alone no longer opens anything: the service refuses to start rather than answer 500s.
    await expect(instance({ POC_MASTER_KEY: oldMaster })).rejects.toThrow(/does not open the data keys stored in the database/);
  });
});
