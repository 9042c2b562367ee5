import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blindIndex,
  commitment,
  constantTimeEqual,
  DecryptionError,
  deriveKey,
  fromHex,
  generateKey,
  initCrypto,
  keyFromBytes,
  open,
  openString,
  seal,
  sealedKeyId,
  sha256,
  toHex,
  unwrapKey,
  UnsupportedVersionError,
  utf8,
  wrapKey,
  WrongKeyError,
} from '../../src/crypto/index.ts';

beforeAll(async () => {
  await initCrypto();
  await sodium.ready;
});

const loc = { table: 'contacts', column: 'email', rowId: '7ca8cfc0-d362-4392-8ef9-1341523ce635' };

describe('known vectors', () => {
  it('XChaCha20-Poly1305 (IETF) matches draft-irtf-cfrg-xchacha-03 appendix A.3.1', () => {
    const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = fromHex('404142434445464748494a4b4c4d4e4f5051525354555657');
    const ad = fromHex('50515253c0c1c2c3c4c5c6c7');
    const pt = utf8("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const out = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(pt, ad, null, nonce, key);
    expect(toHex(out)).toBe(
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
        'c0875924c1c7987947deafd8780acf49',
    );
  });

  it('sha256 matches FIPS 180-2 ("abc")', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(utf8('a'), utf8('bc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('commitment is HMAC-SHA-512/256 (RFC 4231 case 2, truncated), checked against node:crypto', () => {
    const key = utf8('Jefe'.padEnd(32, '\0'));
    const msg = 'what do ya want for nothing?';
    const expected = createHmac('sha512', key).update(msg).digest().subarray(0, 32);
    expect(toHex(commitment(key, msg))).toBe(toHex(expected));
  });

  it('blindIndex is keyed BLAKE2b-256 (RFC 7693), pinned', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    // Unkeyed BLAKE2b-256("abc") from the reference implementation, to pin the primitive:
    expect(toHex(sodium.crypto_generichash(32, utf8('abc'), null))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
    const a = blindIndex(key, 'jeanne@example.fr');
    expect(a).toHaveLength(32);
    expect(toHex(a)).toBe(toHex(sodium.crypto_generichash(32, utf8('jeanne@example.fr'), key)));
    expect(toHex(blindIndex(key, 'jeanne@example.fr'))).toBe(toHex(a));
    expect(toHex(blindIndex(deriveKey(key, 'other'), 'jeanne@example.fr'))).not.toBe(toHex(a));
  });

  it('the sealed format is exactly as documented: 0x01 | keyId | nonce | AEAD(ad = "poc/v1" NUL table NUL column NUL rowId NUL keyId)', () => {
    const key = generateKey();
    const sealed = seal(key, 'hello', loc);
    expect(sealed[0]).toBe(1);
    expect(toHex(sealed.subarray(1, 17))).toBe(key.id);
    const ad = utf8(['poc/v1', loc.table, loc.column, loc.rowId, key.id].join('\0'));
    const pt = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(41), ad, sealed.subarray(17, 41), key.bytes);
    expect(Buffer.from(pt).toString()).toBe('hello');
  });
});

describe('seal / open', () => {
  it('round-trips arbitrary Unicode', () => {
    const key = generateKey();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 40 }), (text, rowId) => {
        const where = { ...loc, rowId };
        expect(openString(key, seal(key, text, where), where)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('uses a fresh nonce each time', () => {
    const key = generateKey();
    expect(toHex(seal(key, 'same', loc))).not.toBe(toHex(seal(key, 'same', loc)));
  });

  it('a ciphertext moved to another row, column or table does not decrypt', () => {
    const key = generateKey();
    const sealed = seal(key, 'secret', loc);
    expect(() => open(key, sealed, { ...loc, rowId: 'another-row' })).toThrow(DecryptionError);
    expect(() => open(key, sealed, { ...loc, column: 'phone' })).toThrow(DecryptionError);
    expect(() => open(key, sealed, { ...loc, table: 'requests' })).toThrow(DecryptionError);
  });

  it('any flipped bit makes decryption fail', () => {
    const key = generateKey();
    const sealed = seal(key, 'a contact value', loc);
    for (let byte = 17; byte < sealed.length; byte++) {
      for (const bit of [0, 7]) {
        const tampered = sealed.slice();
        tampered[byte]! ^= 1 << bit;
        expect(() => open(key, tampered, loc)).toThrow(DecryptionError);
      }
    }
  });

  it('a wrong key fails with a typed error naming both key ids', () => {
    const a = generateKey();
    const b = generateKey();
    const sealed = seal(a, 'x', loc);
    expect(sealedKeyId(sealed)).toBe(a.id);
    let err: unknown;
    try {
      open(b, sealed, loc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WrongKeyError);
    expect(err).toMatchObject({ expectedKeyId: a.id, actualKeyId: b.id });
  });

  it('relabelling the key id in the header (same key bytes) fails authentication', () => {
    const key = generateKey();
    const sealed = seal(key, 'x', loc);
    const forged = { id: 'ff'.repeat(16), bytes: key.bytes };
    const relabelled = sealed.slice();
    relabelled.set(fromHex(forged.id), 1);
    expect(() => open(forged, relabelled, loc)).toThrow(DecryptionError);
  });

  it('rejects unknown versions and truncated values', () => {
    const key = generateKey();
    const sealed = seal(key, 'x', loc);
    const v2 = sealed.slice();
    v2[0] = 2;
    expect(() => open(key, v2, loc)).toThrow(UnsupportedVersionError);
    expect(() => open(key, sealed.subarray(0, 30), loc)).toThrow(DecryptionError);
  });
});

describe('envelope keys', () => {
  it('wraps and unwraps a data key under the master key; another master key cannot', () => {
    const kek = keyFromBytes(fromHex('11'.repeat(32)));
    const other = keyFromBytes(fromHex('22'.repeat(32)));
    const dek = generateKey();
    const wrapped = wrapKey(kek, dek);
    expect(toHex(unwrapKey(kek, dek.id, wrapped).bytes)).toBe(toHex(dek.bytes));
    expect(() => unwrapKey(other, dek.id, wrapped)).toThrow(WrongKeyError);
    expect(() => unwrapKey(kek, generateKey().id, wrapped)).toThrow(DecryptionError);
  });

  it('derives master key ids from the key itself, stably', () => {
    expect(keyFromBytes(fromHex('11'.repeat(32))).id).toBe(keyFromBytes(fromHex('11'.repeat(32))).id);
    expect(keyFromBytes(fromHex('11'.repeat(32))).id).not.toBe(keyFromBytes(fromHex('22'.repeat(32))).id);
    expect(() => keyFromBytes(new Uint8Array(16))).toThrow();
  });

  it('compares in constant time', () => {
    expect(constantTimeEqual(utf8('abc'), utf8('abc'))).toBe(true);
    expect(constantTimeEqual(utf8('abc'), utf8('abd'))).toBe(false);
    expect(constantTimeEqual(utf8('abc'), utf8('ab'))).toBe(false);
  });
});

describe('nonces (drawn from a buffer of CSPRNG output refilled 4 KiB at a time)', () => {
  it('are distinct and never zero across several refills', () => {
    const key = generateKey();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const nonce = seal(key, 'x', { table: 't', column: 'c', rowId: String(i) }).subarray(1 + 16, 1 + 16 + 24);
      expect(nonce.some((b) => b !== 0)).toBe(true);
      seen.add(Buffer.from(nonce).toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });
});
