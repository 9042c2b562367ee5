import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { Problem } from '../http/problem.ts';
import { problemSchema } from '../http/schemas.ts';

const READY_TIMEOUT_MS = 2_000;

export const healthRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    // Probes are never rate limited: an orchestrator must see the truth even while a client floods the API.
    app.get('/healthz', {
      config: { action: 'public', rateLimit: false },
      schema: { tags: ['health'], operationId: 'getHealth', description: 'Liveness probe: answers 200 as long as the process serves HTTP. It does not touch the database; use /readyz for that.', summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } },
      handler: async () => ({ status: 'ok' as const }),
    });

    app.get('/readyz', {
      config: { action: 'public', rateLimit: false },
      schema: {
        tags: ['health'],
        operationId: 'getReadiness',
        description: 'Readiness probe: 200 when the database answers and the schema is up to date, 503 problem otherwise. Point load balancers and orchestrators here.',
        summary: 'The database is reachable and every migration is applied',
        response: { 200: z.object({ status: z.literal('ready') }), 503: problemSchema },
      },
      handler: async () => {
        // Bounded: a probe gets its answer within READY_TIMEOUT_MS even when the pool is waiting for the database.
        const check = (async () => {
          try {
            await sql`select 1`.execute(db);
          } catch {
            return 'database: not reachable';
          }
          return (await migrationsApplied(db)) ? null : 'database: migrations pending';
        })();
        const timeout = new Promise<string>((resolve) => setTimeout(resolve, READY_TIMEOUT_MS, 'database: no answer in time').unref());
        const problem = await Promise.race([check.catch(() => 'database: not reachable'), timeout]);
        if (problem) throw new Problem('unavailable', problem);
        return { status: 'ready' as const };
      },
    });
  };
