/**
 * `npm start` leaves exactly one service process (node itself, no shell or
 * tsx wrapper in between), and SIGTERM, whether sent to npm or to that node
 * process, shuts it down cleanly: exit 0 and no process left. On this
 * project's backend: embedded PGlite with no DATABASE_URL (a copy of the
 * migrated template), or a fresh PostgreSQL database.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { backend } from '../harness.ts';
import { freePort, JWT_SECRET, ROOT, sleep } from '../processes.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Environment for one `npm start` on this project's backend. */
async function backendEnv(): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-npmstart-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (backend === 'pglite') {
    mkdirSync(dataDir, { recursive: true });
    cpSync(inject('pgliteTemplateDir'), path.join(dataDir, 'pglite'), { recursive: true });
    return { DATA_DIR: dataDir };
  }
  const adminUrl = inject('postgresAdminUrl');
  const name = `${inject('postgresTemplateDb')}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('postgresTemplateDb')}`);
  cleanups.push(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { DATA_DIR: dataDir, DATABASE_URL: u.toString() };
}

function childrenOf(pid: number): { pid: number; args: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there is none
  }
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [, p, args] = /^\s*(\d+)\s+(.*)$/.exec(l)!;
      return { pid: Number(p), args: args! };
    });
}

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function npmStart(): Promise<{ npm: ChildProcess; node: number; helpers: number[]; exited: Promise<number | null>; output: () => string }> {
  const port = await freePort();
  const key = () => randomBytes(32).toString('base64');
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      ...(await backendEnv()),
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET,
      POC_MASTER_KEY: key(),
      POC_INDEX_KEY: key(),
      LEDGER_SIGNING_KEY: key(),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  npm.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    for (const c of childrenOf(npm.pid!)) process.kill(c.pid, 'SIGKILL');
    if (npm.exitCode === null) npm.kill('SIGKILL');
  });
  const deadline = Date.now() + 100_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not become ready:\n${output}`);
    await sleep(250);
  }
  // Exactly one process under npm: node running the service (no shell, no tsx wrapper). Its only
  // possible child is the esbuild service tsx's loader starts to transform sources, which ends with it.
  const children = childrenOf(npm.pid!);
  expect(children).toHaveLength(1);
  expect(children[0]!.args).toMatch(/^node --import tsx src\/main\.ts$/);
  const helpers = childrenOf(children[0]!.pid);
  expect(helpers.filter((c) => !/\/esbuild --service=/.test(c.args))).toEqual([]);
  return { npm, node: children[0]!.pid, helpers: helpers.map((c) => c.pid), exited, output: () => output };
}

describe(`npm start (${backend})`, () => {
  it('SIGTERM to npm: the service shuts down cleanly, npm exits 0, no process is left', async () => {
    const s = await npmStart();
    s.npm.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    for (let i = 0; i < 100 && [s.node, ...s.helpers].some(running); i++) await sleep(100);
    expect([s.node, ...s.helpers].filter(running)).toEqual([]);
    expect(s.output()).toContain('shut down cleanly');
  }, 150_000);

  it('SIGTERM to the node process: it shuts down cleanly and npm exits 0', async () => {
    const s = await npmStart();
    process.kill(s.node, 'SIGTERM');
    expect(await s.exited).toBe(0);
    for (let i = 0; i < 100 && [s.node, ...s.helpers].some(running); i++) await sleep(100);
    expect([s.node, ...s.helpers].filter(running)).toEqual([]);
    expect(s.output()).toContain('shut down cleanly');
  }, 150_000);
});
