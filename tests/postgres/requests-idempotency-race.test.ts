import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.ts';

// Real PostgreSQL: concurrent duplicates of one Idempotency-Key produce exactly one request.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (const s of ['FRA', 'KEN']) await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: h.token('delegate', s) });
});
afterAll(() => h?.close());

const body = {
  to: 'KEN',
  domain: 'technical',
  type: 'notification',
  urgency: 'priority',
  subject: 'Phishing campaign',
  incidentSummary: 'A campaign impersonating your ministry targets our officials.',
  ask: 'For information.',
  tlp: 'GREEN',
  language: 'en',
};

describe('idempotency under concurrency (real PostgreSQL)', () => {
  it('12 parallel sends with the same key create one request; every caller gets the same result', async () => {
    const token = h.token('delegate', 'FRA');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => h.request({ method: 'POST', url: '/v1/requests', token, payload: body, headers: { 'idempotency-key': 'race-1' } })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    const ids = new Set(results.map((r) => r.json().request.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    expect(await h.sql(`select id from requests`)).toHaveLength(1);
    expect(await h.sql(`select seq from ledger_entries where type = 'request.sent'`)).toHaveLength(1);
  });

  it('parallel acknowledgements with one key: one transition, one ledger entry', async () => {
    const fra = h.token('delegate', 'FRA');
    const ken = h.token('delegate', 'KEN');
    const id = (await h.request({ method: 'POST', url: '/v1/requests', token: fra, payload: body })).json().request.id;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => h.request({ method: 'POST', url: `/v1/requests/${id}/acknowledgement`, token: ken, headers: { 'idempotency-key': 'ack-race' } })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    expect(await h.sql(`select seq from ledger_entries where type = 'request.acknowledged'`)).toHaveLength(1);
  });
});
