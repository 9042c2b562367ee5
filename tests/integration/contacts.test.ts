import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
let h: Harness;
let fra: string;
beforeAll(async () => {
  h = await startHarness();
  fra = h.token('delegate', 'FRA');
  for (const state of ['FRA', 'DEU']) {
    await h.request({ method: 'PUT', url: `/v1/states/${state}/participation`, token: h.token('delegate', state) });
  }
});
afterAll(() => h?.close());

/** Everything a refused request must leave untouched. */
async function snapshot() {
  const [contacts, ledger, states, keys] = await Promise.all([
    h.sql(`select id, version, encode(email, 'hex') as email from contacts order by id`),
    h.sql(`select seq, leaf_hash from ledger_entries order by seq`),
    h.sql(`select * from states order by code`),
    h.sql(`select id, status from state_keys order by id`),
  ]);
  return JSON.stringify({ contacts, ledger, states, keys });
}

const create = (token: string, state: string, body: Record<string, unknown>) =>
  h.request({ method: 'POST', url: `/v1/states/${state}/contacts`, token, payload: body });

describe('contacts: the owning state writes and reads', () => {
  it('creates a contact (201, Location, ETag, receipt) and reads it back', async () => {
    const input = sampleContact({ domains: ['technical', 'policy'], publicKey: 'ed25519:' + Buffer.alloc(32, 7).toString('base64') });
    const res = await create(fra, 'FRA', input);
    expect(res.statusCode).toBe(201);
    const { contact, receipt } = res.json();
    expect(res.headers.location).toBe(`/v1/contacts/${contact.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(receipt).toEqual({ index: expect.any(Number), leafHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(contact).toMatchObject({ ...input, state: 'FRA', version: 1 });

    const got = await h.request({ method: 'GET', url: `/v1/contacts/${contact.id}`, token: fra });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(contact);
  });

  it('lists with pagination, filters by domain, and looks up by exact email (blind index)', async () => {
    const token = h.token('delegate', 'DEU');
    const emails: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = sampleContact({ domains: i % 2 ? ['diplomatic'] : ['technical'] });
      emails.push(body.email);
      expect((await create(token, 'DEU', body)).statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/states/DEU/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.request({ method: 'GET', url, token })).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c: { email: string }) => c.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...emails].sort());

    const diplomatic = (await h.request({ method: 'GET', url: '/v1/states/DEU/contacts?domain=diplomatic', token })).json();
    expect(diplomatic.items).toHaveLength(2);

    const byEmail = await h.request({ method: 'GET', url: `/v1/states/DEU/contacts?email=${encodeURIComponent(emails[3]!.toUpperCase())}`, token });
    expect(byEmail.json().items.map((c: { email: string }) => c.email)).toEqual([emails[3]]);
    const none = await h.request({ method: 'GET', url: '/v1/states/DEU/contacts?email=nobody%40example.org', token });
    expect(none.json().items).toEqual([]);

    expect((await h.request({ method: 'GET', url: '/v1/states/DEU/contacts?limit=101', token })).statusCode).toBe(400);
    expect((await h.request({ method: 'GET', url: '/v1/states/DEU/contacts?cursor=bm9wZQ', token })).statusCode).toBe(400);
  });

  it('refuses a duplicate email in the same state with 409, changing nothing', async () => {
    const body = sampleContact();
    expect((await create(fra, 'FRA', body)).statusCode).toBe(201);
    const before = await snapshot();
    const dup = await create(fra, 'FRA', { ...sampleContact(), email: body.email.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().type).toBe(PROBLEM + 'conflict');
    expect(dup.body).not.toContain(body.email);
    expect(await snapshot()).toBe(before);
  });

  it('updates (version, ETag, re-encryption) and honours If-Match', async () => {
    const { contact } = (await create(fra, 'FRA', sampleContact())).json();
    const res = await h.request({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, token: fra, payload: { phone: '+33999999999', notes: null } });
    expect(res.statusCode).toBe(200);
    expect(res.json().contact).toMatchObject({ ...contact, phone: '+33999999999', notes: null, version: 2, updatedAt: expect.any(String), confirmedAt: expect.any(String) });
    expect(res.headers.etag).toBe('"2"');

    const before = await snapshot();
    const stale = await h.request({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, token: fra, headers: { 'if-match': '"1"' }, payload: { rank: 'minister' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().type).toBe(PROBLEM + 'precondition-failed');
    expect(await snapshot()).toBe(before);
    const fresh = await h.request({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, token: fra, headers: { 'if-match': '"2"' }, payload: { rank: 'minister' } });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().contact.rank).toBe('minister');
  });

  it('deletes a contact; it is gone afterwards', async () => {
    const { contact } = (await create(fra, 'FRA', sampleContact())).json();
    const res = await h.request({ method: 'DELETE', url: `/v1/contacts/${contact.id}`, token: fra });
    expect(res.statusCode).toBe(200);
    expect(res.json().receipt.index).toEqual(expect.any(Number));
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contact.id}`, token: fra })).statusCode).toBe(404);
    expect((await h.request({ method: 'DELETE', url: `/v1/contacts/${contact.id}`, token: fra })).statusCode).toBe(404);
  });
});

