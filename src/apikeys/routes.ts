import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_KEY_SCOPES } from '../auth/actor.ts';
import { idParams, problemSchema, receiptSchema } from '../http/schemas.ts';
import type { ApiKeysService } from './service.ts';

const apiKeySchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable().describe('Recorded at most once a minute'),
  })
  .meta({ id: 'ApiKey', description: 'An API key (never its secret)' });

export const apiKeysRoutes =
  (apiKeys: ApiKeysService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/api-keys', {
      config: { action: 'apikeys.create' },
      schema: {
        tags: ['users'],
        operationId: 'createApiKey',
        description: 'Creates an API key that acts as you, limited to its scopes. The secret is returned in this response only.',
        summary: 'Create an API key acting as you within its scopes; the secret is returned once',
        body: z
          .object({
            name: z.string().trim().min(1).max(100),
            scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(2),
            expiresAt: z.iso.datetime({ offset: true }).describe('At most one year from now'),
          })
          .strict(),
        response: {
          201: z.object({
            apiKey: apiKeySchema,
            secret: z.string().regex(/^pocdir_[A-Za-z0-9_-]{43}$/).describe('Use as "Authorization: Bearer pocdir_…". Shown in this response only; only its hash is stored.'),
            receipt: receiptSchema,
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      handler: async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return reply.code(201).send(await apiKeys.create(req.actor!, req.body));
      },
    });

    app.get('/v1/api-keys', {
      config: { action: 'apikeys.list' },
      schema: {
        tags: ['users'],
        operationId: 'listApiKeys',
        description: 'Lists API keys without their secrets: yours, your state\'s users\' for an authority, all for the secretariat.',
        summary: "Your API keys (an authority: its state's users' keys; the secretariat: all)",
        response: { 200: z.object({ items: z.array(apiKeySchema) }), 401: problemSchema },
      },
      handler: async (req) => ({ items: await apiKeys.list(req.actor!) }),
    });

    app.delete('/v1/api-keys/:id', {
      config: { action: 'apikeys.revoke' },
      schema: {
        tags: ['users'],
        operationId: 'revokeApiKey',
        description: 'Revokes an API key; it is refused on its very next request on every instance.',
        summary: 'Revoke an API key: refused on its very next request, on every instance',
        params: idParams,
        response: { 200: z.object({ apiKey: apiKeySchema, receipt: receiptSchema }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      handler: async (req) => apiKeys.revoke(req.actor!, req.params.id),
    });
  };
