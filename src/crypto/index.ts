/**
 * All cryptography of the service, behind a small API.
 *
 *   seal / open          field-level authenticated encryption (XChaCha20-Poly1305 IETF)
 *   wrapKey / unwrapKey  envelope encryption of data keys under the master key (KEK)
 *   blindIndex           keyed BLAKE2b for exact-match lookups on encrypted columns
 *   commitment           keyed hash (HMAC-SHA-512/256) of content written to the ledger
 *   sha256               plain hash (Merkle tree)
 *   hmacSha256           HMAC-SHA-256 (RFC 2104) with a key of any length (Standard Webhooks signatures)
 *   signingKeyPair /     Ed25519 (RFC 8032) signatures for ledger checkpoints and exports,
 *   sign / verify        from a 32-byte seed held in configuration
 *   sealTo / openSealed  anonymous public-key encryption to an X25519 key (libsodium sealed
 *                        box: X25519 + XSalsa20-Poly1305), for offline exports
 *
 * Sealed format (version 1), stored as bytea:
 *   0x01 | keyId (16 bytes) | nonce (24 bytes) | ciphertext+tag
 * Associated data binds the ciphertext to where it lives:
 *   "poc/v1" NUL table NUL column NUL rowId NUL keyIdHex
 * so a ciphertext copied to another row, column or table, or relabelled with
 * another key id, fails authentication.
 *
 * libsodium-wrappers-sumo is used (not the standard build) because only the
 * sumo build exposes SHA-256, which the RFC 9162 Merkle tree requires.
 * Nonces and keys come from node's CSPRNG (randomFillSync): libsodium's WASM
 * randombytes_buf is ~30x slower on our machines.
 */
import { randomFillSync } from 'node:crypto';
import sodiumModule from 'libsodium-wrappers-sumo';

let sodium: typeof sodiumModule;

/** Must be awaited once before any other function of this module is used. */
export async function initCrypto(): Promise<void> {
  if (sodium) return;
  await sodiumModule.ready;
  sodium = sodiumModule;
}

export const KEY_BYTES = 32;
export const KEY_ID_BYTES = 16;
const VERSION_1 = 0x01;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;

/** A symmetric key with a stable identifier (hex). */
export interface Key {
  readonly id: string;
  readonly bytes: Uint8Array;
}

/** Where a ciphertext lives; bound into the associated data. */
export interface Location {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
/** The ciphertext is malformed, was tampered with, moved, or the key is wrong. */
export class DecryptionError extends CryptoError {}
/** The ciphertext names a key id other than the key offered to open it. */
export class WrongKeyError extends CryptoError {
  constructor(
    readonly expectedKeyId: string,
    readonly actualKeyId: string,
  ) {
    super(`ciphertext was sealed with key ${expectedKeyId}, not ${actualKeyId}`);
  }
}
export class UnsupportedVersionError extends CryptoError {}

export function randomBytes(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n));
}

/** A fresh random key with a random id (used for per-state data keys). */
export function generateKey(): Key {
  return { id: toHex(randomBytes(KEY_ID_BYTES)), bytes: randomBytes(KEY_BYTES) };
}

/**
 * A key whose id is derived from the key itself (used for the master key, so
 * that configuration carries the key alone and the id cannot be mislabelled).
 */
