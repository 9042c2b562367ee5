/**
 * `npm run bench`: the directory read path (GET /v1/contacts/{id}) of the real
 * service against a minimal Fastify + pg baseline, on the same PostgreSQL
 * database, one after the other, each server in its own child process.
 *
 * Environment:
 *   BENCH_DATABASE_URL  admin URL of the server (default postgres://postgres@127.0.0.1:5432/test);
 *                       database poc_bench is (re)created on it and dropped at the end
 *   BENCH_DURATION      measured seconds per server (default 10), after a 2 s warm-up
 *   BENCH_CONNECTIONS   concurrent connections (default 50)
 *   BENCH_CONTACTS      contacts to seed (default 200)
 *   BENCH_POOL_MAX      pg pool size of each server (default 10, the service's default)
 *   BENCH_CPU_PROF      if set, both children run with --cpu-prof, profiles written to <dir>/service and
 *                       <dir>/baseline (summarise with `tsx bench/profile-top.ts <file> 30 $BENCH_DURATION`)
 *
 * Exit status: 1 if PostgreSQL is unreachable, a step fails, or any response
 * was not 2xx; 0 otherwise (whether the goal is met is reported, not enforced).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllNow, spawnServer, type ServerChild } from './child.ts';
import { clockTicksPerSecond } from './cpu.ts';
import { checkPostgres, dropBenchDatabase, PostgresUnreachable, recreateBenchDatabase } from './db.ts';
import { allOk, measure, type LoadSettings, type Measurement } from './load.ts';
import { GOAL_RATIO, printReport, ratios, writeReport, type Report } from './report.ts';
import { delegateToken, probe, seed } from './seed.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

const load: LoadSettings = {
  connections: intFromEnv('BENCH_CONNECTIONS', 50),
  durationSeconds: intFromEnv('BENCH_DURATION', 10),
  warmupSeconds: 2,
};
const contactCount = intFromEnv('BENCH_CONTACTS', 200);
const poolMax = intFromEnv('BENCH_POOL_MAX', 10);
const cpuProfDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
const profileArgs = (name: string) => (cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(cpuProfDir, name)] : []);

const children = new Set<ServerChild>();
let interrupted = false;
let dataDir: string | undefined;

async function start(file: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerChild> {
  if (interrupted) throw new Error('interrupted');
  const child = await spawnServer(path.join(BENCH_DIR, file), env, nodeArgs);
  children.add(child);
  return child;
}

async function stop(child: ServerChild): Promise<void> {
  await child.stop();
  children.delete(child);
}

let cleaning: Promise<void> | undefined;
/** Stops the servers, drops poc_bench, removes the data directory; once, whoever asks first. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stop(c)));
    await dropBenchDatabase().catch((err: unknown) => log(`could not drop poc_bench: ${String(err)}`));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function describeFailures(m: Measurement): string {
  return `${m.name}: ${m.non2xx} non-2xx (status codes ${JSON.stringify(m.statusCodes)}), ${m.errors} errors, ${m.timeouts} timeouts`;
}

async function main(): Promise<number> {
  let postgres: string;
  try {
    postgres = await checkPostgres();
  } catch (err) {
    if (err instanceof PostgresUnreachable) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }

  dataDir = mkdtempSync(path.join(tmpdir(), 'poc-bench-'));
  const databaseUrl = await recreateBenchDatabase();
  const endpoint = '/v1/contacts/{id}';
  try {
    log(`service: starting on database poc_bench${cpuProfDir ? ` (CPU profiles into ${cpuProfDir})` : ''}`);
    const service = await start(
      'serve-service.ts',
      {
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_MAX: String(poolMax),
        POC_MASTER_KEY: randomBytes(32).toString('base64'),
        POC_INDEX_KEY: randomBytes(32).toString('base64'),
        JWT_SECRET,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_MAX: '100000000',
        DATA_DIR: dataDir,
      },
      profileArgs('service'),
    );
    const token = delegateToken(JWT_SECRET);
    const headers = { authorization: `Bearer ${token}` };
    log(`seeding ${contactCount} contacts through the API`);
    const ids = await seed(service.baseUrl, token, contactCount);
    const id = ids[Math.floor(ids.length / 2)]!;
    const target = `/v1/contacts/${id}`;

    await probe(service.baseUrl, target, headers);
    log(`service: measuring GET ${target}`);
    const a = await measure('service', service.baseUrl + target, service.pid, headers, load);
    await stop(service);

    log('baseline: starting');
    const baseline = await start('serve-baseline.ts', { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: String(poolMax) }, profileArgs('baseline'));
    await probe(baseline.baseUrl, target, {});
    log(`baseline: measuring GET ${target}`);
    const b = await measure('baseline', baseline.baseUrl + target, baseline.pid, {}, load);
    await stop(baseline);

    const r = ratios(a, b);
    const report: Report = {
      date: new Date().toISOString(),
      endpoint,
      settings: { ...load, contacts: contactCount, poolMax },
      environment: { node: process.version, cpus: cpus().length, postgres, clockTicks: clockTicksPerSecond() },
      service: a,
      baseline: b,
      ratios: r,
      goal: { description: `goal: service >= ${GOAL_RATIO} x baseline req/s`, met: r.requestsPerSecond >= GOAL_RATIO },
    };
    printReport(report);
    log(`results written to ${path.relative(process.cwd(), writeReport(report, path.join(BENCH_DIR, 'results')))}`);

    const failed = [a, b].filter((m) => !allOk(m));
    for (const m of failed) console.error(`NOT ALL RESPONSES 2xx: ${describeFailures(m)}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await cleanup();
  }
}

// `on`, not `once`, and idempotent: the tsx CLI re-sends a signal it thinks
// was not received, and a second signal with no listener left would kill the
// process before poc_bench is dropped.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping servers and dropping poc_bench`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Last resort (exit while a child is starting, or on an unexpected error): never leave a server behind.
process.on('exit', killAllNow);

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: unknown) => {
    if (interrupted) return; // the signal handler exits once cleanup is done
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
