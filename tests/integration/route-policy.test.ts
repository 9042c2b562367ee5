/**
 * Every registered route declares its authorization action, and a route that
 * declares none stops the application from starting (fail closed).
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../../src/auth/plugin.ts';
import { isAction } from '../../src/auth/policy.ts';
import { JWT_SECRET, startHarness, type Harness } from '../harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('route declarations', () => {
  it('every registered route declares a known action; the public ones are exactly the unauthenticated surface', async () => {
    const routes = h.app.declaredRoutes();
    expect(routes.length).toBeGreaterThan(50);
    const undeclared = routes.filter((r) => !isAction(r.action)).map((r) => `${String(r.method)} ${r.url}`);
    expect(undeclared).toEqual([]);
    const publicRoutes = new Set(routes.filter((r) => r.action === 'public').map((r) => r.url.replace(/\/$/, '')));
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/v1/public/directory', '/v1/templates/request', '/v1/ledger/public-key', '/docs']) expect(publicRoutes, url).toContain(url);
    // The collector holds what fastify's router holds (onRoute sees every registration, HEAD included).
    for (const r of routes) {
      for (const method of [r.method].flat()) expect(h.app.hasRoute({ method: method as 'GET', url: r.url }), `${method} ${r.url}`).toBe(true);
    }
    for (const url of ['/v1/users/:id', '/v1/api-keys/:id', '/v1/pending-changes/:id/approval', '/v1/states/:code/policy']) expect(routes.some((r) => r.url === url)).toBe(true);
    // A non-public route refuses an anonymous caller.
    for (const r of routes.filter((x) => x.action !== 'public' && !x.url.includes('*'))) {
      const method = (Array.isArray(r.method) ? r.method[0] : r.method) as 'GET';
      if (method === ('HEAD' as string)) continue;
      const url = r.url.replace(':code', 'FRA').replace(':counterpart', 'DEU').replace(/:[a-z]+/g, '00000000-0000-4000-8000-000000000000');
      const res = await h.request({ method, url, payload: method === 'GET' || method === ('DELETE' as string) ? undefined : {} });
      expect([400, 401], `${method} ${url}`).toContain(res.statusCode);
    }
  });

  it('an app with a route that declares no action fails to start', async () => {
    const app = Fastify();
    await app.register(authPlugin, { jwtSecret: JWT_SECRET, jwtAlgorithm: 'EdDSA', mode: 'claims', maxTtlSeconds: 43_200 });
    app.get('/declared', { config: { action: 'states.read' } }, async () => ({}));
    app.get('/forgotten', async () => ({}));
    await expect(app.ready()).rejects.toThrow(/GET \/forgotten/);
  });
});
