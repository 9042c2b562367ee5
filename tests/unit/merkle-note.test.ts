/**
 * Signed notes and checkpoints against the vectors of golang.org/x/mod
 * sumdb/note (note_test.go, BSD) and the C2SP tlog-checkpoint example, taken
 * as data. The code under test is ours.
 */
import { describe, expect, it } from 'vitest';
import { initCrypto, signingKeyPair, toHex } from '../../src/crypto/index.ts';
import {
  decodeBase64,
  formatCheckpoint,
  formatVerifierKey,
  NoteError,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  verifierKeyOf,
} from '../../src/tlog/note.ts';

await initCrypto();

const peterKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const enochKey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const peter = { name: 'PeterNeumann', keyId: 'c74f20a3', base64: 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=' };
const enoch = { name: 'EnochRoot', keyId: 'af0cfe78', base64: 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=' };

/** The seed inside a Go signer key: base64(0x01 || seed) after the fourth '+'. */
function goSeed(skey: string): Uint8Array {
  const parts = skey.split('+');
  const typed = decodeBase64(parts.slice(4).join('+'))!;
  expect(typed[0]).toBe(1);
  return typed.slice(1);
}

/** Go slices strings by UTF-8 bytes; the em dash is 3 bytes there, 1 UTF-16 unit here. */
const insertAtByte = (s: string, at: number, insert: string) => {
  const b = Buffer.from(s);
  return b.subarray(0, at).toString() + insert + b.subarray(at).toString();
};

const rejects = (f: () => unknown, message?: string) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(NoteError);
  if (message) expect((err as Error).message).toBe(message);
};

describe('verifier keys (TestNewVerifier)', () => {
  it('parses the reference key and derives its key ID from name and public key', () => {
    const key = parseVerifierKey(peterKey);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyId).toBe('c74f20a3');
    expect(formatVerifierKey(key)).toBe(peterKey);
    expect(formatVerifierKey(verifierKeyOf('PeterNeumann', key.publicKey))).toBe(peterKey);
    expect(formatVerifierKey(parseVerifierKey(enochKey))).toBe(enochKey);
  });

  it('derives the same verifier key from the reference signer seed', () => {
    const pair = signingKeyPair(goSeed(peterSkey));
    expect(formatVerifierKey(verifierKeyOf('PeterNeumann', pair.publicKey))).toBe(peterKey);
  });

  it('accepts a key whose base64 contains "+" (transparency-dev/formats vector)', () => {
    expect(parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6').keyId).toBe('7997405c');
  });

  it('refuses every proper substring and every single-byte increment of the key', () => {
    const accepted: string[] = [];
    const b = Buffer.from(peterKey);
    for (let i = 0; i <= b.length; i++) {
      for (let j = i + 1; j <= b.length; j++) {
        if (i === 0 && j === b.length) continue;
        const k = b.subarray(i, j).toString();
        try {
          parseVerifierKey(k);
          accepted.push(k);
        } catch {
          // refused, as it must be
        }
      }
    }
    for (let i = 0; i < b.length; i++) {
      const m = Buffer.from(b);
      m[i]! += 1;
      try {
        parseVerifierKey(m.toString('latin1'));
        accepted.push(m.toString('latin1'));
      } catch {
        // refused
      }
    }
    expect(accepted).toEqual([]);
    rejects(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='));
    rejects(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'));
  });
});

describe('signing (TestSign)', () => {
  it('reproduces the reference signed note byte for byte (Ed25519 is deterministic)', () => {
    expect(signNote(text, 'PeterNeumann', signingKeyPair(goSeed(peterSkey)))).toBe(`${text}\n${peterSig}`);
  });

  it('refuses text without a final newline and invalid key names', () => {
    const pair = signingKeyPair(goSeed(peterSkey));
    rejects(() => signNote('abc', 'PeterNeumann', pair));
    rejects(() => signNote(text, 'a+b', pair));
    rejects(() => signNote(text, 'bad name', pair));
    rejects(() => signNote(text, '', pair));
  });
});

describe('opening notes (TestOpen)', () => {
  const peterV = parseVerifierKey(peterKey);
  const enochV = parseVerifierKey(enochKey);

  it('verifies known signatures and ignores unknown ones', () => {
    const one = openNote(`${text}\n${peterSig}${enochSig}`, [peterV]);
    expect(one.text).toBe(text);
    expect(one.verified).toEqual([peter]);
    expect(one.unverified).toEqual([enoch]);
    const both = openNote(`${text}\n${peterSig}${enochSig}`, [peterV, enochV]);
    expect(both.verified).toEqual([peter, enoch]);
    expect(both.unverified).toEqual([]);
  });

  it('refuses a note no known key signed', () => {
    rejects(() => openNote(`${text}\n${peterSig}${enochSig}`, []), 'note has no verifiable signatures');
    rejects(() => openNote(`${text}\n${enochSig}`, [peterV]), 'note has no verifiable signatures');
  });

  it('refuses ambiguous verifier lists only when the ambiguous key signed', () => {
    rejects(() => openNote(`${text}\n${enochSig}`, [enochV, peterV, enochV]), 'ambiguous key EnochRoot+af0cfe78');
    expect(openNote(`${text}\n${peterSig}`, [enochV, peterV, enochV]).verified).toEqual([peter]);
  });

  it('refuses too many signatures', () => {
    rejects(() => openNote(`${text}\n${peterSig.repeat(101)}`, [peterV]), 'malformed note');
    rejects(() => openNote(`${text}\n${peterSig.repeat(101)}`, []), 'malformed note');
  });

  it('refuses the whole note when a known key signature is invalid', () => {
    rejects(() => openNote(`${text}\n${insertAtByte(peterSig, 60, 'ABCD')}`, [peterV]), 'invalid signature for key PeterNeumann+c74f20a3');
  });

  it('deduplicates repeated signatures', () => {
    const enochABCD = { ...enoch, base64: Buffer.from(insertAtByte(enochSig, 60, 'ABCD')).toString().split(' ')[2]!.trim() };
    const n = openNote(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${insertAtByte(enochSig, 60, 'ABCD')}`, [peterV]);
    expect(n.verified).toEqual([peter]);
    expect(n.unverified).toEqual([enoch, enochABCD]);
  });

  it('refuses malformed notes', () => {
    const bad = [
      text,
      `${text}\n`,
      `${text}\n${peterSig.slice(0, -1)}`,
      `\u0001${text}\n${peterSig}`,
      `\ud800${text}\n${peterSig}`, // a lone surrogate: not encodable as UTF-8 (Go's "\xff")
      `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${text}\n${peterSig}Unexpected line.\n`,
    ];
    for (const note of bad) rejects(() => openNote(note, [peterV]), 'malformed note');
  });

  it('refuses non-canonical base64 in a signature line', () => {
    rejects(() => openNote(`${text}\n${peterSig.replace('AM=', 'AN=')}`, [peterV]), 'malformed note');
  });
});

describe('checkpoints (c2sp.org/tlog-checkpoint)', () => {
  it('parses the specification example', () => {
    const cp = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    expect(cp.origin).toBe('example.com/behind-the-sofa');
    expect(cp.size).toBe(20852163);
    expect(toHex(cp.rootHash)).toBe(Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64').toString('hex'));
    expect(cp.extensions).toEqual([]);
    expect(formatCheckpoint(cp)).toBe('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
  });

  it('refuses malformed bodies', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    for (const body of [
      `o\n1\n${root}`, // no final newline
      `o\n1\n`, // no root
      `\n1\n${root}\n`, // empty origin
      `o\n01\n${root}\n`, // leading zero
      `o\n-1\n${root}\n`,
      `o\n1.0\n${root}\n`,
      `o\n99999999999999999999\n${root}\n`,
      `o\n1\n${root.slice(0, -4)}\n`, // short root
      `o\n1\n${root}\n\next\n`, // empty extension line
    ]) {
      rejects(() => parseCheckpoint(body));
    }
    expect(parseCheckpoint(`o\n0\n${root}\next one\n`).extensions).toEqual(['ext one']);
  });

  it('the example in docs/ledger.md verifies with its verifier key (signed with RFC 8032 test key 1)', () => {
    const note =
      'poc-directory/ledger\n40\nqYtykjS4IUccql0r+VVfHI4CShntO5+5WPSwfJlNrBU=\n\n— poc-directory/ledger JfbqWW43JnXiord2J4R4deKZyGXL7KlBbRT7iywVtXKfI3YcIVILyMP4JGBgmU7ucb4UwTctsuU1ehr80nXtTUzAbQw=\n';
    const key = parseVerifierKey('poc-directory/ledger+25f6ea59+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea');
    expect(toHex(key.publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'); // RFC 8032 TEST 1
    const cp = openCheckpoint(note, key);
    expect({ origin: cp.origin, size: cp.size }).toEqual({ origin: 'poc-directory/ledger', size: 40 });
    expect(signNote(formatCheckpoint(cp), 'poc-directory/ledger', signingKeyPair(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex')))).toBe(note);
  });

  it('signs and opens a checkpoint, pinning the key and the origin', () => {
    const pair = signingKeyPair(new Uint8Array(32).fill(3));
    const key = verifierKeyOf('poc.example/ledger', pair.publicKey);
    const rootHash = new Uint8Array(32).fill(9);
    const note = signNote(formatCheckpoint({ origin: 'poc.example/ledger', size: 42, rootHash }), 'poc.example/ledger', pair);
    const cp = openCheckpoint(note, key);
    expect(cp.size).toBe(42);
    expect(toHex(cp.rootHash)).toBe(toHex(rootHash));
    rejects(() => openCheckpoint(note, key, 'other.example/ledger'));
    const otherKey = verifierKeyOf('poc.example/ledger', signingKeyPair(new Uint8Array(32).fill(4)).publicKey);
    rejects(() => openCheckpoint(note, otherKey), 'note has no verifiable signatures');
    rejects(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), key));
  });
});
