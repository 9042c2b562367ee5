/**
 * `npm run bench:requests`: request submission, POST /v1/requests (validation,
 * auth, encryption of the free text, ledger append, outbox rows for the
 * recipient's webhook and first point of contact, all in one transaction)
 * against a baseline doing a single INSERT of the body, on the same
 * PostgreSQL, each server in its own child process. No Idempotency-Key (every
 * call creates a request).
 *   BENCH_DATABASE_URL, BENCH_DURATION (default 10), BENCH_CONNECTIONS (default 20)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer } from './child.ts';
import { checkPostgres, dropBenchDatabase, recreateBenchDatabase } from './db.ts';
import { allOk, measure, type Measurement } from './load.ts';
import { delegateToken } from './seed.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
const settings = { connections: Number(process.env.BENCH_CONNECTIONS ?? 20), durationSeconds: Number(process.env.BENCH_DURATION ?? 10), warmupSeconds: 2 };

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

async function call(base: string, token: string, method: string, url: string, payload?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

const postgres = await checkPostgres();
const url = await recreateBenchDatabase();
const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-bench-req-'));
try {
  const service = await spawnServer(path.join(BENCH_DIR, 'serve-service.ts'), {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    POC_MASTER_KEY: randomBytes(32).toString('base64'),
    POC_INDEX_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    DATA_DIR: dataDir,
    NOTIFY_POLL_MS: '0', // measure the write path; delivery is the worker's job
    SLA_SWEEP_MS: '3600000',
  });
  const fra = delegateToken(JWT_SECRET, 'FRA');
  const ken = delegateToken(JWT_SECRET, 'KEN');
  await call(service.baseUrl, fra, 'PUT', '/v1/states/FRA/participation');
  await call(service.baseUrl, ken, 'PUT', '/v1/states/KEN/participation');
  await call(service.baseUrl, ken, 'POST', '/v1/states/KEN/contacts', {
    domains: ['technical'], name: 'Duty officer', title: 'CERT duty officer', rank: 'officer', organization: 'KE-CIRT',
    email: 'duty@cert.example.ke', phone: '+254700000000', languages: ['en', 'sw'], timezone: 'Africa/Nairobi', availability: '24/7',
  });
  const headers = { authorization: `Bearer ${fra}`, 'content-type': 'application/json' };
  const a = await measure('service', `${service.baseUrl}/v1/requests`, service.pid, headers, settings, { method: 'POST', body });
  await service.stop();

  const baseline = await spawnServer(path.join(BENCH_DIR, 'serve-baseline.ts'), { DATABASE_URL: url, DATABASE_POOL_MAX: '10' });
  const b = await measure('baseline', `${baseline.baseUrl}/v1/requests`, baseline.pid, { 'content-type': 'application/json' }, settings, { method: 'POST', body });
  await baseline.stop();

  const row = (m: Measurement) =>
    `${m.name.padEnd(10)} ${m.requestsPerSecond.toFixed(1).padStart(9)} ${m.latencyP50Ms.toFixed(1).padStart(8)} ${m.latencyP99Ms.toFixed(1).padStart(8)} ${m.cpuMicrosPerRequest.toFixed(0).padStart(11)} ${String(m.totalRequests).padStart(9)} ${String(m.non2xx).padStart(8)}  ${m.machineBusyCores.toFixed(2)}/2`;
  process.stdout.write(`\nPOST /v1/requests: ${settings.connections} connections, ${settings.durationSeconds} s after a ${settings.warmupSeconds} s warm-up; PostgreSQL ${postgres}\n\n`);
  process.stdout.write(`${'server'.padEnd(10)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU µs/req'.padStart(11)} ${'requests'.padStart(9)} ${'non-2xx'.padStart(8)}  machine busy\n`);
  process.stdout.write(`${row(a)}\n${row(b)}\n`);
  process.stdout.write(`service / baseline: ${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}x req/s\n`);
  process.stdout.write('service = auth + zod + 3 field encryptions + ledger append (row lock, Merkle frontier) + outbox rows, one transaction; baseline = one INSERT\n');
  if (!allOk(a) || !allOk(b)) {
    process.stderr.write(`not all responses were 2xx: service ${JSON.stringify(a.statusCodes)}, baseline ${JSON.stringify(b.statusCodes)}\n`);
    process.exitCode = 1;
  }
} finally {
  await dropBenchDatabase();
  rmSync(dataDir, { recursive: true, force: true });
}
