/**
 * Signed checkpoints in the C2SP formats. Pure: no storage, no I/O.
 *
 * signed-note (https://c2sp.org/signed-note): a UTF-8 text ending in a
 * newline, a blank line, then one signature line per signer:
 *
 *   — <key name> base64(key ID (4 bytes, big-endian) || signature)
 *
 * The Ed25519 signature (type 0x01) is over the text including its final
 * newline. key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4].
 * Verifier keys are written `<name>+<key ID hex>+base64(0x01 || public key)`.
 *
 * tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the text is
 *
 *   <origin>\n<tree size, decimal>\n<base64 RFC 6962/9162 root hash>\n[extension lines]
 */
import { ED25519_SIGNATURE_BYTES as SIGNATURE_BYTES, ED25519_PUBLIC_KEY_BYTES as SIGNING_PUBLIC_KEY_BYTES, ed25519Sign as sign, ed25519Verify as verify, sha256, toHex, utf8, type Ed25519KeyPair as SigningKeyPair } from './crypto.ts';
import { HASH_BYTES } from './merkle.ts';

export const ALG_ED25519 = 0x01;
/** Signature lines accepted per note (the spec requires at least 16). */
export const MAX_SIGNATURES = 100;
const EM_DASH = '\u2014';

/** The note is not syntactically valid, or its signatures do not verify. */
export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

export interface VerifierKey {
  readonly name: string;
  /** 4-byte key ID as 8 lowercase hex digits. */
  readonly keyId: string;
  readonly publicKey: Uint8Array;
}

/** A key name: non-empty, no Unicode spaces, no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControl(name);
}

/** ASCII control characters other than newline, and lone surrogates (not encodable as UTF-8). */
const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return true;
  }
  return /\p{Surrogate}/u.test(s);
};

/** key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4], hex. */
export function keyIdOf(name: string, publicKey: Uint8Array): string {
  return toHex(sha256(utf8(name), new Uint8Array([0x0a, ALG_ED25519]), publicKey).subarray(0, 4));
}

export function verifierKeyOf(name: string, publicKey: Uint8Array): VerifierKey {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== SIGNING_PUBLIC_KEY_BYTES) throw new NoteError(`an Ed25519 public key has ${SIGNING_PUBLIC_KEY_BYTES} bytes`);
  return { name, keyId: keyIdOf(name, publicKey), publicKey };
}

/** `<name>+<key ID hex>+base64(0x01 || public key)` */
export function formatVerifierKey(key: VerifierKey): string {
  const typed = new Uint8Array(1 + key.publicKey.length);
  typed[0] = ALG_ED25519;
  typed.set(key.publicKey, 1);
  return `${key.name}+${key.keyId}+${encodeBase64(typed)}`;
}

/** Parses and checks a verifier key string; throws NoteError if anything is off (including a key ID that does not match). */
export function parseVerifierKey(text: string): VerifierKey {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new NoteError('malformed verifier key');
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  const typed = decodeBase64(text.slice(second + 1));
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || !typed) throw new NoteError('malformed verifier key');
  if (typed.length !== 1 + SIGNING_PUBLIC_KEY_BYTES || typed[0] !== ALG_ED25519) throw new NoteError('unsupported verifier key (Ed25519 only)');
  const publicKey = typed.slice(1);
  if (keyIdOf(name, publicKey) !== id) throw new NoteError('verifier key ID does not match the key');
  return { name, keyId: id, publicKey };
}

/** Strict standard base64 (RFC 4648 §4, padded, canonical); undefined if `s` is not exactly that. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  const bytes = new Uint8Array(Buffer.from(s, 'base64'));
  return encodeBase64(bytes) === s ? bytes : undefined;
}

export function encodeBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Signs `text` (which must end in a newline) and returns the signed note. */
export function signNote(text: string, name: string, keyPair: SigningKeyPair): string {
  checkText(text);
  const key = verifierKeyOf(name, keyPair.publicKey);
  const signature = sign(keyPair, text);
  const blob = new Uint8Array(4 + signature.length);
  blob.set(Buffer.from(key.keyId, 'hex'), 0);
  blob.set(signature, 4);
  return `${text}\n${EM_DASH} ${name} ${encodeBase64(blob)}\n`;
}

function checkText(text: string): void {
  if (!text.endsWith('\n') || hasControl(text)) throw new NoteError('malformed note');
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: string;
  /** base64 of key ID || signature, as written. */
  readonly base64: string;
}

