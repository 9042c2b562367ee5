/**
 * The ledger entry format and its leaf hash. Pure: no storage, usable by an
 * external verifier.
 *
 *   leaf hash = SHA-256(0x00 || UTF-8(RFC 8785 canonical JSON of the entry))   (RFC 9162 §2.1.1)
 */
import canonicalizeModule from 'canonicalize';
import { sha256PrefixedUtf8 } from '../tlog/crypto.ts';

export interface LedgerEntry {
  /** Format version. */
  v: 1;
  /** Position in the log, 0-based, gap-free. */
  index: number;
  /** Event type, e.g. "state.joined", "contact.updated". */
  type: string;
  /** ISO 8601 UTC time of the change. */
  at: string;
  actor: { role: string; sub: string; state?: string };
  /** States that are party to the event (a delegate sees the entries its state is party to). */
  parties: string[];
  /** Object identifiers (never content). */
  subject: Record<string, string>;
  /** Non-confidential facts about the change, e.g. the names of changed fields. */
  facts?: Record<string, string | number | boolean | string[]>;
  /** Keyed hash (HMAC-SHA-512/256, base64) of the confidential content, when content matters. */
  commitment?: string;
}

// The package is CommonJS (module.exports = fn) while its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error('value cannot be canonicalised');
  return out;
}

/** RFC 9162 leaf hash of canonical entry bytes: SHA-256(0x00 || UTF-8). */
export function leafHash(canonical: string): Uint8Array {
  return sha256PrefixedUtf8(0x00, canonical);
}
