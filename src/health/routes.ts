import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { Problem } from '../http/problem.ts';
import { problemSchema } from '../http/schemas.ts';

export const healthRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/healthz', {
      config: { action: 'public' },
      schema: { tags: ['health'], summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } },
      handler: async () => ({ status: 'ok' as const }),
    });

    app.get('/readyz', {
      config: { action: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The database is reachable and every migration is applied',
        response: { 200: z.object({ status: z.literal('ready') }), 503: problemSchema },
      },
      handler: async () => {
        try {
          await sql`select 1`.execute(db);
          if (!(await migrationsApplied(db))) throw new Error('pending migrations');
        } catch {
          throw new Problem('unavailable', 'the database is not reachable or not migrated');
        }
        return { status: 'ready' as const };
      },
    });
  };
