/**
 * Baseline B: the least a server can do to answer GET /v1/contacts/:id from
 * the same PostgreSQL row: Fastify + a pg.Pool, one `select *`, the row as
 * JSON (bytea columns base64). No Kysely, auth, validation, rate limiting,
 * security headers, or decryption: the floor the service is compared to.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';

/** bytea arrives as Buffer: send it as base64 so the JSON stays compact. */
function toJson(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? v.toString('base64') : v;
  return out;
}

export function buildBaselineServer(pool: pg.Pool): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/v1/contacts/:id', async (req, reply) => {
    const { rows } = await pool.query<Record<string, unknown>>('select * from contacts where id = $1', [req.params.id]);
    const row = rows[0];
    if (!row) return reply.code(404).send({ error: 'not found' });
    return toJson(row);
  });
  // The write baseline: one INSERT of the request body, nothing else (no auth, validation, encryption, ledger or outbox).
  app.post('/v1/requests', async (req, reply) => {
    await pool.query('insert into baseline_requests (id, body, created_at) values (gen_random_uuid(), $1, now())', [JSON.stringify(req.body)]);
    return reply.code(201).send({ ok: true });
  });
  app.addHook('onReady', async () => {
    await pool.query('create table if not exists baseline_requests (id uuid primary key, body jsonb not null, created_at timestamptz not null)');
  });
  app.addHook('onClose', () => pool.end());
  return app;
}
