/**
 * Several service instances on one real PostgreSQL database, as in a
 * deployment with more than one process: the first is a normal Harness, the
 * others are full services (same buildApp) with their own connection pools
 * and the same keys. PostgreSQL backend only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';
import { startService, type Service } from '../src/server.ts';
import { JWT_SECRET, startHarness, type Harness, type HarnessOptions } from './harness.ts';

export interface Instance {
  service: Service;
  request(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
}

export interface Cluster {
  /** The first instance, with the harness helpers (tokens, raw SQL, url). */
  h: Harness;
  /** Every instance, the first included. */
  instances: Instance[];
  /** The keys every instance shares. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startCluster(count: number, opts: HarnessOptions = {}): Promise<Cluster> {
  const env = {
    POC_INDEX_KEY: randomBytes(32).toString('base64'),
    LEDGER_SIGNING_KEY: randomBytes(32).toString('base64'),
    EXPORT_SIGNING_KEY: randomBytes(32).toString('base64'),
    ...opts.env,
  };
  const h = await startHarness({ ...opts, env });
  if (!h.url) throw new Error('startCluster needs the postgres backend');
  const wrap = (service: Service): Instance => ({
    service,
    request: async ({ token, headers, ...rest }) => {
      await h.settled();
      return service.app.inject({ ...rest, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    },
  });
  const instances: Instance[] = [wrap(h.service)];
  const dirs: string[] = [];
  for (let i = 1; i < count; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'poc-instance-'));
    dirs.push(dir);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      JWT_SECRET,
      POC_MASTER_KEY: h.masterKey,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_MAX: '100000',
      ...env,
    });
    const database = await openDatabase({ kind: 'postgres', url: h.url, poolMax: 10 });
    const service = await startService(config, createLogger('silent'), { database, ...(opts.clock ? { clock: opts.clock } : {}) });
    await service.app.ready();
    instances.push(wrap(service));
  }
  return {
    h,
    instances,
    env,
    async close() {
      for (const instance of instances.slice(1)) await instance.service.close();
      await h.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
