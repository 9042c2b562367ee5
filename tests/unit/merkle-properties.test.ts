/**
 * Properties of the Merkle tree, its proofs and signed checkpoints, against
 * a direct transcription of RFC 9162's recursive definitions (MTH, PATH,
 * PROOF/SUBPROOF) as the reference model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initCrypto, signingKeyPair, toHex, utf8 } from '../../src/crypto/index.ts';
import { canonicalJson, leafHash, type LedgerEntry } from '../../src/ledger/entry.ts';
import {
  CompactRange,
  emptyRoot,
  hashChildren,
  hashLeaf,
  MemoryTree,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  VerificationError,
} from '../../src/tlog/merkle.ts';
import { formatCheckpoint, NoteError, openCheckpoint, signNote, verifierKeyOf } from '../../src/tlog/note.ts';

await initCrypto();

const MAX = 300;
const EXHAUSTIVE = 64;

// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1, transcribed literally (k = largest power of two smaller than n).
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return emptyRoot();
  if (d.length === 1) return d[0]!;
  return hashChildren(mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}
const proof = (m: number, d: Uint8Array[]) => (m === 0 || m === d.length ? [] : subproof(m, d, true));

// Leaves are the leaf hashes of real ledger entries.
const entry = (index: number): LedgerEntry => ({
  v: 1,
  index,
  type: index % 3 === 0 ? 'state.joined' : 'contact.updated',
  at: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
  actor: { role: 'delegate', sub: `delegate-${index % 7}`, state: 'FRA' },
  parties: ['FRA'],
  subject: { state: 'FRA', contact: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}` },
  facts: { changed: ['rank'], version: index },
});
const entries = Array.from({ length: MAX }, (_, i) => canonicalJson(entry(i)));
const leaves = entries.map(leafHash);
const tree = new MemoryTree(leaves);
const roots = [emptyRoot(), ...leaves.map((_, i) => tree.root(i + 1))];

const hex = (hs: Uint8Array[]) => hs.map(toHex);
const rejected = (f: () => void) => {
  try {
    f();
    return false;
  } catch (e) {
    if (!(e instanceof VerificationError) && !(e instanceof NoteError)) throw e;
    return true;
  }
};
const flip = (b: Uint8Array, at: number, mask: number) => {
  const c = b.slice();
  c[at]! ^= mask;
  return c;
};

describe('tree roots', () => {
  it('incremental (compact range), stored-node and recursive roots agree for every size up to 300', () => {
    const range = new CompactRange();
    for (let n = 0; n <= MAX; n++) {
      expect(toHex(range.root())).toBe(toHex(roots[n]!));
      if (n <= EXHAUSTIVE || n % 37 === 0 || n === MAX) expect(toHex(mth(leaves.slice(0, n)))).toBe(toHex(roots[n]!));
      // the compact range survives its storage form
      expect(toHex(CompactRange.fromBytes(n, range.toBytes()).root())).toBe(toHex(roots[n]!));
      if (n < MAX) range.append(leaves[n]!);
    }
    expect(toHex(rootFromLeafHashes(leaves))).toBe(toHex(roots[MAX]!));
  });

  it('the compact range reports exactly the nodes that became complete', () => {
    const range = new CompactRange();
    const seen = new Map<string, string>();
    for (const leaf of leaves) for (const node of range.append(leaf)) seen.set(`${node.level}/${node.index}`, toHex(node.hash));
    // every complete node of a 300-leaf tree, each reported once with the right hash
    let expected = 0;
    for (let level = 0, width = MAX; width > 0; level++, width = Math.floor(width / 2)) {
      for (let index = 0; index < width; index++) {
        expect(seen.get(`${level}/${index}`)).toBe(toHex(tree.node({ level, index })));
        expected++;
      }
    }
    expect(seen.size).toBe(expected);
  });
});

describe('inclusion proofs', () => {
  it(`match RFC 9162 PATH exactly for every leaf of every tree up to ${EXHAUSTIVE} leaves`, () => {
    for (let n = 1; n <= EXHAUSTIVE; n++) {
      for (let i = 0; i < n; i++) expect(hex(tree.inclusionProof(i, n))).toEqual(hex(path(i, leaves.slice(0, n))));
    }
  });

  it(`verify for every leaf of every tree up to ${MAX} leaves`, () => {
    for (let n = 1; n <= MAX; n++) {
      for (let i = 0; i < n; i++) verifyInclusion(i, n, leaves[i]!, tree.inclusionProof(i, n), roots[n]!);
    }
  });

  // The tree size is not an input tampered with here: a proof alone does not always pin it (the proof of
  // leaf 0 is the same in trees of 257 and 258 leaves); the size is bound by the signed checkpoint.
  it('fail when any byte of the entry, the proof or the root changes, or the leaf is claimed at another index', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
        fc.constantFrom('entry', 'proof', 'root', 'index'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ([n, i], what, at, mask) => {
          const p = tree.inclusionProof(i, n);
          let leaf = leaves[i]!;
          let root = roots[n]!;
          let index = i;
          const proofs = p.map((x) => x.slice());
          if (what === 'entry') leaf = hashLeaf(flip(utf8(entries[i]!), at % utf8(entries[i]!).length, mask));
          if (what === 'proof') {
            if (p.length === 0) return; // a 1-leaf tree has no proof bytes to change
            proofs[at % p.length] = flip(p[at % p.length]!, (at >> 8) % 32, mask);
          }
          if (what === 'root') root = flip(root, at % 32, mask);
          if (what === 'index') index = (i + 1 + (at % n)) % (n + 1); // any other index up to n (n itself is out of range)
          if (what === 'index' && index === i) return;
          expect(rejected(() => verifyInclusion(index, n, leaf, proofs, root))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('consistency proofs', () => {
  it(`match RFC 9162 PROOF exactly and verify for every pair m <= n up to ${EXHAUSTIVE}`, () => {
    for (let n = 0; n <= EXHAUSTIVE; n++) {
      for (let m = 0; m <= n; m++) {
        const p = tree.consistencyProof(m, n);
        expect(hex(p)).toEqual(hex(proof(m, leaves.slice(0, n))));
        verifyConsistency(m, n, roots[m]!, roots[n]!, p);
      }
    }
  });

  it(`verify for every m <= n for every n up to ${MAX} (each n with m sampled)`, () => {
    for (let n = EXHAUSTIVE + 1; n <= MAX; n++) {
      for (const m of new Set([0, 1, n - 1, n, Math.floor(n / 2), 2 ** Math.floor(Math.log2(n)), (n * 7919) % n, (n * 104729) % n])) {
        verifyConsistency(m, n, roots[m]!, roots[n]!, tree.consistencyProof(m, n));
      }
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX }).chain((n) => fc.tuple(fc.nat(n), fc.constant(n))),
        ([m, n]) => {
          verifyConsistency(m, n, roots[m]!, roots[n]!, tree.consistencyProof(m, n));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('fail when any byte of either root or of the proof changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: MAX }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n))),
        fc.constantFrom('root1', 'root2', 'proof'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ([m, n], what, at, mask) => {
          const p = tree.consistencyProof(m, n).map((x) => x.slice());
          let r1 = roots[m]!;
          let r2 = roots[n]!;
          if (what === 'root1') r1 = flip(r1, at % 32, mask);
          if (what === 'root2') r2 = flip(r2, at % 32, mask);
          if (what === 'proof') p[at % p.length] = flip(p[at % p.length]!, (at >> 8) % 32, mask);
          expect(rejected(() => verifyConsistency(m, n, r1, r2, p))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('signed checkpoints', () => {
  const pair = signingKeyPair(new Uint8Array(32).fill(42));
  const origin = 'poc.example/ledger';
  const key = verifierKeyOf(origin, pair.publicKey);

  it('open for every size, and fail when any byte of the note (body or signature) changes', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.nat(), fc.integer({ min: 1, max: 255 }), (n, at, mask) => {
        const note = signNote(formatCheckpoint({ origin, size: n, rootHash: roots[n]! }), origin, pair);
        const cp = openCheckpoint(note, key);
        expect(cp.size).toBe(n);
        expect(toHex(cp.rootHash)).toBe(toHex(roots[n]!));
        const bytes = utf8(note);
        const tampered = flip(bytes, at % bytes.length, mask);
        let text: string;
        try {
          text = decoder.decode(tampered);
        } catch {
          return; // not UTF-8 any more: no verifier can even read it
        }
        expect(rejected(() => openCheckpoint(text, key))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
