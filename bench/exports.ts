/**
 * Export time for 1,000 visible contacts: `npm run bench:exports`
 *
 * Starts the service in-process on a fresh embedded database (PGlite, in a
 * temporary directory; or BENCH_DATABASE_URL=postgres://… to use a PostgreSQL
 * database, which must be empty), seeds FRA with 500 contacts and DEU with
 * 500 contacts disclosed to FRA, then times GET /v1/states/FRA/export in
 * each format, signed, then encrypted to a registered key. Prints the wall
 * time and the process CPU time per export (the CPU figure is steadier on a
 * shared machine; with PGlite it includes the database's work).
 *
 * BENCH_CONTACTS (default 1000) and BENCH_RUNS (default 10) change the size.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSigner } from 'fast-jwt';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';

const TOTAL = Number(process.env.BENCH_CONTACTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const JWT_SECRET = randomBytes(48).toString('base64');
const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-bench-exports-'));

const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: dataDir,
  JWT_SECRET,
  LOG_LEVEL: 'silent',
  RATE_LIMIT_MAX: '1000000',
  EXPORT_RATE_MAX: '100000',
  NOTIFY_POLL_MS: '0',
  ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
});
const service = await startService(config, createLogger('silent'));
const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 });
const token = (state: string) => sign({ sub: `bench-${state}`, role: 'delegate', state });
const inject = async (method: 'GET' | 'PUT' | 'POST', url: string, state: string, payload?: object) => {
  const res = await service.app.inject({ method, url, headers: { authorization: `Bearer ${token(state)}` }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
};

function contact(state: string, i: number) {
  return {
    domains: ['technical'],
    name: `${state === 'FRA' ? 'Jeanne Dupont' : 'Anna Schmidt'} ${i} — 李明`,
    title: 'Head of National CERT',
    rank: 'director',
    organization: 'Agence nationale de la sécurité',
    email: `poc.${i}@${state.toLowerCase()}.example.org`,
    phone: '+33123456789',
    languages: ['fr', 'en'],
    timezone: 'Europe/Paris',
    availability: '24/7',
    notes: 'Prefers Signal for urgent calls',
  };
}

try {
  const t0 = performance.now();
  for (const state of ['FRA', 'DEU']) await inject('PUT', `/v1/states/${state}/participation`, state);
  await inject('PUT', '/v1/states/DEU/disclosures/FRA', 'DEU', { mode: 'unilateral', domains: ['technical'] });
  const half = Math.floor(TOTAL / 2);
  for (let i = 0; i < TOTAL; i++) {
    const state = i < half ? 'FRA' : 'DEU';
    await inject('POST', `/v1/states/${state}/contacts`, state, contact(state, i));
  }
  process.stdout.write(`seeded ${TOTAL} contacts (${half} FRA, ${TOTAL - half} DEU disclosed to FRA) in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${service.database.kind}\n`);

  const measure = async (label: string, url: string) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const res = await inject('GET', url, 'FRA');
      const w = performance.now() - w0;
      const c = process.cpuUsage(c0);
      if (i === 0) continue; // warm-up
      wall.push(w);
      cpu.push((c.user + c.system) / 1000);
      bytes = res.rawPayload.length;
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const max = (xs: number[]) => Math.max(...xs);
    process.stdout.write(`${label.padEnd(28)} wall median ${med(wall).toFixed(0)} ms (max ${max(wall).toFixed(0)})   CPU median ${med(cpu).toFixed(0)} ms   ${(bytes / 1024).toFixed(0)} KiB\n`);
    return { label, wallMedianMs: med(wall), cpuMedianMs: med(cpu), bytes };
  };

  const check = JSON.parse((await inject('GET', '/v1/states/FRA/export?format=json', 'FRA')).body) as { bundle: { contactCount: number } };
  if (check.bundle.contactCount !== TOTAL) throw new Error(`expected ${TOTAL} visible contacts, the export has ${check.bundle.contactCount}`);
  process.stdout.write(`FRA's export holds ${check.bundle.contactCount} contacts; ${RUNS} runs each after one warm-up\n`);
  await measure('json (signed)', '/v1/states/FRA/export?format=json');
  await measure('vcard (signed)', '/v1/states/FRA/export?format=vcard');
  await measure('csv (signed)', '/v1/states/FRA/export?format=csv');
  const { publicKey } = generateKeyPairSync('x25519');
  await inject('PUT', '/v1/states/FRA/export-key', 'FRA', { publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64') });
  await measure('json (signed + encrypted)', '/v1/states/FRA/export?format=json');
  await measure('vcard (signed + encrypted)', '/v1/states/FRA/export?format=vcard');
} finally {
  await service.close();
  rmSync(dataDir, { recursive: true, force: true });
}
