import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, sampleContact, startHarness, type Harness } from '../harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';
const PORTAL = 'https://portal.example.org';
let h: Harness; // METRICS_TOKEN and CORS_ORIGINS set
let plain: Harness; // the defaults: no /metrics, no CORS
const tok: Record<string, string> = {};

beforeAll(async () => {
  [h, plain] = await Promise.all([
    startHarness({ env: { METRICS_TOKEN, CORS_ORIGINS: `${PORTAL}, https://other.example.org`, NOTIFY_POLL_MS: '0', SMTP_URL: 'smtp://127.0.0.1:2' } }),
    startHarness(),
  ]);
  tok.sec = h.token('secretariat');
  for (const s of ['FRA', 'KEN']) {
    tok[s] = h.token('delegate', s);
    await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] });
    expect((await h.request({ method: 'POST', url: `/v1/states/${s}/contacts`, token: tok[s], payload: sampleContact({ domains: ['technical'] }) })).statusCode).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
  await plain?.close();
});

interface Scrape {
  families: Map<string, MetricFamily>;
  text: string;
}

/** Scrapes /metrics and parses the exposition text (the parser throws on a malformed line). */
async function scrape(): Promise<Scrape> {
  const res = await h.request({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
  return { families: new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f])), text: res.body };
}

const value = ({ families }: Scrape, name: string, labels: Record<string, string> = {}): number | undefined => {
  const sample = families.get(name)?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  return sample?.value === undefined ? undefined : Number(sample.value);
};
/**
 * Requests counted by the duration histogram for the given labels. (parse-prometheus-text-format
 * keeps no labels of histogram samples, so the _count lines are read from the text.)
 */
const requestCount = ({ text }: Scrape, labels: Record<string, string>) => {
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^poc_http_request_duration_seconds_count\{(.*)\} (\d+)$/.exec(line);
    if (!m) continue;
    const got = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) n += Number(m[2]);
  }
  return n;
};

