/**
 * The process's root secrets. They come from configuration (environment or
 * *_FILE secrets) and never from the database. In development, missing
 * secrets are generated once into DATA_DIR/dev-keys with 0600 permissions and
 * a loud warning: they are not for production.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { deriveKey, fromBase64, keyFromBytes, randomBytes, toBase64, type Key } from './index.ts';

export interface Keyring {
  /** Current master key (KEK) wrapping every state's data key. */
  readonly master: Key;
  /** Older master keys still accepted for unwrapping during rotation. */
  readonly previousMasters: readonly Key[];
  /** Root for blind-index and ledger-commitment subkeys (independent of the master key). */
  readonly indexRoot: Uint8Array;
  /** Ed25519 seed that signs ledger checkpoints (LEDGER_SIGNING_KEY). */
  readonly ledgerSigningSeed: Uint8Array;
  /** Ed25519 seed that signs offline exports (EXPORT_SIGNING_KEY). */
  readonly exportSigningSeed: Uint8Array;
  /** HS256 secret when HMAC tokens are used. */
  readonly jwtSecret: string | undefined;
  /** Names of development secrets in use from DATA_DIR/dev-keys (empty in a proper deployment). */
  readonly devSecrets: readonly string[];
}

export function devKeyDir(dataDir: string): string {
  return path.join(dataDir, 'dev-keys');
}

function devSecret(dir: string, name: string, make: () => string, generated: string[]): string {
  const file = path.join(dir, name);
  generated.push(name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, make() + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

export function loadKeyring(config: Config): Keyring {
  const generated: string[] = [];
  const dir = devKeyDir(config.DATA_DIR);
  const dev = config.NODE_ENV !== 'production';
  const randomKey = () => toBase64(randomBytes(32));

  const masterB64 = config.POC_MASTER_KEY ?? (dev ? devSecret(dir, 'master.key', randomKey, generated) : undefined);
  const indexB64 = config.POC_INDEX_KEY ?? (dev ? devSecret(dir, 'index.key', randomKey, generated) : undefined);
  if (!masterB64 || !indexB64) throw new Error('POC_MASTER_KEY and POC_INDEX_KEY are required');
  const ledgerB64 = config.LEDGER_SIGNING_KEY ?? (dev ? devSecret(dir, 'ledger-signing.key', randomKey, generated) : undefined);
  if (!ledgerB64) throw new Error('LEDGER_SIGNING_KEY is required');
  const exportB64 = config.EXPORT_SIGNING_KEY ?? (dev ? devSecret(dir, 'export-signing.key', randomKey, generated) : undefined);
  if (!exportB64) throw new Error('EXPORT_SIGNING_KEY is required');

  let jwtSecret = config.JWT_SECRET;
  if (!jwtSecret && !config.JWT_PUBLIC_KEY && !config.JWT_JWKS_URL) {
    if (!dev) throw new Error('JWT_SECRET or JWT_PUBLIC_KEY is required');
    jwtSecret = devSecret(dir, 'jwt.secret', () => toBase64(randomBytes(48)), generated);
  }

  return {
    master: keyFromBytes(fromBase64(masterB64)),
    previousMasters: config.POC_MASTER_KEY_PREVIOUS ? [keyFromBytes(fromBase64(config.POC_MASTER_KEY_PREVIOUS))] : [],
    indexRoot: fromBase64(indexB64),
    ledgerSigningSeed: fromBase64(ledgerB64),
    exportSigningSeed: fromBase64(exportB64),
    jwtSecret,
    devSecrets: generated,
  };
}

/** Purpose-specific subkeys of the index root. */
export function indexKey(keyring: Keyring, purpose: string): Uint8Array {
  return deriveKey(keyring.indexRoot, purpose);
}
