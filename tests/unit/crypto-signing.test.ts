import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoError, fromHex, initCrypto, sign, signingKeyPair, toHex, verify } from '../../src/crypto/index.ts';

beforeAll(async () => {
  await initCrypto();
});

// RFC 8032 §7.1, TEST 1 to TEST 3 (seed = "SECRET KEY" in the RFC).
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

/** node:crypto (OpenSSL) as an independent Ed25519 implementation. */
function opensslKeys(seed: Uint8Array) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

describe('Ed25519 signatures (libsodium)', () => {
  it.each(RFC8032)('matches RFC 8032 §7.1 for message "$message"', (v) => {
    const pair = signingKeyPair(fromHex(v.seed));
    expect(toHex(pair.publicKey)).toBe(v.publicKey);
    const sig = sign(pair, fromHex(v.message));
    expect(toHex(sig)).toBe(v.signature);
    expect(verify(pair.publicKey, fromHex(v.message), sig)).toBe(true);
  });

  it('agrees with OpenSSL in both directions on random seeds and messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        const pair = signingKeyPair(seed);
        const ossl = opensslKeys(seed);
        const ours = sign(pair, message);
        expect(toHex(ours)).toBe(toHex(nodeSign(null, message, ossl.privateKey)));
        expect(nodeVerify(null, message, ossl.publicKey, ours)).toBe(true);
        expect(verify(pair.publicKey, message, nodeSign(null, message, ossl.privateKey))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects any flipped bit of the signature, the message or the public key', () => {
    const pair = signingKeyPair(fromHex(RFC8032[2]!.seed));
    const message = fromHex('af82');
    const sig = sign(pair, message);
    for (let bit = 0; bit < sig.length * 8; bit++) {
      const bad = sig.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(verify(pair.publicKey, message, bad)).toBe(false);
    }
    for (let bit = 0; bit < 16; bit++) {
      const bad = message.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(verify(pair.publicKey, bad, sig)).toBe(false);
    }
    for (let bit = 0; bit < 256; bit++) {
      const bad = pair.publicKey.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(verify(bad, message, sig)).toBe(false);
    }
  });

  it('returns false (never throws) for malformed keys and signatures, and refuses seeds of the wrong size', () => {
    const pair = signingKeyPair(new Uint8Array(32).fill(7));
    const sig = sign(pair, 'x');
    expect(verify(pair.publicKey.subarray(0, 31), 'x', sig)).toBe(false);
    expect(verify(pair.publicKey, 'x', sig.subarray(0, 63))).toBe(false);
    expect(verify(pair.publicKey, 'x', new Uint8Array(65))).toBe(false);
    expect(verify(new Uint8Array(32), 'x', sig)).toBe(false);
    expect(() => signingKeyPair(new Uint8Array(31))).toThrow(CryptoError);
    expect(() => signingKeyPair(new Uint8Array(64))).toThrow(CryptoError);
  });
});
