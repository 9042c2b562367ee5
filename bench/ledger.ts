/**
 * `npm run bench:ledger` (also run by `npm run bench`): the verifiable
 * ledger on the local PostgreSQL, in a database of its own (poc_bench_ledger,
 * created and dropped here).
 *
 *   1. Append throughput, 1 and 2 instances: child processes, each the real
 *      ledger service over its own pg pool, BENCH_LEDGER_CONCURRENCY loops each
 *      doing one transaction per append; then the same through the whole
 *      write path (POST /v1/states/FRA/contacts) with 1 and 2 service processes.
 *   2. Bulk load to each size of BENCH_LEDGER_SIZES through the ledger's own
 *      append path (appendAll: the same entry building, hashing, frontier
 *      update and node writes as append, in transactions of 10,000 entries,
 *      one statement per 2,000), then proof latency at that size: sequential
 *      GET inclusion-proof (random entry) and consistency-proof (random older
 *      size) against a service process, and the stored-proof query alone.
 *   3. Full verification of the largest size: ledger:verify's audit over the
 *      database, and over the HTTP API with an auditor token.
 *
 * Environment: BENCH_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/test),
 * BENCH_LEDGER_SECONDS (per append run, default 10), BENCH_LEDGER_CONCURRENCY (default 8),
 * BENCH_LEDGER_SIZES (default 100000,1000000), BENCH_LEDGER_PROOFS (requests per latency run, default 2000).
 * Results are printed and written to bench/results/ledger-latest.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { initCrypto } from '../src/crypto/index.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { parseVerifierKey } from '../src/ledger/note.ts';
import { createLedgerService, ledgerSettings, type LedgerEvent, type LedgerService } from '../src/ledger/service.ts';
import { storedConsistencyProof, storedInclusionProof, treeSize } from '../src/ledger/tree-store.ts';
import { DatabaseSource, HttpSource } from '../src/ledger/verify-sources.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { spawnServer, type ServerChild } from './child.ts';
import { adminUrl, checkPostgres, PostgresUnreachable, urlFor } from './db.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const DB_NAME = 'poc_bench_ledger';
const intEnv = (name: string, fallback: number) => {
  const raw = process.env[name];
  const v = raw ? Number(raw) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const seconds = intEnv('BENCH_LEDGER_SECONDS', 10);
const concurrency = intEnv('BENCH_LEDGER_CONCURRENCY', 8);
const proofRequests = intEnv('BENCH_LEDGER_PROOFS', 2000);
const sizes = (process.env.BENCH_LEDGER_SIZES ?? '100000,1000000').split(',').map(Number);
if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error('BENCH_LEDGER_SIZES must be positive integers');

const log = (m: string) => process.stderr.write(`bench:ledger: ${m}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
// NaN (an appender that appended nothing reports null percentiles) stays NaN.
const round = (x: number | null, digits = 2) => (x === null ? Number.NaN : Number(x.toFixed(digits)));

const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 6 * 3600_000 });
const token = (role: string, state?: string) => sign({ sub: `bench-${role}`, role, ...(state ? { state } : {}) });
const keys = {
  POC_MASTER_KEY: randomBytes(32).toString('base64'),
  POC_INDEX_KEY: randomBytes(32).toString('base64'),
  LEDGER_SIGNING_KEY: randomBytes(32).toString('base64'),
};

const children = new Set<ServerChild>();
let dataDir: string | undefined;

async function withAdmin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

async function startService(url: string): Promise<ServerChild> {
  dataDir ??= mkdtempSync(path.join(tmpdir(), 'poc-bench-ledger-'));
  const child = await spawnServer(path.join(BENCH_DIR, 'serve-service.ts'), {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_POOL_MAX: '10',
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    DATA_DIR: dataDir,
    ...keys,
  });
  children.add(child);
  return child;
}

/** Runs `count` appender processes together; returns appends per second over all of them. */
async function appendRun(url: string, count: number) {
  // Far enough ahead for every child to start (tsx compiles on start; slow on a loaded machine).
  const startAt = Date.now() + 15_000;
  const runs = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'ledger-appender.ts')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: url,
        LEDGER_SIGNING_KEY: keys.LEDGER_SIGNING_KEY,
        BENCH_CONCURRENCY: String(concurrency),
        BENCH_START_AT: String(startAt),
        BENCH_DURATION_MS: String(seconds * 1000),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<{ appends: number; errors: number; latenciesMs: [number, number] }>((resolve, reject) =>
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`appender exited with ${code}`)))),
    );
  });
  const results = await Promise.all(runs);
  const appends = results.reduce((n, r) => n + r.appends, 0);
  return {
    instances: count,
    connectionsPerInstance: concurrency,
    appends,
    errors: results.reduce((n, r) => n + r.errors, 0),
    appendsPerSecond: round(appends / seconds, 1),
    transactionLatencyMs: results.map((r) => ({ p50: round(r.latenciesMs[0]), p99: round(r.latenciesMs[1]) })),
  };
}

