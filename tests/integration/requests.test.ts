import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
let h: Harness;
let now = Date.parse('2026-11-21T09:00:00Z');
const advance = (minutes: number) => (now += minutes * 60_000);
const tok = {} as Record<'FRA' | 'KEN' | 'BRA' | 'JPN' | 'sec' | 'aud' | 'obs', string>;
const kenContacts: string[] = [];

beforeAll(async () => {
  h = await startHarness({ clock: () => new Date(now) });
  for (const s of ['FRA', 'KEN', 'BRA'] as const) {
    tok[s] = h.token('delegate', s);
    await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] });
  }
  tok.JPN = h.token('delegate', 'JPN'); // never joins
  tok.sec = h.token('secretariat');
  tok.aud = h.token('auditor');
  tok.obs = h.token('observer');
  for (let i = 0; i < 2; i++) {
    const res = await h.request({ method: 'POST', url: '/v1/states/KEN/contacts', token: tok.KEN, payload: sampleContact({ domains: ['technical'] }) });
    kenContacts.push(res.json().contact.id);
  }
});
afterAll(() => h?.close());

const body = (extra: Record<string, unknown> = {}) => ({
  to: 'KEN',
  domain: 'technical',
  type: 'request-for-assistance',
  urgency: 'urgent',
  subject: 'Ransomware on port authority systems',
  incidentSummary: 'Since 03:00 UTC the port authority network is encrypted; indicators point to infrastructure hosted in your jurisdiction.',
  ask: 'Please help take down the command-and-control servers listed in the attachment.',
  tlp: 'AMBER',
  language: 'en',
  ...extra,
});
const send = (extra: Record<string, unknown> = {}, token = tok.FRA, headers: Record<string, string> = {}) =>
  h.request({ method: 'POST', url: '/v1/requests', token, payload: body(extra), headers });
