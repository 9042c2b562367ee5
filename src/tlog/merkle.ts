/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proofs.
 * Pure: no storage, no I/O. Usable by the service, by the offline verifier
 * and by any external party.
 *
 *   leaf hash    = SHA-256(0x00 || entry bytes)                       (§2.1.1)
 *   node hash    = SHA-256(0x01 || left || right)
 *   MTH({})      = SHA-256()                                           (empty tree)
 *   MTH(D[n])    = node(MTH(D[0:k]), MTH(D[k:n])), k = largest power of 2 < n
 *
 * Storage model. A node is identified by (level, index): the perfect subtree
 * of 2^level leaves starting at leaf index * 2^level. Such a node is
 * "complete" once all its leaves are appended, and its hash never changes
 * after that. Every hash a proof needs is either a complete node or the hash
 * of a right-edge range [begin, end) that splits into a few complete nodes
 * (its perfect decomposition), so proofs need O(log n) stored nodes.
 *
 * Numbers: indexes and sizes are JavaScript safe integers (< 2^53); no
 * 32-bit bitwise operators are used on them.
 */
import { constantTimeEqual, sha256, toHex } from './crypto.ts';

export const HASH_BYTES = 32;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** A proof, a root or an argument is not what it must be. */
export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

/** RFC 9162 leaf hash of the entry bytes. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

/** One reusable input buffer for node hashes: 0x01 || left || right (no allocation per node but the digest). */
const nodeInput = new Uint8Array(1 + 2 * 32);
nodeInput[0] = 0x01;

/** RFC 9162 interior node hash. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== 32 || right.length !== 32) return sha256(NODE_PREFIX, left, right);
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return sha256(nodeInput);
}

/** MTH of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export interface Node extends NodeId {
  readonly hash: Uint8Array;
}

/** Half-open leaf range [begin, end). */
export interface Range {
  readonly begin: number;
  readonly end: number;
}

export const nodeKey = (id: NodeId): string => `${id.level}/${id.index}`;

function assertSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new VerificationError(`${name} must be a non-negative safe integer, got ${n}`);
}

/** Largest power of two strictly below n (n >= 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * The perfect subtrees that make up [begin, end), left to right, largest
 * first. Defined for the ranges that occur in RFC 9162 trees and proofs
 * (begin aligned to a power of two at least end - begin); the hash of such a
 * range is the right fold of its nodes' hashes.
 */
export function decompose({ begin, end }: Range): NodeId[] {
  assertSize('begin', begin);
  assertSize('end', end);
  if (end < begin) throw new VerificationError(`bad range [${begin}, ${end})`);
  const out: NodeId[] = [];
  let at = begin;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    out.push({ level, index: at / size });
    at += size;
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.level >= out[i - 1]!.level) throw new VerificationError(`range [${begin}, ${end}) is not a Merkle subtree range`);
  }
  return out;
}

/** Hash of the range [begin, end) from the hashes of its perfect subtrees. */
export function hashRange(range: Range, node: (id: NodeId) => Uint8Array): Uint8Array {
  const ids = decompose(range);
  if (ids.length === 0) throw new VerificationError('empty range');
  let hash = node(ids[ids.length - 1]!);
  for (let i = ids.length - 2; i >= 0; i--) hash = hashChildren(node(ids[i]!), hash);
  return hash;
}

/** The ranges whose hashes form the inclusion proof of leaf `index` in a tree of `size` leaves, bottom-up (RFC 9162 §2.1.3.1). */
export function inclusionRanges(index: number, size: number): Range[] {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new VerificationError(`index ${index} is not below tree size ${size}`);
  const path: Range[] = [];
  let begin = 0;
  let end = size;
  // Walk from the root down to the leaf, collecting siblings; reverse for bottom-up order.
  while (end - begin > 1) {
    const k = largestPowerOfTwoBelow(end - begin);
    if (index < begin + k) {
      path.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      path.push({ begin, end: begin + k });
      begin += k;
    }
  }
  return path.reverse();
}

