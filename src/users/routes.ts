import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../auth/actor.ts';
import { idParams, problemSchema, receiptSchema, stateCode } from '../http/schemas.ts';
import type { UsersService } from './service.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

const userSchema = z
  .object({
    id: z.uuid(),
    issuer: z.string().describe("The identity provider's issuer ('' for tokens without iss)"),
    subject: z.string(),
    role: z.enum(ROLES),
    state: z.string().nullable(),
    organizationId: z.uuid().nullable().describe('Observers: their accredited observer organisation (GET /v1/observers); null for other roles'),
    displayName: z.string(),
    nominationRef: z.string().nullable(),
    status: z.enum(['active', 'deactivated']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    deactivatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'User', description: 'A registered user; subject, display name and nomination reference are sealed at rest' });

const mutation = z.object({ user: userSchema, receipt: receiptSchema });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema } as const;

export const usersRoutes =
  (users: UsersService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/users', {
      config: { action: 'users.create' },
      schema: {
        tags: ['users'],
        operationId: 'createUser',
        description:
          "Registers a user who speaks for a state or for the secretariat, or an observer of an accredited observer organisation. The secretariat may register anyone (observers only with the `organizationId` of an accredited organisation: 409 `organization-not-accredited` otherwise); a state's authority only its own state's delegates and authorities.",
        summary: "Register a user (the secretariat: anyone; a state's authority: its own state's delegates and authorities)",
        body: z
          .object({
            subject: text(256).describe("The identity provider's subject (or an email)"),
            issuer: z.string().trim().max(512).optional().describe('Default: JWT_ISSUER'),
            role: z.enum(ROLES),
            state: stateCode.optional().describe('Required for delegate and authority, absent otherwise'),
            organizationId: z.uuid().optional().describe('Required for observer (an accredited organisation, GET /v1/observers), absent otherwise'),
            displayName: text(200),
            nominationRef: text(200).optional().describe("e.g. the note verbale's reference"),
          })
          .strict(),
        response: { 201: mutation, ...errors },
      },
      handler: async (req, reply) => {
        const result = await users.register(req.actor!, req.body);
        return reply.code(201).header('location', `/v1/users/${result.user.id}`).send(result);
      },
    });

    app.get('/v1/users', {
      config: { action: 'users.list' },
      schema: {
        tags: ['users'],
        operationId: 'listUsers',
        description: 'Lists registered users: all (or ?state=) for the secretariat and auditors, its own state\'s users for an authority.',
        summary: "Registered users (the secretariat and auditors: all or ?state=; an authority: its own state's)",
        querystring: z.object({ state: stateCode.optional() }),
        response: { 200: z.object({ items: z.array(userSchema) }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      handler: async (req) => ({ items: await users.list(req.actor!, req.query.state) }),
    });

    app.get('/v1/users/:id', {
      config: { action: 'users.read' },
      schema: { tags: ['users'], operationId: 'getUser', description: 'One user, visible to itself, its managers, the secretariat and auditors; 404 to anyone else.', summary: 'One user (oneself, its managers, the secretariat and auditors; 404 to others)', params: idParams, response: { 200: userSchema, ...errors } },
      handler: async (req) => users.get(req.actor!, req.params.id),
    });

    app.patch('/v1/users/:id', {
      config: { action: 'users.update' },
      schema: {
        tags: ['users'],
        operationId: 'updateUser',
        description: "Changes a user's role, state, organisation (observers), display name or nomination reference. Nobody can raise their own role or move to another organisation.",
        summary: 'Change a user: role, state, display name, nomination reference (nobody raises their own role)',
        params: idParams,
        body: z
          .object({
            role: z.enum(ROLES).optional(),
            state: stateCode.nullable().optional(),
            organizationId: z.uuid().nullable().optional().describe("An observer's organisation (must be accredited); null when the role changes away from observer"),
            displayName: text(200).optional(),
            nominationRef: text(200).nullable().optional(),
          })
          .strict()
          .refine((b) => Object.keys(b).length > 0, 'nothing to change'),
        response: { 200: mutation, ...errors },
      },
      handler: async (req) => users.update(req.actor!, req.params.id, req.body),
    });

    app.delete('/v1/users/:id', {
      config: { action: 'users.deactivate' },
      schema: {
        tags: ['users'],
        operationId: 'deactivateUser',
        description: 'Deactivates the user: every credential of the user (registry-mode tokens, API keys) is refused from its next request.',
        summary: "Deactivate a user: every credential of the user (tokens in registry mode, API keys) stops working on its next request",
        params: idParams,
        response: { 200: mutation, ...errors },
      },
      handler: async (req) => users.deactivate(req.actor!, req.params.id),
    });
  };
