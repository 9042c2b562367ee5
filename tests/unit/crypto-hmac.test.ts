/**
 * hmacSha256 (libsodium) against the HMAC-SHA-256 test vectors of RFC 4231
 * section 4, and against node:crypto for random keys of the lengths Standard
 * Webhooks secrets use.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHex, hmacSha256, initCrypto, toHex, utf8 } from '../../src/crypto/index.ts';

beforeAll(async () => {
  await initCrypto();
});

const rep = (byte: number, n: number) => new Uint8Array(n).fill(byte);
const hex = (s: string) => fromHex(s.replace(/\s+/g, ''));

// RFC 4231 section 4.2 to 4.8 (HMAC-SHA-256 column). Case 5 is truncated to 128 bits.
const VECTORS: { name: string; key: Uint8Array; data: Uint8Array; mac: string; truncate?: number }[] = [
  {
    name: '4.2 test case 1',
    key: rep(0x0b, 20),
    data: utf8('Hi There'),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: '4.3 test case 2 (key shorter than the output)',
    key: utf8('Jefe'),
    data: utf8('what do ya want for nothing?'),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: '4.4 test case 3',
    key: rep(0xaa, 20),
    data: rep(0xdd, 50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    name: '4.5 test case 4',
    key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: rep(0xcd, 50),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    name: '4.6 test case 5 (truncated to 128 bits)',
    key: rep(0x0c, 20),
    data: utf8('Test With Truncation'),
    mac: 'a3b6167473100ee06e0c796c2955552b',
    truncate: 16,
  },
  {
    name: '4.7 test case 6 (key larger than the block size)',
    key: rep(0xaa, 131),
    data: utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: '4.8 test case 7 (key and data larger than the block size)',
    key: rep(0xaa, 131),
    data: utf8('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

describe('hmacSha256', () => {
  for (const v of VECTORS) {
    it(`RFC 4231 ${v.name}`, () => {
      const mac = hmacSha256(v.key, v.data);
      expect(mac).toHaveLength(32);
      expect(toHex(v.truncate ? mac.subarray(0, v.truncate) : mac)).toBe(v.mac);
    });
  }

  it('a string message is hashed as its UTF-8 bytes', () => {
    const key = rep(0x0b, 20);
    expect(toHex(hmacSha256(key, 'Hi There'))).toBe(VECTORS[0]!.mac);
    expect(toHex(hmacSha256(key, 'é'))).toBe(toHex(hmacSha256(key, new Uint8Array([0xc3, 0xa9]))));
  });

  it('agrees with node:crypto for keys of 1 to 200 bytes and any message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (key, message) => {
        const expected = createHmac('sha256', key).update(message).digest('hex');
        expect(toHex(hmacSha256(key, message))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
