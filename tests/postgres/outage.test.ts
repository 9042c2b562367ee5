/**
 * Fault injection against a real PostgreSQL that this test owns (a private
 * cluster in a temporary directory; the machine's shared cluster is never
 * touched), with two service instances as real processes (`node --import tsx
 * src/main.ts`, as `npm start` runs it) and a bounded load of contact writes
 * and request submissions (with Idempotency-Key) from the test:
 *   1. `pg_ctl restart -m fast` under load, then `stop -m fast` for a few
 *      seconds and start again;
 *   2. SIGTERM to one instance under load.
 * Asserts: both processes stay up; /healthz stays 200; /readyz drops to 503
 * problem+json naming the database and is 200 again within 5 s after the
 * database is back; no 5xx but 503, every 503 with Retry-After; no call hangs;
 * every acknowledged id is in the database; writes retried after a 503 (same
 * Idempotency-Key, or the same contact email) have exactly one effect; the
 * background loops log the failures and resume; the ledger verifies
 * (`ledger:verify --database-url`). SIGTERM under load: exit 0, nothing
 * acknowledged lost. The figures are printed for the record.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact } from '../harness.ts';
import {
  privateClusterUnavailable,
  ROOT,
  serviceEnv,
  sleep,
  spawnService,
  startPrivateCluster,
  tokenFor,
  type PrivateCluster,
  type ServiceProcess,
} from '../processes.ts';

const unavailable = privateClusterUnavailable();
if (unavailable) console.warn(`[tests] database outage fault test: NOT RUN (${unavailable})`);

/** Longest any call may take, outage or not (connect timeout 5 s, statement timeout below). */
const CALL_LIMIT_MS = 20_000;

let cluster: PrivateCluster;
let services: ServiceProcess[] = [];
let tmp: string;
const tok = { FRA: '', KEN: '' };

beforeAll(async () => {
  if (unavailable) return;
  const setupBegan = Date.now();
  tmp = mkdtempSync(path.join(tmpdir(), 'poc-outage-'));
  cluster = await startPrivateCluster();
  const env = serviceEnv({
    DATABASE_URL: cluster.url,
    DATABASE_POOL_MAX: '8',
    DATABASE_STATEMENT_TIMEOUT_MS: '10000',
    NOTIFY_POLL_MS: '500',
    SLA_SWEEP_MS: '1000',
    LEDGER_CHECKPOINT_SECONDS: '1',
  });
  // Both at once, as in a deployment (the migrator's lock lets one of them apply the migrations).
  services = await Promise.all([spawnService(env), spawnService(env)]);
  await Promise.all(services.map((s) => s.waitReady(120_000)));
  console.info(`[fault] private cluster and two service processes ready in ${seconds(Date.now() - setupBegan)} s`);
  tok.FRA = tokenFor('delegate', 'FRA');
  tok.KEN = tokenFor('delegate', 'KEN');
  for (const [state, token] of Object.entries(tok)) {
    const joined = await call(services[0]!, 'PUT', `/v1/states/${state}/participation`, token);
    expect(joined.status).toBe(201);
  }
  const kenContact = await call(services[0]!, 'POST', '/v1/states/KEN/contacts', tok.KEN, sampleContact());
  expect(kenContact.status).toBe(201);
}, 180_000);

