/**
 * Users, API keys and dual control through HTTP, in registry mode (the
 * registry decides role and state): the matrix of every role × every route
 * × own/foreign state, then the behaviours (revocation, deactivation, scopes,
 * sealing, ledger entries, two-person rule, expiry).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCLOSURE_EVENTS } from '../../src/disclosure/events.ts';
import { WEBHOOK_EVENTS } from '../../src/notifications/events.ts';
import { PENDING_EVENTS } from '../../src/pending/events.ts';
import { STATE_EVENTS } from '../../src/states/events.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const OWN = 'FRA';
const FOREIGN = 'KEN';
let now = Date.parse('2026-12-04T10:00:00Z');
let h: Harness;
let sec: string;
let fraDelegate: string;
let fraDelegate2: string;
let kenDelegate: string;

const inAYear = () => new Date(now + 300 * 86_400_000).toISOString();

beforeAll(async () => {
  // Webhook URLs on 127.0.0.1 are accepted (nothing is delivered: NOTIFY_POLL_MS=0).
  h = await startHarness({ env: { AUTH_MODE: 'registry', WEBHOOKS_ALLOW_PRIVATE: 'true', NOTIFY_POLL_MS: '0' }, clock: () => new Date(now) });
  sec = h.token('secretariat');
  fraDelegate = h.token('delegate', OWN);
  fraDelegate2 = h.token('delegate', OWN);
  kenDelegate = h.token('delegate', FOREIGN);
  expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/participation`, token: fraDelegate })).statusCode).toBe(201);
  expect((await h.request({ method: 'PUT', url: `/v1/states/${FOREIGN}/participation`, token: kenDelegate })).statusCode).toBe(201);
}, 120_000);
afterAll(() => h?.close());

/** A user registered by the secretariat, with its id (an observer: of the harness's accredited organisation). */
async function registered(role: 'delegate' | 'authority' | 'observer', state?: string) {
  const subject = `${role}-${Math.random().toString(36).slice(2)}@example.org`;
  const organization = role === 'observer' ? { organizationId: await h.observerOrganization() } : {};
  const res = await h.request({ method: 'POST', url: '/v1/users', token: sec, payload: { subject, role, ...(state ? { state } : {}), ...organization, displayName: 'Ana Pérez', nominationRef: 'NV-2026-117' } });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().user.id as string, subject };
}

async function apiKey(token: string, scopes: ('read' | 'write')[] = ['read', 'write']) {
  const res = await h.request({ method: 'POST', url: '/v1/api-keys', token, payload: { name: 'cert-sync', scopes, expiresAt: inAYear() } });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().apiKey.id as string, secret: res.json().secret as string };
}

async function proposal() {
  const res = await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token: fraDelegate2, payload: sampleContact() });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().pendingChange.id as string;
}

/**
 * The changes other than contacts that dual control covers, each as FRA's
 * request, what must exist before it, and how to tell it was applied.
 */
interface DualChange {
  name: string;
  action: string;
  /** The ledger entry of the change itself. */
  event: string;
  prepare: () => Promise<void>;
  request: (token: string | undefined) => Promise<LightMyRequestResponse>;
  applied: () => Promise<boolean>;
}
const HOOK_URL = 'http://127.0.0.1:9/fra-hook';
const grantRows = () => h.sql<{ domains: string[] }>(`select domains from disclosure_grants where owner_state = $1 and counterpart = $2`, [OWN, FOREIGN]);
const webhookCount = async () => Number((await h.sql<{ n: number }>(`select count(*)::int as n from webhooks where state_code = $1`, [OWN]))[0]!.n);
const participating = async () => (await h.sql<{ status: string }>(`select status from states where code = $1`, [OWN]))[0]?.status === 'participating';

/** Applies a change under dual control: proposed by one FRA delegate, approved by another. */
async function viaTwoDelegates(req: (token: string) => Promise<LightMyRequestResponse>) {
  const proposed = await req(fraDelegate2);
  expect(proposed.statusCode, proposed.body).toBe(202);
  const approved = await h.request({ method: 'POST', url: `/v1/pending-changes/${proposed.json().pendingChange.id}/approval`, token: fraDelegate });
  expect(approved.statusCode, approved.body).toBe(200);
}
const putGrant = (token: string | undefined, domains = ['technical']) =>
  h.request({ method: 'PUT', url: `/v1/states/${OWN}/disclosures/${FOREIGN}`, token, payload: { mode: 'unilateral', domains } });
