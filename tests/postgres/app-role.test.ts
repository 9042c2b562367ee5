/**
 * The service runs as the least-privilege role of docker-compose.yml: the
 * grants of scripts/db/app-grants.sql are enough to serve (ready, writes with
 * their ledger entries), and the role cannot rewrite the ledger or migrate.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { pgErrorCode } from '../../src/db/index.ts';
import { createLogger } from '../../src/logger.ts';
import { startService, type Service } from '../../src/server.ts';
import { JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';
import { createSigner } from 'fast-jwt';

const role = `poc_app_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
let h: Harness; // the owner's view: migrated database
let service: Service; // the service, connected as the application role
let appClient: pg.Client;
const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-role-'));
const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 600_000 });

beforeAll(async () => {
  h = await startHarness();
  const db = (await h.sql<{ db: string }>('select current_database() as db'))[0]!.db;
  await h.sql(`create role ${role} login`);
  await h.sql(`grant connect on database ${db} to ${role}`);
  // The grants file as psql would run it, with :"app_role" substituted.
  const grants = readFileSync('scripts/db/app-grants.sql', 'utf8').replaceAll(':"app_role"', `"${role}"`);
  for (const statement of grants.replace(/--.*$/gm, '').split(';').map((s) => s.trim()).filter(Boolean)) await h.sql(statement);

  const url = new URL(h.url!);
  url.username = role;
  appClient = new pg.Client({ connectionString: url.toString() });
  await appClient.connect();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: url.toString(),
    JWT_SECRET,
    POC_MASTER_KEY: h.masterKey,
    POC_INDEX_KEY: Buffer.alloc(32, 9).toString('base64'),
    NOTIFY_POLL_MS: '0',
  });
  service = await startService(config, createLogger('silent'));
  await service.app.ready();
});
afterAll(async () => {
  await service?.close();
  await appClient?.end();
  if (h) {
    await h.sql(`drop owned by ${role}`);
    await h.sql(`drop role if exists ${role}`);
    await h.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function refusal(sql: string): Promise<string | undefined> {
  try {
    await appClient.query(sql);
    return undefined;
  } catch (err) {
    return pgErrorCode(err);
  }
}

describe('the application role of docker-compose.yml (scripts/db/app-grants.sql)', () => {
  it('is enough to start, be ready, and change state with ledger entries', async () => {
    const inject = (opts: InjectOptions) => service.app.inject(opts);
    expect((await inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const token = sign({ sub: 'role-test', role: 'delegate', state: 'FRA' });
    const join = await inject({ method: 'PUT', url: '/v1/states/FRA/participation', headers: { authorization: `Bearer ${token}` } });
    expect(join.statusCode).toBeLessThan(300);
    const created = await inject({ method: 'POST', url: '/v1/states/FRA/contacts', headers: { authorization: `Bearer ${token}` }, payload: sampleContact() });
    expect(created.statusCode).toBe(201);
    expect(created.json().receipt.index).toBeGreaterThanOrEqual(1);
  });

  it('cannot rewrite the ledger, record a migration, or change the schema', async () => {
    const PRIVILEGE = '42501';
    expect(await refusal(`update ledger_entries set type = 'x'`)).toBe(PRIVILEGE);
    expect(await refusal(`delete from ledger_checkpoints`)).toBe(PRIVILEGE);
    expect(await refusal(`truncate contacts`)).toBe(PRIVILEGE);
    expect(await refusal(`delete from kysely_migration`)).toBe(PRIVILEGE);
    expect(await refusal(`create table intruder (id int)`)).toBe(PRIVILEGE);
    expect(await refusal(`alter table contacts disable trigger all`)).toBe('42501');
  });
});