describe('GET /metrics (Prometheus)', () => {
  it('does not exist unless METRICS_TOKEN is set', async () => {
    const res = await plain.request({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a scraper without the token, with a wrong one, or with a user token (401 problem+json)', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, `Basic ${METRICS_TOKEN}`, `Bearer ${tok.sec}`]) {
      const res = await h.request({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.body).not.toContain('poc_');
    }
  });

  it('exposes request durations, outbox, ledger, checkpoint, reachability and process figures, and they change', async () => {
    const before = await scrape();
    for (const name of [
      'poc_http_request_duration_seconds',
      'poc_outbox_pending',
      'poc_outbox_oldest_pending_age_seconds',
      'poc_ledger_entries',
      'poc_ledger_queued_entries',
      'poc_ledger_uncovered_entries',
      'poc_ledger_checkpoint_tree_size',
      'poc_ledger_checkpoint_age_seconds',
      'poc_reachability_round_targets',
      'poc_reachability_round_acknowledged',
      'poc_process_cpu_user_seconds_total',
    ]) {
      expect(before.families.has(name), name).toBe(true);
    }
    expect(before.families.get('poc_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    if (backend === 'postgres') {
      for (const state of ['total', 'idle', 'waiting']) expect(value(before, 'poc_db_pool_connections', { state })).toBeGreaterThanOrEqual(0);
      expect(value(before, 'poc_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    } else {
      expect(before.families.has('poc_db_pool_connections')).toBe(false); // PGlite: one connection, no pool
    }
    const route = { method: 'POST', route: '/v1/states/:code/contacts', status_code: '201' };
    expect(requestCount(before, route)).toBe(2);
    expect(requestCount(before, { route: '(unmatched)' })).toBe(0);

    // Traffic, a request (queues notifications), a reachability round, a checkpoint.
    expect((await h.request({ method: 'POST', url: `/v1/states/FRA/contacts`, token: tok.FRA, payload: sampleContact() })).statusCode).toBe(201);
    expect((await h.request({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);
    const sent = await h.request({
      method: 'POST',
      url: '/v1/requests',
      token: tok.FRA,
      payload: { to: 'KEN', domain: 'technical', type: 'request-for-assistance', urgency: 'urgent', subject: 's', incidentSummary: 'i', ask: 'a', tlp: 'AMBER', language: 'en' },
    });
    expect(sent.statusCode).toBe(201);
    expect((await h.request({ method: 'POST', url: '/v1/checks', token: tok.sec, payload: { windowMinutes: 60, domains: ['technical'] } })).statusCode).toBe(201);
    const ledgerBefore = value(before, 'poc_ledger_entries')!;
    const after = await scrape();
    expect(requestCount(after, route)).toBe(3);
    expect(requestCount(after, { route: '(unmatched)', status_code: '404' })).toBe(1);
    expect(value(after, 'poc_ledger_entries')).toBeGreaterThan(ledgerBefore);
    expect(value(after, 'poc_ledger_queued_entries')).toBe(0); // every change waited for its entry's integration
    expect(value(after, 'poc_outbox_pending')).toBeGreaterThan(value(before, 'poc_outbox_pending')!);
    expect(value(after, 'poc_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(after, 'poc_reachability_round_targets', { exercise: 'false' })).toBe(3); // one challenge per point of contact in the domain
    expect(value(after, 'poc_reachability_round_acknowledged', { exercise: 'false' })).toBe(0);

    // A signed checkpoint covers the entries: the lag drops to zero and the checkpoint's age appears.
    const { db, ledger } = h.service.services;
    await ledger.checkpoints.sign(db, 'now');
    const signed = await scrape();
    expect(value(signed, 'poc_ledger_uncovered_entries')).toBe(0);
    expect(value(signed, 'poc_ledger_checkpoint_tree_size')).toBe(value(signed, 'poc_ledger_entries'));
    expect(value(signed, 'poc_ledger_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(signed, 'poc_ledger_checkpoint_age_seconds')).toBeLessThan(60);
  });
});

describe('CORS', () => {
  it('is off by default: no CORS headers, and a preflight is not answered', async () => {
    const get = await plain.request({ method: 'GET', url: '/healthz', headers: { origin: PORTAL } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await plain.request({ method: 'OPTIONS', url: '/v1/contacts/x', headers: { origin: PORTAL, 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('allows the listed origins only, answers a preflight without a token, and exposes the request id', async () => {
    const preflight = await h.request({
      method: 'OPTIONS',
      url: '/v1/states/FRA/contacts',
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const get = await h.request({ method: 'GET', url: '/v1/states/FRA/contacts', token: tok.FRA, headers: { origin: PORTAL } });
    expect(get.statusCode).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(get.headers['access-control-expose-headers']).toContain('x-request-id');

    const stranger = await h.request({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('X-Request-Id', () => {
  it('echoes a well-formed client id, also in problem bodies, and replaces a malformed one', async () => {
    const ok = await h.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'cert-fr.2026-12-04_0042' } });
    expect(ok.headers['x-request-id']).toBe('cert-fr.2026-12-04_0042');

    const refused = await h.request({ method: 'GET', url: '/v1/contacts/00000000-0000-0000-0000-000000000000', headers: { 'x-request-id': 'trace-123' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().requestId).toBe('trace-123');

    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon', '']) {
      const res = await h.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('the docs page', () => {
  it("turns off Scalar's cloud features: Ask AI, MCP, developer tools (Share, Deploy), telemetry", async () => {
    const res = await plain.request({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const config = JSON.parse(/createApiReference\('#app', (\{[\s\S]*?\})\)\s*<\/script>/.exec(html)![1]!);
    expect(config).toMatchObject({ url: '/openapi.json', agent: { disabled: true }, mcp: { disabled: true }, showDeveloperTools: 'never', telemetry: false });
  });
});