const deleteGrant = (token: string | undefined) => h.request({ method: 'DELETE', url: `/v1/states/${OWN}/disclosures/${FOREIGN}`, token });
const putHook = (token: string | undefined) => h.request({ method: 'PUT', url: `/v1/states/${OWN}/webhook`, token, payload: { url: HOOK_URL } });
const deleteHook = (token: string | undefined) => h.request({ method: 'DELETE', url: `/v1/states/${OWN}/webhook`, token });
const withdraw = (token: string | undefined) => h.request({ method: 'DELETE', url: `/v1/states/${OWN}/participation`, token });

async function ensureGrant() {
  if ((await grantRows()).length === 0) await viaTwoDelegates((t) => putGrant(t));
}
async function ensureNoGrant() {
  if ((await grantRows()).length > 0) await viaTwoDelegates(deleteGrant);
}
async function ensureWebhook() {
  if ((await webhookCount()) === 0) await viaTwoDelegates(putHook);
}
async function ensureNoWebhook() {
  if ((await webhookCount()) > 0) await viaTwoDelegates(deleteHook);
}
/** FRA participates again after an approved withdrawal (joining is not under dual control). */
async function ensureParticipating() {
  if (!(await participating())) expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/participation`, token: fraDelegate })).statusCode).toBe(201);
}

const DUAL_CHANGES: DualChange[] = [
  {
    name: 'PUT /v1/states/FRA/disclosures/KEN',
    action: 'disclosure.grant',
    event: DISCLOSURE_EVENTS.granted,
    prepare: ensureNoGrant,
    request: (t) => putGrant(t, ['technical', 'policy']),
    applied: async () => (await grantRows()).length === 1,
  },
  {
    name: 'DELETE /v1/states/FRA/disclosures/KEN',
    action: 'disclosure.revoke',
    event: DISCLOSURE_EVENTS.revoked,
    prepare: ensureGrant,
    request: deleteGrant,
    applied: async () => (await grantRows()).length === 0,
  },
  { name: 'PUT /v1/states/FRA/webhook', action: 'webhook.set', event: WEBHOOK_EVENTS.set, prepare: ensureNoWebhook, request: putHook, applied: async () => (await webhookCount()) === 1 },
  { name: 'DELETE /v1/states/FRA/webhook', action: 'webhook.remove', event: WEBHOOK_EVENTS.removed, prepare: ensureWebhook, request: deleteHook, applied: async () => (await webhookCount()) === 0 },
  {
    name: 'DELETE /v1/states/FRA/participation',
    action: 'participation.withdraw',
    event: STATE_EVENTS.withdrawn,
    prepare: ensureParticipating,
    request: withdraw,
    applied: async () => !(await participating()),
  },
];

/** A pending change of `change`, proposed by the second FRA delegate. */
async function proposalOf(change: DualChange) {
  await change.prepare();
  const res = await change.request(fraDelegate2);
  expect(res.statusCode, res.body).toBe(202);
  return res.json().pendingChange.id as string;
}

describe('users × keys × dual control matrix (registry mode)', () => {
  type Caller = 'delegate' | 'authority' | 'secretariat' | 'auditor' | 'observer' | 'anonymous';
  const CALLERS: Caller[] = ['delegate', 'authority', 'secretariat', 'auditor', 'observer', 'anonymous'];
  type Side = 'own' | 'foreign';
  interface RouteCase {
    name: string;
    /** Makes the request as `token` against a fresh target of state FRA. */
    run: (token: string | undefined) => Promise<{ statusCode: number; body: string }>;
    expect: (caller: Caller, side: Side) => number;
  }
  const stateUser = (c: Caller, s: Side, ok: Caller[]) => (c === 'delegate' || c === 'authority' ? (s === 'own' && ok.includes(c) ? 'yes' : 'no') : ok.includes(c) ? 'yes' : 'no');
  const status = (yes: number, no: number) => (c: Caller, s: Side, ok: Caller[]) => (c === 'anonymous' ? 401 : stateUser(c, s, ok) === 'yes' ? yes : no);

  const routes: RouteCase[] = [
    {
      name: 'POST /v1/users (a FRA delegate)',
      run: (t) => h.request({ method: 'POST', url: '/v1/users', token: t, payload: { subject: `s-${Math.random()}`, role: 'delegate', state: OWN, displayName: 'X' } }),
      expect: (c, s) => status(201, 403)(c, s, ['authority', 'secretariat']),
    },
    {
      name: 'GET /v1/users?state=FRA',
      run: (t) => h.request({ method: 'GET', url: `/v1/users?state=${OWN}`, token: t }),
      expect: (c, s) => status(200, 403)(c, s, ['authority', 'secretariat', 'auditor']),
    },
    {
      name: 'GET /v1/users/{id} (a FRA delegate)',
      run: async (t) => h.request({ method: 'GET', url: `/v1/users/${(await registered('delegate', OWN)).id}`, token: t }),
      expect: (c, s) => status(200, 404)(c, s, ['authority', 'secretariat', 'auditor']),
    },
    {
      name: 'PATCH /v1/users/{id} (a FRA delegate)',
      run: async (t) => h.request({ method: 'PATCH', url: `/v1/users/${(await registered('delegate', OWN)).id}`, token: t, payload: { displayName: 'New name' } }),
      expect: (c, s) => (c === 'auditor' ? 403 : status(200, 404)(c, s, ['authority', 'secretariat'])),
    },
    {
      name: 'DELETE /v1/users/{id} (a FRA delegate)',
      run: async (t) => h.request({ method: 'DELETE', url: `/v1/users/${(await registered('delegate', OWN)).id}`, token: t }),
      expect: (c, s) => (c === 'auditor' ? 403 : status(200, 404)(c, s, ['authority', 'secretariat'])),
    },
    {
      name: 'POST /v1/api-keys',
      run: (t) => h.request({ method: 'POST', url: '/v1/api-keys', token: t, payload: { name: 'k', scopes: ['read'], expiresAt: inAYear() } }),
      expect: (c) => (c === 'anonymous' ? 401 : 201),
    },
    {
      name: 'GET /v1/api-keys (sees a FRA delegate key?)',
      run: async (t) => {
        const { id } = await apiKey(fraDelegate);
        const res = await h.request({ method: 'GET', url: '/v1/api-keys', token: t });
        // 200 with the key → 200; 200 without it → 204 (a marker for "not listed").
        if (res.statusCode !== 200) return res;
        return { statusCode: (res.json().items as { id: string }[]).some((k) => k.id === id) ? 200 : 204, body: res.body };
      },
      expect: (c, s) => status(200, 204)(c, s, ['authority', 'secretariat']),
    },
    {
      name: 'DELETE /v1/api-keys/{id} (a FRA delegate key)',
      run: async (t) => h.request({ method: 'DELETE', url: `/v1/api-keys/${(await apiKey(fraDelegate)).id}`, token: t }),
      expect: (c, s) => status(200, 404)(c, s, ['authority', 'secretariat']),
    },
    {
      name: 'PUT /v1/states/FRA/policy',
      run: (t) => h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: t, payload: { dualControl: true } }),
      expect: (c, s) => status(200, 403)(c, s, ['authority', 'secretariat']),
    },
    {
      name: 'GET /v1/states/FRA/policy',
      run: (t) => h.request({ method: 'GET', url: `/v1/states/${OWN}/policy`, token: t }),
      expect: (c, s) => status(200, 403)(c, s, ['delegate', 'authority', 'secretariat', 'auditor']),
    },
    {
      name: 'GET /v1/states/FRA/pending-changes',
      run: (t) => h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: t }),
      expect: (c, s) => status(200, 403)(c, s, ['delegate', 'authority', 'secretariat', 'auditor']),
    },
    {
      name: 'POST /v1/pending-changes/{id}/approval',
      run: async (t) => h.request({ method: 'POST', url: `/v1/pending-changes/${await proposal()}/approval`, token: t }),
      expect: (c, s) => (c === 'secretariat' || c === 'auditor' ? 403 : status(200, 404)(c, s, ['delegate', 'authority'])),
    },
    {
      name: 'POST /v1/pending-changes/{id}/rejection',
      run: async (t) => h.request({ method: 'POST', url: `/v1/pending-changes/${await proposal()}/rejection`, token: t }),
      expect: (c, s) => (c === 'secretariat' || c === 'auditor' ? 403 : status(200, 404)(c, s, ['delegate', 'authority'])),
    },
    // Dual control beyond contacts: each change answers 202 to the state's users, and its approval or rejection
    // (by a user other than the proposer) is open to the state's users only.
    ...DUAL_CHANGES.flatMap((change): RouteCase[] => [
      {
        name: `${change.name} (dual control: proposed)`,
        run: async (t) => {
          await change.prepare();
          return change.request(t);
        },
        expect: (c, s) => status(202, 403)(c, s, ['delegate', 'authority']),
      },
      {
        name: `POST /v1/pending-changes/{id}/approval (${change.action})`,
        run: async (t) => {
          const res = await h.request({ method: 'POST', url: `/v1/pending-changes/${await proposalOf(change)}/approval`, token: t });
          await ensureParticipating();
          return res;
        },
        expect: (c, s) => (c === 'secretariat' || c === 'auditor' ? 403 : status(200, 404)(c, s, ['delegate', 'authority'])),
      },
      {
        name: `POST /v1/pending-changes/{id}/rejection (${change.action})`,
        run: async (t) => h.request({ method: 'POST', url: `/v1/pending-changes/${await proposalOf(change)}/rejection`, token: t }),
        expect: (c, s) => (c === 'secretariat' || c === 'auditor' ? 403 : status(200, 404)(c, s, ['delegate', 'authority'])),
      },
    ]),
  ];

  it(`${CALLERS.length} callers × ${routes.length} routes × own/foreign state`, async () => {
    // Dual control on for FRA so proposals exist to approve and reject.
    const authority = h.token('authority', OWN);
    expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: authority, payload: { dualControl: true } })).statusCode).toBe(200);
    const mismatches: string[] = [];
    let cases = 0;
    for (const route of routes) {
      for (const caller of CALLERS) {
        for (const side of ['own', 'foreign'] as const) {
          cases++;
          const state = side === 'own' ? OWN : FOREIGN;
          const token = caller === 'anonymous' ? undefined : caller === 'delegate' || caller === 'authority' ? h.token(caller, state) : h.token(caller);
          const res = await route.run(token);
          const want = route.expect(caller, side);
          if (res.statusCode !== want) mismatches.push(`${route.name} as ${caller} (${side}): ${res.statusCode}, want ${want}: ${res.body.slice(0, 200)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cases).toBe(CALLERS.length * routes.length * 2); // 6 × 28 × 2 = 336 cases
    expect(cases).toBe(336);
    expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: authority, payload: { dualControl: false } })).statusCode).toBe(200);
  }, 300_000);
});

