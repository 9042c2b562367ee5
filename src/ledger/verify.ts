/**
 * The ledger audit: checks a log against its signed checkpoints without
 * trusting the server. Storage-agnostic: it reads through a LedgerSource
 * (HTTP API or, for auditors, the database; see verify-sources.ts) and uses
 * only the pure modules (entry.ts, merkle.ts, note.ts).
 *
 * Full mode (secretariat, auditors, database): every entry is downloaded,
 * checked (gap-free, its own index, its leaf hash recomputed from the entry)
 * and appended to a tree recomputed locally; at every checkpoint size the
 * recomputed root must equal the signed root. Then consistency proofs
 * between every pair of consecutive checkpoints seen (including the one
 * remembered from the last run) and sampled inclusion proofs into the latest
 * checkpoint are checked.
 *
 * Party mode (delegates, who see only their state's entries): each visible
 * entry is checked and proved into the latest checkpoint; consistency as above.
 *
 * On failure the report names the first bad index where one can be named:
 * directly for a missing, misplaced or altered entry; for a root mismatch, by
 * binary search over prefixes, using consistency proofs from the source to
 * prove the longest prefix of our entries that the signed root commits to
 * (sound: a prefix proved good is good; exact when the source's tree nodes are
 * intact), narrowed first by the subtree hashes remembered from the last run.
 */
import { toHex } from '../crypto/index.ts';
import { canonicalJson, leafHash } from './entry.ts';
import { createLeafChecker, type CheckedChunk, type RawEntryChunk } from './leaf-checker.ts';
import { CompactRange, HASH_BYTES, verifyConsistency, verifyInclusion, VerificationError } from './merkle.ts';
import { decodeBase64, encodeBase64, formatVerifierKey, NoteError, openCheckpoint, type VerifierKey } from './note.ts';
import { verifyCosignatures, type CosignerKey } from '../tlog/cosignature.ts';

export interface SourceEntry {
  index: number;
  /** Hex leaf hash as served. */
  leafHash: string;
  /** The same as bytes, when the source has them (the database): compared without a hex conversion. */
  leafHashBytes?: Uint8Array;
  entry: unknown;
  /**
   * The entry's exact stored text, when the source has it (the database): its
   * bytes are hashed as they are, which is what the tree commits to, instead
   * of re-canonicalising the parsed entry.
   */
  canonical?: string;
}

/** An entry position the source could not serve (e.g. it failed to render it). */
export interface SourceGap {
  index: number;
  error: string;
}

export interface LedgerSource {
  readonly description: string;
  /** The verifier key the source announces, if it can (trust on first use only). */
  publicKey(): Promise<string | undefined>;
  /** Asks for the latest checkpoint (the HTTP API signs one when due); undefined if the source cannot. */
  latestCheckpoint(): Promise<string | undefined>;
  /** Every checkpoint note the source holds. */
  checkpoints(): AsyncIterable<string>;
  /** Entries from `from`, by ascending index. */
  entries(from: number): AsyncIterable<SourceEntry | SourceGap>;
  /**
   * Optional, for full verification: the same entries as raw chunks (their
   * stored texts and leaf hashes, unparsed), checked on a worker thread
   * (leaf-checker.ts) while the next chunk is read.
   */
  rawEntries?(from: number): AsyncIterable<RawEntryChunk>;
  inclusionProof(index: number, treeSize: number): Promise<Uint8Array[]>;
  consistencyProof(from: number, to: number): Promise<Uint8Array[]>;
}

/** What the verifier remembers between runs (the state file). */
export interface VerifierState {
  version: 1;
  origin: string;
  verifierKey: string;
  /** The last verified checkpoint, as signed. */
  checkpoint: string;
  /** Full mode: base64 hashes of the perfect subtrees covering the checkpoint's entries (its compact range). */
  frontier?: string[];
  verifiedAt: string;
}

export interface VerifyOptions {
  key: VerifierKey;
  /** Expected origin (default: the key name). */
  origin?: string;
  state?: VerifierState;
  mode: 'full' | 'party';
  /** Random inclusion proofs checked against the latest checkpoint in full mode (plus the first and last entry). */
  sample?: number;
  random?: () => number;
  now?: () => Date;
  progress?: (message: string) => void;
  /** Witness policy: the latest checkpoint must carry `quorum` valid cosignatures by these keys (c2sp.org/tlog-cosignature). */
  witnesses?: { keys: readonly CosignerKey[]; quorum: number };
}

