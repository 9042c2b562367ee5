/**
 * Statistics for the secretariat and auditors, and the aggregate report for
 * observers and members too. Counts and durations only: never contact data
 * or content.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkSummarySchema } from '../checks/routes.ts';
import type { ChecksService } from '../checks/service.ts';
import type { ContactsService } from '../contacts/service.ts';
import { problemSchema } from '../http/schemas.ts';
import type { RequestsService } from '../requests/service.ts';
import { DOMAINS } from '../vocabulary.ts';
import type { ReportsService } from './service.ts';

const exerciseQuery = z.object({
  exercise: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('false (default): real traffic only; true: exercises only'),
});
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema } as const;

export const reportsRoutes =
  (s: { checks: ChecksService; contacts: ContactsService; requests: RequestsService; reports: ReportsService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/reports/reachability', {
      config: { action: 'reports.read' },
      schema: {
        tags: ['secretariat'],
        operationId: 'getReachabilityReport',
        description: 'Reachability aggregated over check rounds: participation, reach rate, median and 90th percentile time to acknowledge.',
        summary: 'Reachability over check rounds: participation, reach rate, median and p90 time to acknowledge',
        querystring: exerciseQuery,
        response: {
          200: z
            .object({
              exercise: z.boolean(),
              rounds: z.number().int(),
              statesChecked: z.number().int(),
              stateRounds: z.number().int(),
              reached: z.number().int(),
              reachRate: z.number(),
              reachedInTimeRate: z.number(),
              medianSeconds: z.number().nullable(),
              p90Seconds: z.number().nullable(),
              perRound: z.array(checkSummarySchema.extend({ id: z.uuid(), createdAt: z.iso.datetime() })),
            })
            .strict(),
          ...errors,
        },
      },
      handler: async (req) => s.checks.reachability(req.actor!, req.query.exercise),
    });

    app.get('/v1/reports/freshness', {
      config: { action: 'reports.read' },
      schema: {
        tags: ['secretariat'],
        operationId: 'getFreshnessReport',
        description: 'Per state, how many contacts are verified, pending, rejected and stale (not confirmed within the freshness period).',
        summary: 'Per state: contacts verified, pending, rejected and stale',
        response: {
          200: z.object({
            states: z.array(z.object({ state: z.string(), contacts: z.number().int(), verified: z.number().int(), pending: z.number().int(), rejected: z.number().int(), stale: z.number().int() })),
          }),
          ...errors,
        },
      },
      handler: async (req) => ({ states: await s.contacts.freshness(req.actor!) }),
    });

    app.get('/v1/reports/requests', {
      config: { action: 'reports.read' },
      schema: {
        tags: ['secretariat'],
        operationId: 'getRequestsReport',
        description: 'Request statistics without any content: counts by status and urgency and times to acknowledge.',
        summary: 'Request statistics (no content): counts by status and urgency, time to acknowledge',
        querystring: exerciseQuery,
        response: {
          200: z.object({
            exercise: z.boolean(),
            requests: z.number().int(),
            byStatus: z.record(z.string(), z.number().int()),
            byUrgency: z.record(z.string(), z.number().int()),
            acknowledged: z.number().int(),
            medianSecondsToAcknowledge: z.number().nullable(),
            p90SecondsToAcknowledge: z.number().nullable(),
          }),
          ...errors,
        },
      },
      handler: async (req) => s.requests.statistics(req.actor!, req.query.exercise),
    });

    app.get('/v1/reports/aggregate', {
      config: { action: 'reports.read-aggregate' },
      schema: {
        tags: ['secretariat'],
        operationId: 'getAggregateReport',
        description:
          "The directory's use in aggregate, for the secretariat, auditors, accredited observers and participating states: participation (participating states; per domain, how many of them list a contact serving it), reachability rates over every check round, and requests sent per month (UTC). No state is named, no contact and no request content or party is shown.",
        summary: 'Aggregate report: participation, reachability rates, request volumes by month (no per-state figure, no contact, no content)',
        querystring: exerciseQuery,
        response: {
          200: z
            .object({
              exercise: z.boolean(),
              participation: z
                .object({
                  participatingStates: z.number().int(),
                  statesWithContactsByDomain: z
                    .object(Object.fromEntries(DOMAINS.map((d) => [d, z.number().int()])) as Record<(typeof DOMAINS)[number], z.ZodNumber>)
                    .strict()
                    .describe('Per domain, how many participating states list at least one contact serving it'),
                })
                .strict(),
              reachability: z
                .object({
                  exercise: z.boolean(),
                  rounds: z.number().int().describe('Check rounds started'),
                  stateRounds: z.number().int().describe('States checked, summed over the rounds'),
                  reached: z.number().int(),
                  reachRate: z.number().describe('reached / stateRounds (0 without rounds)'),
                  reachedInTimeRate: z.number().describe('Acknowledged before the round closed, / stateRounds'),
                  medianSeconds: z.number().nullable(),
                  p90Seconds: z.number().nullable(),
                })
                .strict(),
              requests: z
                .object({
                  total: z.number().int(),
                  byMonth: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/).describe('YYYY-MM (UTC)'), requests: z.number().int() }).strict()),
                })
                .strict(),
            })
            .strict()
            .meta({ id: 'AggregateReport' }),
          ...errors,
        },
      },
      handler: async (req) => s.reports.aggregate(req.actor!, req.query.exercise),
    });
  };
