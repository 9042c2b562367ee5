/**
 * OpenID Connect: tokens verified against the provider's JWKS (a local HTTP
 * server here), keys picked by `kid`; a key rotated in at the provider is
 * picked up, a key rotated out or never published is refused, and so is a
 * token from another issuer. Registry mode: the token proves (issuer,
 * subject), the registry gives role and state.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.ts';

const ISSUER = 'https://idp.example.org/realms/poc';
let h: Harness;
let server: Server;
let published: JWK[] = [];
let fetches = 0;
const keys = new Map<string, { privateKey: CryptoKey; jwk: JWK }>();

async function newKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  keys.set(kid, { privateKey, jwk });
  return jwk;
}

const sign = (kid: string, sub: string, iss = ISSUER) =>
  new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(iss).setSubject(sub).setIssuedAt().setExpirationTime('10m').setJti(crypto.randomUUID()).sign(keys.get(kid)!.privateKey);

beforeAll(async () => {
  published = [await newKey('k1')];
  server = createServer((req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  h = await startHarness({
    env: {
      JWT_SECRET: '',
      JWT_JWKS_URL: `http://127.0.0.1:${port}/realms/poc/protocol/openid-connect/certs`,
      JWT_ISSUER: ISSUER,
      JWT_ALGORITHM: 'ES256',
      JWT_JWKS_COOLDOWN_MS: '0',
      AUTH_MODE: 'registry',
    },
  });
  // Bootstrap as the CLI does: the registry, not the token, says who is the secretariat.
  const cli = { sub: 'system:cli', role: 'secretariat' as const, state: null };
  await h.service.services.users.register(cli, { subject: 'alice', issuer: ISSUER, role: 'secretariat', displayName: 'Alice' });
  await h.service.services.users.register(cli, { subject: 'bruno', issuer: ISSUER, role: 'delegate', state: 'FRA', displayName: 'Bruno' });
});
afterAll(async () => {
  await h?.close();
  server?.close();
});

const get = (token: string, url = '/v1/users') => h.request({ method: 'GET', url, token });

describe('OIDC with key rotation', () => {
  it('verifies by kid, picks up a rotated key, refuses retired, unknown and foreign-issuer tokens', async () => {
    expect((await get(await sign('k1', 'alice'))).statusCode).toBe(200);
    // The registry decides: bruno is a delegate, so the user list is 403 for him.
    expect((await get(await sign('k1', 'bruno'))).statusCode).toBe(403);
    expect((await get(await sign('k1', 'mallory'))).statusCode).toBe(401);

    // Rotation: the provider publishes k2 and retires k1.
    published = [await newKey('k2')];
    const before = fetches;
    expect((await get(await sign('k2', 'alice'))).statusCode).toBe(200);
    expect(fetches).toBeGreaterThan(before);
    const retired = await get(await sign('k1', 'alice'));
    expect(retired.statusCode).toBe(401);
    expect(retired.json().detail).toMatch(/token is not valid/);

    // A key never published, and a token from another issuer, are refused.
    await newKey('k3');
    expect((await get(await sign('k3', 'alice'))).statusCode).toBe(401);
    expect((await get(await sign('k2', 'alice', 'https://evil.example.org/'))).statusCode).toBe(401);
    // HS256 tokens are not accepted at all in this mode.
    expect((await get(h.token('secretariat'))).statusCode).toBe(401);
  });
});