/** POST /v1/states/FRA/contacts through `count` service processes, `concurrency` loops each. */
async function httpWriteRun(url: string, count: number) {
  const services = await Promise.all(Array.from({ length: count }, () => startService(url)));
  const fra = token('delegate', 'FRA');
  const headers = { authorization: `Bearer ${fra}`, 'content-type': 'application/json' };
  await fetch(`${services[0]!.baseUrl}/v1/states/FRA/participation`, { method: 'PUT', headers: { authorization: headers.authorization } });
  let created = 0;
  let failed = 0;
  const endAt = Date.now() + seconds * 1000;
  await Promise.all(
    services.flatMap((s) =>
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < endAt) {
          const body = JSON.stringify({
            domains: ['technical'],
            name: 'Bench Contact',
            title: 'Duty officer',
            rank: 'officer',
            organization: 'CERT',
            email: `${randomUUID()}@bench.example`,
            phone: '+33123456789',
            languages: ['fr', 'en'],
            timezone: 'Europe/Paris',
            availability: '24/7',
          });
          const res = await fetch(`${s.baseUrl}/v1/states/FRA/contacts`, { method: 'POST', headers, body });
          await res.arrayBuffer();
          if (res.status === 201) created += 1;
          else failed += 1;
        }
      }),
    ),
  );
  for (const s of services) {
    await s.stop();
    children.delete(s);
  }
  return { instances: count, connectionsPerInstance: concurrency, created, failed, writesPerSecond: round(created / seconds, 1) };
}

let loaderSeq = 0;
const loaderEvent = (): LedgerEvent => {
  loaderSeq += 1;
  return {
    type: 'contact.updated',
    actor: { role: 'delegate', sub: `delegate-${loaderSeq % 193}`, state: 'FRA' },
    parties: loaderSeq % 5 === 0 ? ['DEU', 'FRA'] : ['FRA'],
    subject: { state: 'FRA', contact: randomUUID() },
    facts: { changed: ['email', 'rank'], version: (loaderSeq % 40) + 1, visibility: 'confidential' },
    content: { n: loaderSeq },
  };
};

/** Appends until the ledger holds `target` entries, through appendAll in transactions of 10,000. */
async function loadTo(db: DatabaseHandle, ledger: LedgerService, target: number) {
  const t0 = performance.now();
  let size = await treeSize(db.db);
  const from = size;
  while (size < target) {
    const n = Math.min(10_000, target - size);
    await db.db.transaction().execute((trx) => ledger.appendAll(trx, Array.from({ length: n }, loaderEvent)));
    size += n;
    if (size % 100_000 === 0 || size === target) log(`loaded ${size} entries`);
  }
  const s = (performance.now() - t0) / 1000;
  // The append runs may already have passed a small target: nothing loaded, nothing to rate.
  const to = Math.max(from, target);
  return { from, to, seconds: round(s, 1), appendsPerSecond: to > from ? round((to - from) / s, 0) : null };
}

async function latency(name: string, n: number, run: (i: number) => Promise<void>) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { name, requests: n, p50Ms: round(percentile(ms, 50), 3), p99Ms: round(percentile(ms, 99), 3) };
}

