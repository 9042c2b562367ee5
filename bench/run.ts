/**
 * `npm run bench` (part 1; bench/ledger.ts is part 2): every measured HTTP
 * path of the real service against a minimal Fastify + pg baseline doing the
 * least SQL the path must do, on the same PostgreSQL database. Both servers
 * run at once, each in its own child process; per path the service and then
 * the baseline are measured back to back, so their ratio is taken under the
 * same machine load.
 *
 *   GET  /v1/contacts/{id}           a delegate of KEN reads a contact of FRA, which granted KEN the domain
 *                                    (baseline: select the row by id)
 *   POST /v1/requests                FRA sends KEN a request (baseline: BEGIN, INSERT, COMMIT)
 *   POST /v1/states/FRA/contacts     FRA adds a contact, unique email per call (baseline: BEGIN, INSERT, COMMIT)
 *
 * Environment:
 *   BENCH_DATABASE_URL  admin URL of the server (default postgres://postgres@127.0.0.1:5432/test);
 *                       database poc_bench is (re)created on it and dropped at the end
 *   BENCH_DURATION      measured seconds per server and path (default 10), after a 2 s warm-up
 *   BENCH_CONNECTIONS   concurrent connections (default 50)
 *   BENCH_CONTACTS      contacts to seed (default 200)
 *   BENCH_POOL_MAX      pg pool size of each server (default 10, the service's default)
 *   BENCH_PATHS         comma-separated subset of read,request,contact (default all)
 *   BENCH_CPU_PROF      if set, both children run with --cpu-prof, profiles written to <dir>/service and
 *                       <dir>/baseline (summarise with `tsx bench/profile-top.ts <file> 30`)
 *
 * Exit status: 1 if PostgreSQL is unreachable, a step fails, or any response
 * was not 2xx; 0 otherwise (whether the goals are met is reported, not enforced).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllNow, spawnServer, type ServerChild } from './child.ts';
import { clockTicksPerSecond } from './cpu.ts';
import { checkPostgres, dropBenchDatabase, PostgresUnreachable, recreateBenchDatabase } from './db.ts';
import { allOk, measure, type LoadSettings, type Measurement } from './load.ts';
import { goalMet, printReport, ratios, writeReport, type PathGoal, type PathResult, type Report } from './report.ts';
import { call, delegateToken, probe, sampleContact, seed } from './seed.ts';

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
const PATHS = ['read', 'request', 'contact'] as const;
const selected = (process.env.BENCH_PATHS ?? PATHS.join(',')).split(',').map((p) => p.trim());
for (const p of selected) if (!(PATHS as readonly string[]).includes(p)) throw new Error(`BENCH_PATHS: unknown path ${p} (known: ${PATHS.join(', ')})`);
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
  const loadAverage = loadavg();
  const databaseUrl = await recreateBenchDatabase();
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
        NOTIFY_POLL_MS: '0', // measure the write path; delivery is the worker's job
        SLA_SWEEP_MS: '3600000',
      },
      profileArgs('service'),
    );
    const fra = delegateToken(JWT_SECRET, 'FRA');
    const ken = delegateToken(JWT_SECRET, 'KEN');
    log(`seeding ${contactCount} contacts of FRA through the API; FRA grants KEN the technical domain`);
    const ids = await seed(service.baseUrl, fra, contactCount);
    await call(service.baseUrl, ken, 'PUT', '/v1/states/KEN/participation');
    await call(service.baseUrl, ken, 'POST', '/v1/states/KEN/contacts', sampleContact('ken'));
    await call(service.baseUrl, fra, 'PUT', '/v1/states/FRA/disclosures/KEN', { mode: 'unilateral', domains: ['technical'] });
    const id = ids[Math.floor(ids.length / 2)]!;

    log('baseline: starting');
    const baseline = await start('serve-baseline.ts', { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: String(poolMax) }, profileArgs('baseline'));

    const results: PathResult[] = [];
    const json = { 'content-type': 'application/json' };
    const run = async (
      name: string,
      baselineDoes: string,
      goal: PathGoal,
      target: string,
      serviceHeaders: Record<string, string>,
      request: Parameters<typeof measure>[5] = { method: 'GET' },
      baselineHeaders: Record<string, string> = {},
    ) => {
      log(`service: measuring ${name}`);
      const a = await measure('service', service.baseUrl + target, service.pid, serviceHeaders, load, request);
      log(`baseline: measuring ${name}`);
      const b = await measure('baseline', baseline.baseUrl + target, baseline.pid, baselineHeaders, load, request);
      const r = ratios(a, b);
      results.push({ path: name, service: a, baseline: b, baselineDoes, ratios: r, goal: { ...goal, met: goalMet(r, goal) } });
    };

    if (selected.includes('read')) {
      const target = `/v1/contacts/${id}`;
      await probe(service.baseUrl, target, { authorization: `Bearer ${ken}` });
      await probe(baseline.baseUrl, target, {});
      await run('GET /v1/contacts/{id} (KEN reads an FRA contact under a grant)', 'select the row by id', { ratio: 0.8, cpuRatio: 1.5 }, target, {
        authorization: `Bearer ${ken}`,
      });
    }
    if (selected.includes('request')) {
      const body = JSON.stringify({
        to: 'KEN',
        domain: 'technical',
        type: 'request-for-assistance',
        urgency: 'urgent',
        subject: 'Ransomware on port authority systems',
        incidentSummary: 'Since 03:00 UTC the port authority network is encrypted; indicators point to infrastructure in your jurisdiction.',
        ask: 'Please help take down the command-and-control servers.',
        tlp: 'AMBER',
        language: 'en',
      });
      await run('POST /v1/requests (FRA to KEN)', 'BEGIN, one INSERT, COMMIT', { ratio: 0.5 }, '/v1/requests', { authorization: `Bearer ${fra}`, ...json }, { method: 'POST', body }, json);
    }
    if (selected.includes('contact')) {
      let n = 0;
      const makeBody = () => JSON.stringify(sampleContact(`b${(n += 1)}`));
      await run('POST /v1/states/{code}/contacts (FRA)', 'BEGIN, one INSERT, COMMIT', { ratio: 0.5 }, '/v1/states/FRA/contacts', { authorization: `Bearer ${fra}`, ...json }, { method: 'POST', makeBody }, json);
    }
    await stop(service);
    await stop(baseline);

    const report: Report = {
      date: new Date().toISOString(),
      settings: { ...load, contacts: contactCount, poolMax },
      environment: { node: process.version, cpus: cpus().length, postgres, clockTicks: clockTicksPerSecond(), loadAverage },
      paths: results,
    };
    printReport(report);
    log(`results written to ${path.relative(process.cwd(), writeReport(report, path.join(BENCH_DIR, 'results')))}`);

    const failed = results.flatMap((p) => [p.service, p.baseline]).filter((m) => !allOk(m));
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