afterAll(async () => {
  for (const s of services) s.kill();
  await Promise.all(services.map((s) => s.exited));
  cluster?.destroy();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Reply {
  status: number;
  /** 0: no HTTP answer (connection refused or reset); -1: no answer within CALL_LIMIT_MS. */
  body: Record<string, unknown> | undefined;
  retryAfter: string | null;
  contentType: string | null;
}

async function call(s: ServiceProcess, method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  try {
    const res = await fetch(s.base + url, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CALL_LIMIT_MS),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type') };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return { status: timedOut ? -1 : 0, body: undefined, retryAfter: null, contentType: null };
  }
}

/** One logical write: a contact of FRA (unique email) or a request FRA -> KEN (unique Idempotency-Key). */
interface Op {
  kind: 'contact' | 'request';
  payload: Record<string, unknown>;
  key: string;
  /** Id acknowledged with a 2xx. */
  id?: string;
  /** Answered 503 (or no answer) at least once: its outcome was unknown until retried. */
  unknown: boolean;
  /** Answered 409 duplicate email on a retry: an earlier attempt had committed. */
  committedEarlier?: boolean;
}

interface Stats {
  sent: number;
  acknowledged: number;
  status: Record<string, number>;
  n503: number;
  /** 503s that are not problem+json with Retry-After. */
  n503WithoutRetryAfter: number;
  other5xx: { status: number; body: unknown }[];
  noAnswer: number;
  hung: number;
}
const newStats = (): Stats => ({ sent: 0, acknowledged: 0, status: {}, n503: 0, n503WithoutRetryAfter: 0, other5xx: [], noAnswer: 0, hung: 0 });

function newOp(kind: Op['kind']): Op {
  const key = randomUUID();
  if (kind === 'contact') return { kind, key, unknown: false, payload: sampleContact({ email: `desk.${key.slice(0, 12)}@cert.example.fr` }) };
  return {
    kind,
    key,
    unknown: false,
    payload: {
      to: 'KEN',
      domain: 'technical',
      type: 'request-for-assistance',
      urgency: 'urgent',
      subject: `Outage drill ${key.slice(0, 8)}`,
      incidentSummary: 'Indicators point to infrastructure hosted in your jurisdiction.',
      ask: 'Please help take down the servers listed.',
      tlp: 'AMBER',
      language: 'en',
    },
  };
}

/** Sends an op once; records the answer. Returns true when the op is settled (acknowledged, or known committed). */
async function attempt(op: Op, s: ServiceProcess, stats: Stats): Promise<boolean> {
  stats.sent++;
  const res =
    op.kind === 'contact'
      ? await call(s, 'POST', '/v1/states/FRA/contacts', tok.FRA, op.payload)
      : await call(s, 'POST', '/v1/requests', tok.FRA, op.payload, { 'idempotency-key': op.key });
  stats.status[res.status] = (stats.status[res.status] ?? 0) + 1;
  if (res.status >= 200 && res.status < 300) {
    const id = (op.kind === 'contact' ? (res.body?.contact as { id: string }) : (res.body?.request as { id: string })).id;
    if (op.id !== undefined) expect(id, 'a replay returns the original id').toBe(op.id);
    op.id = id;
    stats.acknowledged++;
    return true;
  }
  if (op.kind === 'contact' && res.status === 409 && op.unknown) {
    op.committedEarlier = true; // the email exists: the attempt that answered 503 had committed
    return true;
  }
  if (res.status === 503) {
    stats.n503++;
    if (!res.retryAfter || !res.contentType?.includes('application/problem+json')) stats.n503WithoutRetryAfter++;
  } else if (res.status >= 500) stats.other5xx.push({ status: res.status, body: res.body });
  else if (res.status === 0) stats.noAnswer++;
  else if (res.status === -1) stats.hung++;
  else throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`);
  op.unknown = true;
  return false;
}

/** Concurrent writers until stop() (each waits `pauseMs` between writes, so the load stays bounded). */
function startLoad(targets: ServiceProcess[], writers: number, stats: Stats, ops: Op[], pauseMs = 30) {
  let stopped = false;
  const loops = Array.from({ length: writers }, async (_, w) => {
    for (let n = 0; !stopped; n++) {
      const op = newOp((w + n) % 2 === 0 ? 'contact' : 'request');
      ops.push(op);
      await attempt(op, targets[(w + n) % targets.length]!, stats);
      await sleep(pauseMs);
    }
  });
  return async () => {
    stopped = true;
    await Promise.all(loops);
  };
}

interface Probe {
  at: number;
  instance: number;
  path: '/readyz' | '/healthz';
  status: number;
  detail?: unknown;
  type?: unknown;
}

function startProbes(targets: ServiceProcess[], probes: Probe[], everyMs = 200) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await Promise.all(
        targets.flatMap((s, instance) =>
          (['/readyz', '/healthz'] as const).map(async (p) => {
            const res = await call(s, 'GET', p);
            probes.push({ at: Date.now(), instance, path: p, status: res.status, detail: res.body?.detail, type: res.body?.type });
          }),
        ),
      );
      await sleep(everyMs);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** Retries every op whose outcome is unknown, with the same key / email, until it settles. */
async function settle(ops: Op[], s: ServiceProcess, stats: Stats): Promise<number> {
  // Four at a time, each op retried until it settles.
  const pending = ops.filter((o) => o.id === undefined && !o.committedEarlier);
  const retried = pending.length;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let op = pending.shift(); op; op = pending.shift()) {
        let done = false;
        for (let i = 0; i < 20 && !done; i++) {
          done = await attempt(op, s, stats);
          if (!done) await sleep(500);
        }
        expect(done, `op ${op.kind} ${op.key} settles once the database is back`).toBe(true);
      }
    }),
  );
  return retried;
}

async function dbRows<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function missingAcknowledged(ops: Op[]): Promise<string[]> {
  const contacts = ops.filter((o) => o.kind === 'contact' && o.id).map((o) => o.id!);
  const requests = ops.filter((o) => o.kind === 'request' && o.id).map((o) => o.id!);
  const found = new Set([
    ...(await dbRows<{ id: string }>('select id from contacts where id = any($1::uuid[])', [contacts])).map((r) => r.id),
    ...(await dbRows<{ id: string }>('select id from requests where id = any($1::uuid[])', [requests])).map((r) => r.id),
  ]);
  return [...contacts, ...requests].filter((id) => !found.has(id));
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

describe.skipIf(unavailable !== undefined)('database outage (private PostgreSQL cluster, two service processes)', () => {
  it('survives a fast restart and a stop of PostgreSQL under load: 503s only, readiness drops and recovers, nothing acknowledged lost, one effect per retried write, the ledger verifies', async () => {
    const began = Date.now();
    const stats = newStats();
    const ops: Op[] = [];
    const probes: Probe[] = [];
    const stopProbes = startProbes(services, probes);
    const stopLoad = startLoad(services, 6, stats, ops);

    await sleep(2_000);
    // Fault 1: a fast restart (every connection is terminated with 57P01).
    await cluster.restart();
    await sleep(3_000);
    // Fault 2: the database is gone for a few seconds.
    const stoppedAt = Date.now();
    await cluster.stop();
    await sleep(4_000);
    await cluster.start();
    const backAt = Date.now();
    // Readiness: 200 again on both instances (measured from the moment PostgreSQL accepts connections again).
    const readyAgain: number[] = [];
    for (const [i, s] of services.entries()) {
      for (;;) {
        if ((await call(s, 'GET', '/readyz')).status === 200) break;
        expect(Date.now() - backAt, `instance ${i} ready again within 5 s`).toBeLessThan(5_000);
        await sleep(100);
      }
      readyAgain.push(Date.now() - backAt);
    }
    await sleep(2_000);
    await stopLoad();
    await stopProbes();

    // Both processes are alive, and answered every call (no connection refused, no hang).
    for (const s of services) expect(s.alive()).toBe(true);
    expect(stats.noAnswer).toBe(0);
    expect(stats.hung).toBe(0);
    // No 5xx but 503, every 503 problem+json with Retry-After; the faults did produce some.
    // (Fastify's own 503 to a request arriving while it closes is plain JSON: the SIGTERM test allows it.)
    expect(stats.other5xx).toEqual([]);
    expect(stats.n503WithoutRetryAfter).toBe(0);
    expect(stats.n503).toBeGreaterThan(0);
    // Liveness never failed; readiness dropped to 503 naming the database during the stop, on both instances.
    expect(probes.filter((p) => p.path === '/healthz' && p.status !== 200)).toEqual([]);
    for (const instance of [0, 1]) {
      const down = probes.filter((p) => p.instance === instance && p.path === '/readyz' && p.at > stoppedAt && p.at < backAt && p.status === 503);
      expect(down.length, `instance ${instance} reported not ready while the database was stopped`).toBeGreaterThan(0);
      expect(down[0]).toMatchObject({ type: '/problems/unavailable', detail: expect.stringContaining('database') });
    }
    expect(probes.filter((p) => p.path === '/readyz' && ![200, 503].includes(p.status))).toEqual([]);

    // Every write whose outcome was unknown is retried (same Idempotency-Key / same email): one effect each.
    const unknownOps = ops.filter((o) => o.id === undefined).length;
    const acknowledgedDuringLoad = stats.acknowledged;
    const sentDuringLoad = stats.sent;
    const retried = await settle(ops, services[0]!, stats);
    expect(stats.other5xx).toEqual([]);
    const lost = await missingAcknowledged(ops);
    expect(lost).toEqual([]);
    const [counts] = await dbRows<{ contacts: number; requests: number }>(
      `select (select count(*)::int from contacts where state_code = 'FRA') as contacts, (select count(*)::int from requests where sender_state = 'FRA') as requests`,
    );
    expect(counts).toEqual({ contacts: ops.filter((o) => o.kind === 'contact').length, requests: ops.filter((o) => o.kind === 'request').length });

    // The background loops logged the failures, backed off and resumed by themselves.
    for (const [i, s] of services.entries()) {
      expect(s.lines.some((l) => l.includes('background loop pass failed')), `instance ${i} logged a failed background pass`).toBe(true);
    }
    const resumeDeadline = Date.now() + 40_000;
    while (!services.every((s) => s.lines.some((l) => l.includes('background loop resumed') && l.includes('ledger-checkpoint'))) && Date.now() < resumeDeadline) {
      await sleep(250);
    }
    for (const [i, s] of services.entries()) {
      expect(s.lines.some((l) => l.includes('background loop resumed') && l.includes('ledger-checkpoint')), `instance ${i}: checkpoint tick resumed`).toBe(true);
      // Nothing crashed: no unhandled error event, no stack of an uncaught exception.
      expect(s.lines.filter((l) => /Unhandled 'error' event|uncaught/i.test(l))).toEqual([]);
    }

    // The ledger is gap-free and verifies, straight from the database.
    const publicKey = (await call(services[0]!, 'GET', '/v1/ledger/public-key')).body!.verifierKey as string;
    const verify = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/ledger-verify.ts', '--database-url', cluster.url, '--public-key', publicKey, '--state', path.join(tmp, 'verify-state.json')],
      { cwd: ROOT, timeout: 60_000 },
    ).then(
      () => 0,
      (err: { code?: number; stderr?: string }) => {
        console.error(err.stderr);
        return err.code ?? 1;
      },
    );
    expect(verify).toBe(0);

    console.info(
      `[fault] outage figures: requests sent ${sentDuringLoad} (statuses ${JSON.stringify(stats.status)} incl. retries), acknowledged during the faults ${acknowledgedDuringLoad}, ` +
        `503 answers ${stats.n503} (all with Retry-After), other 5xx ${stats.other5xx.length}, outcome unknown then retried ${unknownOps} (retries settled: ${retried}), ` +
        `acknowledged ids lost 0, duplicate effects 0; /readyz 200 again ${readyAgain.map((ms) => seconds(ms) + ' s').join(' and ')} after PostgreSQL was back; ` +
        `run ${seconds(Date.now() - began)} s`,
    );
  }, 240_000);

  it('SIGTERM under load: the instance finishes what it accepted and exits 0; nothing acknowledged is lost', async () => {
    const [victim, survivor] = services as [ServiceProcess, ServiceProcess];
    const stats = newStats();
    const ops: Op[] = [];
    const stopLoad = startLoad([victim], 6, stats, ops, 10);
    await sleep(1_500);
    const signalled = Date.now();
    victim.child.kill('SIGTERM');
    const exit = await victim.exited;
    const exitMs = Date.now() - signalled;
    await sleep(300);
    await stopLoad();
    expect(exit).toEqual({ code: 0, signal: null });
    // Acknowledged writes are all there; the rest were refused (connection closed, or 503 while closing), never 500.
    expect(stats.acknowledged).toBeGreaterThan(0);
    expect(stats.other5xx).toEqual([]);
    expect(stats.hung).toBe(0);
    expect(await missingAcknowledged(ops)).toEqual([]);
    // The other instance is unaffected; then it too stops cleanly.
    expect((await call(survivor, 'GET', '/readyz')).status).toBe(200);
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
    services = [];
    console.info(
      `[fault] SIGTERM under load: writes sent ${stats.sent}, acknowledged ${stats.acknowledged}, not acknowledged (connection closed or refused, or 503 while closing) ${stats.noAnswer + stats.n503}, lost 0; exit 0 after ${seconds(exitMs)} s`,
    );
  }, 120_000);
});
