/**
 * Observers through HTTP, in registry mode: an accreditation adopted by the
 * members (governance flow, injected clock, the sweep) lets the secretariat
 * register users of the organisation; they read the public directory and the
 * aggregate report (real figures), never confidential contacts, request
 * content or the ledger; refusals for a missing, unknown or suspended
 * organisation; and an adopted suspension stops their tokens and API keys on
 * the very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';
import { startReceiver, type Receiver } from './notifications-support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let now = new Date('2030-03-10T09:00:00.000Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
let h: Harness;
let receiver: Receiver;
const tok = {} as Record<'FRA' | 'KEN' | 'JPN' | 'SEC' | 'AUD' | 'authorityFRA', string>;
const orgs = {} as Record<'A' | 'B', string>;
const contacts = {} as Record<'fraConfidential' | 'fraPublic' | 'kenConfidential', { id: string; email: string; name: string }>;
let requestId: string;

beforeAll(async () => {
  receiver = await startReceiver();
  h = await startHarness({
    clock: () => now,
    env: {
      AUTH_MODE: 'registry',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      NOTIFY_POLL_MS: '0',
      GOVERNANCE_RULES: '{"observer-accreditation":{"type":"silence"},"observer-suspension":{"type":"silence"}}',
    },
  });
  tok.SEC = h.token('secretariat');
  tok.AUD = h.token('auditor');
  tok.authorityFRA = h.token('authority', 'FRA');
  for (const s of ['FRA', 'KEN', 'JPN'] as const) tok[s] = h.token('delegate', s);
  for (const s of ['FRA', 'KEN'] as const) expect((await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] })).statusCode).toBe(201);

  const add = async (state: 'FRA' | 'KEN', extra: Record<string, unknown>) => {
    const body = sampleContact(extra);
    const res = await h.request({ method: 'POST', url: `/v1/states/${state}/contacts`, token: tok[state], payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().contact.id as string, email: body.email as string, name: body.name as string };
  };
  contacts.fraConfidential = await add('FRA', { domains: ['technical'], name: 'Confidential Officer of France' });
  contacts.fraPublic = await add('FRA', { domains: ['policy'], name: 'Public Desk of France', visibility: 'public' });
  contacts.kenConfidential = await add('KEN', { domains: ['technical', 'diplomatic'], name: 'Confidential Officer of Kenya' });

  // One request (FRA → KEN) in March 2030.
  const sent = await h.request({
    method: 'POST',
    url: '/v1/requests',
    token: tok.FRA,
    payload: {
      to: 'KEN',
      domain: 'technical',
      type: 'request-for-assistance',
      urgency: 'urgent',
      subject: 'Ransomware on port authority systems',
      incidentSummary: 'The port authority network is encrypted since 03:00 UTC.',
      ask: 'Please help take down the command-and-control servers.',
      tlp: 'AMBER',
      language: 'en',
    },
  });
  expect(sent.statusCode, sent.body).toBe(201);
  requestId = sent.json().request.id;

  // One reachability round over both states: FRA acknowledges (challenge from its webhook), KEN never.
  expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/webhook', token: tok.FRA, payload: { url: receiver.url } })).statusCode).toBeLessThan(300);
  const check = await h.request({ method: 'POST', url: '/v1/checks', token: tok.SEC, payload: { windowMinutes: 60, domains: ['technical'] } });
  expect(check.statusCode, check.body).toBe(201);
  const checkId = check.json().check.id as string;
  await h.service.services.notifications.deliverDue();
  const challenge = receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.type === 'check.started' && b.data.checkId === checkId)?.data.challenge as string;
  advance(10 * 60_000);
  expect((await h.request({ method: 'POST', url: `/v1/checks/${checkId}/acknowledgements`, token: tok.FRA, payload: { challenge } })).statusCode).toBe(201);
});
afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

const ledgerSize = async () => Number((await h.sql<{ n: string }>('select count(*)::text as n from ledger_entries'))[0]!.n);
const propose = (token: string, body: Record<string, unknown>) => h.request({ method: 'POST', url: '/v1/proposals', token, payload: body });
const register = (token: string, payload: Record<string, unknown>) => h.request({ method: 'POST', url: '/v1/users', token, payload });
const observerInput = (organizationId?: string) => ({
  subject: `observer-${Math.random().toString(36).slice(2)}@observers.example.org`,
  role: 'observer',
  ...(organizationId ? { organizationId } : {}),
  displayName: 'Leila Haddad',
});
/** The token of an already registered subject (registry mode: the claimed role is ignored). */
const tokenOf = (subject: string) => h.token('secretariat', undefined, { sub: subject });
const aggregate = (token?: string) => h.request({ method: 'GET', url: '/v1/reports/aggregate', ...(token ? { token } : {}) });

