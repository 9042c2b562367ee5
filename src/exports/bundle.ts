/**
 * The offline export format and its verification. Pure: no storage, no
 * network, no libsodium (Ed25519 verification uses node:crypto), so that the
 * offline verifier (`npm run export:verify`) and any third party can check a
 * bundle with nothing but the published export key.
 *
 * A signed export is JSON:
 *
 *   { "bundle": { "format": "poc-directory/export/v1", "kind": "json" | "vcard" | "csv",
 *                 "generatedAt", "state", "participation", "notice",
 *                 "checkpoint": { "origin", "treeSize", "rootHash", "note" },
 *                 "contactCount",
 *                 "states": [...]            (kind json: contacts grouped by state and domain)
 *                 "content": { mediaType, filename, text }   (kind vcard / csv: the file) },
 *     "signature": { "algorithm": "Ed25519", "keyId", "value" } }
 *
 * The signature is Ed25519 over the UTF-8 bytes of the RFC 8785 canonical
 * JSON of `bundle`; `keyId` is the first 8 bytes of SHA-256(public key), hex;
 * `value` is base64. The bundle's hash (recorded in the ledger) is SHA-256
 * of the same bytes, hex.
 *
 * An encrypted export wraps the whole signed export (its JSON text, UTF-8) in
 * a libsodium sealed box to the state's registered X25519 key:
 *
 *   { "format": "poc-directory/export-encrypted/v1", "algorithm": "X25519-XSalsa20-Poly1305-sealed-box",
 *     "state", "recipient": { "keyId", "publicKey" }, "ciphertext" }
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { z } from 'zod';
import type { ContactView } from '../contacts/schemas.ts';

export const BUNDLE_FORMAT = 'poc-directory/export/v1';
export const ENCRYPTED_FORMAT = 'poc-directory/export-encrypted/v1';
export const SEALED_BOX = 'X25519-XSalsa20-Poly1305-sealed-box';
export const EXPORT_KINDS = ['json', 'vcard', 'csv'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportCheckpoint {
  origin: string;
  treeSize: number;
  /** RFC 9162 root hash, hex. */
  rootHash: string;
  /** The C2SP signed note of the checkpoint, verifiable with the ledger's public key. */
  note: string;
}

export interface ExportStateGroup {
  state: string;
  domains: Partial<Record<string, ContactView[]>>;
}

export interface ExportBundle {
  format: typeof BUNDLE_FORMAT;
  kind: ExportKind;
  generatedAt: string;
  state: string;
  participation: 'participating' | 'withdrawn' | 'not-participating';
  /** Why the export is empty, when the state does not participate; otherwise null. */
  notice: string | null;
  checkpoint: ExportCheckpoint;
  contactCount: number;
  states?: ExportStateGroup[];
  content?: { mediaType: string; filename: string; text: string };
}

export interface SignedExport {
  bundle: ExportBundle;
  signature: { algorithm: 'Ed25519'; keyId: string; value: string };
}

export interface EncryptedExport {
  format: typeof ENCRYPTED_FORMAT;
  algorithm: typeof SEALED_BOX;
  state: string;
  recipient: { keyId: string; publicKey: string };
  ciphertext: string;
}

// The package is CommonJS (module.exports = fn) while its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/** The bytes that are signed and hashed: UTF-8 of the RFC 8785 canonical JSON of the bundle. */
export function signedBytes(bundle: ExportBundle): Buffer {
  const text = canonicalize(bundle);
  if (text === undefined) throw new Error('bundle cannot be canonicalised');
  return Buffer.from(text, 'utf8');
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** First 8 bytes of SHA-256 of a public key, hex: names a key in signatures and recipients. */
export const keyIdOf = (publicKey: Uint8Array) => sha256Hex(publicKey).slice(0, 16);

/** Signs a bundle with a signing function (the service holds the key). */
export function signBundle(bundle: ExportBundle, publicKey: Uint8Array, sign: (message: Uint8Array) => Uint8Array): { signed: SignedExport; hash: string } {
  const bytes = signedBytes(bundle);
  const signature = sign(bytes);
  return {
    signed: { bundle, signature: { algorithm: 'Ed25519', keyId: keyIdOf(publicKey), value: Buffer.from(signature).toString('base64') } },
    hash: sha256Hex(bytes),
  };
}

export class ExportVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportVerificationError';
  }
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Canonical base64 only: a non-canonical last character would decode to the same bytes, hiding an altered byte. */
const isCanonicalBase64 = (s: string) => B64.test(s) && Buffer.from(s, 'base64').toString('base64') === s;
const base64 = z.string().refine(isCanonicalBase64, 'must be canonical base64');
const base64Of = (bytes: number) => base64.refine((s) => Buffer.from(s, 'base64').length === bytes, `must be ${bytes} bytes`);

