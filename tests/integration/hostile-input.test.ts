/**
 * Issue 9 regressions: input that used to answer 500 (language codes, crafted
 * cursors, NUL bytes in a signed token), unbounded token lifetimes, and
 * health probes caught by the rate limiter.
 */
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
const hs256 = (claims: Record<string, unknown>) => createSigner({ key: JWT_SECRET, algorithm: 'HS256' })(claims);
const nowS = () => Math.floor(Date.now() / 1000);

describe('hostile input', () => {
  let h: Harness;
  const tok = {} as Record<'FRA' | 'KEN' | 'sec', string>;
  let contactId: string;
  const countRows = async () => {
    const [r] = await h.sql<{ l: number; c: number; q: number; k: number; i: number }>(
      `select (select count(*)::int from ledger_entries) as l, (select count(*)::int from contacts) as c,
              (select count(*)::int from requests) as q, (select count(*)::int from checks) as k,
              (select count(*)::int from idempotency_keys) as i`,
    );
    return r!;
  };

  beforeAll(async () => {
    h = await startHarness();
    tok.FRA = h.token('delegate', 'FRA');
    tok.KEN = h.token('delegate', 'KEN');
    tok.sec = h.token('secretariat');
    for (const s of ['FRA', 'KEN'] as const) await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] });
    const res = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: tok.FRA, payload: sampleContact({ visibility: 'public' }) });
    expect(res.statusCode).toBe(201);
    contactId = res.json().contact.id;
    await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: tok.FRA, payload: sampleContact({ visibility: 'public' }) });
  });
  afterAll(() => h?.close());

  const request = (extra: Record<string, unknown> = {}) => ({
    to: 'KEN',
    domain: 'technical',
    type: 'notification',
    urgency: 'routine',
    subject: 'Scanning from your address space',
    incidentSummary: 'We observe scanning.',
    ask: 'Please look into it.',
    tlp: 'GREEN',
    language: 'en',
    ...extra,
  });

  describe('language codes are refused with 400, never 500', () => {
    const BAD = ['x', '1', 'a b', 'xx-', 'EN', 'eng', '', 'zz', 'e\u0000'];

    it.each(BAD)('POST /v1/requests language=%j', async (language) => {
      const before = await countRows();
      const res = await h.request({ method: 'POST', url: '/v1/requests', token: tok.FRA, payload: request({ language }) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ type: PROBLEM + 'validation-error', errors: expect.arrayContaining([expect.objectContaining({ path: 'body.language' })]) });
      expect(await countRows()).toEqual(before);
    });

    it.each(BAD)('contact languages [%j] on create and on PATCH', async (code) => {
      const before = await countRows();
      const created = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: tok.FRA, payload: sampleContact({ languages: ['fr', code] }) });
      expect(created.statusCode).toBe(400);
      expect(created.json().type).toBe(PROBLEM + 'validation-error');
      const patched = await h.request({ method: 'PATCH', url: `/v1/contacts/${contactId}`, token: tok.FRA, payload: { languages: [code] } });
      expect(patched.statusCode).toBe(400);
      expect(patched.json().type).toBe(PROBLEM + 'validation-error');
      expect(await countRows()).toEqual(before);
    });

    it('still accepts real ISO 639-1 codes', async () => {
      const res = await h.request({ method: 'PATCH', url: `/v1/contacts/${contactId}`, token: tok.FRA, payload: { languages: ['fr', 'sw', 'ar'] } });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('pagination cursors are opaque and tamper-proof: anything the server did not issue is 400', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const CRAFTED = [
      b64('FRA|2020-01-01T00:00:00.000Z|------------------------------------'),
      b64('FRA|-200000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      b64('-200000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      b64('2020-01-01T00:00:00.000Z|------------------------------------'),
      b64('2020-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      'bm9wZQ',
      '.',
      'a.b.c',
      '%00',
      b64('["2020-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]') + '.' + b64('x'.repeat(32)),
    ];
    const URLS: [string, 'FRA' | 'sec' | null][] = [
      ['/v1/public/directory', null],
      ['/v1/directory', 'FRA'],
      ['/v1/states/FRA/contacts', 'FRA'],
      ['/v1/requests', 'FRA'],
      ['/v1/requests', 'sec'],
    ];

    for (const [url, who] of URLS) {
      it(`${url} (${who ?? 'no token'}) refuses crafted cursors with 400 problem+json`, async () => {
        for (const cursor of CRAFTED) {
          const res = await h.request({ method: 'GET', url: `${url}?cursor=${encodeURIComponent(cursor)}`, ...(who ? { token: tok[who] } : {}) });
          expect(res.statusCode, cursor).toBe(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
        }
      });
    }

    it('a cursor issued for one listing does not open another, and a modified one does not open at all', async () => {
      for (let i = 0; i < 2; i++) await h.request({ method: 'POST', url: '/v1/requests', token: tok.FRA, payload: request() });
      const pages: Record<string, string> = {};
      for (const [url, who] of [
        ['/v1/public/directory', null],
        ['/v1/states/FRA/contacts', 'FRA'],
        ['/v1/requests?box=outbox', 'FRA'],
      ] as const) {
        const res = await h.request({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}limit=1`, ...(who ? { token: tok[who] } : {}) });
        expect(res.statusCode).toBe(200);
        const next = res.json().nextCursor as string;
        expect(next).toEqual(expect.any(String));
        pages[url] = next;
        const following = await h.request({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}limit=1&cursor=${next}`, ...(who ? { token: tok[who] } : {}) });
        expect(following.statusCode).toBe(200);
        const flipped = next.slice(0, 5) + (next[5] === 'A' ? 'B' : 'A') + next.slice(6);
        expect((await h.request({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}cursor=${flipped}`, ...(who ? { token: tok[who] } : {}) })).statusCode).toBe(400);
      }
      const directoryCursor = pages['/v1/public/directory']!;
      expect((await h.request({ method: 'GET', url: `/v1/states/FRA/contacts?cursor=${directoryCursor}`, token: tok.FRA })).statusCode).toBe(400);
      expect((await h.request({ method: 'GET', url: `/v1/requests?box=outbox&cursor=${pages['/v1/states/FRA/contacts']}`, token: tok.FRA })).statusCode).toBe(400);
      expect((await h.request({ method: 'GET', url: `/v1/states/KEN/contacts?cursor=${pages['/v1/states/FRA/contacts']}`, token: tok.KEN })).statusCode).toBe(400);
    });
  });

  describe('a validly signed token whose claims hold control characters is refused at authentication', () => {
    for (const sub of ['a\u0000b', '\u0000', 'tab\tbed', 'line\nbreak', 'lone\uD800surrogate']) {
      it(`sub=${JSON.stringify(sub)}: 401 on POST /v1/requests with an Idempotency-Key and POST /v1/checks, nothing written`, async () => {
        const before = await countRows();
        const delegate = hs256({ sub, role: 'delegate', state: 'FRA', exp: nowS() + 600 });
        const sent = await h.request({ method: 'POST', url: '/v1/requests', token: delegate, payload: request(), headers: { 'idempotency-key': 'nul-1' } });
        expect(sent.statusCode).toBe(401);
        expect(sent.json().type).toBe(PROBLEM + 'unauthenticated');
        const secretariat = hs256({ sub, role: 'secretariat', exp: nowS() + 600 });
        const check = await h.request({ method: 'POST', url: '/v1/checks', token: secretariat, payload: {} });
        expect(check.statusCode).toBe(401);
        expect(await countRows()).toEqual(before);
      });
    }

    it('a printable non-ASCII subject is still accepted', async () => {
      const token = hs256({ sub: 'agent-Łódź-東京', role: 'delegate', state: 'FRA', exp: nowS() + 600 });
      const res = await h.request({ method: 'POST', url: '/v1/requests', token, payload: request(), headers: { 'idempotency-key': 'unicode-1' } });
      expect(res.statusCode).toBe(201);
    });
  });

  describe('token lifetime (JWT_MAX_TTL_SECONDS, default 12 h)', () => {
    const call = (claims: Record<string, unknown>) => h.request({ method: 'GET', url: '/v1/states', token: hs256({ sub: 'ttl', role: 'observer', ...claims }) });

    it.each([
      ['exp = 1e20', { exp: 1e20 }],
      ['exp 13 h ahead, no iat', { exp: nowS() + 13 * 3600 }],
      ['iat now, exp 12 h + 1 min later', { iat: nowS(), exp: nowS() + 12 * 3600 + 60 }],
      ['iat 2 minutes in the future', { iat: nowS() + 120, exp: nowS() + 600 }],
      ['iat an hour in the past, lifetime 13 h', { iat: nowS() - 3600, exp: nowS() + 12 * 3600 }],
      ['iat that is not a number', { iat: 'yesterday', exp: nowS() + 600 }],
    ])('refuses %s with 401', async (_name, claims) => {
      const res = await call(claims);
      expect(res.statusCode).toBe(401);
      expect(res.json().type).toBe(PROBLEM + 'unauthenticated');
    });

    it.each([
      ['exp 1 h ahead, no iat', { exp: nowS() + 3600 }],
      ['iat now, exp 12 h later', { iat: nowS(), exp: nowS() + 12 * 3600 }],
      ['iat 30 s ahead (clock skew)', { iat: nowS() + 30, exp: nowS() + 600 }],
    ])('accepts %s', async (_name, claims) => {
      expect((await call(claims)).statusCode).toBe(200);
    });

    it('honours a configured JWT_MAX_TTL_SECONDS', async () => {
      const short = await startHarness({ env: { JWT_MAX_TTL_SECONDS: '600' } });
      try {
        const get = (exp: number) => short.request({ method: 'GET', url: '/v1/states', token: hs256({ sub: 'x', role: 'observer', iat: nowS(), exp }) });
        expect((await get(nowS() + 600)).statusCode).toBe(200);
        expect((await get(nowS() + 700)).statusCode).toBe(401);
      } finally {
        await short.close();
      }
    });
  });
});

describe('health probes are never rate limited', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_MAX: '300', RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(() => h?.close());

  it('after 320 bad-token requests from one IP, /healthz and /readyz still answer 200 while the API answers 429', async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 320; i++) {
      const res = await h.request({ method: 'GET', url: '/v1/states', headers: { authorization: `Bearer bad.token.${i}` } });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    expect(statuses.get(429)).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      expect((await h.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await h.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      expect((await h.request({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer bad.token' } })).statusCode).toBe(200);
    }
    expect((await h.request({ method: 'GET', url: '/v1/states', headers: { authorization: 'Bearer bad.token' } })).statusCode).toBe(429);
  });
});
