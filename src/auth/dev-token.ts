/**
 * Development tokens (HS256, signed with JWT_SECRET or the development secret
 * in DATA_DIR/dev-keys): what `npm run token` prints and the crisis demo uses.
 */
import { createSigner } from 'fast-jwt';
import type { Config } from '../config.ts';
import { initCrypto } from '../crypto/index.ts';
import { loadKeyring } from '../crypto/keyring.ts';
import { ROLES, actorFromClaims } from './actor.ts';

export interface DevTokenInput {
  role: string;
  state?: string | undefined;
  sub?: string | undefined;
  /** Lifetime in seconds (default 3600). */
  ttl?: number;
}

/** Why a token cannot be minted: the caller's input or the configuration. */
export class DevTokenError extends Error {}

export async function mintDevToken(config: Config, { role, state, sub, ttl = 3600 }: DevTokenInput): Promise<string> {
  const claims = {
    sub: sub ?? `${role}${state ? `-${state.toLowerCase()}` : ''}-dev`,
    role,
    ...(state ? { state: state.toUpperCase() } : {}),
    exp: Math.floor(Date.now() / 1000) + ttl,
  };
  if (!actorFromClaims(claims)) throw new DevTokenError(`invalid claims: --role must be one of ${ROLES.join(', ')}, and a delegate needs --state with an ISO 3166-1 alpha-3 code`);
  if (config.JWT_PUBLIC_KEY) throw new DevTokenError('JWT_PUBLIC_KEY is configured: tokens come from your identity provider, not from this tool');
  await initCrypto();
  const { jwtSecret } = loadKeyring(config);
  const sign = createSigner({
    key: jwtSecret!,
    algorithm: 'HS256',
    ...(config.JWT_ISSUER ? { iss: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { aud: config.JWT_AUDIENCE } : {}),
  });
  return sign(claims);
}