async function proofLatency(db: DatabaseHandle, service: ServerChild, size: number) {
  const auditor = { authorization: `Bearer ${token('auditor')}` };
  const get = async (url: string) => {
    const res = await fetch(url, { headers: auditor });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    await res.arrayBuffer();
  };
  const rand = (n: number) => Math.floor(Math.random() * n);
  await get(`${service.baseUrl}/v1/ledger/entries/0/inclusion-proof?treeSize=${size}`); // warm-up
  return [
    await latency('GET inclusion-proof (HTTP)', proofRequests, () => get(`${service.baseUrl}/v1/ledger/entries/${rand(size)}/inclusion-proof?treeSize=${size}`)),
    await latency('GET consistency-proof (HTTP)', proofRequests, () => get(`${service.baseUrl}/v1/ledger/consistency-proof?from=${1 + rand(size - 1)}&to=${size}`)),
    await latency('inclusion proof, stored nodes (in process)', proofRequests, async () => void (await storedInclusionProof(db.db, rand(size), size))),
    await latency('consistency proof, stored nodes (in process)', proofRequests, async () => void (await storedConsistencyProof(db.db, 1 + rand(size - 1), size))),
  ];
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
  await initCrypto();
  await withAdmin(async (c) => {
    await c.query(`drop database if exists ${DB_NAME} with (force)`);
    await c.query(`create database ${DB_NAME}`);
  });
  const url = urlFor(DB_NAME);
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  try {
    await migrateToLatest(db.db);
    const ledger = createLedgerService({
      clock: () => new Date(),
      commitmentKey: new Uint8Array(32).fill(1),
      ...ledgerSettings({ ledgerSigningSeed: Buffer.from(keys.LEDGER_SIGNING_KEY, 'base64') }),
    });

    log(`append throughput: ${seconds} s per run, ${concurrency} connections per instance`);
    const appends = [await appendRun(url, 1), await appendRun(url, 2)];
    log(`write path (POST contacts): ${seconds} s per run`);
    const writes = [await httpWriteRun(url, 1), await httpWriteRun(url, 2)];

    const service = await startService(url);
    const loads = [];
    const proofs = [];
    for (const size of sizes) {
      loads.push(await loadTo(db, ledger, size));
      proofs.push({ size, latencies: await proofLatency(db, service, size) });
    }

    const largest = Math.max(...sizes);
    await ledger.checkpoints.sign(db.db, 'now');
    const key = parseVerifierKey(ledger.checkpoints.verifierKeyString);
    log(`full verification of ${largest} entries over the database`);
    let t0 = performance.now();
    const viaDb = await verifyLedger(new DatabaseSource(db), { key, mode: 'full' });
    const dbSeconds = (performance.now() - t0) / 1000;
    log(`full verification of ${largest} entries over the HTTP API`);
    t0 = performance.now();
    const viaHttp = await verifyLedger(new HttpSource(service.baseUrl, token('auditor')), { key, mode: 'full' });
    const httpSeconds = (performance.now() - t0) / 1000;
    if (!viaDb.ok || !viaHttp.ok) throw new Error(`verification failed: ${JSON.stringify(viaDb.failure ?? viaHttp.failure)}`);
    const verification = [
      { source: 'database', entries: viaDb.entriesChecked, checkpoints: viaDb.checkpointsChecked, seconds: round(dbSeconds, 1) },
      { source: 'HTTP API', entries: viaHttp.entriesChecked, checkpoints: viaHttp.checkpointsChecked, seconds: round(httpSeconds, 1) },
    ];

    const report = {
      date: new Date().toISOString(),
      environment: { node: process.version, cpus: cpus().length, postgres },
      settings: { seconds, concurrency, proofRequests, sizes },
      appendThroughput: appends,
      writePathThroughput: writes,
      bulkLoad: loads,
      proofLatency: proofs,
      fullVerification: verification,
    };
    print(report);
    mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
    writeFileSync(path.join(BENCH_DIR, 'results', 'ledger-latest.json'), JSON.stringify(report, null, 2) + '\n');
    log('results written to bench/results/ledger-latest.json');
    return 0;
  } finally {
    for (const c of children) await c.stop();
    await db.close();
    await withAdmin((c) => c.query(`drop database if exists ${DB_NAME} with (force)`)).catch((err: unknown) => log(`could not drop ${DB_NAME}: ${String(err)}`));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function print(r: {
  environment: { node: string; cpus: number; postgres: string };
  appendThroughput: Awaited<ReturnType<typeof appendRun>>[];
  writePathThroughput: Awaited<ReturnType<typeof httpWriteRun>>[];
  bulkLoad: Awaited<ReturnType<typeof loadTo>>[];
  proofLatency: { size: number; latencies: Awaited<ReturnType<typeof latency>>[] }[];
  fullVerification: { source: string; entries: number; checkpoints: number; seconds: number }[];
}) {
  const lines = [
    `Ledger benchmark (node ${r.environment.node}, ${r.environment.cpus} CPUs, PostgreSQL ${r.environment.postgres})`,
    '',
    'Append throughput (one transaction per append):',
    ...r.appendThroughput.map(
      (a) => `  ${a.instances} instance(s) x ${a.connectionsPerInstance} connections: ${a.appendsPerSecond} appends/s (${a.appends} appends, ${a.errors} errors; transaction p50/p99 ms per instance: ${a.transactionLatencyMs.map((l) => `${l.p50}/${l.p99}`).join(', ')})`,
    ),
    'Write path, POST /v1/states/FRA/contacts (encrypt + insert + append):',
    ...r.writePathThroughput.map((w) => `  ${w.instances} service process(es) x ${w.connectionsPerInstance} connections: ${w.writesPerSecond} writes/s (${w.created} created, ${w.failed} failed)`),
    'Bulk load through appendAll:',
    ...r.bulkLoad.map((l) => (l.appendsPerSecond === null ? `  already ${l.from} entries: nothing to load` : `  ${l.from} -> ${l.to} entries: ${l.seconds} s (${l.appendsPerSecond} appends/s)`)),
    'Proof latency (sequential requests, random entry / older size):',
    ...r.proofLatency.flatMap((p) => [`  at ${p.size} entries:`, ...p.latencies.map((l) => `    ${l.name}: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms (${l.requests} requests)`)]),
    'Full verification (every entry re-hashed, tree recomputed, every checkpoint and consecutive consistency proof checked):',
    ...r.fullVerification.map((v) => `  over the ${v.source}: ${v.entries} entries, ${v.checkpoints} checkpoints in ${v.seconds} s`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([...children].map((c) => c.stop()))
      .then(() => withAdmin((c) => c.query(`drop database if exists ${DB_NAME} with (force)`)))
      .finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:ledger failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
