import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SECRET, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
const hs256 = (claims: Record<string, unknown>, opts: Record<string, unknown> = {}) =>
  createSigner({ key: JWT_SECRET, algorithm: 'HS256', ...opts })(claims);
const exp = () => Math.floor(Date.now() / 1000) + 600;

describe('authentication (HS256)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const get = (authorization?: string) => h.request({ method: 'GET', url: '/v1/states', headers: authorization ? { authorization } : {} });

  it('refuses calls without a token with 401 problem+json', async () => {
    const res = await get();
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ type: PROBLEM + 'unauthenticated', status: 401, title: expect.any(String), requestId: expect.any(String) });
  });

  it('accepts a valid token', async () => {
    expect((await get(`Bearer ${hs256({ sub: 'a', role: 'observer', exp: exp() })}`)).statusCode).toBe(200);
  });

  it.each([
    ['a wrong signature', () => createSigner({ key: 'another-secret-another-secret-another', algorithm: 'HS256' })({ sub: 'a', role: 'secretariat', exp: exp() })],
    ['alg "none"', () => createSigner({ algorithm: 'none' })({ sub: 'a', role: 'secretariat', exp: exp() })],
    ['a different HMAC algorithm (HS512)', () => createSigner({ key: JWT_SECRET, algorithm: 'HS512' })({ sub: 'a', role: 'secretariat', exp: exp() })],
    ['an expired token', () => hs256({ sub: 'a', role: 'secretariat', exp: Math.floor(Date.now() / 1000) - 10 })],
    ['no exp claim', () => hs256({ sub: 'a', role: 'secretariat' })],
    ['no sub claim', () => hs256({ role: 'secretariat', exp: exp() })],
    ['an unknown role', () => hs256({ sub: 'a', role: 'admin', exp: exp() })],
    ['a delegate without a state', () => hs256({ sub: 'a', role: 'delegate', exp: exp() })],
    ['a delegate of a non-ISO state', () => hs256({ sub: 'a', role: 'delegate', state: 'XYZ', exp: exp() })],
    ['garbage', () => 'not.a.jwt'],
  ])('refuses %s', async (_name, make) => {
    const res = await get(`Bearer ${make()}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toBe(PROBLEM + 'unauthenticated');
  });

  it('refuses a non-Bearer authorization scheme', async () => {
    expect((await get(`Basic ${Buffer.from('a:b').toString('base64')}`)).statusCode).toBe(401);
  });
});

describe('authentication (EdDSA public key, issuer and audience)', () => {
  let h: Harness;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  beforeAll(async () => {
    h = await startHarness({ env: { JWT_SECRET: '', JWT_PUBLIC_KEY: pub, JWT_ALGORITHM: 'EdDSA', JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'poc-directory' } });
  });
  afterAll(() => h?.close());

  const eddsa = (claims: Record<string, unknown>) => createSigner({ key: priv, algorithm: 'EdDSA' })(claims);
  const call = (token: string) => h.request({ method: 'GET', url: '/v1/states', token });
  const good = { sub: 'a', role: 'auditor', exp: exp(), iss: 'https://idp.example', aud: 'poc-directory' };

  it('accepts a token signed by the configured key with the right issuer and audience', async () => {
    expect((await call(eddsa(good))).statusCode).toBe(200);
  });

  it('refuses a wrong issuer, a wrong audience, and HS256 tokens (algorithm pinned)', async () => {
    expect((await call(eddsa({ ...good, iss: 'https://evil.example' }))).statusCode).toBe(401);
    expect((await call(eddsa({ ...good, aud: 'another-service' }))).statusCode).toBe(401);
    // Classic confusion attack: HMAC-sign with the public key as the secret.
    expect((await call(createSigner({ key: pub, algorithm: 'HS256' })(good))).statusCode).toBe(401);
  });
});

describe('rate limiting', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(() => h?.close());

  it('counts failed authentications: repeated bad tokens get 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await h.request({ method: 'GET', url: '/v1/states', headers: { authorization: `Bearer bad.token.${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const res = await h.request({ method: 'GET', url: '/v1/states', headers: { authorization: 'Bearer bad' } });
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().type).toBe(PROBLEM + 'rate-limited');
  });

  it('keys authenticated callers by token subject, not by IP', async () => {
    const alice = h.token('observer');
    const bob = h.token('observer');
    // The IP bucket is exhausted by the test above; authenticated subjects have their own.
    for (let i = 0; i < 5; i++) expect((await h.request({ method: 'GET', url: '/v1/states', token: alice })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: alice })).statusCode).toBe(429);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: bob })).statusCode).toBe(200);
  });
});