describe('registry mode', () => {
  it('a token proves only who the caller is: role and state come from the registry', async () => {
    const { subject } = await registered('observer');
    // The token claims secretariat; the registry says observer.
    const token = h.token('secretariat', undefined, { sub: subject });
    expect((await h.request({ method: 'GET', url: '/v1/states', token })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/reports/freshness', token })).statusCode).toBe(403);
    // An unknown subject is refused.
    const stranger = h.token('secretariat', undefined, { sub: 'nobody@example.org' });
    const res = await h.request({ method: 'GET', url: '/v1/states', token: stranger });
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toMatch(/unauthenticated$/);
  });

  it('a deactivated user is refused on its very next request; a role change applies on the next request', async () => {
    const { id, subject } = await registered('delegate', OWN);
    const token = h.token('delegate', OWN, { sub: subject });
    expect((await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token, payload: sampleContact() })).statusCode).toBe(201);
    expect((await h.request({ method: 'PATCH', url: `/v1/users/${id}`, token: sec, payload: { role: 'observer' } })).statusCode).toBe(400); // an observer needs its organisation
    expect((await h.request({ method: 'PATCH', url: `/v1/users/${id}`, token: sec, payload: { role: 'observer', organizationId: await h.observerOrganization() } })).statusCode).toBe(200);
    expect((await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token, payload: sampleContact() })).statusCode).toBe(403);
    expect((await h.request({ method: 'DELETE', url: `/v1/users/${id}`, token: sec })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/states', token })).statusCode).toBe(401);
  });

  it('nobody raises their own role; an authority cannot register outside its state or staff roles', async () => {
    const { id, subject } = await registered('authority', OWN);
    const me = h.token('authority', OWN, { sub: subject });
    expect((await h.request({ method: 'PATCH', url: `/v1/users/${id}`, token: me, payload: { role: 'secretariat', state: null } })).statusCode).toBe(403);
    expect((await h.request({ method: 'POST', url: '/v1/users', token: me, payload: { subject: 'x1', role: 'secretariat', displayName: 'X' } })).statusCode).toBe(403);
    expect((await h.request({ method: 'POST', url: '/v1/users', token: me, payload: { subject: 'x2', role: 'delegate', state: FOREIGN, displayName: 'X' } })).statusCode).toBe(403);
    expect((await h.request({ method: 'POST', url: '/v1/users', token: me, payload: { subject: 'x3', role: 'delegate', displayName: 'X' } })).statusCode).toBe(400);
    const dup = await h.request({ method: 'POST', url: '/v1/users', token: sec, payload: { subject, role: 'observer', organizationId: await h.observerOrganization(), displayName: 'X' } });
    expect(dup.statusCode).toBe(409);
  });

  it('personal fields are sealed at rest; the ledger holds ids, roles and a commitment only', async () => {
    const { id, subject } = await registered('delegate', OWN);
    const [row] = await h.sql<{ subject: Uint8Array; display_name: Uint8Array; nomination_ref: Uint8Array }>('select subject, display_name, nomination_ref from users where id = $1', [id]);
    for (const v of Object.values(row!)) {
      const text = Buffer.from(v).toString('latin1');
      for (const secret of [subject, 'Ana Pérez', 'NV-2026-117']) expect(text).not.toContain(secret);
    }
    const entries = await h.sql<{ canonical: string }>(`select canonical from ledger_entries where canonical like '%"user.registered"%' and canonical like $1`, [`%${id}%`]);
    expect(entries).toHaveLength(1);
    const entry = JSON.parse(entries[0]!.canonical);
    expect(entry).toMatchObject({ type: 'user.registered', subject: { user: id }, facts: { role: 'delegate', state: OWN }, parties: [OWN] });
    expect(entry.commitment).toEqual(expect.any(String));
    expect(entries[0]!.canonical).not.toContain(subject);
    expect(entries[0]!.canonical).not.toContain('Ana P');
  });
});

