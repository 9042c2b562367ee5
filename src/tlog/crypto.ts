/**
 * The primitives the transparency-log verifier needs, from node:crypto only
 * (no libsodium start-up): SHA-256, Ed25519 (RFC 8032) and constant-time
 * comparison. Pure functions; any party can use them without the service.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey, sign as edSign, timingSafeEqual, verify as edVerify, type KeyObject } from 'node:crypto';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const ED25519_SEED_BYTES = 32;

/** An Ed25519 key pair; `secretKey` is the 64-byte form seed || public key (as libsodium's). */
export interface Ed25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const encoder = new TextEncoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** node:crypto's one-shot hash (Node >= 20.12): no Hash object per call; createHash otherwise. */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;

export function sha256(...parts: Uint8Array[]): Uint8Array {
  if (oneShot) {
    const d = oneShot('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer');
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength); // a plain Uint8Array view, no copy
  }
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** SHA-256 of one prefix byte followed by a string's UTF-8 bytes (an RFC 9162 leaf), without an intermediate copy. */
export function sha256PrefixedUtf8(prefix: number, text: string): Uint8Array {
  const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(text, 'utf8'));
  buf[0] = prefix;
  buf.write(text, 1, 'utf8');
  return sha256(buf);
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// DER prefixes of PKCS#8 (private) and SPKI (public) Ed25519 keys (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function privateKeyOf(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The key pair of a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519KeyPair(seed: Uint8Array): Ed25519KeyPair {
  if (seed.length !== ED25519_SEED_BYTES) throw new RangeError(`an Ed25519 seed has ${ED25519_SEED_BYTES} bytes, got ${seed.length}`);
  const spki = createPublicKey(privateKeyOf(seed)).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  const secretKey = new Uint8Array(64);
  secretKey.set(seed, 0);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
}

const privateKeys = new WeakMap<Uint8Array, KeyObject>();

/** Ed25519 signature (64 bytes). */
export function ed25519Sign(keyPair: Ed25519KeyPair, message: Uint8Array | string): Uint8Array {
  let key = privateKeys.get(keyPair.secretKey);
  if (!key) privateKeys.set(keyPair.secretKey, (key = privateKeyOf(keyPair.secretKey.subarray(0, 32))));
  return new Uint8Array(edSign(null, typeof message === 'string' ? utf8(message) : message, key));
}

/** True when `signature` is a valid Ed25519 signature of `message` by `publicKey`; false for any malformed input. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array | string, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return edVerify(null, typeof message === 'string' ? utf8(message) : message, key, signature);
  } catch {
    return false;
  }
}