export function keyFromBytes(bytes: Uint8Array): Key {
  if (bytes.length !== KEY_BYTES) throw new CryptoError(`a key must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  const id = sodium.crypto_generichash(KEY_ID_BYTES, utf8('poc/key-id/v1'), bytes);
  return { id: toHex(id), bytes };
}

function associatedData(loc: Location, keyId: string): Uint8Array {
  return textEncoder.encode(`poc/v1\u0000${loc.table}\u0000${loc.column}\u0000${loc.rowId}\u0000${keyId}`);
}

/** Key ids as bytes, computed once per key (key ids are not secret: plain comparison is fine). */
const idBytesCache = new WeakMap<Key, Uint8Array>();
function idBytes(key: Key): Uint8Array {
  let b = idBytesCache.get(key);
  if (!b) idBytesCache.set(key, (b = fromHex(key.id)));
  return b;
}
function headerNamesKey(sealed: Uint8Array, key: Key): boolean {
  const id = idBytes(key);
  for (let i = 0; i < KEY_ID_BYTES; i++) if (sealed[1 + i] !== id[i]) return false;
  return true;
}

/**
 * Nonces are taken from CSPRNG output fetched 4 KiB at a time (one
 * randomFillSync call per ~170 nonces instead of one each; it was 4-5 % of
 * a write's time). Each byte is handed out once and then zeroed in the
 * buffer. Nonces are public (they are stored in the sealed value); keys do
 * not come from this buffer.
 */
const NONCE_POOL_BYTES = 4096;
const noncePool = new Uint8Array(NONCE_POOL_BYTES);
let noncePoolAt = NONCE_POOL_BYTES;
function fillNonce(nonce: Uint8Array): void {
  if (noncePoolAt + nonce.length > NONCE_POOL_BYTES) {
    randomFillSync(noncePool);
    noncePoolAt = 0;
  }
  const taken = noncePool.subarray(noncePoolAt, noncePoolAt + nonce.length);
  nonce.set(taken);
  taken.fill(0);
  noncePoolAt += nonce.length;
}

export function seal(key: Key, plaintext: Uint8Array | string, loc: Location): Uint8Array {
  const message = typeof plaintext === 'string' ? utf8(plaintext) : plaintext;
  const out = new Uint8Array(HEADER_BYTES + message.length + TAG_BYTES);
  out[0] = VERSION_1;
  out.set(idBytes(key), 1);
  const nonce = out.subarray(1 + KEY_ID_BYTES, HEADER_BYTES);
  fillNonce(nonce);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    message,
    associatedData(loc, key.id),
    null,
    nonce,
    key.bytes,
  );
  out.set(ciphertext, HEADER_BYTES);
  return out;
}

/** The key id recorded in a sealed value's header. */
export function sealedKeyId(sealed: Uint8Array): string {
  if (sealed.length < HEADER_BYTES + TAG_BYTES) throw new DecryptionError('sealed value is too short');
  if (sealed[0] !== VERSION_1) throw new UnsupportedVersionError(`unsupported sealed format version ${sealed[0]}`);
  return toHex(sealed.subarray(1, 1 + KEY_ID_BYTES));
}

export function open(key: Key, sealed: Uint8Array, loc: Location): Uint8Array {
  if (sealed.length < HEADER_BYTES + TAG_BYTES) throw new DecryptionError('sealed value is too short');
  if (sealed[0] !== VERSION_1) throw new UnsupportedVersionError(`unsupported sealed format version ${sealed[0]}`);
  if (!headerNamesKey(sealed, key)) throw new WrongKeyError(sealedKeyId(sealed), key.id);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.subarray(HEADER_BYTES),
      associatedData(loc, key.id),
      sealed.subarray(1 + KEY_ID_BYTES, HEADER_BYTES),
      key.bytes,
    );
  } catch {
    throw new DecryptionError(`cannot decrypt ${loc.table}.${loc.column}`);
  }
}

export function openString(key: Key, sealed: Uint8Array, loc: Location): string {
  return textDecoder.decode(open(key, sealed, loc));
}

/** Envelope encryption: wrap a data key under the master key. */
export function wrapKey(kek: Key, dataKey: Key): Uint8Array {
  return seal(kek, dataKey.bytes, { table: 'state_keys', column: 'wrapped_key', rowId: dataKey.id });
}

export function unwrapKey(kek: Key, dataKeyId: string, wrapped: Uint8Array): Key {
  const bytes = open(kek, wrapped, { table: 'state_keys', column: 'wrapped_key', rowId: dataKeyId });
  return { id: dataKeyId, bytes };
}

/**
 * Derives an independent subkey for one purpose (e.g. "bidx:contacts.email")
 * from a root key, with keyed BLAKE2b over the purpose label.
 */
export function deriveKey(root: Uint8Array, purpose: string): Uint8Array {
  return sodium.crypto_generichash(KEY_BYTES, utf8(`poc/subkey/v1\u0000${purpose}`), root);
}

/** Keyed BLAKE2b-256 of a value: equal inputs give equal indexes, nothing else is learnt. */
export function blindIndex(key: Uint8Array, value: string): Uint8Array {
  return sodium.crypto_generichash(32, utf8(value), key);
}

/** HMAC-SHA-512/256 of content; what the ledger records instead of the content. */
export function commitment(key: Uint8Array, content: Uint8Array | string): Uint8Array {
  return sodium.crypto_auth(typeof content === 'string' ? utf8(content) : content, key);
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return sodium.crypto_hash_sha256(parts[0]!);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    buf.set(p, offset);
    offset += p.length;
  }
  return sodium.crypto_hash_sha256(buf);
}

/**
 * HMAC-SHA-256 (RFC 2104; vectors in RFC 4231) with a key of any length, as
 * the Standard Webhooks signature requires (its secrets are 24 to 64 bytes).
 * libsodium's one-shot crypto_auth_hmacsha256 needs a 32-byte key; the
 * init/update/final form accepts any length and hashes long keys first.
 */
export function hmacSha256(key: Uint8Array, message: Uint8Array | string): Uint8Array {
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, typeof message === 'string' ? utf8(message) : message);
  return sodium.crypto_auth_hmacsha256_final(state);
}

export const SIGNING_SEED_BYTES = 32;
export const SIGNING_PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** An Ed25519 key pair; `secretKey` is libsodium's 64-byte form (seed || public key). */
export interface SigningKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** The Ed25519 key pair of a 32-byte seed (RFC 8032 "private key"). Deterministic. */
export function signingKeyPair(seed: Uint8Array): SigningKeyPair {
  if (seed.length !== SIGNING_SEED_BYTES) throw new CryptoError(`a signing seed must be ${SIGNING_SEED_BYTES} bytes, got ${seed.length}`);
  const { publicKey, privateKey } = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey, secretKey: privateKey };
}

/** Ed25519 detached signature (64 bytes) of a message. */
export function sign(keyPair: SigningKeyPair, message: Uint8Array | string): Uint8Array {
  return sodium.crypto_sign_detached(typeof message === 'string' ? utf8(message) : message, keyPair.secretKey);
}

/** True when `signature` is a valid Ed25519 signature of `message` by `publicKey`; false for any malformed input. */
export function verify(publicKey: Uint8Array, message: Uint8Array | string, signature: Uint8Array): boolean {
  if (publicKey.length !== SIGNING_PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, typeof message === 'string' ? utf8(message) : message, publicKey);
  } catch {
    return false;
  }
}

/** Constant-time equality; false for different lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return sodium.memcmp(a, b);
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });
export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
export function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}
export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_SECRET_KEY_BYTES = 32;

/**
 * Encrypts to an X25519 public key with libsodium's sealed box
 * (crypto_box_seal: an ephemeral key pair, X25519, XSalsa20-Poly1305).
 * Throws CryptoError for a key that is not a usable X25519 public key
 * (wrong size, or a low-order point).
 */
export function sealTo(publicKey: Uint8Array, message: Uint8Array | string): Uint8Array {
  if (publicKey.length !== BOX_PUBLIC_KEY_BYTES) throw new CryptoError(`an X25519 public key must be ${BOX_PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`);
  try {
    return sodium.crypto_box_seal(typeof message === 'string' ? utf8(message) : message, publicKey);
  } catch {
    throw new CryptoError('not a usable X25519 public key (low-order point)');
  }
}

/** The X25519 public key of a secret key. */
export function boxPublicKey(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== BOX_SECRET_KEY_BYTES) throw new CryptoError(`an X25519 secret key must be ${BOX_SECRET_KEY_BYTES} bytes, got ${secretKey.length}`);
  return sodium.crypto_scalarmult_base(secretKey);
}

/** Opens a sealed box with the recipient's secret key; throws DecryptionError when it was not sealed to that key or was altered. */
export function openSealed(secretKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  const publicKey = boxPublicKey(secretKey);
  try {
    return sodium.crypto_box_seal_open(sealed, publicKey, secretKey);
  } catch {
    throw new DecryptionError('cannot open: not encrypted to this key, or altered');
  }
}
