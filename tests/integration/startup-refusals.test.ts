/**
 * Issue 9 (8, 9): a wrong POC_MASTER_KEY is refused at start with one clear
 * line, and `npm run keys` refuses (exit 2) while the embedded database's data
 * directory is held by a running service. On PostgreSQL the same command runs
 * beside the service.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { MasterKeyMismatchError } from '../../src/keys/service.ts';
import { createLogger } from '../../src/logger.ts';
import { startService } from '../../src/server.ts';
import { backend, JWT_SECRET, startHarness, type Harness } from '../harness.ts';

const TSX = path.resolve('node_modules/.bin/tsx');
const key = () => randomBytes(32).toString('base64');
const delegate = (state: string) => createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 600_000 })({ sub: `${state}-desk`, role: 'delegate', state });

/** Runs a command of the project as a child process, like `npm run`, with only the given environment. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a wrong POC_MASTER_KEY is refused at start', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: delegate('FRA') })).statusCode).toBe(201);
  });
  afterAll(() => h?.close());

  it('startService with another master key on the same database rejects with MasterKeyMismatchError and one clear line', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-wrongkey-'));
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, JWT_SECRET, POC_MASTER_KEY: key(), POC_INDEX_KEY: key(), LOG_LEVEL: 'silent', NOTIFY_POLL_MS: '0' });
      const started = startService(config, createLogger('silent'), { database: h.database });
      await expect(started).rejects.toBeInstanceOf(MasterKeyMismatchError);
      const err = (await started.then(
        () => new Error('started'),
        (e: unknown) => e as Error,
      ));
      expect(err.message).toMatch(/^POC_MASTER_KEY does not open the data keys stored in the database/);
      expect(err.message).not.toContain('\n');
      // The service on the right key keeps working on the same database.
      expect((await h.request({ method: 'GET', url: '/v1/states/FRA/contacts', token: delegate('FRA') })).statusCode).toBe(200);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('key rotation against a running service', () => {
  it(
    backend === 'pglite'
      ? 'embedded database: the CLI refuses with exit code 2 and one line while the service holds the data directory; it works once the service is closed; `npm start` with a wrong master key exits 1 with one line'
      : 'PostgreSQL: the CLI rotates a state key while the service runs; `npm start` with a wrong master key exits 1 with one line',
    async () => {
      const masterKey = key();
      const indexKey = key();
      const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-lock-'));
      const env = { NODE_ENV: 'test', DATA_DIR: dataDir, JWT_SECRET, POC_MASTER_KEY: masterKey, POC_INDEX_KEY: indexKey, LOG_LEVEL: 'silent', NOTIFY_POLL_MS: '0', PORT: '0' };
      let h: Harness | undefined;
      try {
        if (backend === 'pglite') {
          cpSync(inject('pgliteTemplateDir'), path.join(dataDir, 'pglite'), { recursive: true });
          const service = await startService(loadConfig(env), createLogger('silent'));
          let closed = false;
          try {
            expect((await service.app.inject({ method: 'PUT', url: '/v1/states/FRA/participation', headers: { authorization: `Bearer ${delegate('FRA')}` } })).statusCode).toBe(201);
            const refused = await run('src/cli/keys.ts', ['rotate-state-key', '--state', 'FRA'], env);
            expect(refused.code).toBe(2);
            expect(refused.stderr.trim().split('\n')).toHaveLength(1);
            expect(refused.stderr).toMatch(/^(keys|migrate): refused: the embedded database in .* is in use by another process/);
            expect(refused.stdout).toBe('');
            // The service is unaffected.
            const list = await service.app.inject({ method: 'GET', url: '/v1/states/FRA/contacts', headers: { authorization: `Bearer ${delegate('FRA')}` } });
            expect(list.statusCode).toBe(200);
            await service.close();
            closed = true;
            const rotated = await run('src/cli/keys.ts', ['rotate-state-key', '--state', 'FRA'], env);
            expect(rotated.stderr).toBe('');
            expect(rotated.code).toBe(0);
            expect(rotated.stdout).toMatch(/^FRA: new data key [0-9a-f]+/);
          } finally {
            if (!closed) await service.close();
          }
        } else {
          h = await startHarness({ env: { POC_MASTER_KEY: masterKey, POC_INDEX_KEY: indexKey } });
          expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: delegate('FRA') })).statusCode).toBe(201);
          const rotated = await run('src/cli/keys.ts', ['rotate-state-key', '--state', 'FRA'], { ...env, DATABASE_URL: h.url! });
          expect(rotated.stderr).toBe('');
          expect(rotated.code).toBe(0);
          expect(rotated.stdout).toMatch(/^FRA: new data key [0-9a-f]+/);
          expect((await h.request({ method: 'GET', url: '/v1/states/FRA/contacts', token: delegate('FRA') })).statusCode).toBe(200);
        }
        // The service refuses to start with another master key: one line, no stack, exit 1.
        const wrong = await run('src/main.ts', [], { ...env, POC_MASTER_KEY: key(), ...(h ? { DATABASE_URL: h.url! } : {}) });
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toMatch(/^refusing to start: POC_MASTER_KEY does not open the data keys stored in the database/);
        expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      } finally {
        await h?.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
