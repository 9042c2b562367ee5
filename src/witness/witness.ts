/**
 * A transparency-log witness (C2SP tlog-witness, add-checkpoint), as a
 * function from a request body to a response; the HTTP server is server.ts.
 *
 * For each log it follows (origin + the log's verifier keys) it remembers the
 * latest checkpoint it cosigned, and cosigns a new one only if it is
 * consistent with it. Checking the old size and persisting the new
 * checkpoint happen under one per-origin lock, and the state is on disk
 * before the cosignature leaves, so the race the spec describes (a smaller
 * checkpoint rolling back a larger one) cannot happen in this process; one
 * process per state file.
 */
import { cosign, cosignerKeyOf, formatCosignerKey, type CosignerKey } from '../tlog/cosignature.ts';
import type { Ed25519KeyPair } from '../tlog/crypto.ts';
import { decodeBase64, encodeBase64, NoteError, openNote, parseCheckpoint, splitNote, type VerifierKey } from '../tlog/note.ts';
import { HASH_BYTES, verifyConsistency, VerificationError } from '../tlog/merkle.ts';
import type { FileStore } from './state.ts';

export interface FollowedLog {
  origin: string;
  keys: VerifierKey[];
}

export interface WitnessOptions {
  /** The witness's key name (a schema-less URL, e.g. witness.example.org/w1). */
  name: string;
  keyPair: Ed25519KeyPair;
  logs: FollowedLog[];
  store: FileStore;
  /** POSIX seconds. */
  now?: () => number;
}

export interface WitnessResponse {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  contentType: string;
  body: string;
}

const MAX_PROOF_LINES = 63;
const text = (status: WitnessResponse['status'], body: string): WitnessResponse => ({ status, contentType: 'text/plain; charset=utf-8', body });

/** Parses `old <size>\n<proof lines>\n\n<checkpoint note>`; undefined if malformed. */
export function parseAddCheckpoint(body: string): { oldSize: number; proof: Uint8Array[]; note: string } | undefined {
  const blank = body.indexOf('\n\n');
  if (blank < 0) return undefined;
  const lines = body.slice(0, blank).split('\n');
  const m = /^old (0|[1-9][0-9]*)$/.exec(lines[0]!);
  if (!m || !Number.isSafeInteger(Number(m[1]))) return undefined;
  const proofLines = lines.slice(1);
  if (proofLines.length > MAX_PROOF_LINES) return undefined;
  const proof: Uint8Array[] = [];
  for (const l of proofLines) {
    const h = decodeBase64(l);
    if (!h || h.length !== HASH_BYTES) return undefined;
    proof.push(h);
  }
  return { oldSize: Number(m[1]), proof, note: body.slice(blank + 2) };
}

/** A per-key promise chain: one holder at a time. */
class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();
  async run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

export function createWitness({ name, keyPair, logs, store, now = () => Math.floor(Date.now() / 1000) }: WitnessOptions) {
  const key: CosignerKey = cosignerKeyOf(name, keyPair.publicKey);
  const byOrigin = new Map(logs.map((l) => [l.origin, l]));
  const mutex = new KeyedMutex();

  async function addCheckpoint(body: string): Promise<WitnessResponse> {
    const request = parseAddCheckpoint(body);
    if (!request) return text(400, 'malformed add-checkpoint request\n');
    let checkpointText: string;
    try {
      checkpointText = splitNote(request.note).text;
    } catch {
      return text(400, 'malformed checkpoint note\n');
    }
    let checkpoint;
    try {
      checkpoint = parseCheckpoint(checkpointText);
    } catch {
      return text(400, 'malformed checkpoint\n');
    }
    const log = byOrigin.get(checkpoint.origin);
    if (!log) return text(404, 'unknown log origin\n');
    try {
      openNote(request.note, log.keys);
    } catch (err) {
      if (err instanceof NoteError) return text(403, 'no trusted log signature verifies\n');
      throw err;
    }
    if (request.oldSize > checkpoint.size) return text(400, 'old size exceeds the checkpoint size\n');

    return mutex.run(checkpoint.origin, () => {
      const latest = store.get(checkpoint.origin);
      const latestSize = latest?.size ?? 0;
      const conflict = (): WitnessResponse => ({ status: 409, contentType: 'text/x.tlog.size', body: `${latestSize}\n` });
      if (request.oldSize !== latestSize) return conflict();
      const latestRoot = latest ? decodeBase64(latest.rootHash)! : undefined;
      if (latest && request.oldSize === checkpoint.size) {
        if (request.proof.length > 0) return text(422, 'the consistency proof must be empty for equal sizes\n');
        if (encodeBase64(checkpoint.rootHash) !== latest.rootHash) return conflict();
      } else if (request.oldSize === 0) {
        if (request.proof.length > 0) return text(422, 'the consistency proof must be empty from size 0\n');
      } else {
        try {
          verifyConsistency(request.oldSize, checkpoint.size, latestRoot!, checkpoint.rootHash, request.proof);
        } catch (err) {
          if (err instanceof VerificationError) return text(422, `the consistency proof does not verify\n`);
          throw err;
        }
      }
      store.put(checkpoint.origin, {
        size: checkpoint.size,
        rootHash: encodeBase64(checkpoint.rootHash),
        checkpoint: request.note,
        updatedAt: new Date(now() * 1000).toISOString(),
      });
      return text(200, cosign(checkpointText, name, keyPair, now()));
    });
  }

  return {
    name,
    key,
    /** `<name>+<key ID>+base64(0x04 || public key)`: what logs and verifiers configure. */
    verifierKey: formatCosignerKey(key),
    addCheckpoint,
    latest: (origin: string) => store.get(origin),
  };
}

export type Witness = ReturnType<typeof createWitness>;