/** Decodes a base64 32-byte key, naming the problem. */
export function parseKey32(text: string, what: string): Uint8Array {
  const s = text.trim();
  if (s.length === 0 || !isCanonicalBase64(s)) throw new ExportVerificationError(`${what} must be base64 (RFC 4648), e.g. 44 characters ending in "="`);
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== 32) throw new ExportVerificationError(`${what} must be 32 bytes, got ${bytes.length}`);
  return new Uint8Array(bytes);
}

const contactShape = z.looseObject({ id: z.string(), state: z.string(), name: z.string(), domains: z.array(z.string()) });
const bundleShape = z.looseObject({
  format: z.literal(BUNDLE_FORMAT),
  kind: z.enum(EXPORT_KINDS),
  generatedAt: z.iso.datetime(),
  state: z.string().regex(/^[A-Z]{3}$/),
  participation: z.enum(['participating', 'withdrawn', 'not-participating']),
  notice: z.string().nullable(),
  checkpoint: z.object({ origin: z.string(), treeSize: z.number().int().min(0), rootHash: z.string().regex(/^[0-9a-f]{64}$/), note: z.string() }),
  contactCount: z.number().int().min(0),
  states: z.array(z.object({ state: z.string(), domains: z.record(z.string(), z.array(contactShape)) })).optional(),
  content: z.object({ mediaType: z.string(), filename: z.string(), text: z.string() }).optional(),
});
const signedShape = z.object({
  bundle: bundleShape,
  signature: z.object({ algorithm: z.literal('Ed25519'), keyId: z.string().regex(/^[0-9a-f]{16}$/), value: base64Of(64) }),
});
const encryptedShape = z.object({
  format: z.literal(ENCRYPTED_FORMAT),
  algorithm: z.literal(SEALED_BOX),
  state: z.string(),
  recipient: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/), publicKey: base64Of(32) }),
  ciphertext: base64,
});

const describe = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');

/** Reads an export file: either a signed export or an encrypted one. Throws ExportVerificationError naming the problem. */
export function parseExportFile(text: string): { encrypted: EncryptedExport } | { signed: SignedExport } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExportVerificationError('the file is not valid JSON: it is not an export, or it was altered');
  }
  if (json && typeof json === 'object' && 'ciphertext' in json) {
    const parsed = encryptedShape.safeParse(json);
    if (!parsed.success) throw new ExportVerificationError(`not a valid encrypted export (${describe(parsed.error)}): it was altered`);
    return { encrypted: json as EncryptedExport };
  }
  const parsed = signedShape.safeParse(json);
  if (!parsed.success) throw new ExportVerificationError(`not a valid signed export (${describe(parsed.error)}): it was altered`);
  // The signature is checked over the bundle exactly as read, not as the schema passed it on.
  return { signed: json as SignedExport };
}

/** An Ed25519 public key from its 32 raw bytes, for node:crypto. */
function ed25519Key(raw: Uint8Array) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

/**
 * Checks the signature of a signed export against the export public key;
 * returns the bundle and its hash. Throws ExportVerificationError when the
 * signature is by another key or does not match the bundle's bytes.
 */
export function verifySignedExport(signed: SignedExport, exportPublicKey: Uint8Array): { bundle: ExportBundle; hash: string } {
  const expected = keyIdOf(exportPublicKey);
  if (signed.signature.keyId !== expected) {
    throw new ExportVerificationError(`signed by key ${signed.signature.keyId}, not by the given export key ${expected} (wrong --public-key, or the key ID was altered)`);
  }
  const bytes = signedBytes(signed.bundle);
  const ok = nodeVerify(null, bytes, ed25519Key(exportPublicKey), Buffer.from(signed.signature.value, 'base64'));
  if (!ok) throw new ExportVerificationError('the signature does not match the bundle: the content, the checkpoint or the signature was altered');
  return { bundle: signed.bundle, hash: sha256Hex(bytes) };
}

/** The distinct contacts of a JSON bundle (a contact serving several domains is listed under each), in bundle order. */
export function contactsOf(bundle: Pick<ExportBundle, 'states'>): ContactView[] {
  const seen = new Map<string, ContactView>();
  for (const group of bundle.states ?? []) for (const list of Object.values(group.domains)) for (const c of list ?? []) if (!seen.has(c.id)) seen.set(c.id, c);
  return [...seen.values()];
}

/** "3 h 5 min", "2 d 4 h", "45 s": how old an export is. */
export function formatAge(ms: number): string {
  if (ms < 0) return `${formatAge(-ms)} in the future (check this machine's clock)`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
