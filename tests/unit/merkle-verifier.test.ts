/**
 * The ledger audit (src/ledger/verify.ts) against an in-memory log: honest,
 * then altered in every way a database administrator could, and a log whose
 * operator rewrote history and re-signed it. The verifier must notice each
 * and name the first bad index.
 */
import { describe, expect, it } from 'vitest';
import { initCrypto, signingKeyPair, toHex } from '../../src/crypto/index.ts';
import { canonicalJson, leafHash, type LedgerEntry } from '../../src/ledger/entry.ts';
import { MemoryTree } from '../../src/tlog/merkle.ts';
import { formatCheckpoint, signNote, verifierKeyOf } from '../../src/tlog/note.ts';
import { SourceError, verifyLedger, type LedgerSource, type SourceEntry, type SourceGap, type VerifierState, type VerifyOptions } from '../../src/ledger/verify.ts';

await initCrypto();

const ORIGIN = 'poc.test/ledger';
const pair = signingKeyPair(new Uint8Array(32).fill(11));
const key = verifierKeyOf(ORIGIN, pair.publicKey);

const entryAt = (index: number, variant = ''): LedgerEntry => ({
  v: 1,
  index,
  type: 'contact.updated',
  at: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
  actor: { role: 'delegate', sub: `fra-${variant}`, state: 'FRA' },
  parties: index % 4 === 0 ? ['DEU', 'FRA'] : ['FRA'],
  subject: { state: 'FRA', contact: `c-${index}` },
});
const served = (e: LedgerEntry): SourceEntry => ({ index: e.index, leafHash: toHex(leafHash(canonicalJson(e))), entry: JSON.parse(canonicalJson(e)) });
const sign = (tree: MemoryTree, size: number) => signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: tree.root(size) }), ORIGIN, pair);

/** A log in memory: the rows it serves, the tree nodes its proofs come from, its signed checkpoints. */
class MemoryLog implements LedgerSource {
  readonly description = 'memory';
  rows: SourceEntry[];
  tree: MemoryTree;
  notes: string[];
  /** Delegate view: only these entries are served. */
  visible?: (e: SourceEntry) => boolean;
  /** A broken proof store. */
  badProofs = false;

  constructor(size: number, checkpointSizes: number[]) {
    const entries = Array.from({ length: size }, (_, i) => entryAt(i));
    this.rows = entries.map(served);
    this.tree = new MemoryTree(entries.map((e) => leafHash(canonicalJson(e))));
    this.notes = checkpointSizes.map((s) => sign(this.tree, s));
  }
  async publicKey() {
    return undefined;
  }
  async latestCheckpoint() {
    return undefined;
  }
  async *checkpoints() {
    yield* this.notes;
  }
  async *entries(from: number): AsyncGenerator<SourceEntry | SourceGap> {
    for (const r of this.rows) if (r.index >= from && (!this.visible || this.visible(r))) yield structuredClone(r);
  }
  #check(size: number) {
    if (size > this.tree.size) throw new SourceError(`tree size ${size} exceeds ${this.tree.size}`, 400);
  }
  async inclusionProof(index: number, size: number) {
    this.#check(size);
    const p = this.tree.inclusionProof(index, size);
    return this.badProofs ? p.map((h) => h.map((b) => b ^ 1)) : p;
  }
  async consistencyProof(from: number, to: number) {
    this.#check(to);
    const p = this.tree.consistencyProof(from, to);
    return this.badProofs ? p.map((h) => h.map((b) => b ^ 1)) : p;
  }
}

const run = (log: LedgerSource, extra: Partial<VerifyOptions> = {}) => verifyLedger(log, { key, mode: 'full', random: () => 0.5, ...extra });
const failure = async (log: LedgerSource, extra: Partial<VerifyOptions> = {}) => {
  const r = await run(log, extra);
  expect(r.ok).toBe(false);
  return r.failure!;
};
/** Re-serve entry i with other content; `rehash` also rewrites its served leaf hash (a consistent row forgery). */
const forge = (log: MemoryLog, i: number, rehash: boolean) => {
  const forged = { ...entryAt(i), actor: { role: 'delegate', sub: 'someone-else', state: 'FRA' } };
  log.rows[i] = { ...served(forged), leafHash: rehash ? served(forged).leafHash : log.rows[i]!.leafHash };
};