/** The ranges whose hashes form the consistency proof between sizes m and n (RFC 9162 §2.1.4.1); empty when m is 0 or m = n. */
export function consistencyRanges(m: number, n: number): Range[] {
  assertSize('m', m);
  assertSize('n', n);
  if (m > n) throw new VerificationError(`first size ${m} is above second size ${n}`);
  if (m === 0 || m === n) return [];
  const path: Range[] = [];
  let begin = 0;
  let end = n;
  let complete = true; // RFC's b flag: the subtree [begin, m) is a complete subtree of the old tree
  while (m !== end) {
    const k = largestPowerOfTwoBelow(end - begin);
    if (m <= begin + k) {
      path.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      path.push({ begin, end: begin + k });
      begin += k;
      complete = false;
    }
  }
  if (!complete) path.push({ begin, end });
  return path.reverse();
}

/** Every node needed to hash the given ranges (deduplicated). */
export function nodesFor(ranges: readonly Range[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const id of decompose(r)) seen.set(nodeKey(id), id);
  return [...seen.values()];
}

/** The perfect subtrees covering [0, size): the tree's "frontier" (compact range), largest first. */
export function frontierNodes(size: number): NodeId[] {
  return decompose({ begin: 0, end: size });
}

/** Inclusion proof from complete-node hashes. */
export function inclusionProof(index: number, size: number, node: (id: NodeId) => Uint8Array): Uint8Array[] {
  return inclusionRanges(index, size).map((r) => hashRange(r, node));
}

/** Consistency proof from complete-node hashes. */
export function consistencyProof(m: number, n: number, node: (id: NodeId) => Uint8Array): Uint8Array[] {
  return consistencyRanges(m, n).map((r) => hashRange(r, node));
}

/** Root of a tree of `size` leaves from complete-node hashes. */
export function rootFromNodes(size: number, node: (id: NodeId) => Uint8Array): Uint8Array {
  return size === 0 ? emptyRoot() : hashRange({ begin: 0, end: size }, node);
}

/** MTH of a list of leaf hashes (reference implementation, O(n)). */
export function rootFromLeafHashes(leaves: readonly Uint8Array[]): Uint8Array {
  const range = new CompactRange();
  for (const leaf of leaves) range.append(leaf);
  return range.root();
}

function checkHash(what: string, hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
    throw new VerificationError(`${what} must be ${HASH_BYTES} bytes, got ${hash instanceof Uint8Array ? hash.length : typeof hash}`);
  }
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => constantTimeEqual(a, b);

/**
 * The root implied by an inclusion proof (RFC 9162 §2.1.3.2). Throws
 * VerificationError when the proof cannot belong to a tree of that size.
 */
export function rootFromInclusionProof(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new VerificationError(`index ${index} is not below tree size ${size}`);
  checkHash('leaf hash', leafHash);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const [i, p] of proof.entries()) {
    checkHash(`proof[${i}]`, p);
    if (sn === 0) throw new VerificationError(`inclusion proof is too long (${proof.length} hashes)`);
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerificationError(`inclusion proof is too short (${proof.length} hashes)`);
  return r;
}

/** Verifies that `leafHash` is leaf `index` of the tree of `size` leaves with root `root`. Throws VerificationError otherwise. */
export function verifyInclusion(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  checkHash('root', root);
  if (!equal(computed, root)) {
    throw new VerificationError(`inclusion proof of index ${index} leads to root ${toHex(computed)}, not ${toHex(root)}`);
  }
}

/**
 * Verifies that the tree of size `size2` with root `root2` extends the tree of
 * size `size1` with root `root1` (RFC 9162 §2.1.4.2). Throws VerificationError
 * otherwise. Conventions for the trivial cases: equal sizes need equal roots
 * and an empty proof; every tree extends the empty tree (empty proof).
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): void {
  assertSize('size1', size1);
  assertSize('size2', size2);
  if (size2 < size1) throw new VerificationError(`size2 ${size2} is below size1 ${size1}`);
  if (size1 === size2) {
    if (proof.length > 0) throw new VerificationError('sizes are equal but the proof is not empty');
    if (root1.length !== root2.length || !equal(root1, root2)) throw new VerificationError(`roots of the same size ${size1} differ`);
    return;
  }
  if (size1 === 0) {
    if (proof.length > 0) throw new VerificationError('the empty tree needs an empty consistency proof');
    return;
  }
  if (proof.length === 0) throw new VerificationError('empty consistency proof');
  checkHash('root1', root1);
  checkHash('root2', root2);
  for (const [i, p] of proof.entries()) checkHash(`proof[${i}]`, p);

  // Step 2: if size1 is a power of two, the old root is the first node of the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new VerificationError(`consistency proof is too long (${proof.length} hashes)`);
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerificationError(`consistency proof is too short (${proof.length} hashes)`);
  if (!equal(fr, root1)) throw new VerificationError(`consistency proof does not lead to the root of size ${size1}`);
  if (!equal(sr, root2)) throw new VerificationError(`consistency proof does not lead to the root of size ${size2}`);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/**
 * The right edge of a growing tree: the hashes of the perfect subtrees
 * covering [0, size), largest first (one per set bit of size). Appending a
 * leaf is O(log n) and yields the nodes that became complete, which is what
 * the service stores. Its root is the right fold of the hashes.
 */
