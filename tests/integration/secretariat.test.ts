import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';
import { startReceiver, startSmtp, type Receiver, type SmtpCapture } from './notifications-support.ts';

const DAY = 86_400_000;
let h: Harness;
let now = Date.parse('2031-01-10T08:00:00Z');
const advance = (ms: number) => (now += ms);
let receiver: Receiver;
let smtp: SmtpCapture;
const tok = {} as Record<'FRA' | 'KEN' | 'BRA' | 'sec' | 'aud' | 'obs', string>;
const contactOf = {} as Record<'FRA' | 'KEN' | 'BRA', { id: string; email: string; name: string }>;

beforeAll(async () => {
  receiver = await startReceiver();
  smtp = await startSmtp();
  h = await startHarness({ clock: () => new Date(now), env: { WEBHOOKS_ALLOW_PRIVATE: 'true', SMTP_URL: smtp.url, NOTIFY_POLL_MS: '0' } });
  tok.sec = h.token('secretariat');
  tok.aud = h.token('auditor');
  tok.obs = h.token('observer');
  for (const s of ['FRA', 'KEN', 'BRA'] as const) {
    tok[s] = h.token('delegate', s);
    await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] });
    const body = sampleContact({ domains: ['technical'], name: `Officer of ${s} Ņ` });
    const res = await h.request({ method: 'POST', url: `/v1/states/${s}/contacts`, token: tok[s], payload: body });
    contactOf[s] = { id: res.json().contact.id, email: body.email, name: body.name };
  }
  const hook = await h.request({ method: 'PUT', url: '/v1/states/FRA/webhook', token: tok.FRA, payload: { url: receiver.url } });
  expect(hook.statusCode).toBeLessThan(300);
});
afterAll(async () => {
  await h?.close();
  await receiver?.close();
  await smtp?.close();
});

const deliver = () => h.service.services.notifications.deliverDue();
const noContactData = (text: string) => {
  for (const c of Object.values(contactOf)) {
    expect(text).not.toContain(c.email);
    expect(text).not.toContain(c.name);
  }
};

describe('verification and freshness', () => {
  it('the secretariat verifies; a change of content returns the contact to pending, a visibility change does not', async () => {
    const id = contactOf.FRA.id;
    expect((await h.request({ method: 'POST', url: `/v1/contacts/${id}/verification`, token: tok.FRA, payload: { status: 'verified' } })).statusCode).toBe(403);
    const res = await h.request({ method: 'POST', url: `/v1/contacts/${id}/verification`, token: tok.sec, payload: { status: 'verified', note: 'Called back on the switchboard number' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().contact.verification).toEqual({ status: 'verified', verifiedAt: new Date(now).toISOString(), note: 'Called back on the switchboard number' });
    expect(res.json().receipt.index).toEqual(expect.any(Number));
    // The owner sees the note; a state that sees the contact through a grant does not.
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: tok.FRA })).json().verification.note).toBe('Called back on the switchboard number');
    await h.request({ method: 'PUT', url: '/v1/states/FRA/disclosures/KEN', token: tok.FRA, payload: { mode: 'unilateral', domains: ['technical'] } });
    const seen = (await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: tok.KEN })).json();
    expect(seen.verification).toEqual({ status: 'verified', verifiedAt: expect.any(String) });
    const note = (await h.sql<{ canonical: string }>(`select canonical from ledger_entries where type = 'contact.verification'`)).map((r) => r.canonical).join();
    expect(note).not.toContain('switchboard');

    await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: tok.FRA, payload: { visibility: 'public' } });
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: tok.FRA })).json().verification.status).toBe('verified');
    await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: tok.FRA, payload: { visibility: 'confidential', phone: '+33111111111' } });
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: tok.FRA })).json().verification).toEqual({ status: 'pending', verifiedAt: null, note: null });
    const rejected = await h.request({ method: 'POST', url: `/v1/contacts/${contactOf.BRA.id}/verification`, token: tok.sec, payload: { status: 'rejected' } });
    expect(rejected.json().contact.verification.status).toBe('rejected');
  });

  it('contacts not re-confirmed within the period are stale, until their state confirms them', async () => {
    advance(183 * DAY);
    const id = contactOf.KEN.id;
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: tok.KEN })).json().stale).toBe(true);
    const report = (await h.request({ method: 'GET', url: '/v1/reports/freshness', token: tok.sec })).json();
    expect(report.states).toEqual([
      { state: 'BRA', contacts: 1, verified: 0, pending: 0, rejected: 1, stale: 1 },
      { state: 'FRA', contacts: 1, verified: 0, pending: 1, rejected: 0, stale: 1 },
      { state: 'KEN', contacts: 1, verified: 0, pending: 1, rejected: 0, stale: 1 },
    ]);
    expect((await h.request({ method: 'POST', url: `/v1/contacts/${id}/confirmation`, token: tok.FRA })).statusCode).toBe(404);
    const confirmed = await h.request({ method: 'POST', url: `/v1/contacts/${id}/confirmation`, token: tok.KEN });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().contact).toMatchObject({ stale: false, confirmedAt: new Date(now).toISOString() });
    expect((await h.request({ method: 'GET', url: '/v1/reports/freshness', token: tok.sec })).json().states[2].stale).toBe(0);
    expect((await h.request({ method: 'GET', url: '/v1/reports/freshness', token: tok.FRA })).statusCode).toBe(403);
  });
});