describe('an honest log', () => {
  it('verifies in full, remembers its latest checkpoint and compact range, and verifies again from that state', async () => {
    const log = new MemoryLog(45, [0, 10, 32, 40]);
    const r1 = await run(log);
    expect(r1).toMatchObject({ ok: true, treeSize: 40, entriesChecked: 45, uncoveredEntries: 5, checkpointsChecked: 4, consistencyProofsChecked: 2 });
    expect(r1.inclusionProofsChecked).toBe(3); // first, last, and the sampled middle one
    expect(r1.state).toMatchObject({ origin: ORIGIN, checkpoint: log.notes[3] });
    expect(r1.state!.frontier).toHaveLength(2); // 40 = 32 + 8

    log.rows.push(...[45, 46, 47].map((i) => served(entryAt(i))));
    log.tree = new MemoryTree(log.rows.map((r) => leafHash(canonicalJson(r.entry))));
    log.notes.push(sign(log.tree, 48));
    const r2 = await run(log, { state: r1.state! });
    expect(r2).toMatchObject({ ok: true, treeSize: 48, consistencyProofsChecked: 3 });
  });

  it('verifies in party mode: each visible entry proved into the latest checkpoint', async () => {
    const log = new MemoryLog(45, [10, 40]);
    log.visible = (e) => (e.entry as LedgerEntry).parties.includes('DEU');
    const r = await run(log, { mode: 'party' });
    expect(r).toMatchObject({ ok: true, entriesChecked: 12, inclusionProofsChecked: 10, uncoveredEntries: 2, consistencyProofsChecked: 1 });
    expect(r.state!.frontier).toBeUndefined();
  });
});

describe('a database administrator altered the entries (the tree nodes are intact)', () => {
  it('edited one entry body: named by its leaf hash', async () => {
    const log = new MemoryLog(45, [10, 40]);
    forge(log, 17, false);
    expect(await failure(log)).toEqual({ firstBadIndex: 17, reason: 'entry 17 does not hash to its leaf hash (its content was changed)' });
  });

  it('edited one entry body and its leaf hash: named by proving the longest good prefix into the signed root', async () => {
    const log = new MemoryLog(45, [10, 40]);
    forge(log, 17, true);
    const f = await failure(log);
    expect(f.firstBadIndex).toBe(17);
    expect(f.reason).toContain('entries 0..16 are proven to match the checkpoint of size 40');
  });

  it('deleted an entry', async () => {
    const log = new MemoryLog(45, [10, 40]);
    log.rows.splice(23, 1);
    expect(await failure(log)).toEqual({ firstBadIndex: 23, reason: 'entry 23 is missing (the log continues with entry 24)' });
  });

  it('swapped two entries', async () => {
    const log = new MemoryLog(45, [10, 40]);
    [log.rows[12], log.rows[30]] = [{ ...log.rows[30]!, index: 12 }, { ...log.rows[12]!, index: 30 }];
    expect(await failure(log)).toEqual({ firstBadIndex: 12, reason: 'the entry at position 12 says it is entry 30' });
  });

  it('truncated the tail', async () => {
    const log = new MemoryLog(45, [10, 40]);
    log.rows.length = 33;
    expect(await failure(log)).toEqual({ firstBadIndex: 33, reason: 'the log signed a checkpoint of 40 entries, but only 33 are served (entry 33 is missing)' });
  });

  it('truncated the tail and appended other, well-formed entries in its place', async () => {
    const log = new MemoryLog(45, [10, 40]);
    log.rows.length = 26;
    log.rows.push(...Array.from({ length: 19 }, (_, k) => served(entryAt(26 + k, 'forged'))));
    const f = await failure(log);
    expect(f.firstBadIndex).toBe(26);
    expect(f.reason).toContain('entries 0..25 are proven to match the checkpoint of size 40');
  });

  it('an entry cannot be served at all', async () => {
    const log = new MemoryLog(20, [20]);
    const original = log.entries.bind(log);
    log.entries = async function* (from: number) {
      for await (const e of original(from)) yield e.index === 7 ? { index: 7, error: 'HTTP 500' } : e;
    };
    expect(await failure(log)).toEqual({ firstBadIndex: 7, reason: 'entry 7 cannot be served: HTTP 500' });
  });

  it('in party mode, a visible altered entry is named too', async () => {
    const log = new MemoryLog(45, [40]);
    log.visible = (e) => (e.entry as LedgerEntry).parties.includes('DEU');
    forge(log, 20, true);
    const f = await failure(log, { mode: 'party' });
    expect(f.firstBadIndex).toBe(20);
  });
});

