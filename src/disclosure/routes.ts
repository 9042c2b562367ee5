import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema, receiptSchema, stateCode } from '../http/schemas.ts';
import { DOMAINS } from '../vocabulary.ts';
import type { DisclosureService } from './service.ts';
import { proposedResponse } from '../pending/routes.ts';
import type { PendingService } from '../pending/service.ts';

const domainList = z
  .array(z.enum(DOMAINS))
  .min(1)
  .max(3)
  .refine((d) => new Set(d).size === d.length, 'must not repeat a domain');

const grantSchema = z
  .object({
    owner: z.string(),
    counterpart: z.string().describe("A state code, or '*' for every participating state"),
    mode: z.enum(['unilateral', 'reciprocal']),
    domains: z.array(z.enum(DOMAINS)),
    status: z
      .enum(['effective', 'partially-effective', 'pending-reciprocity', 'pending-participation', 'directory-wide'])
      .describe('Effect towards the counterpart (for the caller: towards the state the list is about)'),
    effectiveDomains: z.array(z.enum(DOMAINS)).optional(),
    reciprocatedBy: z.array(z.object({ state: z.string(), domains: z.array(z.enum(DOMAINS)) })).optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'DisclosureGrant' });

const grantParams = z.object({
  code: stateCode,
  counterpart: z.union([z.literal('*'), stateCode]).describe("A state code, or '*' for every participating state"),
});

export const disclosureRoutes =
  (disclosure: DisclosureService, pending: PendingService): FastifyPluginAsyncZod =>
  async (app) => {
    // Under dual control a grant or revocation is proposed (202) and applied when another user of the state approves it (appliers: services.ts).

    app.put('/v1/states/:code/disclosures/:counterpart', {
      config: { action: 'disclosure.change' },
      schema: {
        tags: ['disclosure'],
        operationId: 'grantDisclosure',
        summary: "Grant a counterpart (or '*': every participating state) disclosure of some domains of this state's contacts",
        description:
          "unilateral: the grant alone opens the contacts. reciprocal: each domain opens only while the counterpart grants this state the same domain; if it revokes, the contacts close at once. Idempotent: the same grant again changes nothing. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it.",
        params: grantParams,
        body: z.object({ mode: z.enum(['unilateral', 'reciprocal']), domains: domainList }).strict(),
        response: {
          200: z.object({ grant: grantSchema, receipt: receiptSchema.optional() }),
          201: z.object({ grant: grantSchema, receipt: receiptSchema }),
          202: proposedResponse,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          409: problemSchema,
        },
      },
      handler: async (req, reply) => {
        const { code, counterpart } = req.params;
        if (await pending.dualControl(code)) {
          disclosure.checkGrant(req.actor!, code, counterpart);
          return reply.code(202).send(await pending.propose(req.actor!, code, 'disclosure.grant', counterpart, { owner: code, counterpart, input: req.body }));
        }
        const result = await disclosure.grant(req.actor!, code, counterpart, req.body);
        return reply.code(result.created ? 201 : 200).send(result.receipt ? { grant: result.grant, receipt: result.receipt } : { grant: result.grant });
      },
    });

    app.delete('/v1/states/:code/disclosures/:counterpart', {
      config: { action: 'disclosure.change' },
      schema: {
        tags: ['disclosure'],
        operationId: 'revokeDisclosure',
        description:
          "Revokes the grant to the counterpart; its contacts stop being visible to the counterpart on the next request. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it.",
        summary: 'Revoke a grant',
        params: grantParams,
        response: { 200: z.object({ receipt: receiptSchema }), 202: proposedResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      handler: async (req, reply) => {
        const { code, counterpart } = req.params;
        if (await pending.dualControl(code)) {
          await disclosure.checkRevoke(req.actor!, code, counterpart);
          return reply.code(202).send(await pending.propose(req.actor!, code, 'disclosure.revoke', counterpart, { owner: code, counterpart }));
        }
        return disclosure.revoke(req.actor!, code, counterpart);
      },
    });

    app.get('/v1/states/:code/disclosures', {
      config: { action: 'disclosure.list' },
      schema: {
        tags: ['disclosure'],
        operationId: 'listDisclosures',
        description: 'The grants the state made and received, each with its effective status (a reciprocal grant is effective only when matched).',
        summary: 'What the state granted and what was granted to it, with the effective status of each (its delegates, the secretariat, auditors)',
        params: z.object({ code: stateCode }),
        response: {
          200: z.object({ granted: z.array(grantSchema), received: z.array(grantSchema) }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      handler: async (req) => disclosure.list(req.actor!, req.params.code),
    });
  };