export interface OpenedNote {
  readonly text: string;
  /** Signatures by the given keys that verified. */
  readonly verified: NoteSignature[];
  /** Signatures by other keys (ignored, as the spec requires). */
  readonly unverified: NoteSignature[];
}

/**
 * Splits a signed note and checks the signatures of the known keys. Throws
 * NoteError if the note is malformed, if a signature by a known key does not
 * verify, or if no known key signed it.
 */
export function openNote(note: string, keys: readonly VerifierKey[]): OpenedNote {
  if (hasControl(note) || !note.endsWith('\n')) throw new NoteError('malformed note');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length === 0 || (lines.length === 1 && lines[0] === '')) throw new NoteError('malformed note');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('malformed note');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const blob = m ? decodeBase64(m[2]!) : undefined;
    if (!m || !isValidKeyName(m[1]!) || !blob || blob.length < 5) throw new NoteError('malformed note');
    const sig: NoteSignature = { name: m[1]!, keyId: toHex(blob.subarray(0, 4)), base64: m[2]! };
    const matches = keys.filter((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (matches.length > 1) throw new NoteError(`ambiguous key ${sig.name}+${sig.keyId}`);
    const key = matches[0];
    if (!key) {
      if (!unverified.some((u) => u.name === sig.name && u.keyId === sig.keyId && u.base64 === sig.base64)) unverified.push(sig);
      continue;
    }
    if (blob.length !== 4 + SIGNATURE_BYTES || !verify(key.publicKey, text, blob.subarray(4))) {
      throw new NoteError(`invalid signature for key ${sig.name}+${sig.keyId}`);
    }
    const dedupe = `${sig.name}+${sig.keyId}`;
    if (!seen.has(dedupe)) verified.push(sig);
    seen.add(dedupe);
  }
  if (verified.length === 0) throw new NoteError('note has no verifiable signatures');
  return { text, verified, unverified };
}

export interface SignatureLine {
  readonly name: string;
  /** The first 4 bytes of the signature blob, hex. */
  readonly keyId: string;
  /** key ID || signature, decoded. */
  readonly blob: Uint8Array;
  /** The line as written, without its newline. */
  readonly line: string;
}

/**
 * Splits a signed note into its text and its signature lines, checking the
 * syntax only (no signature is verified). Throws NoteError if malformed.
 */
export function splitNote(note: string): { text: string; signatures: SignatureLine[] } {
  if (hasControl(note) || !note.endsWith('\n')) throw new NoteError('malformed note');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length === 0 || (lines.length === 1 && lines[0] === '') || lines.length > MAX_SIGNATURES) throw new NoteError('malformed note');
  const signatures = lines.map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const blob = m ? decodeBase64(m[2]!) : undefined;
    if (!m || !isValidKeyName(m[1]!) || !blob || blob.length < 5) throw new NoteError('malformed note');
    return { name: m[1]!, keyId: toHex(blob.subarray(0, 4)), blob, line };
  });
  return { text, signatures };
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions: readonly string[];
}

/** The checkpoint body (the note text). */
export function formatCheckpoint({ origin, size, rootHash, extensions = [] }: Omit<Checkpoint, 'extensions'> & { extensions?: readonly string[] }): string {
  if (origin.length === 0 || origin.includes('\n') || hasControl(origin)) throw new NoteError('invalid origin');
  if (!Number.isSafeInteger(size) || size < 0) throw new NoteError('invalid tree size');
  if (rootHash.length !== HASH_BYTES) throw new NoteError(`root hash must be ${HASH_BYTES} bytes`);
  if (extensions.some((e) => e === '' || e.includes('\n') || hasControl(e))) throw new NoteError('invalid extension line');
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((l) => `${l}\n`).join('');
}

/** Parses a checkpoint body (an opened note's text). Throws NoteError if it is not one. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('malformed checkpoint');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => l === '')) throw new NoteError('malformed checkpoint');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) throw new NoteError('malformed checkpoint tree size');
  const rootHash = decodeBase64(rootLine);
  if (!rootHash || rootHash.length !== HASH_BYTES) throw new NoteError('malformed checkpoint root hash');
  return { origin, size: Number(sizeLine), rootHash, extensions };
}

/** Opens a signed checkpoint with the log's key and checks its origin. */
export function openCheckpoint(note: string, key: VerifierKey, origin: string = key.name): Checkpoint & { note: string } {
  const opened = openNote(note, [key]);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== origin) throw new NoteError(`checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`);
  return { ...checkpoint, note };
}