const act = (id: string, path: string, token: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.request({ method: 'POST', url: `/v1/requests/${id}/${path}`, token, headers, ...(payload === undefined ? {} : { payload }) });
const get = (id: string, token: string) => h.request({ method: 'GET', url: `/v1/requests/${id}`, token });
const ledgerSize = async () => Number((await h.sql<{ n: number }>('select count(*)::int as n from ledger_entries'))[0]!.n);
const CONTENT_FIELDS = ['subject', 'incidentSummary', 'ask', 'responses', 'disclosure', 'type', 'urgency', 'domain', 'tlp', 'language'];

describe('sending', () => {
  it('sends a request in the standard template, with a receipt; the ledger commits to the text without holding it', async () => {
    const res = await send();
    expect(res.statusCode).toBe(201);
    const { request, receipt } = res.json();
    expect(request).toMatchObject({ from: 'FRA', to: 'KEN', status: 'sent', overdue: false, exercise: false, subject: body().subject, responses: [], escalationLevel: 0 });
    expect(receipt).toEqual({ index: expect.any(Number), leafHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const entry = (await h.sql<{ canonical: string }>('select canonical from ledger_entries where seq = $1', [receipt.index]))[0]!.canonical;
    expect(JSON.parse(entry)).toMatchObject({ type: 'request.sent', parties: ['FRA', 'KEN'], commitment: expect.any(String), facts: { urgency: 'urgent', tlp: 'AMBER' } });
    expect(entry).not.toContain('Ransomware');
    const raw = JSON.stringify(await h.sql('select * from requests'), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(raw).not.toContain('Ransomware');
    expect(raw).not.toContain('command-and-control');
  });

  it('refuses senders that are not delegates of a participating state, recipients that do not participate, and bad bodies, writing nothing', async () => {
    const before = await ledgerSize();
    expect((await send({}, tok.sec)).statusCode).toBe(403);
    expect((await send({}, tok.JPN)).statusCode).toBe(409);
    expect((await send({ to: 'JPN' })).statusCode).toBe(409);
    expect((await send({ to: 'FRA' })).statusCode).toBe(400);
    const bad = await send({ urgency: 'asap', tlp: 'PINK', language: 'english', type: 'demand', subject: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.urgency', 'body.tlp', 'body.language', 'body.type', 'body.subject']));
    expect((await send({ respondBy: new Date(now - 60_000).toISOString() })).statusCode).toBe(400);
    expect((await send({ relatesTo: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
    expect(await ledgerSize()).toBe(before);
  });
});

describe('lifecycle', () => {
  it('sent → acknowledged → declined (no reason needed) → closed, each step with a receipt', async () => {
    const id = (await send()).json().request.id;
    const ack = await act(id, 'acknowledgement', tok.KEN);
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ request: { status: 'acknowledged', acknowledgedAt: expect.any(String) }, receipt: { index: expect.any(Number) } });
    const decline = await act(id, 'responses', tok.KEN, { decision: 'decline' });
    expect(decline.statusCode).toBe(201);
    expect(decline.json().request).toMatchObject({ status: 'declined', responses: [{ decision: 'decline', body: null }] });
    const closed = await act(id, 'close', tok.FRA);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().request.status).toBe('closed');
    const types = (await h.sql<{ type: string }>(`select type from ledger_entries where canonical like $1 order by seq`, [`%${id}%`])).map((r) => r.type);
    expect(types).toEqual(['request.sent', 'request.acknowledged', 'request.declined', 'request.closed']);
  });

  it('an answer carries a body, readable by both parties and sealed at rest', async () => {
    const id = (await send()).json().request.id;
    await act(id, 'acknowledgement', tok.KEN);
    expect((await act(id, 'responses', tok.KEN, { decision: 'answer' })).statusCode).toBe(400);
    const answer = await act(id, 'responses', tok.KEN, { decision: 'answer', body: 'Servers seized at 11:40 UTC; logs follow via CERT channel.' });
    expect(answer.statusCode).toBe(201);
    for (const t of [tok.FRA, tok.KEN]) {
      expect((await get(id, t)).json()).toMatchObject({ status: 'responded', responses: [{ decision: 'answer', body: 'Servers seized at 11:40 UTC; logs follow via CERT channel.' }] });
    }
    const raw = JSON.stringify(await h.sql('select body from request_responses'), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(raw).not.toContain('Servers seized');
  });

  it.each([
    ['acknowledge twice', ['acknowledgement'], 'acknowledgement', 'KEN', 409],
    ['the sender acknowledges', [], 'acknowledgement', 'FRA', 403],
    ['the sender responds', [], 'responses', 'FRA', 403],
    ['the recipient withdraws', [], 'withdrawal', 'KEN', 403],
    ['close before anything happened', [], 'close', 'FRA', 409],
    ['respond after a decline', ['acknowledgement', 'responses'], 'responses', 'KEN', 409],
    ['withdraw after a response', ['acknowledgement', 'responses'], 'withdrawal', 'FRA', 409],
    ['acknowledge a withdrawn request', ['withdrawal'], 'acknowledgement', 'KEN', 409],
    ['close twice', ['acknowledgement', 'close'], 'close', 'KEN', 409],
    ['respond to a closed request', ['acknowledgement', 'close'], 'responses', 'KEN', 409],
  ] as const)('refuses: %s', async (_name, steps, path, who, status) => {
    const id = (await send()).json().request.id;
    for (const step of steps) {
      const by = step === 'withdrawal' || step === 'close' ? tok.FRA : tok.KEN;
      const res = await act(id, step, by, step === 'responses' ? { decision: 'decline' } : undefined);
      expect(res.statusCode, step).toBeLessThan(300);
    }
    const before = await ledgerSize();
    const res = await act(id, path, tok[who], path === 'responses' ? { decision: 'decline' } : undefined);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    if (status === 409) expect(res.json()).toMatchObject({ type: PROBLEM + 'invalid-transition', currentStatus: expect.any(String) });
    expect(await ledgerSize()).toBe(before);
  });

  it('the sender may withdraw before a response; responding from sent also records the acknowledgement', async () => {
    const a = (await send()).json().request.id;
    expect((await act(a, 'withdrawal', tok.FRA)).json().request).toMatchObject({ status: 'withdrawn', withdrawnAt: expect.any(String) });
    const b = (await send()).json().request.id;
    expect((await act(b, 'responses', tok.KEN, { decision: 'decline' })).json().request).toMatchObject({ status: 'declined', acknowledgedAt: expect.any(String) });
  });
});

describe('who sees what', () => {
  it('non-parties get 404; the secretariat sees metadata only, never content', async () => {
    const id = (await send()).json().request.id;
    for (const t of [h.token('delegate', 'BRA'), tok.JPN, tok.aud, tok.obs]) {
      expect((await get(id, t)).statusCode).toBe(404);
      expect((await act(id, 'acknowledgement', t)).statusCode).toBe(404);
    }
    const meta = await get(id, tok.sec);
    expect(meta.statusCode).toBe(200);
    expect(Object.keys(meta.json()).filter((k) => CONTENT_FIELDS.includes(k))).toEqual([]);
    expect(meta.body).not.toContain('Ransomware');
    const list = await h.request({ method: 'GET', url: '/v1/requests', token: tok.sec });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(0);
    for (const item of list.json().items) expect(Object.keys(item).filter((k) => CONTENT_FIELDS.includes(k))).toEqual([]);
    expect(list.body).not.toContain('Ransomware');
    expect((await act(id, 'close', tok.sec)).statusCode).toBe(404);
  });

  it('lists inbox and outbox for the parties, with a status filter', async () => {
    const outbox = (await h.request({ method: 'GET', url: '/v1/requests?box=outbox', token: tok.FRA })).json().items;
    const inbox = (await h.request({ method: 'GET', url: '/v1/requests?box=inbox', token: tok.KEN })).json().items;
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.map((r: { id: string }) => r.id).sort()).toEqual(inbox.map((r: { id: string }) => r.id).sort());
    expect((await h.request({ method: 'GET', url: '/v1/requests?box=inbox', token: tok.FRA })).json().items).toEqual([]);
    const closed = (await h.request({ method: 'GET', url: '/v1/requests?box=outbox&status=closed', token: tok.FRA })).json().items;
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((r: { status: string }) => r.status === 'closed')).toBe(true);
    expect((await h.request({ method: 'GET', url: '/v1/requests', token: tok.obs })).statusCode).toBe(403);
  });

  it('disclosure beyond the two parties needs both: the secretariat and a third state read the content only after both consent', async () => {
    const id = (await send()).json().request.id;
    const first = await act(id, 'disclosure-consents', tok.FRA, { audience: 'secretariat' });
    expect(first.statusCode).toBe(201);
    expect(first.json().consents.effective).toEqual([]);
    expect(Object.keys((await get(id, tok.sec)).json())).not.toContain('subject');
    const second = await act(id, 'disclosure-consents', tok.KEN, { audience: 'secretariat' });
    expect(second.json().consents.effective).toEqual(['secretariat']);
    expect((await get(id, tok.sec)).json().subject).toBe(body().subject);

    const bra = h.token('delegate', 'BRA');
    await act(id, 'disclosure-consents', tok.KEN, { audience: 'BRA' });
    expect((await get(id, bra)).statusCode).toBe(404);
    await act(id, 'disclosure-consents', tok.FRA, { audience: 'BRA' });
    expect((await get(id, bra)).json().subject).toBe(body().subject);
    expect((await act(id, 'disclosure-consents', bra, { audience: 'public' })).statusCode).toBe(404);
    expect((await act(id, 'disclosure-consents', tok.FRA, { audience: 'KEN' })).statusCode).toBe(400);
    const types = (await h.sql<{ type: string }>(`select type from ledger_entries where canonical like $1 order by seq`, [`%${id}%`])).map((r) => r.type);
    expect(types.filter((t) => t.startsWith('request.disclos'))).toEqual([
      'request.disclosure-consented',
      'request.disclosure-consented',
      'request.disclosed',
      'request.disclosure-consented',
      'request.disclosure-consented',
      'request.disclosed',
    ]);
  });
});

describe('idempotency', () => {
  it('a retry with the same key and body returns the original result and writes nothing; a different body gets 422', async () => {
    const headers = { 'idempotency-key': 'send-0001' };
    const first = await send({}, tok.FRA, headers);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const before = await ledgerSize();
    const again = await send({}, tok.FRA, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await ledgerSize()).toBe(before);
    const changed = await send({ subject: 'Another subject' }, tok.FRA, headers);
    expect(changed.statusCode).toBe(422);
    expect(changed.json().type).toBe(PROBLEM + 'idempotency-key-reused');
    // Keys are per caller: another delegate may use the same key string.
    expect((await send({ to: 'FRA' }, tok.KEN, headers)).statusCode).toBe(201);
    // Transitions too; and a key used for one operation cannot be reused for another.
    const id = first.json().request.id;
    const ack1 = await act(id, 'acknowledgement', tok.KEN, undefined, { 'idempotency-key': 'ack-1' });
    const ack2 = await act(id, 'acknowledgement', tok.KEN, undefined, { 'idempotency-key': 'ack-1' });
    expect([ack1.statusCode, ack2.statusCode]).toEqual([200, 200]);
    expect(ack2.json()).toEqual(ack1.json());
    expect((await act(id, 'responses', tok.KEN, { decision: 'decline' }, { 'idempotency-key': 'ack-1' })).statusCode).toBe(422);
    const stored = JSON.stringify(await h.sql('select response from idempotency_keys'), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(stored).not.toContain('Ransomware');
  });
});

describe('the receipt after a failed integration', () => {
  it('a send whose integration failed is committed; the retry with the same key returns its receipt once integrated', async () => {
    await h.sql(`create function fail_integrate() returns trigger language plpgsql as $$ begin raise exception 'tree unavailable'; end $$`);
    await h.sql(`create trigger fail_integrate before insert on ledger_entries for each row execute function fail_integrate()`);
    const headers = { 'idempotency-key': 'send-integrate-1' };
    const size = async () => Number((await h.sql<{ size: string }>('select size from ledger_state'))[0]!.size);
    const sizeBefore = await size();
    try {
      const res = await send({}, tok.FRA, headers);
      expect(res.statusCode).toBe(500);
      expect(await h.sql('select id from ledger_queue')).toHaveLength(1);
      // The stored result names the queued entry, not an index it does not have.
      expect(await size()).toBe(sizeBefore);
    } finally {
      await h.sql(`drop trigger fail_integrate on ledger_entries`);
      await h.sql(`drop function fail_integrate()`);
    }
    const retry = await send({}, tok.FRA, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().receipt).toEqual({ index: sizeBefore, leafHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await size()).toBe(sizeBefore + 1);
    const entry = JSON.parse((await h.sql<{ canonical: string }>('select canonical from ledger_entries where seq = $1', [sizeBefore]))[0]!.canonical);
    expect(entry).toMatchObject({ index: sizeBefore, type: 'request.sent', subject: { request: retry.json().request.id } });
    const again = await send({}, tok.FRA, headers);
    expect(again.json()).toEqual(retry.json());
  });
});

describe('time: SLA, escalation and expiry (injected clock)', () => {
  it('an unacknowledged urgent request becomes overdue and escalates to the next point of contact, once per deadline while there is one', async () => {
    const id = (await send()).json().request.id;
    advance(119);
    expect((await get(id, tok.FRA)).json()).toMatchObject({ overdue: false, escalationLevel: 0 });
    advance(2);
    expect((await get(id, tok.FRA)).json()).toMatchObject({ overdue: true, escalationLevel: 1 });
    const listed = (await h.request({ method: 'GET', url: '/v1/requests?box=inbox&status=sent', token: tok.KEN })).json().items.find((r: { id: string }) => r.id === id);
    expect(listed.overdue).toBe(true);
    advance(240);
    expect((await get(id, tok.FRA)).json().escalationLevel).toBe(1); // KEN has two technical contacts: nobody further to escalate to
    const escalations = await h.sql<{ canonical: string }>(`select canonical from ledger_entries where type = 'request.escalated' and canonical like $1`, [`%${id}%`]);
    expect(escalations.map((e) => JSON.parse(e.canonical).facts)).toEqual([{ level: 1 }]);
    expect((await act(id, 'acknowledgement', tok.KEN)).json().request.overdue).toBe(false);
  });

  it('a request whose respondBy passes expires; it can then only be closed', async () => {
    const id = (await send({ respondBy: new Date(now + 60 * 60_000).toISOString(), urgency: 'routine' })).json().request.id;
    advance(61);
    expect((await get(id, tok.KEN)).json()).toMatchObject({ status: 'expired', expiredAt: expect.any(String) });
    expect((await act(id, 'responses', tok.KEN, { decision: 'decline' })).statusCode).toBe(409);
    expect((await act(id, 'close', tok.FRA)).json().request.status).toBe('closed');
  });
});

describe('templates', () => {
  it('serves field labels and values in the six UN languages', async () => {
    const labels = new Set<string>();
    for (const lang of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
      const res = await h.request({ method: 'GET', url: `/v1/templates/request?lang=${lang}` });
      expect(res.statusCode).toBe(200);
      const t = res.json();
      expect(t.lang).toBe(lang);
      expect(t.direction).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(t.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['type', 'urgency', 'subject', 'incidentSummary', 'ask', 'tlp', 'language', 'respondBy']));
      expect(t.values.type).toHaveLength(4);
      expect(t.values.tlp.map((v: { value: string }) => v.value)).toEqual(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']);
      labels.add(t.fields.find((f: { name: string }) => f.name === 'urgency').label);
    }
    expect(labels.size).toBe(6);
    expect((await h.request({ method: 'GET', url: '/v1/templates/request?lang=de' })).statusCode).toBe(400);
  });
});
