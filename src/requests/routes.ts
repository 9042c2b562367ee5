import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { languageCode } from '../contacts/schemas.ts';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency/service.ts';
import { idParams, limitQuery, problemSchema, receiptSchema, stateCode } from '../http/schemas.ts';
import { DOMAINS } from '../vocabulary.ts';
import type { RequestsService } from './service.ts';
import { DECISIONS, REQUEST_STATUSES, REQUEST_TYPES, requestTemplate, TLP_LEVELS, UN_LANGUAGES, URGENCIES, type AdoptedTemplate } from './templates.ts';
import { fastSerialized } from '../http/serializer.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

const newRequestSchema = z
  .object({
    to: stateCode.describe('The receiving state'),
    domain: z.enum(DOMAINS).describe("Which of the recipient's points of contact the request is addressed to"),
    type: z.enum(REQUEST_TYPES),
    urgency: z.enum(URGENCIES),
    subject: text(200),
    incidentSummary: text(5000),
    ask: text(2000).describe('What is requested'),
    tlp: z.enum(TLP_LEVELS).describe('Traffic Light Protocol 2.0 handling label'),
    language: languageCode.describe('Language of the free text (ISO 639-1)'),
    respondBy: z.iso.datetime({ offset: true }).optional(),
    relatesTo: z.uuid().optional(),
    exercise: z.boolean().optional().describe('An exercise: runs the full workflow, labelled everywhere, excluded from real statistics'),
  })
  .strict();

const metadataShape = {
  id: z.uuid(),
  from: z.string(),
  to: z.string(),
  status: z.enum(REQUEST_STATUSES),
  overdue: z.boolean().describe('Not acknowledged within the acknowledgement deadline of its urgency'),
  exercise: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  acknowledgedAt: z.iso.datetime().nullable(),
  respondedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  withdrawnAt: z.iso.datetime().nullable(),
  expiredAt: z.iso.datetime().nullable(),
};
const metadataSchema = z.object(metadataShape).strict().meta({ id: 'RequestMetadata', description: 'What the secretariat sees: states, timestamps, status; never content' });
const disclosureSchema = z.object({
  consents: z.array(z.object({ party: z.string(), audience: z.string() })),
  effective: z.array(z.string()).describe('Audiences both parties consented to'),
});
const requestSchema = z
  .object({
    ...metadataShape,
    domain: z.enum(DOMAINS),
    type: z.enum(REQUEST_TYPES),
    urgency: z.enum(URGENCIES),
    tlp: z.enum(TLP_LEVELS),
    language: z.string(),
    subject: z.string().nullable().describe("null when the author state withdrew from the directory (its data key is destroyed)"),
    incidentSummary: z.string().nullable(),
    ask: z.string().nullable(),
    respondBy: z.iso.datetime().nullable(),
    relatesTo: z.uuid().nullable(),
    escalationLevel: z.number().int(),
    responses: z.array(z.object({ decision: z.enum(DECISIONS), body: z.string().nullable(), at: z.iso.datetime() })),
    disclosure: disclosureSchema,
  })
  .strict()
  .meta({ id: 'Request' });
const listItemSchema = z.object({
  ...metadataShape,
  domain: z.enum(DOMAINS).optional(),
  type: z.enum(REQUEST_TYPES).optional(),
  urgency: z.enum(URGENCIES).optional(),
  subject: z.string().nullable().optional(),
});

const mutation = fastSerialized(z.object({ request: requestSchema, receipt: receiptSchema }));
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema } as const;
const idempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(IDEMPOTENCY_KEY_PATTERN, '1-255 visible ASCII characters').optional().describe('Retries with the same key and body return the original result'),
});

