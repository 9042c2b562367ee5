/**
 * A connection lost around COMMIT: the service cannot know whether the write
 * happened, so it answers 503 (problem+json, Retry-After), and a retry with the
 * same Idempotency-Key has exactly one effect either way: the original result
 * is replayed when the commit had happened, the request is made when it had
 * not. The loss is injected at the driver: the pg client of the transaction
 * is destroyed just after (or just before) its COMMIT reaches the server, and
 * the caller gets pg's "Connection terminated unexpectedly".
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
const tok = { FRA: '', KEN: '' };
/** What happens to the next COMMIT. */
let armed: 'after-commit' | 'before-commit' | undefined;

beforeAll(async () => {
  h = await startHarness();
  const wrapped = new WeakSet<pg.PoolClient>();
  h.database.pool!.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    // Statements arrive as text or, prepared (src/db/index.ts), as { name, text, values }.
    type Statement = string | { text: string };
    const query = client.query.bind(client) as (statement: Statement, params?: unknown[]) => Promise<unknown>;
    const lose = () => (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    (client as unknown as { query: typeof query }).query = async (text: Statement, params?: unknown[]) => {
      if ((typeof text === 'string' ? text : text.text) !== 'commit' || !armed) return query(text, params);
      const when = armed;
      armed = undefined;
      if (when === 'before-commit') {
        lose();
        throw new Error('Connection terminated unexpectedly');
      }
      await query(text, params);
      lose();
      throw new Error('Connection terminated unexpectedly');
    };
  });
  for (const s of ['FRA', 'KEN'] as const) {
    tok[s] = h.token('delegate', s);
    expect((await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] })).statusCode).toBe(201);
  }
  expect((await h.request({ method: 'POST', url: '/v1/states/KEN/contacts', token: tok.KEN, payload: sampleContact() })).statusCode).toBe(201);
});
afterAll(() => h?.close());

const send = (key: string, subject: string) =>
  h.request({
    method: 'POST',
    url: '/v1/requests',
    token: tok.FRA,
    headers: { 'idempotency-key': key },
    payload: {
      to: 'KEN',
      domain: 'technical',
      type: 'request-for-information',
      urgency: 'priority',
      subject,
      incidentSummary: 'Scanning from addresses in your jurisdiction.',
      ask: 'Please share what you know.',
      tlp: 'GREEN',
      language: 'en',
    },
  });
const counts = async () => {
  // Entries: integrated, or queued by a committed change and not integrated yet.
  const [row] = await h.sql<{ requests: number; entries: number; queued: number }>(
    `select (select count(*)::int from requests) as requests,
            (select count(*)::int from ledger_entries) + (select count(*)::int from ledger_queue) as entries,
            (select count(*)::int from ledger_queue) as queued`,
  );
  return row!;
};

describe('connection lost during COMMIT', () => {
  for (const when of ['after-commit', 'before-commit'] as const) {
    it(`${when === 'after-commit' ? 'committed' : 'not committed'}: 503 with Retry-After, and the retry with the same Idempotency-Key has exactly one effect`, async () => {
      const before = await counts();
      armed = when;
      const lost = await send(`k-${when}`, `Lost ${when}`);
      expect(armed).toBeUndefined(); // the fault fired
      expect(lost.statusCode).toBe(503);
      expect(lost.headers['content-type']).toContain('application/problem+json');
      expect(lost.headers['retry-after']).toBe('2');
      expect(lost.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });
      const afterLoss = await counts();
      expect(afterLoss.requests - before.requests).toBe(when === 'after-commit' ? 1 : 0);

      const retry = await send(`k-${when}`, `Lost ${when}`);
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe(when === 'after-commit' ? 'true' : 'false');
      const again = await send(`k-${when}`, `Lost ${when}`);
      expect(again.statusCode).toBe(201);
      expect(again.json().request.id).toBe(retry.json().request.id);
      // One request, one ledger entry: whatever happened to the first attempt.
      const after = await counts();
      expect(after.requests - before.requests).toBe(1);
      expect(afterLoss.entries - before.entries).toBe(when === 'after-commit' ? 1 : 0);
      expect(after.entries - before.entries).toBe(1);
      expect(after.queued).toBe(0); // the retry's receipt waited for it: integrated
      // The pool replaced the lost connection: the service answers normally.
      expect((await h.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    });
  }
});
