import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, problemSchema, receiptSchema } from '../http/schemas.ts';
import { ruleSchema } from './rules.ts';
import type { ProposalKind } from './rules.ts';
import { listProposalsQuery, newProposalSchema, observerOrgSchema, PROPOSAL_KINDS, proposalSchema, voteSchema } from './schemas.ts';
import type { GovernanceService } from './service.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema } as const;
const withReceipt = z.object({ proposal: proposalSchema, receipt: receiptSchema });

export const governanceRoutes =
  (governance: GovernanceService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/proposals', {
      config: { action: 'governance.propose' },
      schema: {
        tags: ['governance'],
        operationId: 'createProposal',
        description: 'A state proposes a change to the directory\'s rules. It is decided at its deadline under the decision rule in force for its kind.',
        summary: 'Propose a change to the directory’s rules, decided at the deadline under the rule in force for its kind',
        body: newProposalSchema,
        response: { 201: withReceipt, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(await governance.propose(req.actor!, req.body)),
    });

    app.get('/v1/proposals', {
      config: { action: 'governance.read' },
      schema: {
        tags: ['governance'],
        operationId: 'listProposals',
        description: 'Lists proposals, newest first. Observers see details of proposals about observers and the outcome of all.',
        summary: 'Proposals, newest first (observers: details of proposals about observers, outcomes of all)',
        querystring: listProposalsQuery,
        response: { 200: z.object({ proposals: z.array(proposalSchema) }), ...errors },
      },
      handler: async (req) => ({ proposals: await governance.list(req.actor!, req.query) }),
    });

    app.get('/v1/proposals/:id', {
      config: { action: 'governance.read' },
      schema: { tags: ['governance'], operationId: 'getProposal', description: 'One proposal with its current tally and each state\'s position.', summary: 'One proposal with its tally and positions', params: idParams, response: { 200: proposalSchema, ...errors } },
      handler: async (req) => governance.get(req.actor!, req.params.id),
    });

    app.post('/v1/proposals/:id/votes', {
      config: { action: 'governance.vote' },
      schema: {
        tags: ['governance'],
        operationId: 'voteOnProposal',
        description: 'Records the state\'s position (support, object or abstain). A later vote before the deadline replaces the earlier one.',
        summary: "Take the state's position (support, object, abstain); a later vote before the deadline replaces it",
        params: idParams,
        body: voteSchema,
        response: { 201: withReceipt, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(await governance.vote(req.actor!, req.params.id, req.body)),
    });

    app.post('/v1/proposals/:id/withdrawal', {
      config: { action: 'governance.withdraw' },
      schema: { tags: ['governance'], operationId: 'withdrawProposal', description: 'The proposer withdraws its proposal before the deadline.', summary: 'Withdraw a proposal (its proposer, before the deadline)', params: idParams, response: { 200: withReceipt, ...errors } },
      handler: async (req) => governance.withdraw(req.actor!, req.params.id),
    });

    app.get('/v1/governance/settings', {
      config: { action: 'governance.settings' },
      schema: {
        tags: ['governance'],
        operationId: 'getGovernanceSettings',
        description: 'The rules currently in force, as adopted by the members: the decision rule per kind, the freshness period and the template version.',
        summary: 'The decision rule in force per kind, the freshness period and the adopted template version',
        response: {
          200: z.object({
            rules: z.object(Object.fromEntries(PROPOSAL_KINDS.map((kind) => [kind, ruleSchema])) as Record<ProposalKind, typeof ruleSchema>),
            freshnessDays: z.number().int(),
            templateVersion: z.object({ version: z.string(), labels: z.record(z.string(), z.record(z.string(), z.string())) }).nullable(),
          }),
          ...errors,
        },
      },
      handler: async () => governance.settings(),
    });

    app.get('/v1/observers', {
      config: { action: 'observers.list' },
      schema: {
        tags: ['governance'],
        operationId: 'listObservers',
        description: 'Accredited and suspended observer organisations. Their contacts are shown to the secretariat only.',
        summary: 'Accredited (and suspended) observer organisations; contacts for the secretariat only',
        response: { 200: z.object({ observers: z.array(observerOrgSchema) }), ...errors },
      },
      handler: async (req) => ({ observers: await governance.observers(req.actor!) }),
    });
  };
