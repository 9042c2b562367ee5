/** Governance request/response schemas (zod): the API contract for proposals, votes and observers. */
import { z } from 'zod';
import { UN_LANGUAGES } from '../requests/templates.ts';
import { POSITIONS, PROPOSAL_KINDS, ruleSchema } from './rules.ts';

export { PROPOSAL_KINDS };
export const OBSERVER_CATEGORIES = ['industry', 'academia', 'civil-society', 'international-organization'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const deadline = z.iso.datetime({ offset: true }).describe('When the proposal is decided (ISO 8601); between 1 minute and 365 days ahead');

export const observerContactSchema = z
  .object({ name: text(200), email: z.email().max(254), phone: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number').optional() })
  .strict()
  .describe("The organisation's contact person; sealed at rest, shown only to the secretariat and the proposer");

const labelOverrides = z
  .partialRecord(z.enum(UN_LANGUAGES), z.record(z.string().regex(/^[A-Za-z]{1,40}$/, 'must be a field name'), text(200)))
  .describe('Field label overrides per UN language, e.g. {"en": {"ask": "Assistance requested"}}');

export const newProposalSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('observer-accreditation'),
      deadline,
      organization: z.object({ name: text(200), category: z.enum(OBSERVER_CATEGORIES), contact: observerContactSchema }).strict(),
    })
    .strict(),
  z.object({ kind: z.literal('observer-suspension'), deadline, organizationId: z.uuid() }).strict(),
  z
    .object({ kind: z.literal('freshness-period'), deadline, days: z.number().int().min(7).max(1096).describe('Days a contact stays fresh before it needs re-confirmation') })
    .strict(),
  z
    .object({
      kind: z.literal('template-version'),
      deadline,
      version: z.string().regex(/^\d{1,4}\.\d{1,4}(\.\d{1,4})?$/, 'must be a version such as 2.0 or 2.1.3'),
      labels: labelOverrides.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('decision-rule'), deadline, forKind: z.enum(PROPOSAL_KINDS), rule: ruleSchema }).strict(),
]);
export type NewProposal = z.infer<typeof newProposalSchema>;

export const voteSchema = z
  .object({ position: z.enum(POSITIONS), explanation: text(4000).optional().describe('Sealed under the voting state’s data key; the ledger holds a commitment') })
  .strict();

const tallySchema = z.object({ support: z.number().int(), object: z.number().int(), abstain: z.number().int(), electorate: z.number().int() });

export const proposalSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(PROPOSAL_KINDS),
    status: z.enum(['open', 'adopted', 'rejected', 'withdrawn']),
    details: z.record(z.string(), z.unknown()).nullable().describe('What is proposed (null when the caller may see only the outcome)'),
    rule: ruleSchema.nullable(),
    proposer: z.object({ role: z.string(), state: z.string().nullable() }).nullable(),
    electorate: z.array(z.string()).nullable(),
    deadline: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    decision: z.object({ outcome: z.enum(['adopted', 'rejected']), reason: z.string(), tally: tallySchema }).nullable(),
    tally: tallySchema.nullable().describe('The current count (participating states, secretariat and auditors)'),
    positions: z
      .array(z.object({ state: z.string(), position: z.enum(POSITIONS), castAt: z.iso.datetime(), explanation: z.string().nullable() }))
      .nullable()
      .describe("Each state's position (participating states, secretariat and auditors); explanations only to their own state"),
  })
  .meta({ id: 'Proposal' });

export const observerOrgSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    category: z.enum(OBSERVER_CATEGORIES),
    status: z.enum(['accredited', 'suspended']),
    accreditedAt: z.iso.datetime(),
    suspendedAt: z.iso.datetime().nullable(),
    contact: observerContactSchema.nullable().describe('Secretariat only'),
  })
  .meta({ id: 'ObserverOrganization' });

export const listProposalsQuery = z.object({
  status: z.enum(['open', 'adopted', 'rejected', 'withdrawn']).optional(),
  kind: z.enum(PROPOSAL_KINDS).optional(),
});