export const requestsRoutes =
  (requests: RequestsService, adoptedTemplate: () => Promise<AdoptedTemplate | null> = async () => null): FastifyPluginAsyncZod =>
  async (app) => {
    /** Sets the status and the replay marker; the body is returned by the handler (so it is serialised by its schema). */
    const replied = <T>(reply: FastifyReply, outcome: { status: number; body: T; replayed: boolean }): T => {
      reply.code(outcome.status).header('idempotent-replayed', String(outcome.replayed));
      return outcome.body;
    };

    app.post('/v1/requests', {
      config: { action: 'requests.send' },
      schema: {
        tags: ['requests'],
        operationId: 'createRequest',
        description: 'Sends a communication request to another state\'s points of contact using the standardized template. Content is encrypted and visible only to the two parties; honours Idempotency-Key.',
        summary: "Send a communication request to another state's points of contact (standardized template)",
        headers: idempotencyHeaders,
        body: newRequestSchema,
        response: { 201: mutation, ...errors },
      },
      handler: async (req, reply) => replied(reply, await requests.send(req.actor!, req.body, req.headers['idempotency-key'])),
    });

    app.get('/v1/requests', {
      config: { action: 'requests.list' },
      schema: {
        tags: ['requests'],
        operationId: 'listRequests',
        description: 'Lists the requests of the caller\'s state (box=inbox or outbox), paginated with cursor/nextCursor. The secretariat sees metadata of all requests, never their content.',
        summary: 'Requests of the caller\'s state (box=inbox|outbox); the secretariat sees metadata of all, never content',
        querystring: z.object({ box: z.enum(['inbox', 'outbox']).optional(), status: z.enum(REQUEST_STATUSES).optional(), cursor: z.string().max(200).optional(), limit: limitQuery }),
        response: { 200: z.object({ items: z.array(listItemSchema), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      handler: async (req) => requests.list(req.actor!, req.query),
    });

    app.get('/v1/requests/:id', {
      config: { action: 'requests.read-content' },
      schema: {
        tags: ['requests'],
        operationId: 'getRequest',
        description: 'Returns one request. The parties (and audiences both consented to) see its content; the secretariat sees metadata only.',
        summary: 'One request: the parties (and audiences both consented to) see content; the secretariat metadata only',
        params: idParams,
        response: { 200: z.union([requestSchema, metadataSchema]), 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
      handler: async (req) => requests.get(req.actor!, req.params.id),
    });

    app.post('/v1/requests/:id/acknowledgement', {
      config: { action: 'requests.transition' },
      schema: { tags: ['requests'], operationId: 'acknowledgeRequest', description: 'The recipient acknowledges receipt; this starts no obligation to respond. Honours Idempotency-Key.', summary: 'Acknowledge receipt (recipient)', params: idParams, headers: idempotencyHeaders, response: { 200: mutation, ...errors } },
      handler: async (req, reply) => replied(reply, await requests.acknowledge(req.actor!, req.params.id, req.headers['idempotency-key'])),
    });

    app.post('/v1/requests/:id/responses', {
      config: { action: 'requests.transition' },
      schema: {
        tags: ['requests'],
        operationId: 'respondToRequest',
        description: 'The recipient answers the request or declines it without giving reasons. Responding is voluntary; honours Idempotency-Key.',
        summary: 'Respond (recipient): answer, or decline without giving reasons; responding is voluntary',
        params: idParams,
        headers: idempotencyHeaders,
        body: z.discriminatedUnion('decision', [
          z.object({ decision: z.literal('answer'), body: text(10_000) }).strict(),
          z.object({ decision: z.literal('decline'), body: text(10_000).optional().describe('Optional: no reason is needed') }).strict(),
        ]),
        response: { 201: mutation, ...errors },
      },
      handler: async (req, reply) => replied(reply, await requests.respond(req.actor!, req.params.id, req.body, req.headers['idempotency-key'])),
    });

    app.post('/v1/requests/:id/close', {
      config: { action: 'requests.transition' },
      schema: { tags: ['requests'], operationId: 'closeRequest', description: 'Either party closes the exchange; no further transitions are possible afterwards.', summary: 'Close the exchange (either party)', params: idParams, headers: idempotencyHeaders, response: { 200: mutation, ...errors } },
      handler: async (req, reply) => replied(reply, await requests.close(req.actor!, req.params.id, req.headers['idempotency-key'])),
    });

    app.post('/v1/requests/:id/withdrawal', {
      config: { action: 'requests.transition' },
      schema: { tags: ['requests'], operationId: 'withdrawRequest', description: 'The sender withdraws the request, allowed until the recipient has responded.', summary: 'Withdraw the request (sender, before a response)', params: idParams, headers: idempotencyHeaders, response: { 200: mutation, ...errors } },
      handler: async (req, reply) => replied(reply, await requests.withdraw(req.actor!, req.params.id, req.headers['idempotency-key'])),
    });

    app.post('/v1/requests/:id/disclosure-consents', {
      config: { action: 'requests.transition' },
      schema: {
        tags: ['requests'],
        operationId: 'consentToRequestDisclosure',
        description: 'One party consents to disclose the exchange to a wider audience. The disclosure takes effect only once both parties consented to the same audience.',
        summary: "Consent to disclose the exchange beyond its two parties; effective once both parties consented to the same audience",
        params: idParams,
        headers: idempotencyHeaders,
        body: z.object({ audience: z.union([z.enum(['secretariat', 'public']), stateCode]).describe("'secretariat', 'public', or a third state's code") }).strict(),
        response: { 200: z.object({ consents: disclosureSchema, receipt: receiptSchema.nullable() }), 201: z.object({ consents: disclosureSchema, receipt: receiptSchema.nullable() }), ...errors },
      },
      handler: async (req, reply) => replied(reply, await requests.consent(req.actor!, req.params.id, req.body.audience, req.headers['idempotency-key'])),
    });

    app.get('/v1/templates/request', {
      config: { action: 'public' },
      schema: {
        tags: ['requests'],
        operationId: 'getRequestTemplate',
        description: 'The standardized request template\'s field labels and allowed values in one of the six UN languages, for building forms. Public.',
        summary: "The request template's field labels and values in a UN language (ar, zh, en, fr, ru, es)",
        security: [],
        querystring: z.object({ lang: z.enum(UN_LANGUAGES).default('en') }),
        response: {
          200: z.object({
            lang: z.enum(UN_LANGUAGES),
            version: z.string().describe('The template version in force (adopted by the members through governance)'),
            direction: z.enum(['ltr', 'rtl']),
            fields: z.array(z.object({ name: z.string(), label: z.string() })),
            values: z.record(z.string(), z.array(z.object({ value: z.string(), label: z.string() }))),
          }),
          400: problemSchema,
        },
      },
      handler: async (req) => requestTemplate(req.query.lang, await adoptedTemplate()),
    });
  };
