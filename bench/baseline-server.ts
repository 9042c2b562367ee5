/**
 * The baseline: the least a server can do for each measured path, on the same
 * PostgreSQL: Fastify + a pg.Pool, no Kysely, auth, validation, rate limiting,
 * security headers, encryption, ledger or outbox. The floor the service is
 * compared to.
 *
 *   GET  /v1/contacts/:id           one `select *` of the row by id, as JSON (bytea base64)
 *   POST /v1/requests               BEGIN, one INSERT of the body, COMMIT
 *   POST /v1/states/:code/contacts  BEGIN, one INSERT of the body, COMMIT
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';

/** bytea arrives as Buffer: send it as base64 so the JSON stays compact. */
function toJson(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? v.toString('base64') : v;
  return out;
}

/** BEGIN, one INSERT, COMMIT on one pooled connection: what any change in its own transaction must at least do. */
async function insertInTransaction(pool: pg.Pool, text: string, values: unknown[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(text, values);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export function buildBaselineServer(pool: pg.Pool): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/v1/contacts/:id', async (req, reply) => {
    const { rows } = await pool.query<Record<string, unknown>>('select * from contacts where id = $1', [req.params.id]);
    const row = rows[0];
    if (!row) return reply.code(404).send({ error: 'not found' });
    return toJson(row);
  });
  app.post('/v1/requests', async (req, reply) => {
    await insertInTransaction(pool, 'insert into baseline_requests (id, body, created_at) values (gen_random_uuid(), $1, now())', [JSON.stringify(req.body)]);
    return reply.code(201).send({ ok: true });
  });
  app.post<{ Params: { code: string } }>('/v1/states/:code/contacts', async (req, reply) => {
    await insertInTransaction(pool, 'insert into baseline_contacts (id, state_code, body, created_at) values (gen_random_uuid(), $1, $2, now())', [
      req.params.code,
      JSON.stringify(req.body),
    ]);
    return reply.code(201).send({ ok: true });
  });
  app.addHook('onReady', async () => {
    await pool.query('create table if not exists baseline_requests (id uuid primary key, body jsonb not null, created_at timestamptz not null)');
    await pool.query('create table if not exists baseline_contacts (id uuid primary key, state_code text not null, body jsonb not null, created_at timestamptz not null)');
  });
  app.addHook('onClose', () => pool.end());
  return app;
}