let observer: { id: string; subject: string; token: string };

describe('accreditation and registration', () => {
  it('an adopted accreditation creates the organisation; the secretariat registers its observer users', async () => {
    const deadline = new Date(now.getTime() + 7 * DAY).toISOString();
    for (const [name, key] of [['Cyber Peace Network', 'A'], ['Open Resilience Institute', 'B']] as const) {
      const res = await propose(tok.FRA, { kind: 'observer-accreditation', deadline, organization: { name, category: 'civil-society', contact: { name: 'Amal Haddad', email: 'amal@peace.example.org' } } });
      expect(res.statusCode, `${key}: ${res.body}`).toBe(201);
    }
    advance(7 * DAY + 1000);
    expect(await h.service.services.governance.sweep()).toBe(2);
    const listed = (await h.request({ method: 'GET', url: '/v1/observers', token: tok.SEC })).json().observers as { id: string; name: string; status: string }[];
    expect(listed.map((o) => [o.name, o.status])).toEqual([
      ['Cyber Peace Network', 'accredited'],
      ['Open Resilience Institute', 'accredited'],
    ]);
    orgs.A = listed[0]!.id;
    orgs.B = listed[1]!.id;

    const input = observerInput(orgs.A);
    const res = await register(tok.SEC, input);
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json().user;
    expect(user).toMatchObject({ role: 'observer', state: null, organizationId: orgs.A, status: 'active' });
    observer = { id: user.id, subject: input.subject, token: tokenOf(input.subject) };
    expect((await h.request({ method: 'GET', url: `/v1/users/${user.id}`, token: tok.SEC })).json().organizationId).toBe(orgs.A);
    expect((await h.request({ method: 'GET', url: `/v1/users/${user.id}`, token: observer.token })).json().organizationId).toBe(orgs.A);

    // The registration's ledger entry names the organisation by id, nothing personal.
    const [entry] = await h.sql<{ canonical: string }>(`select canonical from ledger_entries where canonical like '%"user.registered"%' and canonical like $1`, [`%${user.id}%`]);
    const parsed = JSON.parse(entry!.canonical);
    expect(parsed).toMatchObject({ type: 'user.registered', subject: { user: user.id }, facts: { role: 'observer', organization: orgs.A }, parties: [] });
    expect(entry!.canonical).not.toContain(input.subject);
    expect(entry!.canonical).not.toContain('Leila');
  });

  it.each([
    ['an observer without organizationId', () => observerInput(), 400, 'validation-error', 'body.organizationId'],
    ['an observer of an unknown organisation', () => observerInput('00000000-0000-4000-8000-000000000000'), 409, 'organization-not-accredited', null],
    ['an observer of an organisation that is not a uuid', () => ({ ...observerInput(), organizationId: 'Cyber Peace Network' }), 400, 'validation-error', 'body.organizationId'],
    ['a delegate with an organisation', () => ({ subject: 'd@example.org', role: 'delegate', state: 'FRA', organizationId: orgs.A, displayName: 'D' }), 400, 'validation-error', 'body.organizationId'],
    ['an auditor with an organisation', () => ({ subject: 'a@example.org', role: 'auditor', organizationId: orgs.A, displayName: 'A' }), 400, 'validation-error', 'body.organizationId'],
  ])('refuses %s, writing nothing', async (_name, input, status, type, field) => {
    const before = await ledgerSize();
    const users = (await h.sql('select id from users')).length;
    const res = await register(tok.SEC, input());
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().type).toBe(`/problems/${type}`);
    if (field) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await ledgerSize()).toBe(before);
    expect((await h.sql('select id from users')).length).toBe(users);
  });

  it('only the secretariat registers observers; an observer does not move itself to another organisation', async () => {
    expect((await register(tok.authorityFRA, observerInput(orgs.A))).statusCode).toBe(403);
    expect((await register(observer.token, observerInput(orgs.A))).statusCode).toBe(403);
    const self = await h.request({ method: 'PATCH', url: `/v1/users/${observer.id}`, token: observer.token, payload: { organizationId: orgs.B } });
    expect(self.statusCode).toBe(403);
    // Its own display name, yes.
    expect((await h.request({ method: 'PATCH', url: `/v1/users/${observer.id}`, token: observer.token, payload: { displayName: 'Leila H.' } })).statusCode).toBe(200);
  });

  it('a change of role to observer needs an accredited organisation; away from observer drops it', async () => {
    const subject = `d-${Math.random().toString(36).slice(2)}@example.org`;
    const id = (await register(tok.SEC, { subject, role: 'delegate', state: 'FRA', displayName: 'D' })).json().user.id as string;
    const patch = (payload: Record<string, unknown>) => h.request({ method: 'PATCH', url: `/v1/users/${id}`, token: tok.SEC, payload });
    const missing = await patch({ role: 'observer' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toContain('body.organizationId');
    expect((await patch({ role: 'observer', organizationId: '00000000-0000-4000-8000-000000000000' })).json().type).toBe('/problems/organization-not-accredited');
    const moved = await patch({ role: 'observer', organizationId: orgs.B });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().user).toMatchObject({ role: 'observer', state: null, organizationId: orgs.B });
    const [entry] = await h.sql<{ canonical: string }>(`select canonical from ledger_entries where canonical like '%"user.role-changed"%' and canonical like $1`, [`%${id}%`]);
    expect(JSON.parse(entry!.canonical).facts).toMatchObject({ role: 'observer', organization: orgs.B, previousRole: 'delegate', previousState: 'FRA' });
    expect((await patch({ role: 'auditor' })).json().user).toMatchObject({ role: 'auditor', organizationId: null });
    expect((await patch({ role: 'observer', organizationId: orgs.B })).statusCode).toBe(200);
    expect((await patch({ role: 'auditor', organizationId: orgs.B })).statusCode).toBe(400);
  });
});

