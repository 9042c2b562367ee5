import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress.ts';

const exec = promisify(execFile);
const CLIS = ['token', 'keys', 'migrate', 'openapi', 'ledger-verify', 'client-types', 'users'] as const;

/** Runs a CLI the way `npm run <name>` does (tsx), without a database or keys in the environment. */
async function run(cli: string, args: string[], dataDir = '/nonexistent/poc-cli-test'): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', path.resolve(`src/cli/${cli}.ts`), ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('command-line tools', () => {
  for (const cli of CLIS) {
    it(`${cli} --help prints its usage and exits 0`, async () => {
      const r = await run(cli, ['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: npm run /);
      expect(r.stdout).toContain('--help');
      expect(r.stderr).toBe('');
    });

    it(`${cli} refuses an unknown flag in one line with exit status 2`, async () => {
      const r = await run(cli, ['--no-such-flag']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^[a-z-]+: Unknown option '--no-such-flag'.*\(see --help\)\n$/);
    });
  }

  it.each([
    ['token', ['--role', 'delegate', '--ttl', 'soon'], '--ttl must be a positive number of seconds'],
    ['token', ['--state', 'FRA'], '--role is required'],
    ['token', ['--role', 'delegate', '--state', 'XXX'], 'a delegate needs --state with an ISO 3166-1 alpha-3 code'],
    ['token', ['--role'], "Option '--role <value>' argument missing"],
    ['keys', [], 'a command is required: rotate-master or rotate-state-key'],
    ['keys', ['rotate-everything'], "unknown command 'rotate-everything'"],
    ['keys', ['rotate-state-key', '--state', 'ZZZ'], '--state must be an ISO 3166-1 alpha-3 code'],
    ['keys', ['rotate-state-key', '--state', 'FRA', '--batch', '0'], '--batch must be an integer from 1 to 100000'],
    ['migrate', ['now'], "Unexpected argument 'now'"],
    ['users', [], 'a command is required (add or list)'],
    ['users', ['add', '--role', 'king', '--subject', 'x'], '--role must be one of'],
    ['users', ['add', '--role', 'delegate', '--subject', 'x'], '--state (ISO 3166-1 alpha-3) is required for delegate'],
    ['users', ['add', '--role', 'auditor', '--subject', 'x', '--state', 'FRA'], '--state is only for'],
    ['users', ['add', '--role', 'observer', '--subject', 'x'], '--organization (the id of an accredited observer organisation) is required for observer'],
    ['users', ['add', '--role', 'auditor', '--subject', 'x', '--organization', '00000000-0000-4000-8000-000000000000'], '--organization is only for observer'],
    ['users', ['list', '--role', 'auditor'], 'list takes no options'],
    ['ledger-verify', ['--state', 'x.json'], 'give one of --url, --database-url or --tiles'],
    ['ledger-verify', ['--url', 'http://127.0.0.1:1', '--sample=-1'], '--sample must be a non-negative integer'],
    ['ledger-verify', ['--url', 'http://127.0.0.1:1', '--sample', '-1'], "Option '--sample' argument is ambiguous"],
  ])('%s %j is a usage error', async (cli, args, message) => {
    const r = await run(cli, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('users add bootstraps a user in the embedded database, list shows it, and a second add of the same subject fails in one line', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-users-cli-'));
    try {
      const added = await run('users', ['add', '--role', 'secretariat', '--subject', 'alice@un.org', '--name', 'Alice'], dataDir);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/^registered secretariat: id [0-9a-f-]{36} \(issuer '', subject alice@un\.org\); ledger entry 0\n$/);
      const again = await run('users', ['add', '--role', 'secretariat', '--subject', 'alice@un.org'], dataDir);
      expect(again.code).toBe(1);
      expect(again.stderr.trim().split('\n')).toEqual(['users: a user with this issuer and subject is already registered']);
      const listed = await run('users', ['list'], dataDir);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^[0-9a-f-]{36} {2}active {6}secretariat - {4}alice@un\.org\n$/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('-h is --help, and help wins over other arguments', async () => {
    const r = await run('keys', ['rotate-state-key', '-h', '--bogus']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run keys -- rotate-master/);
  });

  it('reports a configuration problem without a stack trace (exit 2)', async () => {
    const r = await exec(process.execPath, ['--import', 'tsx', path.resolve('src/cli/token.ts'), '--role', 'secretariat'], {
      env: { PATH: process.env.PATH, JWT_SECRET: 'short' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('JWT_SECRET: must be at least 32 characters');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('progress line', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const writes: string[] = [];
    const p = progressLine({ isTTY: false, write: (s) => writes.push(s) });
    p.update('1 of 3');
    p.done();
    expect(writes).toEqual([]);
  });

  it('rewrites one line on a terminal, at most every 100 ms, and erases it when done', () => {
    const writes: string[] = [];
    let t = 0;
    const p = progressLine({ isTTY: true, write: (s) => writes.push(s) }, () => t);
    p.update('1 of 3');
    t = 50;
    p.update('2 of 3'); // too soon: skipped
    t = 150;
    p.update('3 of 3');
    p.done();
    expect(writes).toEqual(['\r\x1b[2K1 of 3', '\r\x1b[2K3 of 3', '\r\x1b[2K']);
  });
});