describe('API keys', () => {
  it('returns the secret once, stores only its hash, acts within its scopes, records the last use', async () => {
    const { id, secret } = await apiKey(fraDelegate, ['read']);
    expect(secret).toMatch(/^pocdir_[A-Za-z0-9_-]{43}$/);
    const stored = await h.sql<{ secret_hash: Uint8Array }>('select secret_hash from api_keys where id = $1', [id]);
    expect(Buffer.from(stored[0]!.secret_hash).toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
    const dump = JSON.stringify(await h.sql('select * from api_keys'));
    expect(dump).not.toContain(secret.slice(7));

    expect((await h.request({ method: 'GET', url: `/v1/states/${OWN}/contacts`, token: secret })).statusCode).toBe(200);
    const write = await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token: secret, payload: sampleContact() });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toMatch(/read scope/);
    expect((await h.request({ method: 'POST', url: '/v1/api-keys', token: secret, payload: { name: 'k', scopes: ['read'], expiresAt: inAYear() } })).statusCode).toBe(403);
    const listed = (await h.request({ method: 'GET', url: '/v1/api-keys', token: fraDelegate })).json().items.find((k: { id: string }) => k.id === id);
    expect(listed.lastUsedAt).toBe(new Date(now).toISOString());

    const rw = await apiKey(fraDelegate);
    expect((await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token: rw.secret, payload: sampleContact() })).statusCode).toBe(201);
  });

  it('a revoked key is refused on the very next request; an expired one too; a year is the limit', async () => {
    const { id, secret } = await apiKey(fraDelegate);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: secret })).statusCode).toBe(200);
    expect((await h.request({ method: 'DELETE', url: `/v1/api-keys/${id}`, token: fraDelegate })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: secret })).statusCode).toBe(401);
    expect((await h.request({ method: 'DELETE', url: `/v1/api-keys/${id}`, token: fraDelegate })).statusCode).toBe(409);

    const short = await h.request({ method: 'POST', url: '/v1/api-keys', token: fraDelegate, payload: { name: 'k', scopes: ['read'], expiresAt: new Date(now + 60_000).toISOString() } });
    const shortSecret = short.json().secret as string;
    expect((await h.request({ method: 'GET', url: '/v1/states', token: shortSecret })).statusCode).toBe(200);
    now += 120_000;
    expect((await h.request({ method: 'GET', url: '/v1/states', token: shortSecret })).statusCode).toBe(401);

    const tooLong = await h.request({ method: 'POST', url: '/v1/api-keys', token: fraDelegate, payload: { name: 'k', scopes: ['read'], expiresAt: new Date(now + 400 * 86_400_000).toISOString() } });
    expect(tooLong.statusCode).toBe(400);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: 'pocdir_' + 'A'.repeat(43) })).statusCode).toBe(401);
  });

  it("deactivating the key's user stops the key", async () => {
    const { id, subject } = await registered('delegate', OWN);
    const { secret } = await apiKey(h.token('delegate', OWN, { sub: subject }));
    expect((await h.request({ method: 'GET', url: '/v1/states', token: secret })).statusCode).toBe(200);
    expect((await h.request({ method: 'DELETE', url: `/v1/users/${id}`, token: h.token('authority', OWN) })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/states', token: secret })).statusCode).toBe(401);
  });
});

