/**
 * Public test vectors of github.com/transparency-dev/merkle (Apache-2.0),
 * taken as data: rfc6962/rfc6962_test.go (hasher), proof/verify_test.go
 * (leaves, roots, inclusion and consistency proofs, and the corruptions each
 * proof must be rejected under) and proof/proof_test.go (which stored nodes
 * each proof is made of). The code under test is ours.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, initCrypto, sha256, toHex, utf8 } from '../../src/crypto/index.ts';
import {
  consistencyRanges,
  decompose,
  emptyRoot,
  hashChildren,
  hashLeaf,
  inclusionRanges,
  MemoryTree,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
  type Range,
} from '../../src/tlog/merkle.ts';

await initCrypto();

const dh = (hex: string) => fromHex(hex);
const sha256SomeHash = dh('abacaba000000000000000000000000000000000000000000060061e00123456');
const sha256EmptyTreeHash = dh('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

// proof/verify_test.go
const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(dh);
const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(dh);
/** `leaf` is 1-based, as in the Go file; {0, 0, nil} is its invalid entry. */
const inclusionProofs: { leaf: number; size: number; proof: string[] }[] = [
  { leaf: 0, size: 0, proof: [] },
  { leaf: 1, size: 1, proof: [] },
  {
    leaf: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const consistencyProofs: { size1: number; size2: number; proof: string[] }[] = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const accepts = (f: () => void): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

// corruptInclusionProof() of verify_test.go; Go's uint64 wrap-around of `0 - 1` is a negative number here, refused all the same.
function corruptInclusionProof(leafIndex: number, treeSize: number, proof: Uint8Array[], root: Uint8Array, leafHash: Uint8Array) {
  const probes: { desc: string; leafIndex: number; treeSize: number; root: Uint8Array; leafHash: Uint8Array; proof: Uint8Array[] }[] = [
    { desc: 'leafIndex - 1', leafIndex: leafIndex - 1, treeSize, root, leafHash, proof },
    { desc: 'leafIndex + 1', leafIndex: leafIndex + 1, treeSize, root, leafHash, proof },
    { desc: 'leafIndex ^ 2', leafIndex: leafIndex ^ 2, treeSize, root, leafHash, proof },
    { desc: 'treeSize * 2', leafIndex, treeSize: treeSize * 2, root, leafHash, proof },
    { desc: 'treeSize / 2', leafIndex, treeSize: Math.floor(treeSize / 2), root, leafHash, proof },
    { desc: 'wrong leaf', leafIndex, treeSize, root, leafHash: utf8('WrongLeaf'), proof },
    { desc: 'empty root', leafIndex, treeSize, root: sha256EmptyTreeHash, leafHash, proof },
    { desc: 'random root', leafIndex, treeSize, root: sha256SomeHash, leafHash, proof },
    { desc: 'trailing garbage', leafIndex, treeSize, root, leafHash, proof: [...proof, new Uint8Array(0)] },
    { desc: 'trailing root', leafIndex, treeSize, root, leafHash, proof: [...proof, root] },
    { desc: 'preceding garbage', leafIndex, treeSize, root, leafHash, proof: [new Uint8Array(0), ...proof] },
    { desc: 'preceding root', leafIndex, treeSize, root, leafHash, proof: [root, ...proof] },
  ];
  proof.forEach((_, i) => {
    const wrong = proof.map((p) => p.slice());
    wrong[i]![0]! ^= 8;
    probes.push({ desc: `modified proof[${i}] bit 3`, leafIndex, treeSize, root, leafHash, proof: wrong });
  });
  if (proof.length > 0) probes.push({ desc: 'removed component', leafIndex, treeSize, root, leafHash, proof: proof.slice(0, -1) });
  if (proof.length > 1) probes.push({ desc: 'inserted component', leafIndex, treeSize, root, leafHash, proof: [proof[0]!, sha256SomeHash, ...proof.slice(1)] });
  return probes;
}

// corruptConsistencyProof() of verify_test.go
function corruptConsistencyProof(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: Uint8Array[]) {
  const wrongRoot = utf8('WrongRoot');
  const probes: { desc: string; size1: number; size2: number; root1: Uint8Array; root2: Uint8Array; proof: Uint8Array[] }[] = [
    { desc: 'size1 - 1', size1: size1 - 1, size2, root1, root2, proof },
    { desc: 'size1 + 1', size1: size1 + 1, size2, root1, root2, proof },
    { desc: 'size1 ^ 2', size1: size1 ^ 2, size2, root1, root2, proof },
    { desc: 'size2 * 2', size1, size2: size2 * 2, root1, root2, proof },
    { desc: 'size2 / 2', size1, size2: Math.floor(size2 / 2), root1, root2, proof },
    { desc: 'wrong root1', size1, size2, root1: wrongRoot, root2, proof },
    { desc: 'wrong root2', size1, size2, root1, root2: wrongRoot, proof },
    { desc: 'swapped roots', size1, size2, root1: root2, root2: root1, proof },
    { desc: 'empty proof', size1, size2, root1, root2, proof: [] },
    { desc: 'trailing garbage', size1, size2, root1, root2, proof: [...proof, new Uint8Array(0)] },
    { desc: 'trailing root1', size1, size2, root1, root2, proof: [...proof, root1] },
    { desc: 'trailing root2', size1, size2, root1, root2, proof: [...proof, root2] },
    { desc: 'preceding garbage', size1, size2, root1, root2, proof: [new Uint8Array(0), ...proof] },
    { desc: 'preceding root1', size1, size2, root1, root2, proof: [root1, ...proof] },
    { desc: 'preceding root2', size1, size2, root1, root2, proof: [root2, ...proof] },
    { desc: 'preceding proof[0]', size1, size2, root1, root2, proof: [proof[0]!, ...proof] },
  ];
  if (proof.length > 0) probes.push({ desc: 'truncated proof', size1, size2, root1, root2, proof: proof.slice(0, -1) });
  proof.forEach((_, i) => {
    const wrong = proof.map((p) => p.slice());
    wrong[i]![0]! ^= 16;
    probes.push({ desc: `modified proof[${i}] bit 4`, size1, size2, root1, root2, proof: wrong });
  });
  return probes;
}

describe('RFC 6962 hasher (rfc6962_test.go)', () => {
  it('hashes the empty tree, leaves and nodes as the reference does', () => {
    expect(toHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(hashLeaf(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(hashLeaf(utf8('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(toHex(hashChildren(utf8('N123'), utf8('N456')))).toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
  });

  it('separates leaves from nodes and depends on child order', () => {
    const h1 = hashLeaf(utf8('Hello'));
    const h2 = hashLeaf(utf8('World'));
    expect(toHex(h1)).not.toBe(toHex(h2));
    const parent = hashChildren(h1, h2);
    expect(toHex(parent)).not.toBe(toHex(hashLeaf(new Uint8Array([...h1, ...h2]))));
    expect(toHex(parent)).not.toBe(toHex(hashChildren(h2, h1)));
  });
});

describe('roots and proofs of the 8-leaf reference tree (verify_test.go)', () => {
  const leafHashes = leaves.map(hashLeaf);
  const tree = new MemoryTree(leafHashes);

  it('computes every reference root, incrementally and from stored nodes', () => {
    roots.forEach((root, i) => {
      expect(toHex(rootFromLeafHashes(leafHashes.slice(0, i + 1)))).toBe(toHex(root));
      expect(toHex(tree.root(i + 1))).toBe(toHex(root));
    });
    expect(toHex(rootFromLeafHashes([]))).toBe(toHex(sha256(new Uint8Array(0))));
  });

  it.each(inclusionProofs.slice(1))('inclusion of leaf $leaf in size $size: generates the reference proof, verifies it, and rejects every corruption', ({ leaf, size, proof: hex }) => {
    const proof = hex.map(dh);
    const leafHash = leafHashes[leaf - 1]!;
    const root = roots[size - 1]!;
    expect(tree.inclusionProof(leaf - 1, size).map(toHex)).toEqual(hex);
    expect(toHex(rootFromInclusionProof(leaf - 1, size, leafHash, proof))).toBe(toHex(root));
    verifyInclusion(leaf - 1, size, leafHash, proof, root);
    const wronglyAccepted = corruptInclusionProof(leaf - 1, size, proof, root, leafHash)
      .filter((p) => accepts(() => verifyInclusion(p.leafIndex, p.treeSize, p.leafHash, p.proof, p.root)))
      .map((p) => p.desc);
    expect(wronglyAccepted).toEqual([]);
  });

  it.each(consistencyProofs)('consistency $size1 -> $size2: generates the reference proof, verifies it, and rejects every corruption', ({ size1, size2, proof: hex }) => {
    const proof = hex.map(dh);
    const root1 = roots[size1 - 1]!;
    const root2 = roots[size2 - 1]!;
    expect(tree.consistencyProof(size1, size2).map(toHex)).toEqual(hex);
    verifyConsistency(size1, size2, root1, root2, proof);
    if (proof.length === 0) return; // as in Go: only non-trivial proofs are corrupted
    const wronglyAccepted = corruptConsistencyProof(size1, size2, root1, root2, proof)
      .filter((p) => accepts(() => verifyConsistency(p.size1, p.size2, p.root1, p.root2, p.proof)))
      .map((p) => p.desc);
    expect(wronglyAccepted).toEqual([]);
  });
});

describe('edge cases of verification (verify_test.go)', () => {
  it('a single-entry tree: root and leaf hash are equal and the proof is empty (TestVerifyInclusionSingleEntry)', () => {
    const hash = hashLeaf(utf8('data'));
    const empty = new Uint8Array(0);
    expect(accepts(() => verifyInclusion(0, 1, hash, [], hash))).toBe(true);
    expect(accepts(() => verifyInclusion(0, 1, empty, [], hash))).toBe(false);
    expect(accepts(() => verifyInclusion(0, 1, hash, [], empty))).toBe(false);
    expect(accepts(() => verifyInclusion(0, 1, empty, [], empty))).toBe(false);
  });

  it('refuses impossible index/size pairs with an empty proof (TestVerifyInclusion probes)', () => {
    for (const [index, size] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 1],
    ] as const) {
      expect(accepts(() => verifyInclusion(index, size, sha256SomeHash, [], new Uint8Array(0)))).toBe(false);
      expect(accepts(() => verifyInclusion(index, size, new Uint8Array(0), [], sha256EmptyTreeHash))).toBe(false);
      expect(accepts(() => verifyInclusion(index, size, sha256SomeHash, [], sha256EmptyTreeHash))).toBe(false);
    }
  });

  it('treats trivial consistency cases as the reference does (TestVerifyConsistency table)', () => {
    const root1 = utf8("don't care 1");
    const root2 = utf8("don't care 2");
    const proof2 = [sha256EmptyTreeHash];
    const table: [number, number, Uint8Array, Uint8Array, Uint8Array[], boolean][] = [
      [0, 0, root1, root2, [], true],
      [1, 1, root1, root2, [], true],
      [0, 0, root1, root1, [], false],
      [0, 1, root1, root2, [], false],
      [1, 1, root2, root2, [], false],
      [1, 0, root1, root2, [], true],
      [2, 1, root1, root2, [], true],
      [1, 2, root1, root2, [], true],
      [0, 0, sha256EmptyTreeHash, root2, [], true],
      [1, 1, sha256EmptyTreeHash, root2, [], true],
      [0, 0, sha256EmptyTreeHash, sha256EmptyTreeHash, proof2, true],
      [0, 1, sha256EmptyTreeHash, sha256EmptyTreeHash, proof2, true],
      [1, 1, sha256EmptyTreeHash, sha256EmptyTreeHash, proof2, true],
    ];
    for (const [size1, size2, r1, r2, proof, wantErr] of table) {
      expect({ size1, size2, rejected: !accepts(() => verifyConsistency(size1, size2, r1, r2, proof)) }).toEqual({ size1, size2, rejected: wantErr });
    }
  });
});

/** Go lists the nodes of an ephemeral (right-edge) range from right to left; we decompose left to right. */
const goOrder = (ranges: Range[]): NodeId[] => ranges.flatMap((r) => decompose(r).reverse());
const id = (level: number, index: number): NodeId => ({ level, index });

describe('which stored nodes make up each proof (proof_test.go)', () => {
  it('inclusion', () => {
    const cases: [number, number, NodeId[]][] = [
      [1, 0, []],
      [2, 0, [id(0, 1)]],
      [2, 1, [id(0, 0)]],
      [3, 1, [id(0, 0), id(0, 2)]],
      [7, 0, [id(0, 1), id(1, 1), id(0, 6), id(1, 2)]],
      [7, 1, [id(0, 0), id(1, 1), id(0, 6), id(1, 2)]],
      [7, 2, [id(0, 3), id(1, 0), id(0, 6), id(1, 2)]],
      [7, 3, [id(0, 2), id(1, 0), id(0, 6), id(1, 2)]],
      [7, 4, [id(0, 5), id(0, 6), id(2, 0)]],
      [7, 5, [id(0, 4), id(0, 6), id(2, 0)]],
      [7, 6, [id(1, 2), id(2, 0)]],
      [4, 2, [id(0, 3), id(1, 0)]],
      [5, 3, [id(0, 2), id(1, 0), id(0, 4)]],
      [6, 3, [id(0, 2), id(1, 0), id(1, 2)]],
      [6, 4, [id(0, 5), id(2, 0)]],
      [15, 10, [id(0, 11), id(1, 4), id(0, 14), id(1, 6), id(3, 0)]],
      [31, 24, [id(0, 25), id(1, 13), id(0, 30), id(1, 14), id(3, 2), id(4, 0)]],
      [95, 81, [id(0, 80), id(1, 41), id(2, 21), id(0, 94), id(1, 46), id(2, 22), id(4, 4), id(6, 0)]],
    ];
    for (const [size, index, want] of cases) expect({ size, index, nodes: goOrder(inclusionRanges(index, size)) }).toEqual({ size, index, nodes: want });
    for (const [size, index] of [
      [0, 0],
      [0, 1],
      [1, 2],
      [0, 3],
      [7, 8],
    ] as const) {
      expect(() => inclusionRanges(index, size)).toThrow();
    }
  });

  it('consistency', () => {
    const cases: [number, number, NodeId[]][] = [
      [1, 2, [id(0, 1)]],
      [1, 4, [id(0, 1), id(1, 1)]],
      [1, 6, [id(0, 1), id(1, 1), id(1, 2)]],
      [2, 3, [id(0, 2)]],
      [2, 8, [id(1, 1), id(2, 1)]],
      [3, 7, [id(0, 2), id(0, 3), id(1, 0), id(0, 6), id(1, 2)]],
      [4, 7, [id(0, 6), id(1, 2)]],
      [5, 7, [id(0, 4), id(0, 5), id(0, 6), id(2, 0)]],
      [6, 7, [id(1, 2), id(0, 6), id(2, 0)]],
      [7, 8, [id(0, 6), id(0, 7), id(1, 2), id(2, 0)]],
      [1, 1, []],
      [2, 2, []],
      [3, 3, []],
      [4, 4, []],
      [5, 5, []],
      [7, 7, []],
      [8, 8, []],
      [2, 4, [id(1, 1)]],
      [3, 5, [id(0, 2), id(0, 3), id(1, 0), id(0, 4)]],
      [3, 6, [id(0, 2), id(0, 3), id(1, 0), id(1, 2)]],
      [4, 6, [id(1, 2)]],
      [1, 7, [id(0, 1), id(1, 1), id(0, 6), id(1, 2)]],
      [10, 15, [id(1, 4), id(1, 5), id(0, 14), id(1, 6), id(3, 0)]],
      [24, 31, [id(3, 2), id(0, 30), id(1, 14), id(2, 6), id(4, 0)]],
      [81, 95, [id(0, 80), id(0, 81), id(1, 41), id(2, 21), id(0, 94), id(1, 46), id(2, 22), id(4, 4), id(6, 0)]],
    ];
    for (const [size1, size2, want] of cases) expect({ size1, size2, nodes: goOrder(consistencyRanges(size1, size2)) }).toEqual({ size1, size2, nodes: want });
    expect(() => consistencyRanges(5, 0)).toThrow();
    expect(() => consistencyRanges(9, 8)).toThrow();
  });
});