export class CompactRange {
  #size: number;
  readonly #hashes: Uint8Array[];

  constructor(size = 0, hashes: readonly Uint8Array[] = []) {
    assertSize('size', size);
    const expected = frontierNodes(size).length;
    if (hashes.length !== expected) throw new VerificationError(`a compact range of size ${size} has ${expected} hashes, got ${hashes.length}`);
    hashes.forEach((h, i) => checkHash(`compact range hash ${i}`, h));
    this.#size = size;
    this.#hashes = [...hashes];
  }

  /** From the concatenated hashes (storage form). */
  static fromBytes(size: number, bytes: Uint8Array): CompactRange {
    if (bytes.length % HASH_BYTES !== 0) throw new VerificationError(`compact range bytes must be a multiple of ${HASH_BYTES}, got ${bytes.length}`);
    const hashes: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += HASH_BYTES) hashes.push(bytes.slice(at, at + HASH_BYTES));
    return new CompactRange(size, hashes);
  }

  get size(): number {
    return this.#size;
  }

  get hashes(): readonly Uint8Array[] {
    return this.#hashes;
  }

  /** The nodes the hashes stand for, in the same order. */
  nodes(): Node[] {
    return frontierNodes(this.#size).map((id, i) => ({ ...id, hash: this.#hashes[i]! }));
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.#hashes.length * HASH_BYTES);
    this.#hashes.forEach((h, i) => out.set(h, i * HASH_BYTES));
    return out;
  }

  clone(): CompactRange {
    return new CompactRange(this.#size, this.#hashes);
  }

  /** Appends a leaf hash; returns the nodes that became complete (the leaf itself first, then its completed ancestors). */
  append(leafHash: Uint8Array): Node[] {
    checkHash('leaf hash', leafHash);
    let hash = leafHash;
    let level = 0;
    let index = this.#size;
    const completed: Node[] = [{ level, index, hash }];
    while (isOdd(index)) {
      hash = hashChildren(this.#hashes.pop()!, hash);
      level += 1;
      index = half(index);
      completed.push({ level, index, hash });
    }
    this.#hashes.push(hash);
    this.#size += 1;
    return completed;
  }

  root(): Uint8Array {
    if (this.#hashes.length === 0) return emptyRoot();
    let hash = this.#hashes[this.#hashes.length - 1]!;
    for (let i = this.#hashes.length - 2; i >= 0; i--) hash = hashChildren(this.#hashes[i]!, hash);
    return hash;
  }
}

/**
 * Every complete node of a tree, in memory: for tests, tools and small
 * trees. `node(id)` throws for a node that is not complete.
 */
export class MemoryTree {
  readonly #levels: Uint8Array[][] = [[]];

  constructor(leafHashes: readonly Uint8Array[] = []) {
    for (const h of leafHashes) this.append(h);
  }

  get size(): number {
    return this.#levels[0]!.length;
  }

  append(leafHash: Uint8Array): void {
    checkHash('leaf hash', leafHash);
    this.#levels[0]!.push(leafHash);
    let level = 0;
    let index = this.#levels[0]!.length - 1;
    while (isOdd(index)) {
      const row = this.#levels[level]!;
      const parent = hashChildren(row[index - 1]!, row[index]!);
      level += 1;
      index = half(index);
      (this.#levels[level] ??= []).push(parent);
    }
  }

  readonly node = (id: NodeId): Uint8Array => {
    const hash = this.#levels[id.level]?.[id.index];
    if (!hash) throw new VerificationError(`node ${nodeKey(id)} is not complete`);
    return hash;
  };

  root(size = this.size): Uint8Array {
    return rootFromNodes(size, this.node);
  }

  inclusionProof(index: number, size = this.size): Uint8Array[] {
    return inclusionProof(index, size, this.node);
  }

  consistencyProof(m: number, n = this.size): Uint8Array[] {
    return consistencyProof(m, n, this.node);
  }
}
