/**
 * Issue 9 (2): an idempotency replay is authorized exactly like the original
 * call, and keys are scoped to the caller's whole identity (issuer, subject,
 * role, state), not to `sub` alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
let h: Harness;
const SUB = 'shared';
const tok = {} as Record<'FRA' | 'KEN' | 'BRA' | 'sec' | 'obs' | 'aud' | 'KENother', string>;
const SECRET_TEXT = 'Exfiltration from the ministry mail servers';

const body = {
  to: 'KEN',
  domain: 'technical',
  type: 'request-for-assistance',
  urgency: 'urgent',
  subject: SECRET_TEXT,
  incidentSummary: 'Mail servers of the ministry send data to hosts in your address space.',
  ask: 'Please identify the hosts.',
  tlp: 'AMBER',
  language: 'en',
};
const count = async (table: string) => Number((await h.sql<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n);

beforeAll(async () => {
  h = await startHarness();
  // Every token has the same `sub`; they differ in role, state or issuer.
  tok.FRA = h.token('delegate', 'FRA', { sub: SUB });
  tok.KEN = h.token('delegate', 'KEN', { sub: SUB });
  tok.BRA = h.token('delegate', 'BRA', { sub: SUB });
  tok.sec = h.token('secretariat', undefined, { sub: SUB });
  tok.obs = h.token('observer', undefined, { sub: SUB });
  tok.aud = h.token('auditor', undefined, { sub: SUB });
  tok.KENother = h.token('delegate', 'KEN', { sub: SUB, iss: 'https://another-idp.example' });
  for (const s of ['FRA', 'KEN', 'BRA'] as const) {
    expect((await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] })).statusCode).toBeLessThan(300);
  }
  await h.request({ method: 'POST', url: '/v1/states/KEN/contacts', token: tok.KEN, payload: sampleContact() });
});
afterAll(() => h?.close());

describe('idempotency replays are authorized like the original call', () => {
  let requestId: string;

  it('a transition replay (acknowledgement, key k1) is served only to the identity that made it', async () => {
    const sent = await h.request({ method: 'POST', url: '/v1/requests', token: tok.FRA, payload: body });
    expect(sent.statusCode).toBe(201);
    requestId = sent.json().request.id;
    const ack = (token: string) => h.request({ method: 'POST', url: `/v1/requests/${requestId}/acknowledgement`, token, headers: { 'idempotency-key': 'k1' } });

    const first = await ack(tok.KEN);
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const ledger = await count('ledger_entries');

    for (const who of ['BRA', 'sec', 'obs', 'aud'] as const) {
      const res = await ack(tok[who]);
      expect(res.statusCode, who).toBe(404);
      expect(res.headers['idempotent-replayed'], who).toBeUndefined();
      expect(res.json().type).toBe(PROBLEM + 'not-found');
      expect(res.body).not.toContain(SECRET_TEXT);
      expect(res.body).not.toContain('identify the hosts');
    }
    // The sender is a party but may not acknowledge: refused as for the original call, no replay.
    const sender = await ack(tok.FRA);
    expect(sender.statusCode).toBe(403);
    expect(sender.body).not.toContain(SECRET_TEXT);

    // Same sub, role and state, another issuer: another identity, so no replay (the call runs and is refused).
    const otherIssuer = await ack(tok.KENother);
    expect(otherIssuer.statusCode).toBe(409);
    expect(otherIssuer.json().type).toBe(PROBLEM + 'invalid-transition');

    // The very same identity gets its replay.
    const replay = await ack(tok.KEN);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect(await count('ledger_entries')).toBe(ledger);
  });

  it('a send replay (key k2) is not served to another state or role with the same sub', async () => {
    const send = (token: string) => h.request({ method: 'POST', url: '/v1/requests', token, payload: body, headers: { 'idempotency-key': 'k2' } });
    const first = await send(tok.FRA);
    expect(first.statusCode).toBe(201);
    const id = first.json().request.id;

    // BRA with the same sub and key: its own call, from BRA, not FRA's stored result.
    const bra = await send(tok.BRA);
    expect(bra.statusCode).toBe(201);
    expect(bra.headers['idempotent-replayed']).toBe('false');
    expect(bra.json().request).toMatchObject({ from: 'BRA' });
    expect(bra.json().request.id).not.toBe(id);

    for (const who of ['sec', 'obs', 'aud'] as const) {
      const res = await send(tok[who]);
      expect(res.statusCode, who).toBe(403);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body).not.toContain(SECRET_TEXT);
    }
    const replay = await send(tok.FRA);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().request.id).toBe(id);
  });

  it('a consent replay (key k3) is refused to non-parties', async () => {
    const consent = (token: string) =>
      h.request({ method: 'POST', url: `/v1/requests/${requestId}/disclosure-consents`, token, payload: { audience: 'secretariat' }, headers: { 'idempotency-key': 'k3' } });
    expect((await consent(tok.KEN)).statusCode).toBe(201);
    for (const who of ['BRA', 'sec', 'obs', 'aud'] as const) {
      const res = await consent(tok[who]);
      expect(res.statusCode, who).toBe(404);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    }
    expect((await consent(tok.KEN)).headers['idempotent-replayed']).toBe('true');
  });

  it('stores a hash of the identity, not the subject', async () => {
    const rows = await h.sql<{ identity: string }>('select identity from idempotency_keys');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.identity).toMatch(/^[0-9a-f]{64}$/);
  });

  it('after the state withdraws, its replay is a clean 4xx (its data key is destroyed), never a 500', async () => {
    expect((await h.request({ method: 'DELETE', url: '/v1/states/KEN/participation', token: tok.KEN })).statusCode).toBe(200);
    const res = await h.request({ method: 'POST', url: `/v1/requests/${requestId}/acknowledgement`, token: tok.KEN, headers: { 'idempotency-key': 'k1' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toBe(PROBLEM + 'idempotency-result-unavailable');
    for (const who of ['BRA', 'sec', 'obs', 'aud'] as const) {
      expect((await h.request({ method: 'POST', url: `/v1/requests/${requestId}/acknowledgement`, token: tok[who], headers: { 'idempotency-key': 'k1' } })).statusCode).toBe(404);
    }
    // The sender withdraws too: replaying its send is refused as the original call would be.
    expect((await h.request({ method: 'DELETE', url: '/v1/states/FRA/participation', token: tok.FRA })).statusCode).toBe(200);
    const send = await h.request({ method: 'POST', url: '/v1/requests', token: tok.FRA, payload: body, headers: { 'idempotency-key': 'k2' } });
    expect(send.statusCode).toBe(409);
    expect(send.headers['idempotent-replayed']).toBeUndefined();
  });
});