describe("what an observer sees", () => {
  it('the public directory, and no confidential contact anywhere', async () => {
    for (const url of ['/v1/public/directory', '/v1/directory']) {
      const res = await h.request({ method: 'GET', url, token: observer.token });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain(contacts.fraPublic.email);
      for (const c of [contacts.fraConfidential, contacts.kenConfidential]) {
        expect(res.body).not.toContain(c.email);
        expect(res.body).not.toContain(c.name);
      }
    }
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contacts.fraPublic.id}`, token: observer.token })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contacts.fraConfidential.id}`, token: observer.token })).statusCode).toBe(404);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contacts.kenConfidential.id}`, token: observer.token })).statusCode).toBe(404);
    const listed = await h.request({ method: 'GET', url: '/v1/states/KEN/contacts', token: observer.token });
    expect(listed.body).not.toContain(contacts.kenConfidential.email);
  });

  it('no request content, no request list, no ledger entries, no staff reports', async () => {
    expect((await h.request({ method: 'GET', url: `/v1/requests/${requestId}`, token: observer.token })).statusCode).toBe(404);
    for (const url of ['/v1/requests', '/v1/ledger/entries', '/v1/reports/requests', '/v1/reports/reachability', '/v1/reports/freshness', '/v1/checks']) {
      const res = await h.request({ method: 'GET', url, token: observer.token });
      expect(res.statusCode, url).toBe(403);
      expect(res.body).not.toContain('Ransomware');
    }
  });

  it('the aggregate report: participation, reachability rates, request volumes by month', async () => {
    const res = await aggregate(observer.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      exercise: false,
      participation: { participatingStates: 2, statesWithContactsByDomain: { diplomatic: 1, policy: 1, technical: 2 } },
      reachability: { exercise: false, rounds: 1, stateRounds: 2, reached: 1, reachRate: 0.5, reachedInTimeRate: 0.5, medianSeconds: 600, p90Seconds: 600 },
      requests: { total: 1, byMonth: [{ month: '2030-03', requests: 1 }] },
    });
    // Nothing that names a state, a contact or a request.
    for (const secret of ['FRA', 'KEN', contacts.fraConfidential.email, contacts.kenConfidential.name, 'Ransomware', requestId]) expect(res.body).not.toContain(secret);
    const exercises = (await h.request({ method: 'GET', url: '/v1/reports/aggregate?exercise=true', token: observer.token })).json();
    expect(exercises).toMatchObject({ exercise: true, reachability: { rounds: 0, reachRate: 0 }, requests: { total: 0, byMonth: [] } });
  });

  it('the same report through the observer’s API key; and for staff and participating states, not for others', async () => {
    const key = await h.request({ method: 'POST', url: '/v1/api-keys', token: observer.token, payload: { name: 'dashboard', scopes: ['read'], expiresAt: new Date(now.getTime() + 30 * DAY).toISOString() } });
    expect(key.statusCode, key.body).toBe(201);
    const secret = key.json().secret as string;
    expect((await aggregate(secret)).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries', token: secret })).statusCode).toBe(403);
    for (const t of [tok.SEC, tok.AUD, tok.FRA, tok.KEN, tok.authorityFRA]) expect((await aggregate(t)).statusCode).toBe(200);
    expect((await aggregate(tok.JPN)).statusCode).toBe(403); // not participating
    expect((await aggregate()).statusCode).toBe(401);
    (observer as { key?: string }).key = secret;
  });
});

describe('suspension', () => {
  it("an adopted suspension stops the organisation's tokens and API keys on the next request; other organisations keep theirs", async () => {
    const key = (observer as { key?: string }).key!;
    const other = observerInput(orgs.B);
    const otherUser = await register(tok.SEC, other);
    expect(otherUser.statusCode).toBe(201);
    const otherToken = tokenOf(other.subject);

    const res = await propose(tok.SEC, { kind: 'observer-suspension', deadline: new Date(now.getTime() + DAY).toISOString(), organizationId: orgs.A });
    expect(res.statusCode, res.body).toBe(201);
    expect((await aggregate(observer.token)).statusCode).toBe(200); // still accredited until the decision
    advance(DAY + 1000);
    expect(await h.service.services.governance.sweep()).toBe(1);

    for (const credential of [observer.token, key]) {
      const refused = await aggregate(credential);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().type).toBe('/problems/unauthenticated');
    }
    expect((await aggregate(otherToken)).statusCode).toBe(200);

    // The user is still in the registry (the secretariat sees it, with its organisation); no new users for the organisation.
    expect((await h.request({ method: 'GET', url: `/v1/users/${observer.id}`, token: tok.SEC })).json()).toMatchObject({ status: 'active', organizationId: orgs.A });
    const refused = await register(tok.SEC, observerInput(orgs.A));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().type).toBe('/problems/organization-not-accredited');
    // A user of B cannot be moved to the suspended organisation either; the suspended organisation's user can be moved to B.
    const toA = await h.request({ method: 'PATCH', url: `/v1/users/${otherUser.json().user.id}`, token: tok.SEC, payload: { organizationId: orgs.A } });
    expect(toA.json().type).toBe('/problems/organization-not-accredited');
    expect((await aggregate(otherToken)).statusCode).toBe(200);
    expect((await h.request({ method: 'PATCH', url: `/v1/users/${observer.id}`, token: tok.SEC, payload: { organizationId: orgs.B } })).statusCode).toBe(200);
    expect((await aggregate(observer.token)).statusCode).toBe(200);
  });
});