export interface VerifyFailure {
  /** The first entry that is not what the signed checkpoints commit to, when it can be named. */
  firstBadIndex: number | null;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  mode: 'full' | 'party';
  source: string;
  /** Size of the latest verified checkpoint. */
  treeSize: number;
  rootHash: string | null;
  entriesChecked: number;
  /** Entries beyond the latest checkpoint: checked one by one, not yet covered by a signature. */
  uncoveredEntries: number;
  checkpointsChecked: number;
  consistencyProofsChecked: number;
  inclusionProofsChecked: number;
  /** Witnesses whose valid cosignature the latest checkpoint carries (with a witness policy). */
  cosignedBy?: string[];
  failure?: VerifyFailure;
  /** The state to remember, when verification succeeded. */
  state?: VerifierState;
}

/** A report before anything is checked: not ok, every count zero. */
export function emptyReport(mode: VerifyReport['mode'], source: string): VerifyReport {
  return { ok: false, mode, source, treeSize: 0, rootHash: null, entriesChecked: 0, uncoveredEntries: 0, checkpointsChecked: 0, consistencyProofsChecked: 0, inclusionProofsChecked: 0 };
}

/** A signed root the entries must match. */
interface Expectation {
  size: number;
  root: Uint8Array;
  note: string;
  from: 'log' | 'remembered';
}

class Failed extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.reason);
  }
}
const fail = (firstBadIndex: number | null, reason: string): never => {
  throw new Failed({ firstBadIndex, reason });
};

