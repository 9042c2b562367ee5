/**
 * Real processes for fault tests: a PRIVATE PostgreSQL cluster the test owns
 * (initdb + pg_ctl from `pg_config --bindir`, in a temporary directory, on a
 * free port with its own socket directory, run as the `postgres` OS user when
 * the test runs as root; never the machine's shared cluster), and service
 * instances started exactly as in production (`node --import tsx
 * src/main.ts`) as child processes.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSigner } from 'fast-jwt';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const JWT_SECRET = 'fault-test-secret-that-is-long-enough-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why a private cluster cannot be made here, or undefined when it can. */
export function privateClusterUnavailable(): string | undefined {
  try {
    const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (!existsSync(path.join(bindir, 'initdb')) || !existsSync(path.join(bindir, 'pg_ctl'))) return `no initdb/pg_ctl in ${bindir}`;
  } catch {
    return 'pg_config is not installed';
  }
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no postgres OS user';
    }
  }
  return undefined;
}

export interface PrivateCluster {
  port: number;
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  const root = mkdtempSync(path.join(tmpdir(), 'poc-pgcluster-'));
  const data = path.join(root, 'data');
  const sock = path.join(root, 'sock');
  mkdirSync(sock);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    chownSync(sock, uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bindir, tool), ...args]] : [path.join(bindir, tool), args];
  // Asynchronous, so the test's load and probes keep running while pg_ctl works.
  const run = async (tool: string, args: string[]) => {
    await promisify(execFile)(...command(tool, args), { timeout: 60_000 });
  };
  const port = await freePort();
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // fsync=off only saves time on this shared machine: the faults here are process restarts
  // (clean or fast shutdowns), which never lose a committed transaction, fsync or not.
  const options = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const ctl = (...args: string[]) => run('pg_ctl', ['-D', data, '-l', path.join(root, 'log'), '-w', '-t', '60', ...args]);
  await ctl('-o', options, 'start');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    url,
    restart: () => ctl('-o', options, '-m', 'fast', 'restart'),
    stop: () => ctl('-m', 'fast', 'stop'),
    start: () => ctl('-o', options, 'start'),
    destroy() {
      try {
        execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore', timeout: 60_000 });
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Keys and settings the service instances share. */
export function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  const key = () => randomBytes(32).toString('base64');
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    JWT_SECRET,
    POC_MASTER_KEY: key(),
    POC_INDEX_KEY: key(),
    LEDGER_SIGNING_KEY: key(),
    RATE_LIMIT_MAX: '1000000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  base: string;
  port: number;
  /** stdout and stderr lines so far. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  waitReady(timeoutMs: number): Promise<void>;
  kill(): void;
}

/** `node --import tsx src/main.ts` (what `npm start` runs) with `env`, on a free port. */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-svc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    base,
    port,
    lines,
    exited,
    alive,
    async waitReady(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!alive()) throw new Error(`service exited during start-up:\n${lines.join('\n')}`);
        const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) return;
        await sleep(250);
      }
      throw new Error(`service not ready after ${timeoutMs} ms:\n${lines.join('\n')}`);
    },
    kill() {
      if (alive()) child.kill('SIGKILL');
    },
  };
}

export function tokenFor(role: 'delegate' | 'secretariat' | 'auditor' | 'observer', state?: string): string {
  const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 });
  return sign({ sub: `${role}-${state ?? 'x'}-${randomUUID().slice(0, 8)}`, role, ...(state ? { state } : {}) });
}