describe('the log itself misbehaves', () => {
  it('serves a checkpoint the key did not sign', async () => {
    const log = new MemoryLog(20, [10, 20]);
    log.notes[0] = log.notes[0]!.replace('\n10\n', '\n11\n');
    const f = await failure(log);
    expect(f).toMatchObject({ firstBadIndex: null });
    expect(f.reason).toContain('does not verify');
  });

  it('signed two different roots for one size', async () => {
    const log = new MemoryLog(20, [10, 20]);
    const other = new MemoryTree(Array.from({ length: 10 }, (_, i) => leafHash(canonicalJson(entryAt(i, 'other')))));
    log.notes.push(sign(other, 10));
    expect((await failure(log)).reason).toContain('two different roots for tree size 10');
  });

  it('serves proofs that do not match its checkpoints (its tree storage is corrupt)', async () => {
    const log = new MemoryLog(20, [10, 20]);
    log.badProofs = true;
    const f = await failure(log);
    expect(f.firstBadIndex).toBeNull();
    expect(f.reason).toContain('checkpoints of sizes 10 and 20 are not consistent');
  });

  it('rewrote history and re-signed it: the checkpoint remembered from the last run exposes it', async () => {
    const log = new MemoryLog(40, [16, 40]);
    const { state } = await run(log);
    // The operator rewrites entries 35.. and re-signs everything; the old checkpoints are gone.
    const rewritten = [...Array.from({ length: 35 }, (_, i) => entryAt(i)), ...Array.from({ length: 10 }, (_, k) => entryAt(35 + k, 'rewritten'))];
    log.rows = rewritten.map(served);
    log.tree = new MemoryTree(rewritten.map((e) => leafHash(canonicalJson(e))));
    log.notes = [16, 32, 45].map((s) => sign(log.tree, s));
    expect((await run(log)).ok).toBe(true); // a verifier with no memory cannot tell
    const f = await failure(log, { state: state! });
    // The remembered subtree hashes narrow it to [32, 40); entries up to 31 are proven good by the re-signed log.
    expect(f.firstBadIndex).toBe(32);
    expect(f.reason).toContain('verified in the last run');
    // In party mode, the remembered checkpoint cannot be reached by a consistency proof.
    log.visible = () => false;
    const p = await failure(log, { mode: 'party', state: { ...state!, frontier: undefined } as VerifierState });
    expect(p.reason).toMatch(/sizes 32 and 40 are not consistent \(one of them remembered from the last run/);
  });

  it('rolled back below the checkpoint remembered from the last run', async () => {
    const log = new MemoryLog(40, [40]);
    const { state } = await run(log);
    log.rows.length = 30;
    log.tree = new MemoryTree(log.rows.map((r) => leafHash(canonicalJson(r.entry))));
    log.notes = [sign(log.tree, 30)];
    expect(await failure(log, { state: state! })).toEqual({
      firstBadIndex: 30,
      reason: 'the last run verified a checkpoint of 40 entries, but only 30 are served (entry 30 is missing)',
    });
  });

  it('refuses a state file made for another key', async () => {
    const log = new MemoryLog(5, [5]);
    const { state } = await run(log);
    const otherKey = verifierKeyOf(ORIGIN, signingKeyPair(new Uint8Array(32).fill(12)).publicKey);
    const f = await failure(log, { key: otherKey, state: state! });
    expect(f.reason).toContain('the state file is for');
  });
});
