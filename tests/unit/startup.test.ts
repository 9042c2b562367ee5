/**
 * Start-up failures of the real entry point (`node --import tsx src/main.ts`,
 * what `npm start` runs) end with clear lines, no stack, a non-zero exit:
 * configuration errors (one line per bad variable, exit 2) and a database
 * that stays unreachable (one log line per attempt for
 * DATABASE_CONNECT_TIMEOUT_SECONDS, then one line, exit 1).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../processes.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-startup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - began }));
  });
}

const STACK = /^\s+at /m;

describe('start-up errors', () => {
  it('configuration errors: one line per bad variable, never the value, no stack, exit 2', async () => {
    const r = await runMain({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      JWT_SECRET: 'short-secret-value',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '-1',
      POC_MASTER_KEY_FILE: path.join(dataDir, 'no-such-file'),
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('poc-directory: invalid configuration:');
    const named = lines.slice(1).map((l) => l.trim().split(':')[0]);
    expect(named.sort()).toEqual(['DATABASE_CONNECT_TIMEOUT_SECONDS', 'JWT_SECRET', 'LOG_LEVEL', 'POC_MASTER_KEY_FILE', 'PORT']);
    expect(r.stderr).toContain('POC_MASTER_KEY_FILE: cannot read the file (ENOENT)');
    expect(r.stderr).not.toContain('short-secret-value');
    expect(r.stderr).not.toMatch(STACK);
  }, 60_000);

  it('an unreachable database: retried for DATABASE_CONNECT_TIMEOUT_SECONDS with one log line per attempt, then one clear line, no stack, exit 1', async () => {
    const port = await freePort(); // nothing listens there
    const r = await runMain({ DATABASE_URL: `postgres://poc:secret-password@127.0.0.1:${port}/poc`, DATABASE_CONNECT_TIMEOUT_SECONDS: '3', LOG_LEVEL: 'info', PORT: '0' });
    expect(r.code).toBe(1);
    const attempts = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; attempt?: number; error?: string })
      .filter((l) => l.msg === 'database not reachable yet; retrying');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts[0]!.error).toContain('ECONNREFUSED');
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(new RegExp(`^poc-directory: cannot start: the database at 127\\.0\\.0\\.1:${port}/poc is not reachable after 3 s \\(\\d+ attempts; last error: .*ECONNREFUSED.*\\); giving up$`));
    expect(r.stdout + r.stderr).not.toContain('secret-password');
    expect(r.stdout + r.stderr).not.toMatch(STACK);
    // Bounded: gave up shortly after the window (start-up itself is slow on a loaded machine).
    expect(r.ms).toBeLessThan(45_000);
  }, 60_000);
});
