import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, problemSchema, receiptSchema, stateCode } from '../http/schemas.ts';
import { DOMAINS } from '../vocabulary.ts';
import type { ChecksService } from './service.ts';

/** A round's summary; also one row of the aggregate reachability report. */
export const checkSummarySchema = z.object({
  states: z.number().int(),
  reached: z.number().int(),
  reachedInTime: z.number().int(),
  reachRate: z.number(),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});

export const checkReportSchema = z
  .object({
    id: z.uuid(),
    exercise: z.boolean(),
    domains: z.array(z.enum(DOMAINS)),
    createdAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    open: z.boolean(),
    summary: checkSummarySchema,
    states: z.array(
      z.object({
        state: z.string(),
        targets: z.number().int(),
        acknowledged: z.number().int(),
        reached: z.boolean(),
        reachedInTime: z.boolean(),
        secondsToAcknowledge: z.number().nullable().describe('Time from notification to the first acknowledgement'),
      }),
    ),
  })
  .strict()
  .meta({ id: 'CheckReport', description: 'Per-state results of a reachability check; no contact data' });

export const checksRoutes =
  (checks: ChecksService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/checks', {
      config: { action: 'checks.start' },
      schema: {
        tags: ['secretariat'],
        operationId: 'startCheck',
        description: 'The secretariat starts a reachability check: each targeted state receives a one-time challenge by webhook or email and must acknowledge it.',
        summary: 'Start a reachability check ("ping test") of all or some participating states (secretariat)',
        body: z
          .object({
            states: z.array(stateCode).min(1).max(300).optional().describe('Default: every participating state'),
            domains: z.array(z.enum(DOMAINS)).min(1).max(3).optional().describe('Default: all domains'),
            exercise: z.boolean().optional(),
            windowMinutes: z.number().int().min(1).max(30 * 24 * 60).optional().describe('Acknowledgements after this are reported as late (default 24 h)'),
          })
          .strict(),
        response: { 201: z.object({ check: checkReportSchema, receipt: receiptSchema }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      handler: async (req, reply) => reply.code(201).send(await checks.start(req.actor!, req.body)),
    });

    app.get('/v1/checks', {
      config: { action: 'checks.list' },
      schema: {
        tags: ['secretariat'],
        operationId: 'listChecks',
        description: 'Lists the reachability check rounds with their targets and progress.',
        summary: 'Check rounds (secretariat, auditors)',
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), exercise: z.boolean(), createdAt: z.iso.datetime(), closesAt: z.iso.datetime() })) }), 401: problemSchema, 403: problemSchema },
      },
      handler: async (req) => ({ items: await checks.list(req.actor!) }),
    });

    app.get('/v1/checks/:id', {
      config: { action: 'checks.read' },
      schema: {
        tags: ['secretariat'],
        operationId: 'getCheck',
        description: 'The results of one check round per state: reached or not and the time to acknowledge. A delegate sees its own state\'s row only.',
        summary: 'Results per state: reached or not, time to acknowledge (a delegate sees its own state only)',
        params: idParams,
        response: { 200: checkReportSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
      handler: async (req) => checks.get(req.actor!, req.params.id),
    });

    app.post('/v1/checks/:id/acknowledgements', {
      config: { action: 'checks.acknowledge' },
      schema: {
        tags: ['secretariat'],
        operationId: 'acknowledgeCheck',
        description: 'A delegate of a targeted state acknowledges the check with the one-time challenge it received. A wrong or reused challenge is refused.',
        summary: 'Acknowledge a check with the one-time challenge received by webhook or email (a delegate of the targeted state)',
        params: idParams,
        body: z.object({ challenge: z.string().min(10).max(100) }).strict(),
        response: {
          201: z.object({ state: z.string(), acknowledgedAt: z.iso.datetime(), secondsToAcknowledge: z.number(), late: z.boolean(), receipt: receiptSchema }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
        },
      },
      handler: async (req, reply) => reply.code(201).send(await checks.acknowledge(req.actor!, req.params.id, req.body.challenge)),
    });
  };
