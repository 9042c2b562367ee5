/**
 * Regression tests for the defects the fuzz suite (fuzz.test.ts) found
 * beyond those listed in issue 9; one focused case each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
let h: Harness;
let fra: string;

beforeAll(async () => {
  h = await startHarness();
  fra = h.token('delegate', 'FRA');
  await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
});
afterAll(() => h?.close());

describe('router errors are problem+json', () => {
  it('a path that is not valid percent-encoding gets a 400 problem that does not echo the path', async () => {
    for (const url of ['/v1/states/%zz/contacts', '/v1/contacts/%ED%A0%80', '/v1/requests/%C0%AE']) {
      const res = await h.request({ method: 'GET', url, token: fra });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: `${PROBLEM}bad-request`, status: 400, requestId: expect.any(String) });
      expect(res.body).not.toContain('%');
    }
  });

  it('a path parameter longer than the router allows gets a 414 problem', async () => {
    const res = await h.request({ method: 'DELETE', url: `/v1/contacts/${'a'.repeat(500)}`, token: fra });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: `${PROBLEM}uri-too-long`, status: 414 });
    expect(res.body).not.toContain('aaaa');
  });
});