describe('a reachability check round', () => {
  let checkId: string;
  const challengeFromWebhook = (checkId: string) => {
    const req = receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.type === 'check.started' && b.data.checkId === checkId);
    return req?.data.challenge as string;
  };
  const challengeFromEmail = (email: string, checkId: string) => {
    const mail = smtp.messages.find((m) => m.to.includes(email) && m.text.includes(checkId));
    return /challenge: *([A-Za-z0-9_-]+)/i.exec(mail?.text ?? '')?.[1];
  };

  it('notifies every targeted contact with a one-time challenge; some states acknowledge, one late, one never', async () => {
    const res = await h.request({ method: 'POST', url: '/v1/checks', token: tok.sec, payload: { windowMinutes: 60, domains: ['technical'] } });
    expect(res.statusCode).toBe(201);
    checkId = res.json().check.id;
    expect(res.json().check.summary).toMatchObject({ states: 3, reached: 0 });
    expect((await h.request({ method: 'POST', url: '/v1/checks', token: tok.FRA, payload: {} })).statusCode).toBe(403);

    await deliver();
    const fraChallenge = challengeFromWebhook(checkId);
    const kenChallenge = challengeFromEmail(contactOf.KEN.email, checkId);
    expect(fraChallenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(kenChallenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(challengeFromEmail(contactOf.BRA.email, checkId)).toBeDefined();
    // The challenge is stored only as a hash.
    expect(JSON.stringify(await h.sql('select * from check_targets'), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))).not.toContain(fraChallenge);

    advance(5 * 60_000);
    const ack = (token: string, challenge: string) => h.request({ method: 'POST', url: `/v1/checks/${checkId}/acknowledgements`, token, payload: { challenge } });
    expect((await ack(tok.FRA, 'x'.repeat(24))).statusCode).toBe(404);
    expect((await ack(tok.KEN, fraChallenge)).statusCode).toBe(404); // another state's challenge
    const fra = await ack(tok.FRA, fraChallenge);
    expect(fra.statusCode).toBe(201);
    expect(fra.json()).toMatchObject({ state: 'FRA', secondsToAcknowledge: 300, late: false });
    expect((await ack(tok.FRA, fraChallenge)).statusCode).toBe(409); // one-time

    advance(90 * 60_000);
    expect((await ack(tok.KEN, kenChallenge!)).json()).toMatchObject({ state: 'KEN', secondsToAcknowledge: 95 * 60, late: true });

    const report = await h.request({ method: 'GET', url: `/v1/checks/${checkId}`, token: tok.sec });
    expect(report.statusCode).toBe(200);
    expect(report.json().states).toEqual([
      { state: 'BRA', targets: 1, acknowledged: 0, reached: false, reachedInTime: false, secondsToAcknowledge: null },
      { state: 'FRA', targets: 1, acknowledged: 1, reached: true, reachedInTime: true, secondsToAcknowledge: 300 },
      { state: 'KEN', targets: 1, acknowledged: 1, reached: true, reachedInTime: false, secondsToAcknowledge: 5700 },
    ]);
    expect(report.json().summary).toEqual({ states: 3, reached: 2, reachedInTime: 1, reachRate: 2 / 3, medianSeconds: 300, p90Seconds: 5700 });
    noContactData(report.body);

    const own = (await h.request({ method: 'GET', url: `/v1/checks/${checkId}`, token: tok.KEN })).json();
    expect(own.states.map((s: { state: string }) => s.state)).toEqual(['KEN']);
    // Issue 9 (4): a delegate's summary counts its own state only, never the other targeted states.
    expect(own.summary).toEqual({ states: 1, reached: 1, reachedInTime: 0, reachRate: 1, medianSeconds: 5700, p90Seconds: 5700 });
    const fraOwn = (await h.request({ method: 'GET', url: `/v1/checks/${checkId}`, token: tok.FRA })).json();
    expect(fraOwn.states.map((s: { state: string }) => s.state)).toEqual(['FRA']);
    expect(fraOwn.summary).toEqual({ states: 1, reached: 1, reachedInTime: 1, reachRate: 1, medianSeconds: 300, p90Seconds: 300 });
    const braOwn = (await h.request({ method: 'GET', url: `/v1/checks/${checkId}`, token: tok.BRA })).json();
    expect(braOwn.summary).toEqual({ states: 1, reached: 0, reachedInTime: 0, reachRate: 0, medianSeconds: null, p90Seconds: null });
    expect((await h.request({ method: 'GET', url: `/v1/checks/${checkId}`, token: tok.aud })).json().summary).toMatchObject({ states: 3, reached: 2 });
    expect((await h.request({ method: 'GET', url: `/v1/checks/${checkId}`, token: tok.obs })).statusCode).toBe(404);
  });

  it('an exercise round runs the whole workflow, is labelled, and stays out of the real statistics', async () => {
    const res = await h.request({ method: 'POST', url: '/v1/checks', token: tok.sec, payload: { exercise: true, states: ['FRA'] } });
    const id = res.json().check.id;
    expect(res.json().check.exercise).toBe(true);
    await deliver();
    const body = receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.data.checkId === id);
    expect(body.data.exercise).toBe(true);
    advance(60_000);
    expect((await h.request({ method: 'POST', url: `/v1/checks/${id}/acknowledgements`, token: tok.FRA, payload: { challenge: body.data.challenge } })).statusCode).toBe(201);

    const real = (await h.request({ method: 'GET', url: '/v1/reports/reachability', token: tok.sec })).json();
    expect(real).toMatchObject({ exercise: false, rounds: 1, statesChecked: 3, stateRounds: 3, reached: 2, medianSeconds: 300, p90Seconds: 5700 });
    const exercise = (await h.request({ method: 'GET', url: '/v1/reports/reachability?exercise=true', token: tok.aud })).json();
    expect(exercise).toMatchObject({ exercise: true, rounds: 1, statesChecked: 1, reached: 1, medianSeconds: 60 });
    expect((await h.request({ method: 'GET', url: '/v1/reports/reachability', token: tok.KEN })).statusCode).toBe(403);
    noContactData(JSON.stringify(real) + JSON.stringify(exercise));
  });

  it('exercise requests are labelled and excluded from the real request statistics', async () => {
    const base = { to: 'KEN', domain: 'technical', type: 'notification', urgency: 'routine', subject: 'Drill', incidentSummary: 'Drill', ask: 'Acknowledge', tlp: 'CLEAR', language: 'en' };
    await h.request({ method: 'POST', url: '/v1/requests', token: tok.FRA, payload: base });
    const ex = await h.request({ method: 'POST', url: '/v1/requests', token: tok.FRA, payload: { ...base, exercise: true } });
    expect(ex.json().request.exercise).toBe(true);
    await deliver();
    expect(receiver.requests.some((r) => JSON.parse(r.body).data.requestId === ex.json().request.id)).toBe(false); // KEN has no webhook
    const mail = smtp.messages.find((m) => m.text.includes(ex.json().request.id));
    expect(mail?.text.toLowerCase()).toContain('exercise');
    const real = (await h.request({ method: 'GET', url: '/v1/reports/requests', token: tok.sec })).json();
    const drills = (await h.request({ method: 'GET', url: '/v1/reports/requests?exercise=true', token: tok.sec })).json();
    expect(real).toMatchObject({ exercise: false, requests: 1, byStatus: { sent: 1 } });
    expect(drills).toMatchObject({ exercise: true, requests: 1 });
  });
});