/** Leaf hashes in one growable buffer (32 bytes each), not one object per leaf. */
class LeafBuffer {
  #bytes = new Uint8Array(HASH_BYTES * 1024);
  #count = 0;
  get length(): number {
    return this.#count;
  }
  push(hash: Uint8Array): void {
    if ((this.#count + 1) * HASH_BYTES > this.#bytes.length) {
      const bigger = new Uint8Array(this.#bytes.length * 2);
      bigger.set(this.#bytes);
      this.#bytes = bigger;
    }
    this.#bytes.set(hash, this.#count * HASH_BYTES);
    this.#count += 1;
  }
  at(i: number): Uint8Array {
    return this.#bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
  clear(): void {
    this.#count = 0;
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function verifyLedger(source: LedgerSource, opts: VerifyOptions): Promise<VerifyReport> {
  const origin = opts.origin ?? opts.key.name;
  const progress = opts.progress ?? (() => undefined);
  const report = emptyReport(opts.mode, source.description);

  try {
    if (opts.state && (opts.state.origin !== origin || opts.state.verifierKey !== formatVerifierKey(opts.key))) {
      fail(null, `the state file is for ${opts.state.origin} with key ${opts.state.verifierKey}, not ${origin} with key ${formatVerifierKey(opts.key)}`);
    }

    // 1. Checkpoints: the log's (after asking for a fresh one) and the one remembered from the last run.
    await source.latestCheckpoint();
    const expectations: Expectation[] = [];
    const open = (note: string, from: Expectation['from']) => {
      try {
        const cp = openCheckpoint(note, opts.key, origin);
        expectations.push({ size: cp.size, root: cp.rootHash, note, from });
      } catch (err) {
        if (err instanceof NoteError) fail(null, `${from === 'log' ? 'the log serves' : 'the state file holds'} a checkpoint that does not verify: ${err.message}`);
        throw err;
      }
    };
    for await (const note of source.checkpoints()) open(note, 'log');
    if (expectations.length === 0) fail(null, 'the log serves no checkpoint');
    report.checkpointsChecked = expectations.length;
    const remembered = opts.state ? (open(opts.state.checkpoint, 'remembered'), expectations.at(-1)!) : undefined;
    expectations.sort((a, b) => a.size - b.size);
    for (let i = 1; i < expectations.length; i++) {
      const [a, b] = [expectations[i - 1]!, expectations[i]!];
      if (a.size === b.size && !same(a.root, b.root) && a.from === 'log' && b.from === 'log') {
        fail(null, `the log signed two different roots for tree size ${a.size}:\n${a.note}\n${b.note}`);
      }
    }
    const latest = expectations.filter((e) => e.from === 'log').at(-1)!;
    progress(`${expectations.length} checkpoint(s); latest covers ${latest.size} entries`);
    if (opts.witnesses) {
      const cosigned = verifyCosignatures(latest.note, opts.witnesses.keys);
      report.cosignedBy = cosigned.map((c) => c.name);
      if (cosigned.length < opts.witnesses.quorum) {
        fail(
          null,
          `the latest checkpoint (size ${latest.size}) carries ${cosigned.length} valid cosignature(s) from the given witnesses${cosigned.length ? ` (${report.cosignedBy.join(', ')})` : ''}, fewer than the quorum of ${opts.witnesses.quorum}: the witnesses have not confirmed that this history extends the one they saw`,
        );
      }
      progress(`latest checkpoint cosigned by ${cosigned.length} of the given witnesses (quorum ${opts.witnesses.quorum})`);
    }

    // 2. Entries. Full mode also keeps the leaf hashes of the entries whose inclusion it samples in step 4.
    let frontierAtLatest: CompactRange | undefined;
    const random = opts.random ?? Math.random;
    const sampled = new Map<number, Uint8Array | undefined>(
      latest.size === 0 ? [] : [0, latest.size - 1, ...Array.from({ length: opts.sample ?? 8 }, () => Math.floor(random() * latest.size))].map((i) => [i, undefined]),
    );
    if (opts.mode === 'full') {
      frontierAtLatest = await checkAllEntries(source, expectations, remembered, opts, report, progress, sampled);
    } else {
      await checkPartyEntries(source, latest, report, progress);
    }

    // 3. Consistency between consecutive checkpoints (distinct sizes, log and remembered alike).
    const sizes = [...new Map(expectations.map((e) => [e.size, e])).values()];
    for (let i = 1; i < sizes.length; i++) {
      const [a, b] = [sizes[i - 1]!, sizes[i]!];
      if (a.size === 0) continue; // every tree extends the empty tree
      let proof: Uint8Array[];
      try {
        proof = await source.consistencyProof(a.size, b.size);
        verifyConsistency(a.size, b.size, a.root, b.root, proof);
      } catch (err) {
        const which = a.from === 'remembered' || b.from === 'remembered' ? ' (one of them remembered from the last run: the log has been rewritten since)' : '';
        fail(null, `the checkpoints of sizes ${a.size} and ${b.size} are not consistent${which}: ${(err as Error).message}`);
      }
      report.consistencyProofsChecked += 1;
    }

    // 4. Full mode: sampled inclusion proofs into the latest checkpoint, from our own leaf hashes.
    if (opts.mode === 'full') {
      for (const [index, leaf] of [...sampled].sort(([a], [b]) => a - b)) {
        try {
          verifyInclusion(index, latest.size, leaf!, await source.inclusionProof(index, latest.size), latest.root);
        } catch (err) {
          fail(null, `the log's inclusion proof of entry ${index} into checkpoint ${latest.size} does not verify (its tree storage disagrees with its checkpoints): ${(err as Error).message}`);
        }
        report.inclusionProofsChecked += 1;
      }
    }

    report.ok = true;
    report.treeSize = latest.size;
    report.rootHash = toHex(latest.root);
    report.state = {
      version: 1,
      origin,
      verifierKey: formatVerifierKey(opts.key),
      checkpoint: latest.note,
      ...(frontierAtLatest ? { frontier: frontierAtLatest.hashes.map(encodeBase64) } : {}),
      verifiedAt: (opts.now ?? (() => new Date()))().toISOString(),
    };
    return report;
  } catch (err) {
    if (err instanceof Failed) return { ...report, ok: false, failure: err.failure };
    throw err;
  }
}

/** The next entry must be the one at `expected`: none missing, none served twice. */
function checkPosition(index: number, expected: number | undefined): void {
  if (expected !== undefined && index !== expected) {
    fail(expected, index > expected ? `entry ${expected} is missing (the log continues with entry ${index})` : `entry ${index} is served again at position ${expected}`);
  }
}

/** Recomputes each entry's leaf hash; fails naming the entry if anything about it is off. */
function checkEntry(item: SourceEntry | SourceGap, expected: number | undefined): Uint8Array {
  if ('error' in item) return fail(item.index, `entry ${item.index} cannot be served: ${item.error}`);
  const { index } = item;
  checkPosition(index, expected);
  const entry = item.entry as { index?: unknown } | null;
  if (typeof entry !== 'object' || entry === null) return fail(index, `entry ${index} is not a JSON object`);
  if (entry.index !== index) fail(index, `the entry at position ${index} says it is entry ${String(entry.index)}`);
  let hash: Uint8Array;
  try {
    if (item.canonical !== undefined) hash = leafHash(item.canonical);
    else {
      // A parsed canonical entry usually serialises back to the same text (RFC 8785 is ECMAScript's JSON
      // serialisation with sorted keys, and parsing keeps the order): try that first, canonicalise if it
      // does not match. Either way the hashed bytes parse to this entry, so its content is what the tree holds.
      hash = leafHash(JSON.stringify(entry));
      if (!matchesLeaf(hash, item)) hash = leafHash(canonicalJson(entry));
    }
  } catch {
    return fail(index, `entry ${index} cannot be canonicalised (RFC 8785)`);
  }
  if (!matchesLeaf(hash, item)) fail(index, `entry ${index} does not hash to its leaf hash (its content was changed)`);
  return hash;
}

function matchesLeaf(hash: Uint8Array, item: SourceEntry): boolean {
  const served = item.leafHashBytes;
  if (served) return served.length === hash.length && Buffer.compare(served, hash) === 0;
  return toHex(hash) === item.leafHash;
}

async function checkAllEntries(
  source: LedgerSource,
  expectations: Expectation[],
  remembered: Expectation | undefined,
  opts: VerifyOptions,
  report: VerifyReport,
  progress: (m: string) => void,
  sampled: Map<number, Uint8Array | undefined>,
): Promise<CompactRange | undefined> {
  const range = new CompactRange();
  // The last size at which every signed root matched, the tree there, and the leaf hashes since.
  let good = { size: 0, range: range.clone() };
  const since = new LeafBuffer();
  let next = 0; // index of the next expectation
  let frontierAtLatest: CompactRange | undefined;
  const latestSize = expectations.filter((e) => e.from === 'log').at(-1)!.size;
  const rememberedFrontier = opts.state?.frontier?.map((b) => decodeBase64(b));

  const checkSignedRoots = async () => {
    let checked = 0;
    while (next < expectations.length && expectations[next]!.size === range.size) {
      const e = expectations[next++]!;
      checked += 1;
      if (!same(range.root(), e.root)) {
        const narrowed = e === remembered && rememberedFrontier ? narrowByFrontier(good.size, range, rememberedFrontier) : undefined;
        const index = await localize(source, e, good, since, narrowed);
        const which = `the checkpoint of size ${e.size}${e.from === 'remembered' ? ' verified in the last run' : ''}`;
        fail(index, `${index > 0 ? `entries 0..${index - 1} are proven to match ${which}; ` : ''}entry ${index} does not match it (or cannot be proven to)`);
      }
    }
    if (checked > 0) {
      // every signed root of this size matched
      good = { size: range.size, range: range.clone() };
      since.clear();
    }
    if (range.size === latestSize) frontierAtLatest = range.clone();
  };

  const consume = async (hash: Uint8Array) => {
    if (sampled.has(range.size)) sampled.set(range.size, hash);
    range.append(hash);
    since.push(hash);
    report.entriesChecked += 1;
    if (range.size % 100_000 === 0) progress(`${range.size} entries checked`);
    // Only at checkpoint sizes (and the latest one): not one await per entry.
    if (range.size === latestSize || (next < expectations.length && expectations[next]!.size === range.size)) await checkSignedRoots();
  };

  await checkSignedRoots(); // size 0
  if (source.rawEntries) {
    // Parsing and leaf hashing on a worker thread, one chunk ahead of the tree.
    const checker = createLeafChecker();
    try {
      const consumeChunk = async (chunk: RawEntryChunk, checked: CheckedChunk) => {
        const count = checked.bad ? checked.bad.offset : chunk.indices.length;
        for (let i = 0; i <= count && i < chunk.indices.length; i++) {
          const index = chunk.indices[i]!;
          checkPosition(index, range.size);
          if (i === count) fail(index, checked.bad!.message);
          await consume(checked.hashes.subarray(HASH_BYTES * i, HASH_BYTES * (i + 1)));
        }
      };
      let ahead: { chunk: RawEntryChunk; checked: Promise<CheckedChunk> } | undefined;
      for await (const chunk of source.rawEntries(0)) {
        const checked = checker.check(chunk);
        checked.catch(() => undefined); // awaited below; not unhandled if an earlier chunk fails first
        if (ahead) await consumeChunk(ahead.chunk, await ahead.checked);
        ahead = { chunk, checked };
      }
      if (ahead) await consumeChunk(ahead.chunk, await ahead.checked);
    } finally {
      await checker.close();
    }
  } else {
    for await (const item of source.entries(0)) await consume(checkEntry(item, range.size));
  }
  if (next < expectations.length) {
    const e = expectations[next]!;
    const what = e.from === 'log' ? 'the log signed a checkpoint' : 'the last run verified a checkpoint';
    fail(range.size, `${what} of ${e.size} entries, but only ${range.size} are served (entry ${range.size} is missing)`);
  }
  report.uncoveredEntries = range.size - latestSize;
  return frontierAtLatest;
}

/**
 * With the compact range remembered for a checkpoint, the first of its
 * subtrees our entries disagree with bounds the first bad index: [begin, end).
 */
function narrowByFrontier(goodSize: number, ours: CompactRange, remembered: (Uint8Array | undefined)[]): { begin: number; end: number } | undefined {
  const nodes = ours.nodes();
  if (remembered.length !== nodes.length) return undefined;
  for (const [i, n] of nodes.entries()) {
    const r = remembered[i];
    if (!r || !same(r, n.hash)) {
      const begin = n.index * 2 ** n.level;
      return { begin: Math.max(begin, goodSize), end: begin + 2 ** n.level };
    }
  }
  return undefined;
}

/**
 * Binary search for the longest prefix of our entries the signed root
 * commits to, proving each candidate prefix with a consistency proof from the
 * source. Returns the first bad index.
 */
async function localize(
  source: LedgerSource,
  e: Expectation,
  good: { size: number; range: CompactRange },
  since: LeafBuffer,
  narrowed: { begin: number; end: number } | undefined,
): Promise<number> {
  const rootOfPrefix = (s: number) => {
    const r = good.range.clone();
    for (let i = good.size; i < s; i++) r.append(since.at(i - good.size));
    return r.root();
  };
  const committed = async (s: number) => {
    if (s === 0) return true;
    try {
      verifyConsistency(s, e.size, rootOfPrefix(s), e.root, await source.consistencyProof(s, e.size));
      return true;
    } catch (err) {
      if (err instanceof VerificationError || err instanceof SourceError) return false;
      throw err;
    }
  };
  let lo = narrowed ? narrowed.begin : good.size; // prefix lo: known good
  let hi = narrowed ? Math.min(narrowed.end, e.size) : e.size; // prefix hi: known bad
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await committed(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

async function checkPartyEntries(source: LedgerSource, latest: Expectation, report: VerifyReport, progress: (m: string) => void): Promise<void> {
  let last = -1;
  for await (const item of source.entries(0)) {
    if (!('error' in item) && item.index <= last) fail(item.index, `entry ${item.index} is served out of order`);
    const hash = checkEntry(item, undefined);
    last = item.index;
    report.entriesChecked += 1;
    if (item.index >= latest.size) {
      report.uncoveredEntries += 1;
      continue;
    }
    try {
      verifyInclusion(item.index, latest.size, hash, await source.inclusionProof(item.index, latest.size), latest.root);
    } catch (err) {
      fail(item.index, `entry ${item.index} is not in the checkpoint of size ${latest.size}: ${(err as Error).message}`);
    }
    report.inclusionProofsChecked += 1;
    if (report.entriesChecked % 1000 === 0) progress(`${report.entriesChecked} entries proved`);
  }
}

/** A source request failed (HTTP status, unreachable, refused). */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
