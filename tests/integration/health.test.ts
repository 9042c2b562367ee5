import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startHarness, type Harness } from '../harness.ts';
import { helmetHeaders } from '../../src/http/security-headers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('health and documentation', () => {
  it('GET /healthz answers without a token', async () => {
    const res = await h.request({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers (helmet), with a locked-down CSP for the API and a relaxed one for the docs page only', async () => {
    const api = await h.request({ method: 'GET', url: '/healthz' });
    expect(api.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'x-frame-options': 'SAMEORIGIN',
    });
    const docs = await h.request({ method: 'GET', url: '/docs/' });
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('sends every header helmet sets (recorded once at start-up) on answers and refusals alike', async () => {
    const expected = helmetHeaders();
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
    expect(expected).toMatchObject({ 'cross-origin-opener-policy': 'same-origin', 'referrer-policy': 'no-referrer', 'x-dns-prefetch-control': 'off' });
    for (const res of [await h.request({ method: 'GET', url: '/healthz' }), await h.request({ method: 'GET', url: '/v1/no-such-route' }), await h.request({ method: 'GET', url: '/v1/contacts/x' })]) {
      expect(res.statusCode === 200 || res.statusCode >= 400).toBe(true);
      expect(res.headers).toMatchObject(expected);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('GET /readyz reports the database reachable and migrated', async () => {
    const res = await h.request({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready' });
  });

  it('GET /readyz is 503 problem+json when a migration is missing', async () => {
    await h.sql(`delete from kysely_migration`);
    const res = await h.request({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().type).toBe('/problems/unavailable');
  });

  it('GET /openapi.json serves the same document as openapi.yaml', async () => {
    const res = await h.request({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const file = YAML.parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    // If this fails after an API change, regenerate the file: npm run openapi
    expect(res.json()).toEqual(file);
    expect(Object.keys(file.paths)).toEqual(
      expect.arrayContaining(['/v1/states/{code}/participation', '/v1/states/{code}/contacts', '/v1/contacts/{id}', '/v1/ledger/entries', '/healthz', '/readyz']),
    );
  });

  it('GET /docs serves a human documentation page', async () => {
    const res = await h.request({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('/openapi.json');
  });

  it('unknown routes are 404 problem+json', async () => {
    const res = await h.request({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, type: '/problems/not-found' });
  });
});
