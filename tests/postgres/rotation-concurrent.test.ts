import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startService } from '../../src/server.ts';
import { JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';

// Real PostgreSQL: rotations run while readers keep reading; no read fails or sees a wrong value.
let h: Harness;
let fra: string;
const contacts: { id: string; email: string }[] = [];
beforeAll(async () => {
  h = await startHarness();
  fra = h.token('delegate', 'FRA');
  await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
  for (const s of ['DEU', 'ITA', 'ESP', 'NLD', 'BEL']) await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: h.token('delegate', s) });
  for (let i = 0; i < 150; i++) {
    const body = sampleContact();
    const res = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: body });
    contacts.push({ id: res.json().contact.id, email: body.email });
  }
}, 120_000);
afterAll(() => h?.close());

async function readWhile(work: Promise<unknown>, app = h.app): Promise<{ reads: number; failures: string[] }> {
  let finished = false;
  const done = work.finally(() => {
    finished = true;
  });
  const failures: string[] = [];
  let reads = 0;
  const reader = async () => {
    for (let i = 0; !finished || i === 0; i++) {
      const c = contacts[(reads + i * 7) % contacts.length]!;
      const res = await app.inject({ method: 'GET', url: `/v1/contacts/${c.id}`, headers: { authorization: `Bearer ${fra}` } });
      reads++;
      if (res.statusCode !== 200 || res.json().email !== c.email) failures.push(`${c.id}: ${res.statusCode}`);
    }
  };
  await Promise.all([done, reader(), reader(), reader(), reader()]);
  return { reads, failures };
}

describe('rotation under concurrent reads (real PostgreSQL)', () => {
  it('state key rotation: every concurrent read succeeds', async () => {
    const { reads, failures } = await readWhile(h.service.services.rotation.rotateStateKey('FRA', { batchSize: 10 }));
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(contacts.length / 10);
    const keys = await h.sql<{ status: string }>(`select status from state_keys where state_code = 'FRA' order by created_at`);
    expect(keys.map((k) => k.status)).toEqual(['destroyed', 'active']);
  });

  it('master key rotation by a second instance: every concurrent read on the first succeeds', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'poc-rot-')),
      JWT_SECRET,
      POC_INDEX_KEY: randomBytes(32).toString('base64'),
      POC_MASTER_KEY: randomBytes(32).toString('base64'),
      POC_MASTER_KEY_PREVIOUS: h.masterKey,
      LOG_LEVEL: 'silent',
      DATABASE_URL: h.url!,
    });
    const second = await startService(config, createLogger('silent'));
    try {
      // Reads go through the rotating instance, which starts with no unwrapped key cached.
      const { failures } = await readWhile(second.services.rotation.rotateMaster(), second.app);
      expect(failures).toEqual([]);
      const keks = await h.sql<{ kek_id: string }>(`select distinct kek_id from state_keys where status <> 'destroyed'`);
      expect(keks).toHaveLength(1);
      expect(Number((await h.sql<{ n: number }>(`select count(*)::int as n from state_keys where status <> 'destroyed'`))[0]!.n)).toBe(6);
    } finally {
      await second.close();
    }
  });
});
