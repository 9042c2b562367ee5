/**
 * Test harness: a complete service (same buildApp as production) on a fresh,
 * migrated database of the backend this project runs (PGlite or PostgreSQL),
 * plus token minting and captured logs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createSigner } from 'fast-jwt';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '../src/auth/actor.ts';
import type { Clock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { fromBase64, keyFromBytes, seal } from '../src/crypto/index.ts';
import { indexKey, type Keyring } from '../src/crypto/keyring.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';
import { startService, type Service } from '../src/server.ts';

export const backend = (process.env.TEST_BACKEND ?? 'pglite') as 'pglite' | 'postgres';
export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface Harness {
  app: FastifyInstance;
  service: Service;
  database: DatabaseHandle;
  /** Raw SQL on the same database, for assertions on what is stored. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  logs: string[];
  /**
   * A signed token for a new subject with this role (and state). In registry
   * mode (AUTH_MODE=registry) the subject is also registered with that role
   * before the next request() runs, so tests read the same in both modes
   * (an observer as a user of the harness's accredited organisation, see
   * observerOrganization()).
   */
  token(role: Role, state?: string, extra?: Record<string, unknown>): string;
  /**
   * The id of an accredited observer organisation for the observers token()
   * registers: a fixture written as an adopted accreditation would leave it
   * (proposal and organisation rows, contact sealed), without ledger entries.
   * Tests of accreditation itself go through the governance flow instead.
   */
  observerOrganization(): Promise<string>;
  /** The trust mode the service runs in. */
  authMode: 'claims' | 'registry';
  /** Resolves once the users of every token minted so far are registered (registry mode). */
  settled(): Promise<void>;
  request(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  /** Connection URL of the test database (postgres backend only). */
  url: string | undefined;
  masterKey: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  clock?: Clock;
}

async function freshDatabase(): Promise<{ handle: DatabaseHandle; url?: string; cleanup: () => Promise<void> }> {
  if (backend === 'pglite') {
    const root = mkdtempSync(path.join(tmpdir(), 'poc-test-'));
    const dir = path.join(root, 'db');
    cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    return { handle, cleanup: async () => rmSync(root, { recursive: true, force: true }) };
  }
  const adminUrl = inject('postgresAdminUrl');
  const template = inject('postgresTemplateDb');
  const name = `${template}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 10 });
  return {
    handle,
    url,
    cleanup: async () => {
      // Without FORCE: the pool's sockets may still be closing; wait for them rather than kill them.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`drop database if exists ${name}`);
          break;
        } catch (err) {
          if (attempt >= 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await admin.end();
    },
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const { handle, url, cleanup } = await freshDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-data-'));
  const masterKey = randomBytes(32).toString('base64');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET,
    POC_MASTER_KEY: masterKey,
    POC_INDEX_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '100000',
    SLA_SWEEP_MS: '3600000',
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const service = await startService(config, createLogger(config.LOG_LEVEL, sink), { database: handle, ...(opts.clock ? { clock: opts.clock } : {}) });
  await service.app.ready();
  const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 });
  const SYSTEM = { sub: 'system:test-harness', role: 'secretariat' as const, state: null };
  let registered: Promise<unknown> = Promise.resolve();
  let fixtureOrganization: Promise<string> | undefined;
  const raw = (text: string, params: unknown[]) => handle.db.executeQuery(CompiledQuery.raw(text, params));
  async function createObserverOrganization(): Promise<string> {
    const proposal = randomUUID();
    const id = randomUUID();
    const organization = { name: `Harness Observers ${id.slice(0, 8)}`, category: 'academia' };
    await raw(
      `insert into governance_proposals (id, kind, status, dedupe_key, payload, rule, electorate, proposer_role, proposer_sub, deadline, created_at, decided_at, decision)
       values ($1, 'observer-accreditation', 'adopted', $2, $3::jsonb, '{"type":"consensus"}'::jsonb, '{}'::text[], 'secretariat', 'system:test-harness', now(), now(), now(), $4::jsonb)`,
      [proposal, organization.name.toLowerCase(), JSON.stringify({ organization }), JSON.stringify({ outcome: 'adopted', reason: 'test fixture', tally: { support: 0, object: 0, abstain: 0, electorate: 0 } })],
    );
    const contactKey = keyFromBytes(indexKey({ indexRoot: fromBase64(config.POC_INDEX_KEY!) } as Keyring, 'seal:governance.observer-contacts'));
    const contact = seal(contactKey, JSON.stringify({ name: 'Harness Contact', email: 'contact@observers.example.org' }), { table: 'observer_organizations', column: 'contact', rowId: id });
    await raw(`insert into observer_organizations (id, name, category, contact, status, accredited_by, accredited_at) values ($1, $2, 'academia', $3, 'accredited', $4, now())`, [id, organization.name, contact, proposal]);
    return id;
  }
  const harness: Harness = {
    app: service.app,
    service,
    database: handle,
    url,
    masterKey,
    logs,
    async sql<T>(text: string, params: unknown[] = []) {
      const result = await handle.db.executeQuery<T>(CompiledQuery.raw(text, params));
      return result.rows;
    },
    observerOrganization: () => (fixtureOrganization ??= createObserverOrganization()),
    authMode: config.AUTH_MODE,
    async settled() {
      await registered;
    },
    token(role, state, extra = {}) {
      const sub = `${role}-${state ?? 'x'}-${randomUUID().slice(0, 8)}`;
      if (config.AUTH_MODE === 'registry' && !('sub' in extra)) {
        const input = { subject: sub, role, ...(state ? { state } : {}), displayName: `Test ${role}` };
        registered = registered.then(async () =>
          service.services.users.register(SYSTEM, role === 'observer' ? { ...input, organizationId: await harness.observerOrganization() } : input),
        );
      }
      return sign({ sub, role, ...(state ? { state } : {}), ...extra });
    },
    async request({ token, headers, ...rest }) {
      await registered;
      return service.app.inject({ ...rest, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    },
    async close() {
      await service.close();
      await cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function sampleContact(overrides: Record<string, unknown> = {}) {
  return {
    domains: ['technical'],
    name: 'Jeanne Dupont-Łukasiewicz',
    title: 'Head of National CERT',
    rank: 'director',
    organization: 'Agence nationale de la sécurité',
    email: `jeanne.${randomUUID().slice(0, 8)}@cert.example.fr`,
    phone: '+33123456789',
    languages: ['fr', 'en'],
    timezone: 'Europe/Paris',
    availability: '24/7',
    notes: 'Prefers Signal for urgent calls',
    ...overrides,
  };
}
