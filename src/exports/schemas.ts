/** Export request/response schemas (zod). */
import { z } from 'zod';
import { EXPORT_KINDS } from './bundle.ts';

export const exportQuery = z.object({
  format: z.enum(EXPORT_KINDS).default('json').describe('json: signed bundle grouped by state and domain; vcard: vCard 4.0 file; csv: CSV with a header. All three come in the same signed wrapper.'),
});

export const exportKeyBody = z
  .object({
    algorithm: z.literal('X25519').optional().describe('Only X25519 (libsodium sealed box) is supported'),
    publicKey: z.string().max(200).describe('The recipient X25519 public key: 32 bytes, base64'),
  })
  .strict();

export const exportKeySchema = z
  .object({
    state: z.string(),
    algorithm: z.literal('X25519'),
    publicKey: z.string().describe('X25519 public key, base64'),
    keyId: z.string().describe('First 8 bytes of SHA-256(public key), hex (the recipient.keyId of encrypted exports)'),
    registeredAt: z.iso.datetime(),
  })
  .meta({ id: 'ExportKey', description: 'The X25519 key a state receives its exports encrypted to (only the public key is stored)' });

const signature = z.object({ algorithm: z.literal('Ed25519'), keyId: z.string(), value: z.string().describe('base64 Ed25519 signature') });

export const signedExportSchema = z
  .object({
    bundle: z.looseObject({
      format: z.literal('poc-directory/export/v1'),
      kind: z.enum(EXPORT_KINDS),
      generatedAt: z.iso.datetime(),
      state: z.string(),
      participation: z.enum(['participating', 'withdrawn', 'not-participating']),
      notice: z.string().nullable().describe('Why the export is empty when the state does not participate'),
      checkpoint: z.object({ origin: z.string(), treeSize: z.number().int(), rootHash: z.string(), note: z.string().describe('Signed C2SP checkpoint note') }),
      contactCount: z.number().int(),
      states: z.array(z.looseObject({ state: z.string(), domains: z.record(z.string(), z.array(z.looseObject({}))) })).optional().describe('kind json'),
      content: z.object({ mediaType: z.string(), filename: z.string(), text: z.string() }).optional().describe('kind vcard / csv: the file'),
    }),
    signature,
  })
  .meta({
    id: 'SignedExport',
    description: 'Ed25519 signature (export key) over the UTF-8 bytes of the RFC 8785 canonical JSON of `bundle`; keyId = first 8 bytes of SHA-256(public key), hex',
  });

export const encryptedExportSchema = z
  .object({
    format: z.literal('poc-directory/export-encrypted/v1'),
    algorithm: z.literal('X25519-XSalsa20-Poly1305-sealed-box'),
    state: z.string(),
    recipient: z.object({ keyId: z.string(), publicKey: z.string() }),
    ciphertext: z.string().describe('base64 libsodium crypto_box_seal of the SignedExport JSON text'),
  })
  .meta({ id: 'EncryptedExport', description: "A SignedExport sealed to the state's registered X25519 key" });