describe('contacts: object-level authorisation', () => {
  let id: string;
  beforeAll(async () => {
    id = (await create(fra, 'FRA', sampleContact())).json().contact.id;
  });

  it('the secretariat reads but cannot change', async () => {
    const sec = h.token('secretariat');
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: sec })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/states/FRA/contacts', token: sec })).json().items.length).toBeGreaterThan(0);
    const before = await snapshot();
    expect((await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: sec, payload: { rank: 'x' } })).statusCode).toBe(403);
    expect((await h.request({ method: 'DELETE', url: `/v1/contacts/${id}`, token: sec })).statusCode).toBe(403);
    expect((await create(sec, 'FRA', sampleContact())).statusCode).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['a delegate of another state', () => h.token('delegate', 'DEU')],
    ['an auditor', () => h.token('auditor')],
    ['an observer', () => h.token('observer')],
    ['a delegate of a non-participating state', () => h.token('delegate', 'USA')],
  ])('%s gets 404 for the contact (same as a missing one) and an empty list', async (_who, token) => {
    const t = token();
    const res = await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token: t });
    const missing = await h.request({ method: 'GET', url: '/v1/contacts/00000000-0000-4000-8000-000000000000', token: t });
    expect(res.statusCode).toBe(404);
    expect({ ...res.json(), requestId: '' }).toEqual({ ...missing.json(), requestId: '' });
    const before = await snapshot();
    expect((await h.request({ method: 'PATCH', url: `/v1/contacts/${id}`, token: t, payload: { rank: 'x' } })).statusCode).toBe(404);
    expect((await h.request({ method: 'DELETE', url: `/v1/contacts/${id}`, token: t })).statusCode).toBe(404);
    expect(await snapshot()).toBe(before);
    const list = (await h.request({ method: 'GET', url: '/v1/states/FRA/contacts', token: t })).json();
    expect(list).toEqual({ items: [], nextCursor: null });
  });

  it('a delegate cannot add contacts to another state', async () => {
    const before = await snapshot();
    expect((await create(h.token('delegate', 'DEU'), 'FRA', sampleContact())).statusCode).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it('anonymous callers get 401', async () => {
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${id}` })).statusCode).toBe(401);
  });
});

describe('contacts: bad input gets a clear error and loses nothing', () => {
  it.each([
    ['a missing field', { name: undefined }, 'body.name'],
    ['an unknown domain', { domains: ['military'] }, 'body.domains.0'],
    ['no domain', { domains: [] }, 'body.domains'],
    ['a bad email', { email: 'not-an-email' }, 'body.email'],
    ['a phone with letters', { phone: 'call the desk' }, 'body.phone'],
    ['a phone too short for France', { phone: '01 23 45' }, 'body.phone'],
    ['a non-ISO-639-1 language', { languages: ['french'] }, 'body.languages.0'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'body.timezone'],
    ['a malformed public key', { publicKey: 'ssh-rsa AAAA' }, 'body.publicKey'],
    ['an unknown field', { clearance: 'top' }, 'body'],
    ['an over-long name', { name: 'x'.repeat(201) }, 'body.name'],
  ])('refuses %s with 400 naming the field', async (_what, patch, path) => {
    const before = await snapshot();
    const res = await create(fra, 'FRA', { ...sampleContact(), ...patch });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ type: PROBLEM + 'validation-error', status: 400, title: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an empty PATCH, a non-UUID id, a non-JSON body and an oversized body', async () => {
    const { contact } = (await create(fra, 'FRA', sampleContact())).json();
    const before = await snapshot();
    expect((await h.request({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, token: fra, payload: {} })).statusCode).toBe(400);
    expect((await h.request({ method: 'GET', url: '/v1/contacts/42', token: fra })).statusCode).toBe(400);
    const text = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().type).toBe(PROBLEM + 'unsupported-media-type');
    const broken = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(broken.statusCode).toBe(400);
    const huge = await create(fra, 'FRA', { ...sampleContact(), notes: 'x'.repeat(70 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().type).toBe(PROBLEM + 'payload-too-large');
    expect(await snapshot()).toBe(before);
  });

  it('a failing ledger append fails the change: nothing is written', async () => {
    await h.sql(`create function fail_append() returns trigger language plpgsql as $$ begin raise exception 'ledger unavailable'; end $$`);
    await h.sql(`create trigger fail_append before insert on ledger_queue for each row execute function fail_append()`);
    try {
      const before = await snapshot();
      const res = await create(fra, 'FRA', sampleContact());
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ type: PROBLEM + 'internal', detail: expect.not.stringContaining('ledger unavailable') });
      expect(await snapshot()).toBe(before);
      expect(await h.sql('select id from ledger_queue')).toEqual([]);
    } finally {
      await h.sql(`drop trigger fail_append on ledger_queue`);
      await h.sql(`drop function fail_append()`);
    }
  });

  it('a failing integration answers an error but keeps the committed change and its queued entry, integrated once the fault is gone', async () => {
    await h.sql(`create function fail_integrate() returns trigger language plpgsql as $$ begin raise exception 'tree unavailable'; end $$`);
    await h.sql(`create trigger fail_integrate before insert on ledger_entries for each row execute function fail_integrate()`);
    const size = async () => Number((await h.sql<{ size: string }>('select size from ledger_state'))[0]!.size);
    const sizeBefore = await size();
    let contactId: string;
    try {
      const res = await create(fra, 'FRA', sampleContact());
      expect(res.statusCode).toBe(500);
      expect(res.json().detail).not.toContain('tree unavailable');
      // The change committed; its entry waits in the queue, without an index.
      const queued = await h.sql<{ body: string }>('select body from ledger_queue');
      expect(queued).toHaveLength(1);
      const body = JSON.parse(queued[0]!.body);
      expect(body).toMatchObject({ type: 'contact.created', parties: ['FRA'] });
      expect(body).not.toHaveProperty('index');
      contactId = body.subject.contact;
      expect((await h.request({ method: 'GET', url: `/v1/contacts/${contactId}`, token: fra })).statusCode).toBe(200);
      expect(await size()).toBe(sizeBefore);
    } finally {
      await h.sql(`drop trigger fail_integrate on ledger_entries`);
      await h.sql(`drop function fail_integrate()`);
    }
    // The background loop's pass integrates it.
    expect(await h.service.services.ledger.integrate(h.service.database.db)).toBe(1);
    expect(await size()).toBe(sizeBefore + 1);
    expect(await h.sql('select id from ledger_queue')).toEqual([]);
    const entry = await h.sql<{ canonical: string }>(`select canonical from ledger_entries where seq = ${sizeBefore}`);
    expect(JSON.parse(entry[0]!.canonical)).toMatchObject({ index: sizeBefore, type: 'contact.created', subject: { state: 'FRA', contact: contactId } });
  });

  it('refuses writes for a state that has not joined', async () => {
    const before = await snapshot();
    const res = await create(h.token('delegate', 'ITA'), 'ITA', sampleContact());
    expect(res.statusCode).toBe(409);
    expect(await snapshot()).toBe(before);
  });
});
