import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, problemSchema, receiptSchema, stateParams } from '../http/schemas.ts';
import { PENDING_ACTIONS, type PendingService } from './service.ts';

export const pendingChangeSchema = z
  .object({
    id: z.uuid(),
    state: z.string(),
    action: z.enum(PENDING_ACTIONS),
    target: z.string().nullable().describe("The object changed, if any: a contact id, or a disclosure grant's counterpart; null for the state's webhook or participation"),
    status: z.enum(['pending', 'approved', 'rejected', 'expired']),
    proposedBy: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    content: z.unknown().optional().describe("The proposed change (the state's users only); sealed at rest"),
  })
  .meta({ id: 'PendingChange', description: 'A change waiting for a second user of the state (dual control)' });

/** What a change under dual control answers (202): the pending change, not the change. */
export const proposedResponse = z.object({ pendingChange: pendingChangeSchema, receipt: receiptSchema });

const policySchema = z.object({ state: z.string(), dualControl: z.boolean() }).meta({ id: 'StatePolicy' });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema } as const;

export const pendingRoutes =
  (pending: PendingService): FastifyPluginAsyncZod =>
  async (app) => {
    app.put('/v1/states/:code/policy', {
      config: { action: 'policy.change' },
      schema: {
        tags: ['dual-control'],
        operationId: 'setStatePolicy',
        description:
          "The state's authority switches dual control on or off: when on, changes to the state's contacts, disclosure grants, webhook and participation (withdrawal) wait for a second user's approval.",
        summary: "Switch dual control on or off for the state's changes (the state's authority)",
        params: stateParams,
        body: z.object({ dualControl: z.boolean() }).strict(),
        response: { 200: z.object({ policy: policySchema, receipt: receiptSchema.nullable() }), ...errors },
      },
      handler: async (req) => pending.setPolicy(req.actor!, req.params.code, req.body.dualControl),
    });

    app.get('/v1/states/:code/policy', {
      config: { action: 'policy.read' },
      schema: { tags: ['dual-control'], operationId: 'getStatePolicy', description: "Whether dual control is on for the state's changes (contacts, disclosure grants, webhook, withdrawal).", summary: "The state's policy (its users, the secretariat, auditors)", params: stateParams, response: { 200: policySchema, ...errors } },
      handler: async (req) => pending.getPolicy(req.actor!, req.params.code),
    });

    app.get('/v1/states/:code/pending-changes', {
      config: { action: 'pending.list' },
      schema: {
        tags: ['dual-control'],
        operationId: 'listPendingChanges',
        description:
          "The state's pending and decided changes (contacts, disclosure grants, webhook, withdrawal). Their content is shown to the state's users only, and to nobody once the state has withdrawn (its key is destroyed).",
        summary: "The state's pending (and decided) changes; content for the state's users only",
        params: stateParams,
        response: { 200: z.object({ items: z.array(pendingChangeSchema) }), ...errors },
      },
      handler: async (req) => ({ items: await pending.list(req.actor!, req.params.code) }),
    });

    app.get('/v1/pending-changes/:id', {
      config: { action: 'pending.read' },
      schema: { tags: ['dual-control'], operationId: 'getPendingChange', description: 'One pending change with its status and, for the state\'s users, its content.', summary: 'One pending change', params: idParams, response: { 200: pendingChangeSchema, ...errors } },
      handler: async (req) => pending.get(req.actor!, req.params.id),
    });

    const decided = z.object({ pendingChange: pendingChangeSchema, receipt: receiptSchema, result: z.unknown().optional().describe('What applying the change returned') });
    app.post('/v1/pending-changes/:id/approval', {
      config: { action: 'pending.decide' },
      schema: {
        tags: ['dual-control'],
        operationId: 'approvePendingChange',
        description:
          "Another user of the same state approves the change, which is applied and written to the ledger in one transaction. The proposer cannot approve its own change. An approved webhook returns its signing secret in `result`, once (not cached).",
        summary: 'Approve and apply a change (another user of the same state; not its proposer)',
        params: idParams,
        response: { 200: decided, ...errors, 412: problemSchema },
      },
      handler: async (req, reply) => {
        const result = await pending.approve(req.actor!, req.params.id);
        // The result may carry a secret shown once (an approved webhook).
        return reply.header('cache-control', 'no-store').send(result);
      },
    });

    app.post('/v1/pending-changes/:id/rejection', {
      config: { action: 'pending.decide' },
      schema: { tags: ['dual-control'], operationId: 'rejectPendingChange', description: 'A user of the same state rejects the change; nothing is applied.', summary: 'Reject a change (a user of the same state)', params: idParams, response: { 200: decided, ...errors } },
      handler: async (req) => pending.reject(req.actor!, req.params.id),
    });
  };
