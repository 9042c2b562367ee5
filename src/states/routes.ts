import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema, receiptSchema, stateParams } from '../http/schemas.ts';
import type { Participation, StatesService } from './service.ts';
import { proposedResponse } from '../pending/routes.ts';
import type { PendingService } from '../pending/service.ts';

const participationSchema = z
  .object({
    state: z.string(),
    status: z.enum(['participating', 'withdrawn', 'not-participating']),
    joinedAt: z.iso.datetime().nullable(),
    withdrawnAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Participation' });

const toBody = (p: Participation) => ({
  state: p.state,
  status: p.status,
  joinedAt: p.joinedAt ? new Date(p.joinedAt).toISOString() : null,
  withdrawnAt: p.withdrawnAt ? new Date(p.withdrawnAt).toISOString() : null,
});

export const statesRoutes =
  (states: StatesService, pending: PendingService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/states', {
      config: { action: 'states.read' },
      schema: {
        tags: ['participation'],
        operationId: 'listStates',
        description: 'Lists the states known to the directory with their participation status. Carries no contact data.',
        summary: 'Participating states (no contact data)',
        response: { 200: z.object({ states: z.array(z.object({ state: z.string(), joinedAt: z.iso.datetime() })) }), 401: problemSchema },
      },
      handler: async () => ({
        states: (await states.listParticipating()).map((s) => ({ state: s.state, joinedAt: new Date(s.joinedAt).toISOString() })),
      }),
    });

    app.get('/v1/states/:code/participation', {
      config: { action: 'states.read' },
      schema: {
        tags: ['participation'],
        operationId: 'getParticipation',
        description: 'Returns whether the state (ISO 3166-1 alpha-3) participates, and since when.',
        summary: "A state's participation status",
        params: stateParams,
        response: { 200: participationSchema, 400: problemSchema, 401: problemSchema },
      },
      handler: async (req) => toBody(await states.participation(req.params.code)),
    });

    app.put('/v1/states/:code/participation', {
      config: { action: 'participation.change' },
      schema: {
        tags: ['participation'],
        operationId: 'joinDirectory',
        description: 'Records the state\'s participation in the directory; calling it again changes nothing. Participation is voluntary.',
        summary: 'Join the directory (a delegate of that state); idempotent',
        params: stateParams,
        response: {
          200: z.object({ participation: participationSchema }),
          201: z.object({ participation: participationSchema, receipt: receiptSchema }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      handler: async (req, reply) => {
        const result = await states.join(req.actor!, req.params.code);
        if (result.created && result.receipt) return reply.code(201).send({ participation: toBody(result.participation), receipt: result.receipt });
        return reply.code(200).send({ participation: toBody(result.participation) });
      },
    });

    app.delete('/v1/states/:code/participation', {
      config: { action: 'participation.change' },
      schema: {
        tags: ['participation'],
        operationId: 'withdrawFromDirectory',
        description:
          "Withdraws the state: its data key is destroyed, so its contacts can no longer be decrypted by anyone. The withdrawal is written to the ledger. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it; the state's other pending changes then expire.",
        summary: "Withdraw: the state's data key is destroyed and its contacts become unrecoverable",
        params: stateParams,
        response: {
          200: z.object({ participation: participationSchema, receipt: receiptSchema }),
          202: proposedResponse,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          409: problemSchema,
        },
      },
      handler: async (req, reply) => {
        if (await pending.dualControl(req.params.code)) {
          // Refused now (409) if the state does not participate: propose needs its active key.
          return reply.code(202).send(await pending.propose(req.actor!, req.params.code, 'participation.withdraw', null, { state: req.params.code }));
        }
        const result = await states.withdraw(req.actor!, req.params.code);
        return { participation: toBody(result.participation), receipt: result.receipt };
      },
    });
  };
