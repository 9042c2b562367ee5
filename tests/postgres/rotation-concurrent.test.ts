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

  it('state key rotation under concurrent sends: every request is sealed under the key that ends active, and reads back', async () => {
    const deu = h.token('delegate', 'DEU');
    const sent: { id: string; token: string; subject: string }[] = [];
    let finished = false;
    const rotation = h.service.services.rotation.rotateStateKey('FRA', { batchSize: 5 }).finally(() => {
      finished = true;
    });
    const sender = async (from: 'FRA' | 'DEU', token: string) => {
      for (let i = 0; !finished || i < 3; i++) {
        const subject = `${from} ${i} ${Math.random()}`;
        const payload = { to: from === 'FRA' ? 'DEU' : 'FRA', domain: 'technical', type: 'request-for-information', urgency: 'priority', subject, incidentSummary: 'Scanning.', ask: 'Advise.', tlp: 'AMBER', language: 'en' };
        const res = await h.request({ method: 'POST', url: '/v1/requests', token, payload });
        expect(res.statusCode).toBe(201);
        sent.push({ id: res.json().request.id, token, subject });
      }
    };
    await Promise.all([rotation, sender('FRA', fra), sender('FRA', fra), sender('DEU', deu), sender('DEU', deu)]);
    expect(sent.length).toBeGreaterThan(12);
    const stale = await h.sql<{ n: number }>(`select count(*)::int as n from requests r join state_keys k on k.id = r.key_id where k.status <> 'active'`);
    expect(stale[0]!.n).toBe(0);
    for (const r of sent) {
      const res = await h.request({ method: 'GET', url: `/v1/requests/${r.id}`, token: r.token });
      expect(res.statusCode).toBe(200);
      expect(res.json().subject).toBe(r.subject);
    }
  });

  it("a send and a new contact that wait for a rotation's lock use the key the rotation made active, not the one they read before waiting", async () => {
    const { keys } = h.service.services;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // The first step of a rotation, held open: FRA's participation locked, its key retired, a new one active.
    const rotation = h.database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('states').select('status').where('code', '=', 'FRA').forUpdate().execute();
      await trx.updateTable('state_keys').set({ status: 'retired' }).where('state_code', '=', 'FRA').where('status', '=', 'active').execute();
      const fresh = await keys.createStateKey(trx, 'FRA');
      locked();
      await gate;
      return fresh;
    });
    await holding;
    const payload = { to: 'DEU', domain: 'technical', type: 'request-for-information', urgency: 'priority', subject: 'During rotation', incidentSummary: 'Scanning.', ask: 'Advise.', tlp: 'AMBER', language: 'en' };
    const send = h.request({ method: 'POST', url: '/v1/requests', token: fra, payload });
    const contact = sampleContact();
    const create = h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: contact });
    // Both statements have started (their snapshots still show the old key) and wait for the lock.
    for (let i = 0; ; i++) {
      const waiting = await h.sql<{ n: number }>(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%for share of s, k%'`);
      if (waiting[0]!.n >= 2) break;
      if (i > 200) throw new Error('the send never waited for the lock');
      await new Promise((r) => setTimeout(r, 10));
    }
    release();
    const fresh = await rotation;
    const res = await send;
    expect(res.statusCode).toBe(201);
    const row = await h.sql<{ key_id: string }>(`select key_id from requests where id = '${res.json().request.id}'`);
    expect(row[0]!.key_id).toBe(fresh.id);
    expect((await h.request({ method: 'GET', url: `/v1/requests/${res.json().request.id}`, token: fra })).json().subject).toBe('During rotation');
    const created = await create;
    expect(created.statusCode).toBe(201);
    const id = created.json().contact.id;
    expect((await h.sql<{ key_id: string }>(`select key_id from contacts where id = '${id}'`))[0]!.key_id).toBe(fresh.id);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: fra })).json().email).toBe(contact.email);
    contacts.push({ id, email: contact.email });
    // Finish the rotation so the next tests see one active key and no retired one.
    await h.service.services.rotation.rotateStateKey('FRA', { batchSize: 50 });
  });

  it('a send whose recipient withdraws while the send waits to write: 409, and nothing of it is written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // A withdrawal's participation change, held open (the rest of a withdrawal does not matter here).
    const withdrawal = h.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('states').set({ status: 'withdrawn' }).where('code', '=', 'ITA').execute();
      locked();
      await gate;
    });
    await holding;
    const subject = `To a withdrawing state ${Math.random()}`;
    const payload = { to: 'ITA', domain: 'technical', type: 'request-for-information', urgency: 'priority', subject, incidentSummary: 'Scanning.', ask: 'Advise.', tlp: 'AMBER', language: 'en' };
    const requestsBefore = (await h.sql<{ n: number }>(`select count(*)::int as n from requests where recipient_state = 'ITA'`))[0]!.n;
    const send = h.request({ method: 'POST', url: '/v1/requests', token: fra, payload });
    for (let i = 0; ; i++) {
      const waiting = await h.sql<{ n: number }>(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%poc_change_guard%'`);
      if (waiting[0]!.n > 0) break;
      if (i > 200) throw new Error('the send never waited for the lock');
      await new Promise((r) => setTimeout(r, 10));
    }
    release();
    await withdrawal;
    try {
      const res = await send;
      expect(res.statusCode).toBe(409);
      expect((await h.sql<{ n: number }>(`select count(*)::int as n from requests where recipient_state = 'ITA'`))[0]!.n).toBe(requestsBefore);
      expect(await h.service.services.ledger.queued(h.database.db)).toBe(0);
    } finally {
      await h.sql(`update states set status = 'participating' where code = 'ITA'`);
    }
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
