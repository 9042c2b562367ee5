/**
 * Witness cosignatures (C2SP tlog-cosignature, Ed25519 "cosignature/v1").
 * Pure: no storage, no I/O.
 *
 * A cosignature is a signed-note signature line on a checkpoint:
 *
 *   — <witness name> base64(key ID (4) || timestamp (u64 big-endian) || Ed25519 signature (64))
 *
 * key ID = SHA-256(name || "\n" || 0x04 || public key)[:4]; verifier keys are
 * written `<name>+<key ID hex>+base64(0x04 || public key)`. The signed message is
 *
 *   cosignature/v1\n
 *   time <timestamp, decimal>\n
 *   <the checkpoint body, with its final newline>
 */
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, ed25519Sign, ed25519Verify, sha256, toHex, utf8, type Ed25519KeyPair } from './crypto.ts';
import { decodeBase64, encodeBase64, isValidKeyName, NoteError, splitNote } from './note.ts';

export const ALG_COSIGNATURE_V1 = 0x04;
const EM_DASH = '\u2014';
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export interface CosignerKey {
  readonly name: string;
  /** 4-byte key ID, 8 lowercase hex digits. */
  readonly keyId: string;
  readonly publicKey: Uint8Array;
}

/** SHA-256(name || 0x0A || 0x04 || public key)[:4], hex. */
export function cosignerKeyIdOf(name: string, publicKey: Uint8Array): string {
  return toHex(sha256(utf8(name), new Uint8Array([0x0a, ALG_COSIGNATURE_V1]), publicKey).subarray(0, 4));
}

export function cosignerKeyOf(name: string, publicKey: Uint8Array): CosignerKey {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new NoteError(`an Ed25519 public key has ${ED25519_PUBLIC_KEY_BYTES} bytes`);
  return { name, keyId: cosignerKeyIdOf(name, publicKey), publicKey };
}

/** `<name>+<key ID hex>+base64(0x04 || public key)` */
export function formatCosignerKey(key: CosignerKey): string {
  const typed = new Uint8Array(1 + key.publicKey.length);
  typed[0] = ALG_COSIGNATURE_V1;
  typed.set(key.publicKey, 1);
  return `${key.name}+${key.keyId}+${encodeBase64(typed)}`;
}

/** Parses and checks a cosigner verifier key (type 0x04); throws NoteError if anything is off. */
export function parseCosignerKey(text: string): CosignerKey {
  const m = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  const typed = m ? decodeBase64(m[3]!) : undefined;
  if (!m || !isValidKeyName(m[1]!) || !typed) throw new NoteError('malformed cosigner verifier key');
  if (typed.length !== 1 + ED25519_PUBLIC_KEY_BYTES || typed[0] !== ALG_COSIGNATURE_V1) {
    throw new NoteError('not a cosignature/v1 verifier key (type 0x04, Ed25519)');
  }
  const key = cosignerKeyOf(m[1]!, typed.slice(1));
  if (key.keyId !== m[2]) throw new NoteError('cosigner verifier key ID does not match the key');
  return key;
}

/** The message a cosignature/v1 signs. */
export function cosignedMessage(checkpointText: string, timestamp: number): string {
  return `cosignature/v1\ntime ${timestamp}\n${checkpointText}`;
}

function timestampBytes(timestamp: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
  return out;
}

/** The cosignature line (with its newline) of `key` on a checkpoint body at `timestamp` (POSIX seconds). */
export function cosign(checkpointText: string, name: string, keyPair: Ed25519KeyPair, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new NoteError('invalid cosignature timestamp');
  if (!checkpointText.endsWith('\n')) throw new NoteError('malformed checkpoint');
  const key = cosignerKeyOf(name, keyPair.publicKey);
  const signature = ed25519Sign(keyPair, cosignedMessage(checkpointText, timestamp));
  const blob = new Uint8Array(4 + 8 + ED25519_SIGNATURE_BYTES);
  blob.set(Buffer.from(key.keyId, 'hex'), 0);
  blob.set(timestampBytes(timestamp), 4);
  blob.set(signature, 12);
  return `${EM_DASH} ${name} ${encodeBase64(blob)}\n`;
}

export interface VerifiedCosignature {
  readonly name: string;
  readonly keyId: string;
  readonly timestamp: number;
  /** The signature line as written (without its newline). */
  readonly line: string;
}

/**
 * The valid cosignatures on a signed note by the given cosigner keys, at most
 * one per key. Lines by other keys are ignored; a line that names one of the
 * keys but does not verify is ignored too (it is not a cosignature by that
 * key), so a bad line never hides a good one. Throws NoteError only if the
 * note itself is malformed.
 */
export function verifyCosignatures(note: string, keys: readonly CosignerKey[]): VerifiedCosignature[] {
  const { text, signatures } = splitNote(note);
  const out = new Map<string, VerifiedCosignature>();
  for (const sig of signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!key || out.has(`${key.name}+${key.keyId}`)) continue;
    const blob = sig.blob;
    if (blob.length !== 4 + 8 + ED25519_SIGNATURE_BYTES) continue;
    const ts = new DataView(blob.buffer, blob.byteOffset + 4, 8).getBigUint64(0);
    if (ts > MAX_TIMESTAMP || ts > BigInt(Number.MAX_SAFE_INTEGER)) continue;
    const timestamp = Number(ts);
    if (!ed25519Verify(key.publicKey, cosignedMessage(text, timestamp), blob.subarray(12))) continue;
    out.set(`${key.name}+${key.keyId}`, { name: key.name, keyId: key.keyId, timestamp, line: sig.line });
  }
  return [...out.values()];
}

/**
 * Adds signature lines (e.g. a witness's add-checkpoint response) to a signed
 * note, skipping lines already present. Lines must be signature lines.
 */
export function addSignatureLines(note: string, lines: readonly string[]): string {
  splitNote(note); // must be a well-formed note
  const present = new Set(note.slice(note.lastIndexOf('\n\n') + 2, -1).split('\n'));
  let out = note;
  for (const line of lines) {
    if (!/^\u2014 \S+ \S+$/u.test(line)) throw new NoteError('not a signature line');
    if (present.has(line)) continue;
    present.add(line);
    out += `${line}\n`;
  }
  return out;
}
