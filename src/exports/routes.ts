/**
 * Offline exports over HTTP:
 *   GET    /v1/exports/public-key        anyone: the key that signs exports (pin it)
 *   GET    /v1/states/{code}/export      the state's delegates (others: 404): signed, and encrypted when a key is registered
 *   PUT    /v1/states/{code}/export-key  the state's delegates: register the X25519 recipient key
 *   GET    /v1/states/{code}/export-key  the state's delegates (others: 404)
 *   DELETE /v1/states/{code}/export-key  the state's delegates
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '../http/problem.ts';
import { problemSchema, receiptSchema, stateParams } from '../http/schemas.ts';
import { encryptedExportSchema, exportKeyBody, exportKeySchema, exportQuery, signedExportSchema } from './schemas.ts';
import type { ExportsService } from './service.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } as const;
const keyMutation = z.object({ exportKey: exportKeySchema, receipt: receiptSchema });

export const exportsRoutes =
  (exports: ExportsService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/exports/public-key', {
      config: { action: 'public' },
      schema: {
        tags: ['exports'],
        operationId: 'getExportPublicKey',
        description: 'The Ed25519 key that signs offline exports. Public; publish and pin it out of band to verify exports offline.',
        summary: 'The key that signs offline exports (public; publish and pin it out of band)',
        security: [],
        response: {
          200: z
            .object({
              algorithm: z.literal('Ed25519'),
              keyId: z.string().describe('First 8 bytes of SHA-256(public key), hex'),
              publicKey: z.string().describe('The 32-byte Ed25519 public key, base64 (the --public-key of export:verify)'),
            })
            .meta({ id: 'ExportPublicKey' }),
        },
      },
      handler: async () => exports.publicKey,
    });

    app.get('/v1/states/:code/export', {
      config: { action: 'exports.create' },
      schema: {
        tags: ['exports'],
        operationId: 'exportDirectory',
        summary: "A signed offline copy of every contact the state may see (the state's delegates)",
        description:
          "The contacts are exactly those GET /v1/directory shows the state's delegates, grouped by state and domain, with the generation time and the ledger checkpoint current at generation, signed with the export key. When the state registered an export key, the signed export is sealed to it. A state that does not participate gets an empty export that says so. Rate limited per state (EXPORT_RATE_MAX per EXPORT_RATE_WINDOW_MS); each export is a ledger entry.",
        params: stateParams,
        querystring: exportQuery,
        response: { 200: z.union([signedExportSchema, encryptedExportSchema]), ...errors, 429: problemSchema },
      },
      handler: async (req, reply) => {
        try {
          const result = await exports.generate(req.actor!, req.params.code, req.query.format);
          // The body is sent exactly as signed: Fastify does not re-serialise a string sent as JSON (the schema documents it).
          return reply
            .header('cache-control', 'no-store')
            .header('content-disposition', `attachment; filename="${result.filename}"`)
            .header('x-ledger-index', String(result.receipt.index))
            .type('application/json; charset=utf-8')
            .send(result.body as unknown as z.infer<typeof signedExportSchema>);
        } catch (err) {
          if (err instanceof Problem && err.type === 'rate-limited') reply.header('retry-after', String(err.extra.retryAfter));
          throw err;
        }
      },
    });

    app.put('/v1/states/:code/export-key', {
      config: { action: 'exports.key-change' },
      schema: {
        tags: ['exports'],
        operationId: 'setExportKey',
        summary: 'Register the X25519 key the state receives its exports encrypted to (delegates of that state)',
        description: 'Only the public key is stored. Replacing it takes effect for the next export. 400 names the problem of a malformed, wrong-size or unusable key.',
        params: stateParams,
        body: exportKeyBody,
        response: { 200: keyMutation, 201: keyMutation, ...errors, 409: problemSchema },
      },
      handler: async (req, reply) => {
        const result = await exports.registerKey(req.actor!, req.params.code, req.body.publicKey);
        return reply.code(result.created ? 201 : 200).send({ exportKey: result.exportKey, receipt: result.receipt });
      },
    });

    app.get('/v1/states/:code/export-key', {
      config: { action: 'exports.key-read' },
      schema: {
        tags: ['exports'],
        operationId: 'getExportKey',
        description: 'The state\'s registered export key, if any.',
        summary: "The state's registered export key (delegates of that state)",
        params: stateParams,
        response: { 200: z.object({ exportKey: exportKeySchema }), ...errors },
      },
      handler: async (req) => ({ exportKey: await exports.getKey(req.actor!, req.params.code) }),
    });

    app.delete('/v1/states/:code/export-key', {
      config: { action: 'exports.key-change' },
      schema: {
        tags: ['exports'],
        operationId: 'deleteExportKey',
        description: 'Removes the state\'s export key; later exports are signed but not encrypted.',
        summary: "Remove the state's export key; later exports are signed but not encrypted (delegates of that state)",
        params: stateParams,
        response: { 200: z.object({ receipt: receiptSchema }), ...errors },
      },
      handler: async (req) => exports.removeKey(req.actor!, req.params.code),
    });
  };
