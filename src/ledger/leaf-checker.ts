/**
 * Full verification's per-entry work, on a second core: a worker thread
 * parses each stored entry (it must be a JSON object naming its own index)
 * and recomputes its RFC 9162 leaf hash, SHA-256(0x00 || UTF-8 text), over
 * chunks of raw entries, while the verifier's thread reads the next chunk
 * and extends the tree with the hashes of the previous one. Parsing and
 * leaf hashing were about half of the verifier's time (`bench/ledger.ts`).
 *
 * The worker is a self-contained script (node:crypto and JSON only, run
 * with `eval`), so it loads the same way under tsx, the compiled build and
 * the test runner. Its refusals carry the verifier's own messages
 * (verify.ts checkEntry); the verifier stops at the first one.
 */
import { Worker } from 'node:worker_threads';

/** Raw entries as a database holds them: positions, exact stored texts, stored leaf hashes (32 bytes each). */
export interface RawEntryChunk {
  indices: readonly number[];
  texts: readonly string[];
  leafHashes: Uint8Array;
}

export interface CheckedChunk {
  /** Leaf hashes of the entries before the first refused one (all of them when none is). */
  hashes: Uint8Array;
  /** The first refused entry: its offset in the chunk and why. */
  bad: { offset: number; message: string } | null;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const sha256 = crypto.hash ? (b) => crypto.hash('sha256', b, 'buffer') : (b) => crypto.createHash('sha256').update(b).digest();
parentPort.on('message', ({ id, indices, texts, leafHashes }) => {
  const n = texts.length;
  const out = new Uint8Array(32 * n);
  let bad = null;
  let done = 0;
  for (let i = 0; i < n; i++) {
    const index = indices[i];
    const text = texts[i];
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      bad = { offset: i, message: 'entry ' + index + ' cannot be served: the stored entry is not JSON' };
      break;
    }
    if (typeof entry !== 'object' || entry === null) {
      bad = { offset: i, message: 'entry ' + index + ' is not a JSON object' };
      break;
    }
    if (entry.index !== index) {
      bad = { offset: i, message: 'the entry at position ' + index + ' says it is entry ' + String(entry.index) };
      break;
    }
    const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(text, 'utf8'));
    buf[0] = 0;
    buf.write(text, 1, 'utf8');
    const h = sha256(buf);
    if (Buffer.compare(h, leafHashes.subarray(32 * i, 32 * i + 32)) !== 0) {
      bad = { offset: i, message: 'entry ' + index + ' does not hash to its leaf hash (its content was changed)' };
      break;
    }
    out.set(h, 32 * i);
    done = i + 1;
  }
  const hashes = out.subarray(0, 32 * done);
  parentPort.postMessage({ id, hashes, bad }, [out.buffer]);
});
`;

export interface LeafChecker {
  check(chunk: RawEntryChunk): Promise<CheckedChunk>;
  close(): Promise<void>;
}

/** One worker thread checking chunks in the order they are given. */
export function createLeafChecker(): LeafChecker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const waiting = new Map<number, { resolve: (r: CheckedChunk) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failed: Error | undefined;
  const failAll = (err: Error) => {
    failed ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; hashes: Uint8Array; bad: CheckedChunk['bad'] }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.resolve({ hashes: m.hashes, bad: m.bad });
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the leaf-checking worker exited (code ${code})`)));
  return {
    check(chunk) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise<CheckedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, indices: chunk.indices, texts: chunk.texts, leafHashes: chunk.leafHashes });
      });
    },
    async close() {
      failed ??= new Error('the leaf checker is closed');
      await worker.terminate();
    },
  };
}
