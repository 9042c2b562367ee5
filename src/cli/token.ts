/**
 * Mints a development JWT (HS256, signed with JWT_SECRET or the development
 * secret in DATA_DIR/dev-keys) to try the API:
 *   npm run token -- --role delegate --state FRA [--sub alice] [--ttl 3600]
 */
import { parseArgs } from 'node:util';
import { createSigner } from 'fast-jwt';
import { ROLES, actorFromClaims } from '../auth/actor.ts';
import { loadConfig } from '../config.ts';
import { initCrypto } from '../crypto/index.ts';
import { loadKeyring } from '../crypto/keyring.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    state: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run token -- --role <${ROLES.join('|')}> [--state ISO3] [--sub NAME] [--ttl SECONDS]\n`);
  process.exit(2);
}

const config = loadConfig();
if (config.JWT_PUBLIC_KEY) fail('JWT_PUBLIC_KEY is configured: tokens come from your identity provider, not from this tool.');
await initCrypto();
const { jwtSecret } = loadKeyring(config);
const role = values.role ?? fail('--role is required');
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');
const claims = {
  sub: values.sub ?? `${role}${values.state ? `-${values.state.toLowerCase()}` : ''}-dev`,
  role,
  ...(values.state ? { state: values.state.toUpperCase() } : {}),
  exp: Math.floor(Date.now() / 1000) + ttl,
};
if (!actorFromClaims(claims)) fail('invalid claims: role must be one of the roles above, and a delegate needs --state with an ISO 3166-1 alpha-3 code');
const sign = createSigner({
  key: jwtSecret!,
  algorithm: 'HS256',
  ...(config.JWT_ISSUER ? { iss: config.JWT_ISSUER } : {}),
  ...(config.JWT_AUDIENCE ? { aud: config.JWT_AUDIENCE } : {}),
});
process.stdout.write(sign(claims) + '\n');
