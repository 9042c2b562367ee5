import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { forbidden } from '../http/problem.ts';
import { problemSchema } from '../http/schemas.ts';
import type { LedgerService } from './service.ts';

const entrySchema = z
  .object({
    v: z.literal(1),
    index: z.number().int(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ role: z.string(), sub: z.string(), state: z.string().optional() }),
    parties: z.array(z.string()),
    subject: z.record(z.string(), z.string()),
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
    commitment: z.string().optional(),
  })
  .meta({
    id: 'LedgerEntry',
    description:
      'A ledger entry. Its leaf hash is SHA-256(0x00 || UTF-8 bytes of the RFC 8785 canonical JSON of this object) (RFC 9162 §2.1.1).',
  });

export const ledgerRoutes =
  (ledger: LedgerService, db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/ledger/entries', {
      schema: {
        tags: ['ledger'],
        summary: 'Ledger entries from an index (secretariat and auditors: all; delegates: entries their state is party to)',
        querystring: z.object({
          from: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            entries: z.array(z.object({ index: z.number().int(), leafHash: z.string(), entry: entrySchema })),
            next: z.number().int().nullable().describe('Index to pass as `from` for the next page, null at the end'),
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      handler: async (req) => {
        const actor = req.actor!;
        if (actor.role === 'observer') throw forbidden('observers cannot read the ledger');
        return ledger.list(db, actor, req.query.from, req.query.limit);
      },
    });
  };
