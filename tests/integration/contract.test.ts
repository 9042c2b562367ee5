/**
 * The API contract as generated from the routes: every operation documents
 * itself (operationId, description), the public surface is exactly the routes
 * whose action is `public`, and every problem `type` URI resolves to a page of
 * the service. (The committed openapi.yaml equals what the service serves:
 * health.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractProblems } from '../../src/http/openapi.ts';
import { PROBLEM_BASE, problemTypes } from '../../src/http/problem.ts';
import { startHarness, type Harness } from '../harness.ts';

let h: Harness;
let doc: { paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>; servers?: unknown[]; components: { schemas: Record<string, unknown> } };
beforeAll(async () => {
  h = await startHarness();
  doc = (await h.request({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => h?.close());

/** fastify's `/v1/contacts/:id` as OpenAPI's `/v1/contacts/{id}` (a wildcard is documented as {path}). */
const openapiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}').replace(/\/\*$/, '/{path}');

describe('the generated contract', () => {
  it('gives every operation a unique camelCase operationId and a description', () => {
    expect(contractProblems(doc)).toEqual([]);
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.length).toBeGreaterThan(70);
  });

  it('names what an undocumented route lacks (the generator refuses to write it)', () => {
    const bad = { paths: { '/x': { get: { summary: 'x' } }, '/y': { post: { operationId: 'getHealth', description: 'A description that is long enough.' } } } };
    const withDup = { paths: { '/y': bad.paths['/y'], '/z': { get: { operationId: 'getHealth', description: 'Another description long enough.' } } } };
    expect(contractProblems(bad)).toEqual(['GET /x: needs schema.operationId in camelCase', 'GET /x: needs schema.description (one or two useful sentences)']);
    expect(contractProblems(withDup)).toEqual(['GET /z: operationId getHealth is already used by POST /y']);
  });

  it('marks exactly the routes whose action is public as needing no token (security: [])', () => {
    const routes = h.app.declaredRoutes().filter((r) => r.method !== 'HEAD');
    let documented = 0;
    for (const r of routes) {
      for (const method of [r.method].flat()) {
        const op = doc.paths[openapiPath(r.url)]?.[String(method).toLowerCase()];
        if (!op) continue; // hidden from the contract (docs page, /openapi.json, /metrics)
        documented++;
        if (r.action === 'public') expect(op.security, `${String(method)} ${r.url}`).toEqual([]);
        else expect(op.security, `${String(method)} ${r.url}`).toBeUndefined();
      }
    }
    expect(documented).toBeGreaterThan(70);
    for (const p of ['/healthz', '/readyz', '/v1/public/directory', '/v1/ledger/public-key', '/v1/exports/public-key', '/problems/{type}']) expect(doc.paths[p]!.get!.security, p).toEqual([]);
    expect(doc.paths['/v1/contacts/{id}']!.get!.security).toBeUndefined();
  });

  it('has a servers block and no component schema that nothing references', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const text = JSON.stringify(doc.paths) + JSON.stringify(doc.components.schemas);
    for (const name of Object.keys(doc.components.schemas)) expect(text, name).toContain(`"#/components/schemas/${name}"`);
    expect(Object.keys(doc.components.schemas)).not.toContain('ProblemInput');
  });
});

describe('problem type pages', () => {
  /** Every problem type the code can emit: `new Problem('…'` and the status table of the error handler, read from the source. */
  function emittedTypes(): Set<string> {
    const found = new Set<string>();
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
    for (const file of walk(new URL('../../src', import.meta.url).pathname)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new Problem\(\s*'([a-z-]+)'/g)) found.add(m[1]!);
      for (const m of text.matchAll(/(?:problemBody|send)\(\s*'([a-z-]+)'/g)) found.add(m[1]!);
      for (const m of text.matchAll(/^\s+\d{3}: '([a-z-]+)',$/gm)) found.add(m[1]!);
    }
    return found;
  }

  it('every problem type the code emits is registered and its page answers 200 with its title and advice', async () => {
    const emitted = emittedTypes();
    expect(emitted.size).toBeGreaterThan(10);
    for (const slug of emitted) expect(Object.keys(problemTypes), slug).toContain(slug);
    for (const [slug, { title, status }] of Object.entries(problemTypes)) {
      const res = await h.request({ method: 'GET', url: `/problems/${slug}` });
      expect(res.statusCode, slug).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain(`<h1>${title}</h1>`);
      expect(res.body).toContain(`HTTP status ${status}`);
      expect(res.body).toContain('What to do');
    }
  });

  it("a response's problem type is a relative URI that resolves, against the request URI, to its page", async () => {
    const res = await h.request({ method: 'GET', url: '/v1/contacts/00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(401);
    const { type } = res.json();
    expect(type).toBe(`${PROBLEM_BASE}unauthenticated`);
    const resolved = new URL(type, 'https://directory.example.org/v1/contacts/00000000-0000-4000-8000-000000000000');
    expect(resolved.href).toBe('https://directory.example.org/problems/unauthenticated');
    const page = await h.request({ method: 'GET', url: resolved.pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(problemTypes.unauthenticated.title);
  });

  it('an unknown type is a 404 problem and nothing of the request is echoed', async () => {
    for (const slug of ['nope', 'toString', '__proto__', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'x'.repeat(65)]) {
      const res = await h.request({ method: 'GET', url: `/problems/${slug}` });
      expect([404, 400], slug).toContain(res.statusCode);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('script');
      expect(res.body).not.toContain('toString');
    }
    expect((await h.request({ method: 'GET', url: '/problems/nope' })).json()).toMatchObject({ status: 404, type: '/problems/not-found' });
  });
});