describe('dual control', () => {
  it('a change by one user waits for another user of the same state, then applies with its ledger entries', async () => {
    const authority = h.token('authority', OWN);
    expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: fraDelegate, payload: { dualControl: true } })).statusCode).toBe(403);
    expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: authority, payload: { dualControl: true } })).json().policy.dualControl).toBe(true);

    const input = sampleContact({ name: 'Zofia Nowak-Kowalska' });
    const proposed = await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token: fraDelegate, payload: input });
    expect(proposed.statusCode).toBe(202);
    const change = proposed.json().pendingChange;
    expect(change).toMatchObject({ state: OWN, action: 'contacts.create', status: 'pending' });
    // Not applied yet; its content is sealed at rest.
    const emails = async () => (await h.request({ method: 'GET', url: `/v1/states/${OWN}/contacts?email=${encodeURIComponent(input.email as string)}`, token: fraDelegate })).json().items;
    expect(await emails()).toHaveLength(0);
    const [stored] = await h.sql<{ content: Uint8Array }>('select content from pending_changes where id = $1', [change.id]);
    expect(Buffer.from(stored!.content).toString('latin1')).not.toContain('Zofia');
    // The list shows it, with content to the state's users, without to auditors.
    const mine = (await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: fraDelegate2 })).json().items.find((c: { id: string }) => c.id === change.id);
    expect(mine.content.input.name).toBe('Zofia Nowak-Kowalska');
    const audited = (await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: h.token('auditor') })).json().items.find((c: { id: string }) => c.id === change.id);
    expect(audited.content).toBeUndefined();

    // The proposer cannot approve; a delegate of another state cannot see it.
    expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${change.id}/approval`, token: fraDelegate })).statusCode).toBe(403);
    expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${change.id}/approval`, token: kenDelegate })).statusCode).toBe(404);
    const approved = await h.request({ method: 'POST', url: `/v1/pending-changes/${change.id}/approval`, token: fraDelegate2 });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().pendingChange.status).toBe('approved');
    expect(await emails()).toHaveLength(1);
    // Applied once: a second approval is refused.
    expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${change.id}/approval`, token: authority })).statusCode).toBe(409);

    // Update and delete go the same way.
    const contactId = approved.json().result.contact.id as string;
    const upd = await h.request({ method: 'PATCH', url: `/v1/contacts/${contactId}`, token: fraDelegate2, payload: { title: 'Deputy Head' } });
    expect(upd.statusCode).toBe(202);
    expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${upd.json().pendingChange.id}/approval`, token: fraDelegate })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contactId}`, token: fraDelegate })).json().title).toBe('Deputy Head');
    const del = await h.request({ method: 'DELETE', url: `/v1/contacts/${contactId}`, token: fraDelegate });
    expect(del.statusCode).toBe(202);
    const rejected = await h.request({ method: 'POST', url: `/v1/pending-changes/${del.json().pendingChange.id}/rejection`, token: authority });
    expect(rejected.json().pendingChange.status).toBe('rejected');
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contactId}`, token: fraDelegate })).statusCode).toBe(200);

    const types = (await h.sql<{ canonical: string }>(`select canonical from ledger_entries where canonical like $1 order by seq`, [`%${change.id}%`])).map((r) => JSON.parse(r.canonical).type);
    expect(types).toEqual(['change.proposed', 'change.approved']);
    const [created] = await h.sql<{ seq: number }>(`select seq from ledger_entries where canonical like '%"contact.created"%' and canonical like $1`, [`%${contactId}%`]);
    const [approval] = await h.sql<{ seq: number }>(`select seq from ledger_entries where canonical like '%"change.approved"%' and canonical like $1`, [`%${change.id}%`]);
    expect(Number(approval!.seq)).toBe(Number(created!.seq) + 1);
  });

  it('pending changes expire (72 h by default)', async () => {
    const authority = h.token('authority', OWN);
    await h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: authority, payload: { dualControl: true } });
    const id = (await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token: fraDelegate, payload: sampleContact() })).json().pendingChange.id;
    now += 73 * 3_600_000;
    const res = await h.request({ method: 'POST', url: `/v1/pending-changes/${id}/approval`, token: fraDelegate2 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ currentStatus: 'expired' });
    const types = (await h.sql<{ canonical: string }>(`select canonical from ledger_entries where canonical like $1 order by seq`, [`%${id}%`])).map((r) => JSON.parse(r.canonical).type);
    expect(types).toEqual(['change.proposed', 'change.expired']);
  });
});

