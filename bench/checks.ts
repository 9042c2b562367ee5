/**
 * `npm run bench:checks`: a simulated reachability round with 150 states on
 * real PostgreSQL. Every state registers a webhook (a local receiver) and
 * lists two contacts; the round's challenges arrive by webhook; 100 states
 * acknowledge within the window (at spread-out times), 25 late, 25 never.
 * Prints the round's report and how long the aggregate report takes to produce.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSigner } from 'fast-jwt';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import { ISO3166_ALPHA3 } from '../src/states/iso3166.ts';
import { checkPostgres, dropBenchDatabase, recreateBenchDatabase } from './db.ts';

const STATES = 150;
const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
let now = Date.parse('2031-06-01T08:00:00Z');

const challenges = new Map<string, string[]>(); // state -> challenges
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const msg = JSON.parse(body) as { type: string; data: { state: string; challenge?: string } };
    if (msg.type === 'check.started' && msg.data.challenge) challenges.set(msg.data.state, [...(challenges.get(msg.data.state) ?? []), msg.data.challenge]);
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const postgres = await checkPostgres();
const url = await recreateBenchDatabase();
const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-bench-checks-'));
try {
  const config = loadConfig({
    NODE_ENV: 'test', DATABASE_URL: url, DATA_DIR: dataDir, JWT_SECRET, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000000',
    POC_MASTER_KEY: randomBytes(32).toString('base64'), POC_INDEX_KEY: randomBytes(32).toString('base64'),
    WEBHOOKS_ALLOW_PRIVATE: 'true', NOTIFY_POLL_MS: '0', SLA_SWEEP_MS: '3600000', NOTIFY_BATCH_SIZE: '100',
  });
  const service = await startService(config, createLogger('error'), { clock: () => new Date(now) });
  const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 36_000_000 });
  const token = (role: string, state?: string) => sign({ sub: `${role}-${state ?? ''}`, role, ...(state ? { state } : {}) });
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, tok: string, payload?: object) => {
    const res = await service.app.inject({ method, url, headers: { authorization: `Bearer ${tok}` }, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };

  const states = [...ISO3166_ALPHA3].slice(0, STATES);
  const t0 = performance.now();
  for (const [i, s] of states.entries()) {
    const t = token('delegate', s);
    await call('PUT', `/v1/states/${s}/participation`, t);
    await call('PUT', `/v1/states/${s}/webhook`, t, { url: hook });
    for (const d of ['technical', 'diplomatic']) {
      await call('POST', `/v1/states/${s}/contacts`, t, {
        domains: [d], name: `Officer ${i}`, title: 'Point of contact', rank: 'officer', organization: `Ministry ${s}`,
        email: `${d}.${s.toLowerCase()}@example.org`, phone: '+41220000000', languages: ['en'], timezone: 'UTC', availability: '24/7',
      });
    }
  }
  const setupS = (performance.now() - t0) / 1000;

  const sec = token('secretariat');
  const t1 = performance.now();
  const { check } = await call('POST', '/v1/checks', sec, { windowMinutes: 240 });
  const startS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  let delivered = 0;
  for (;;) {
    const pass = await service.services.notifications.deliverDue();
    delivered += pass.delivered;
    if (pass.delivered + pass.retrying + pass.failed + pass.skipped === 0) break;
  }
  const deliverS = (performance.now() - t2) / 1000;

  // 100 states answer within the 4 h window (one contact each, spread over it), 25 after it, 25 never.
  const order = states.map((s, i) => ({ s, k: (i * 7919) % STATES })).sort((a, b) => a.k - b.k).map((x) => x.s);
  const onTime = order.slice(0, 100);
  const late = order.slice(100, 125);
  const start = now;
  for (const [i, s] of onTime.entries()) {
    now = start + Math.round(((i + 1) / onTime.length) * 230 * 60_000);
    await call('POST', `/v1/checks/${check.id}/acknowledgements`, token('delegate', s), { challenge: challenges.get(s)![0] });
  }
  for (const [i, s] of late.entries()) {
    now = start + (245 + i * 10) * 60_000;
    await call('POST', `/v1/checks/${check.id}/acknowledgements`, token('delegate', s), { challenge: challenges.get(s)![1] ?? challenges.get(s)![0] });
  }

  const round = await call('GET', `/v1/checks/${check.id}`, sec);
  const timings: number[] = [];
  let report: unknown;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    report = await call('GET', '/v1/reports/reachability', sec);
    timings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);
  process.stdout.write(`PostgreSQL ${postgres}; ${STATES} states, 2 contacts and a webhook each (setup ${setupS.toFixed(1)} s)\n`);
  process.stdout.write(`POST /v1/checks: ${round.states.reduce((n: number, s: { targets: number }) => n + s.targets, 0)} targets in ${(startS * 1000).toFixed(0)} ms; webhook delivery of the challenges: ${delivered} in ${deliverS.toFixed(1)} s\n`);
  process.stdout.write(`round summary: ${JSON.stringify(round.summary)}\n`);
  process.stdout.write(`aggregate report: ${JSON.stringify({ ...(report as object), perRound: undefined })}\n`);
  process.stdout.write(`GET /v1/reports/reachability (1 round, ${STATES} states, 300 targets): median ${timings[10]!.toFixed(1)} ms, max ${timings[19]!.toFixed(1)} ms over 20 calls (in-process inject)\n`);
  await service.close();
} finally {
  receiver.close();
  await dropBenchDatabase();
  rmSync(dataDir, { recursive: true, force: true });
}
