import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, limitQuery, problemSchema, receiptSchema, stateParams } from '../http/schemas.ts';
import { fastSerialized } from '../http/serializer.ts';
import { contactSchema, createContactSchema, DOMAINS, updateContactSchema } from './schemas.ts';
import type { ContactsService } from './service.ts';
import { proposedResponse } from '../pending/routes.ts';
import type { PendingService } from '../pending/service.ts';

const mutation = fastSerialized(z.object({ contact: contactSchema, receipt: receiptSchema }));
const single = fastSerialized(contactSchema);
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } as const;

/** If-Match carries the contact version (as returned in ETag), quoted or not. */
const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d+"?$/, 'must be the contact version, as returned in ETag')
    .transform((v) => Number(v.replace(/\D/g, '')))
    .optional(),
});

export const contactsRoutes =
  (contacts: ContactsService, pending: PendingService): FastifyPluginAsyncZod =>
  async (app) => {
    // Under dual control a change is proposed (202) and applied when another user of the state approves it (appliers: services.ts).

    app.post('/v1/states/:code/contacts', {
      config: { action: 'contacts.create' },
      schema: {
        tags: ['contacts'],
        operationId: 'createContact',
        description: 'Adds a point of contact for the state; its fields are encrypted at rest and it starts pending verification. Honours Idempotency-Key, and goes through dual control when the state\'s policy asks for it.',
        summary: 'Add a point of contact (delegates of that state)',
        params: stateParams,
        body: createContactSchema,
        response: { 201: mutation, 202: proposedResponse, ...errors, 409: problemSchema },
      },
      handler: async (req, reply) => {
        if (await pending.dualControl(req.params.code)) {
          return reply.code(202).send(await pending.propose(req.actor!, req.params.code, 'contacts.create', null, { state: req.params.code, input: req.body }));
        }
        const result = await contacts.create(req.actor!, req.params.code, req.body);
        return reply.code(201).header('location', `/v1/contacts/${result.contact.id}`).header('etag', `"${result.contact.version}"`).send(result);
      },
    });

    app.get('/v1/states/:code/contacts', {
      config: { action: 'contacts.list' },
      schema: {
        tags: ['contacts'],
        operationId: 'listStateContacts',
        description: 'Lists the state\'s contacts the caller may see under the visibility and disclosure rules. Paginated with cursor/nextCursor; ?email= is an exact match through a blind index.',
        summary: "A state's contacts visible to the caller (exact-match email lookup via blind index)",
        params: stateParams,
        querystring: z.object({
          email: z.string().max(254).optional(),
          domain: z.enum(DOMAINS).optional(),
          cursor: z.string().max(200).optional(),
          limit: limitQuery,
        }),
        response: { 200: z.object({ items: z.array(contactSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => contacts.list(req.actor!, req.params.code, req.query),
    });

    app.get('/v1/contacts/:id', {
      config: { action: 'contacts.read' },
      schema: {
        tags: ['contacts'],
        operationId: 'getContact',
        description: 'Returns one contact with its version (for If-Match). Answers 404 when the caller may not see it, so existence is not revealed.',
        summary: 'One contact (404 unless the caller may see it)',
        params: idParams,
        response: { 200: single, ...errors },
      },
      handler: async (req, reply) => {
        const contact = await contacts.get(req.actor!, req.params.id);
        return reply.header('etag', `"${contact.version}"`).send(contact);
      },
    });

    app.patch('/v1/contacts/:id', {
      config: { action: 'contacts.update' },
      schema: {
        tags: ['contacts'],
        operationId: 'updateContact',
        description: 'Changes the contact\'s fields; send If-Match with the version you read to avoid overwriting a concurrent change. A change of content returns the contact to pending verification.',
        summary: 'Change a contact (delegates of the owning state); If-Match: "<version>" for optimistic concurrency',
        params: idParams,
        headers: ifMatchHeader,
        body: updateContactSchema,
        response: { 200: mutation, 202: proposedResponse, ...errors, 409: problemSchema, 412: problemSchema },
      },
      handler: async (req, reply) => {
        const state = await contacts.editableState(req.actor!, req.params.id, 'contacts.update');
        if (await pending.dualControl(state)) {
          const ifMatch = req.headers['if-match'];
          return reply.code(202).send(await pending.propose(req.actor!, state, 'contacts.update', req.params.id, { id: req.params.id, patch: req.body, ...(ifMatch === undefined ? {} : { ifMatch }) }));
        }
        const result = await contacts.update(req.actor!, req.params.id, req.body, req.headers['if-match']);
        return reply.header('etag', `"${result.contact.version}"`).send(result);
      },
    });

    const directoryResponse = z
      .object({
        states: z.array(
          z.object({
            state: z.string(),
            domains: z.object({ diplomatic: z.array(contactSchema).optional(), policy: z.array(contactSchema).optional(), technical: z.array(contactSchema).optional() }),
          }),
        ),
        nextCursor: z.string().nullable(),
      })
      .meta({ id: 'Directory', description: 'Contacts grouped by state and domain; a contact serving several domains appears under each' });
    const pageQuery = z.object({ cursor: z.string().max(200).optional(), limit: limitQuery });

    app.get('/v1/directory', {
      config: { action: 'directory.read' },
      schema: {
        tags: ['directory'],
        operationId: 'getDirectory',
        description: 'Every contact the caller may see, grouped by state and domain, in one document. Use it for a full local copy; use the per-state list for lookups.',
        summary: 'Every contact the caller may see, grouped by state and domain',
        querystring: pageQuery,
        response: { 200: directoryResponse, 400: problemSchema, 401: problemSchema },
      },
      handler: async (req) => contacts.directory(req.actor!, req.query),
    });

    app.get('/v1/public/directory', {
      config: { action: 'public' },
      schema: {
        tags: ['directory'],
        operationId: 'getPublicDirectory',
        description: 'The contacts their states chose to publish, without authentication. Confidential contacts never appear here.',
        summary: 'The public directory: contacts their states chose to make public (no authentication)',
        security: [],
        querystring: pageQuery,
        response: { 200: directoryResponse, 400: problemSchema },
      },
      handler: async (req) => contacts.directory(null, req.query),
    });

    app.post('/v1/contacts/:id/verification', {
      config: { action: 'contacts.verify' },
      schema: {
        tags: ['secretariat'],
        operationId: 'verifyContact',
        description: 'The secretariat marks a contact verified or rejected after checking it out of band. A later change of the contact\'s content returns it to pending.',
        summary: 'Verify or reject a contact (secretariat); a later change of content returns it to pending',
        params: idParams,
        body: z.object({ status: z.enum(['verified', 'rejected']), note: z.string().trim().min(1).max(2000).optional() }).strict(),
        response: { 200: mutation, ...errors },
      },
      handler: async (req) => contacts.verify(req.actor!, req.params.id, req.body),
    });

    app.post('/v1/contacts/:id/confirmation', {
      config: { action: 'contacts.confirm' },
      schema: {
        tags: ['contacts'],
        operationId: 'confirmContact',
        description: 'A delegate re-confirms the contact is still accurate, which resets its freshness clock.',
        summary: 'Re-confirm a contact as still accurate (delegates of the owning state); keeps it from going stale',
        params: idParams,
        response: { 200: mutation, ...errors },
      },
      handler: async (req) => contacts.confirm(req.actor!, req.params.id),
    });

    app.delete('/v1/contacts/:id', {
      config: { action: 'contacts.delete' },
      schema: {
        tags: ['contacts'],
        operationId: 'deleteContact',
        description: 'Removes the contact; the removal is written to the ledger.',
        summary: 'Remove a contact (delegates of the owning state)',
        params: idParams,
        response: { 200: z.object({ receipt: receiptSchema }), 202: proposedResponse, ...errors },
      },
      handler: async (req, reply) => {
        const state = await contacts.editableState(req.actor!, req.params.id, 'contacts.delete');
        if (await pending.dualControl(state)) return reply.code(202).send(await pending.propose(req.actor!, state, 'contacts.delete', req.params.id, { id: req.params.id }));
        return contacts.remove(req.actor!, req.params.id);
      },
    });
  };