describe('dual control beyond contacts: disclosure grants, webhook, withdrawal', () => {
  const authority = () => h.token('authority', OWN);
  const ledgerTypes = async (id: string) => (await h.sql<{ canonical: string }>(`select canonical from ledger_entries where canonical like $1 order by seq`, [`%${id}%`])).map((r) => JSON.parse(r.canonical).type as string);
  const countOf = async (type: string) => Number((await h.sql<{ n: number }>(`select count(*)::int as n from ledger_entries where canonical like $1`, [`%"type":"${type}"%`]))[0]!.n);
  const seqOf = async (type: string, like: string) =>
    (await h.sql<{ seq: number }>(`select seq from ledger_entries where canonical like $1 and canonical like $2 order by seq`, [`%"type":"${type}"%`, `%${like}%`])).map((r) => Number(r.seq));

  beforeAll(async () => {
    await ensureParticipating();
    expect((await h.request({ method: 'PUT', url: `/v1/states/${OWN}/policy`, token: authority(), payload: { dualControl: true } })).statusCode).toBe(200);
  });

  for (const change of DUAL_CHANGES) {
    it(`${change.action}: 202, refused to the proposer and to another state, applied exactly once with its ledger entry`, async () => {
      await change.prepare();
      const before = await countOf(change.event);
      const proposed = await change.request(fraDelegate);
      expect(proposed.statusCode, proposed.body).toBe(202);
      const pc = proposed.json().pendingChange;
      expect(pc).toMatchObject({ state: OWN, action: change.action, status: 'pending' });
      expect(await change.applied()).toBe(false);
      expect(await countOf(change.event)).toBe(before);
      if (change.action === 'webhook.set') {
        const [stored] = await h.sql<{ content: Uint8Array }>('select content from pending_changes where id = $1', [pc.id]);
        expect(Buffer.from(stored!.content).toString('latin1')).not.toContain('127.0.0.1');
        const listed = (await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: fraDelegate2 })).json().items.find((c: { id: string }) => c.id === pc.id);
        expect(listed.content.url).toBe(HOOK_URL);
      }

      // Refusals: the proposer (403), a user of another state (404 on the change, 403 on the list).
      expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${pc.id}/approval`, token: fraDelegate })).statusCode).toBe(403);
      expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${pc.id}/approval`, token: kenDelegate })).statusCode).toBe(404);
      expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${pc.id}/rejection`, token: kenDelegate })).statusCode).toBe(404);
      expect((await h.request({ method: 'GET', url: `/v1/pending-changes/${pc.id}`, token: kenDelegate })).statusCode).toBe(404);
      expect((await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: kenDelegate })).statusCode).toBe(403);
      expect(await change.applied()).toBe(false);

      const approved = await h.request({ method: 'POST', url: `/v1/pending-changes/${pc.id}/approval`, token: fraDelegate2 });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.headers['cache-control']).toBe('no-store');
      expect(approved.json().pendingChange.status).toBe('approved');
      expect(await change.applied()).toBe(true);
      if (change.action === 'webhook.set') expect(approved.json().result.secret).toMatch(/^whsec_/);
      // Once: a second approval (by anyone) is refused and applies nothing more.
      const again = await h.request({ method: 'POST', url: `/v1/pending-changes/${pc.id}/approval`, token: authority() });
      expect(again.statusCode).toBe(409);
      expect(await countOf(change.event)).toBe(before + 1);
      expect(await ledgerTypes(pc.id)).toEqual([PENDING_EVENTS.proposed, PENDING_EVENTS.approved]);
      // The change's entry is written with the approval, in its transaction: between the proposal and the
      // approval (the withdrawal's approval is settled first, then the shredding hooks, then the withdrawal entry).
      const [proposal] = await seqOf(PENDING_EVENTS.proposed, pc.id);
      const [approval] = await seqOf(PENDING_EVENTS.approved, pc.id);
      const entries = await seqOf(change.event, OWN);
      if (change.action !== 'participation.withdraw') expect(entries.filter((s) => s > proposal! && s < approval!)).toHaveLength(1);
      else expect(entries.filter((s) => s > approval!)).toHaveLength(1);
      await ensureParticipating();
    });

    it(`${change.action}: a rejection applies nothing; an expired change cannot be approved`, async () => {
      await change.prepare();
      const before = await countOf(change.event);
      const rejectedId = (await change.request(fraDelegate)).json().pendingChange.id as string;
      const rejected = await h.request({ method: 'POST', url: `/v1/pending-changes/${rejectedId}/rejection`, token: fraDelegate2 });
      expect(rejected.statusCode, rejected.body).toBe(200);
      expect(rejected.json().pendingChange.status).toBe('rejected');
      expect((await h.request({ method: 'POST', url: `/v1/pending-changes/${rejectedId}/approval`, token: authority() })).statusCode).toBe(409);
      expect(await change.applied()).toBe(false);
      expect(await ledgerTypes(rejectedId)).toEqual([PENDING_EVENTS.proposed, PENDING_EVENTS.rejected]);

      const expiringId = (await change.request(fraDelegate)).json().pendingChange.id as string;
      now += 73 * 3_600_000;
      const late = await h.request({ method: 'POST', url: `/v1/pending-changes/${expiringId}/approval`, token: fraDelegate2 });
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ currentStatus: 'expired' });
      expect(await change.applied()).toBe(false);
      expect(await countOf(change.event)).toBe(before);
      expect(await ledgerTypes(expiringId)).toEqual([PENDING_EVENTS.proposed, PENDING_EVENTS.expired]);
    });
  }

  it("an approved withdrawal closes the state's other pending changes; they stay listed without content and cannot be approved", async () => {
    await ensureParticipating();
    await ensureNoWebhook();
    const other = (await putHook(fraDelegate)).json().pendingChange.id as string;
    const contact = (await h.request({ method: 'POST', url: `/v1/states/${OWN}/contacts`, token: fraDelegate2, payload: sampleContact() })).json().pendingChange.id as string;
    const w = (await withdraw(fraDelegate)).json().pendingChange.id as string;
    const approved = await h.request({ method: 'POST', url: `/v1/pending-changes/${w}/approval`, token: fraDelegate2 });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().pendingChange).toMatchObject({ status: 'approved', action: 'participation.withdraw' });
    expect(approved.json().pendingChange.content).toBeUndefined(); // its key is destroyed
    expect(approved.json().result.participation.status).toBe('withdrawn');

    for (const id of [other, contact]) {
      expect(await ledgerTypes(id)).toEqual([PENDING_EVENTS.proposed, PENDING_EVENTS.expired]);
      const res = await h.request({ method: 'POST', url: `/v1/pending-changes/${id}/approval`, token: authority() });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ currentStatus: 'expired' });
    }
    const list = await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: fraDelegate });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as { id: string; status: string; content?: unknown }[];
    expect(items.find((i) => i.id === other)).toMatchObject({ status: 'expired' });
    expect(items.every((i) => i.content === undefined)).toBe(true);
    expect((await h.request({ method: 'GET', url: `/v1/pending-changes/${other}`, token: fraDelegate })).statusCode).toBe(200);
    expect(await webhookCount()).toBe(0);
    // Nothing can be proposed for a withdrawn state; after joining again everything works, old changes still listed.
    expect((await putHook(fraDelegate)).statusCode).toBe(409);
    await ensureParticipating();
    expect((await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: fraDelegate })).statusCode).toBe(200);
    await viaTwoDelegates(putHook);
    expect(await webhookCount()).toBe(1);
  });

  it('a state key rotation (old key shredded) keeps pending changes listable and approvable', async () => {
    await ensureParticipating();
    await ensureNoGrant();
    const id = (await putGrant(fraDelegate)).json().pendingChange.id as string;
    const [before] = await h.sql<{ key_id: string }>('select key_id from pending_changes where id = $1', [id]);
    const rotated = await h.service.services.rotation.rotateStateKey(OWN);
    expect(rotated.done).toBe(true);
    expect(rotated.destroyedKeys).toContain(before!.key_id);
    const [after] = await h.sql<{ key_id: string }>('select key_id from pending_changes where id = $1', [id]);
    expect(after!.key_id).toBe(rotated.keyId);
    const listed = (await h.request({ method: 'GET', url: `/v1/states/${OWN}/pending-changes`, token: fraDelegate2 })).json().items.find((c: { id: string }) => c.id === id);
    expect(listed.content).toMatchObject({ owner: OWN, counterpart: FOREIGN });
    const approved = await h.request({ method: 'POST', url: `/v1/pending-changes/${id}/approval`, token: fraDelegate2 });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await grantRows())[0]!.domains).toEqual(['technical']);
  });
});
