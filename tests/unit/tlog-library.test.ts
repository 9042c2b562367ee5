/**
 * The verifier library (src/tlog): node:crypto Ed25519 against RFC 8032, C2SP
 * cosignatures (the tlog-cosignature example's timestamp, an independent
 * construction of the signed message), tile paths (the tlog-tiles examples)
 * and node hashes from tiles against the in-memory tree.
 */
import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cosign, cosignedMessage, cosignerKeyOf, formatCosignerKey, parseCosignerKey, verifyCosignatures } from '../../src/tlog/cosignature.ts';
import { ed25519KeyPair, ed25519Sign, ed25519Verify, toHex } from '../../src/tlog/crypto.ts';
import { consistencyProof, decompose, hashLeaf, inclusionProof, MemoryTree, nodesFor, consistencyRanges, inclusionRanges, rootFromNodes } from '../../src/tlog/merkle.ts';
import { decodeBase64, NoteError, signNote, splitNote, verifierKeyOf } from '../../src/tlog/note.ts';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  formatTileIndex,
  nodesFromTiles,
  parseTilePath,
  tilePath,
  tilesOf,
  verifyTreeFromTiles,
  type TileId,
} from '../../src/tlog/tiles.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

describe('Ed25519 from node:crypto (RFC 8032 §7.1)', () => {
  it('TEST 1 and TEST 2: public key and signature', () => {
    const k1 = ed25519KeyPair(hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
    expect(toHex(k1.publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const sig1 = ed25519Sign(k1, new Uint8Array(0));
    expect(toHex(sig1)).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    const k2 = ed25519KeyPair(hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'));
    expect(toHex(k2.publicKey)).toBe('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    const sig2 = ed25519Sign(k2, hex('72'));
    expect(toHex(sig2)).toBe(
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    );
    expect(ed25519Verify(k2.publicKey, hex('72'), sig2)).toBe(true);
    sig2[0]! ^= 1;
    expect(ed25519Verify(k2.publicKey, hex('72'), sig2)).toBe(false);
    expect(ed25519Verify(k2.publicKey.subarray(1), hex('72'), sig2)).toBe(false);
  });
});

describe('cosignatures (C2SP tlog-cosignature, cosignature/v1)', () => {
  const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const keyPair = ed25519KeyPair(seed);
  const body = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const name = 'witness.example.com/w1';

  it('the spec example line carries its key ID then the big-endian timestamp 1679315147 of the example message', () => {
    const blob = decodeBase64('jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==')!;
    expect(blob.length).toBe(4 + 8 + 64);
    expect(Buffer.from(blob.subarray(4, 12)).readBigUInt64BE()).toBe(1679315147n);
    expect(cosignedMessage(body, 1679315147)).toBe(`cosignature/v1\ntime 1679315147\n${body}`);
  });

  it('key ID is SHA-256(name || 0x0A || 0x04 || key)[:4], and the line equals an independent construction', () => {
    const key = cosignerKeyOf(name, keyPair.publicKey);
    const expectedId = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([4]), keyPair.publicKey])).digest().subarray(0, 4);
    expect(key.keyId).toBe(expectedId.toString('hex'));
    expect(parseCosignerKey(formatCosignerKey(key))).toEqual(key);
    expect(formatCosignerKey(key)).toMatch(/^witness\.example\.com\/w1\+[0-9a-f]{8}\+BN/); // base64 of 0x04 || key starts with "BN" here
    const pkcs8 = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(1679315147n);
    const sig = nodeSign(null, Buffer.from(`cosignature/v1\ntime 1679315147\n${body}`), pkcs8);
    expect(cosign(body, name, keyPair, 1679315147)).toBe(`\u2014 ${name} ${Buffer.concat([expectedId, ts, sig]).toString('base64')}\n`);
  });

  it('verifies on a signed note; ignores unknown keys, forged lines and a log (0x01) key of the same name', () => {
    const logPair = ed25519KeyPair(new Uint8Array(32).fill(7));
    const note = signNote(body, 'example.com/behind-the-sofa', logPair);
    const line = cosign(body, name, keyPair, 1700000000);
    const cosigned = `${note}${line}`;
    const key = cosignerKeyOf(name, keyPair.publicKey);
    expect(verifyCosignatures(cosigned, [key])).toEqual([{ name, keyId: key.keyId, timestamp: 1700000000, line: line.trimEnd() }]);
    expect(verifyCosignatures(note, [key])).toEqual([]);
    const other = cosignerKeyOf(name, ed25519KeyPair(new Uint8Array(32).fill(9)).publicKey);
    expect(verifyCosignatures(cosigned, [other])).toEqual([]);
    // A cosignature over another checkpoint does not count.
    const moved = `${signNote(body.replace('20852163', '20852164'), 'example.com/behind-the-sofa', logPair)}${line}`;
    expect(verifyCosignatures(moved, [key])).toEqual([]);
    // A cosignature with its timestamp changed does not count.
    const blob = decodeBase64(line.trimEnd().split(' ')[2]!)!;
    blob[11]! ^= 1;
    expect(verifyCosignatures(`${note}\u2014 ${name} ${Buffer.from(blob).toString('base64')}\n`, [key])).toEqual([]);
    // The same key as a plain note signer (0x01) has another key ID: not a cosignature.
    const plain = signNote(body, name, keyPair);
    expect(verifierKeyOf(name, keyPair.publicKey).keyId).not.toBe(key.keyId);
    expect(verifyCosignatures(`${note}${plain.slice(plain.lastIndexOf('\n\n') + 2)}`, [key])).toEqual([]);
    expect(() => verifyCosignatures('not a note', [key])).toThrow(NoteError);
    expect(splitNote(cosigned).signatures).toHaveLength(2);
  });

  it('refuses malformed verifier keys and a log key (type 0x01) as a cosigner key', () => {
    const key = formatCosignerKey(cosignerKeyOf(name, keyPair.publicKey));
    expect(() => parseCosignerKey(key.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(NoteError);
    expect(() => parseCosignerKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/0x04/);
    expect(() => parseCosignerKey('nonsense')).toThrow(NoteError);
  });
});

describe('tile paths (C2SP tlog-tiles)', () => {
  it('encodes the index in 3-digit groups with x prefixes, as in the spec', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 'entries', index: 5, width: 17 })).toBe('tile/entries/005.p/17');
    expect(parseTilePath('0/x001/x234/067')).toEqual({ level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('entries/005.p/17')).toEqual({ level: 'entries', index: 5, width: 17 });
    for (const bad of ['0/5', '0/x000/005', '00/005', '0/005.p/0', '0/005.p/256', '0/005.p/012', '64/000', '0/001/002', 'x/000', '0/x1000/000']) {
      expect(parseTilePath(bad), bad).toBeUndefined();
    }
  });

  it('a tree of 70,000 has 273 full level-0 tiles, a partial of 112, a full and a partial (17) level-1 tile and a level-2 tile of width 1', () => {
    const tiles = [...tilesOf(70_000)];
    const at = (l: number) => tiles.filter((t) => t.level === l);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(at(0).at(-1)).toEqual({ level: 0, index: 273, width: 112 });
    expect(at(1)).toEqual([{ level: 1, index: 0, width: 256 }, { level: 1, index: 1, width: 17 }]);
    expect(at(2)).toEqual([{ level: 2, index: 0, width: 1 }]);
    expect([...tilesOf(256)]).toEqual([{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
    expect([...tilesOf(0)]).toEqual([]);
  });

  it('entry bundles are uint16 length-prefixed', () => {
    const entries = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(5)];
    const bundle = encodeEntryBundle(entries);
    expect([...bundle.subarray(0, 5)]).toEqual([0, 3, 1, 2, 3]);
    expect(decodeEntryBundle(bundle).map((e) => [...e])).toEqual(entries.map((e) => [...e]));
    expect(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1))).toThrow();
  });
});

describe('proofs and whole trees from tiles', () => {
  const leaves = Array.from({ length: 66_000 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
  const tree = new MemoryTree(leaves);
  const tileBytes = (t: TileId, size: number): Uint8Array => {
    if (t.level === 'entries') return encodeEntryBundle(Array.from({ length: t.width }, (_, i) => Buffer.from(`entry ${t.index * 256 + i}`)));
    const out: Uint8Array[] = [];
    for (let i = 0; i < t.width; i++) out.push(tree.node({ level: 8 * t.level, index: t.index * 256 + i }));
    expect(t.width).toBeLessThanOrEqual(Math.max(0, Math.floor(size / 256 ** t.level) - t.index * 256));
    return Buffer.concat(out);
  };

  it.each([1, 255, 256, 257, 65_535, 65_536, 65_537])('at size %i: roots and proofs from tiles equal those of the tree; the whole tree checks', async (size) => {
    const fetch = async (t: TileId) => tileBytes(t, size);
    const frontier = await nodesFromTiles(decompose({ begin: 0, end: size }), size, fetch);
    expect(toHex(rootFromNodes(size, frontier))).toBe(toHex(tree.root(size)));
    const index = Math.floor(size / 2);
    const incl = await nodesFromTiles(nodesFor(inclusionRanges(index, size)), size, fetch);
    expect(inclusionProof(index, size, incl).map(toHex)).toEqual(tree.inclusionProof(index, size).map(toHex));
    if (size > 1) {
      const cons = await nodesFromTiles(nodesFor(consistencyRanges(size - 1, size)), size, fetch);
      expect(consistencyProof(size - 1, size, cons).map(toHex)).toEqual(tree.consistencyProof(size - 1, size).map(toHex));
    }
    if (size <= 257 || size === 65_537) {
      const report = await verifyTreeFromTiles({ size, root: tree.root(size), fetchTile: fetch, entries: {}, previous: { size: size - 1, root: tree.root(size - 1) } });
      expect(report.entriesChecked).toBe(size);
    }
  });

  it('a changed entry, a changed tile hash or a wrong root is caught', async () => {
    const size = 600;
    const good = async (t: TileId) => tileBytes(t, size);
    await expect(verifyTreeFromTiles({ size, root: tree.root(size - 1), fetchTile: good })).rejects.toThrow(/root/);
    const badEntry = async (t: TileId) => (t.level === 'entries' && t.index === 1 ? encodeEntryBundle(Array.from({ length: 256 }, (_, i) => Buffer.from(`entry ${i === 3 ? 'x' : 256 + i}`))) : good(t));
    await expect(verifyTreeFromTiles({ size, root: tree.root(size), fetchTile: badEntry, entries: {} })).rejects.toThrow(/entry 259 /);
    const badUpper = async (t: TileId) => {
      const b = new Uint8Array(await good(t));
      if (t.level === 1) b[40]! ^= 1;
      return b;
    };
    await expect(verifyTreeFromTiles({ size, root: tree.root(size), fetchTile: badUpper })).rejects.toThrow(/tile tile\/1\/000\.p\/2/);
  });
});
