/**
 * The authorization policy as tables: actor × action × resource → allow or
 * deny, for the four read rules (contact visibility, request content, check
 * summary, ledger read), user management, API keys and dual control. Each
 * expected value is restated here, independently of policy.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../src/auth/actor.ts';
import { ACTIONS, authorize, directoryScope, isWriteAction, ledgerScope, permits, type Action, type Resource } from '../../src/auth/policy.ts';

const A = (role: Role, state: string | null = null, extra: Partial<Actor> = {}): Actor => ({ sub: `${role}-${state ?? 'x'}`, role, state, ...extra });
const actors = {
  delegateFRA: A('delegate', 'FRA'),
  authorityFRA: A('authority', 'FRA'),
  delegateKEN: A('delegate', 'KEN'),
  authorityKEN: A('authority', 'KEN'),
  secretariat: A('secretariat'),
  auditor: A('auditor'),
  observer: A('observer'),
};
type Who = keyof typeof actors | 'anonymous';
const WHO: Who[] = ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN', 'secretariat', 'auditor', 'observer', 'anonymous'];
const actorOf = (w: Who) => (w === 'anonymous' ? null : actors[w]);

/** Runs a table: for each resource row, the set of callers allowed. */
function table(action: Action, rows: { resource: Resource; allowed: Who[]; label: string }[]) {
  const cases: [string, Who, boolean][] = [];
  for (const row of rows) for (const who of WHO) cases.push([row.label, who, row.allowed.includes(who)]);
  it.each(cases)(`${action}: %s × %s → %s`, (label, who, allow) => {
    const row = rows.find((r) => r.label === label)!;
    expect(permits(actorOf(who), action, row.resource)).toBe(allow);
  });
}

const contact = (visibility: 'public' | 'confidential', open: string[] = []) => ({ contact: { state: 'FRA', domains: ['technical'], visibility, openDomains: new Set(open) } });

describe('contact visibility rule (contacts.read)', () => {
  table('contacts.read', [
    { label: 'public contact of FRA', resource: contact('public'), allowed: WHO },
    { label: 'confidential, nothing granted', resource: contact('confidential'), allowed: ['delegateFRA', 'authorityFRA', 'secretariat'] },
    { label: 'confidential, technical open to the caller', resource: contact('confidential', ['technical']), allowed: ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN', 'secretariat'] },
    { label: 'confidential, another domain open', resource: contact('confidential', ['policy']), allowed: ['delegateFRA', 'authorityFRA', 'secretariat'] },
  ]);
});

describe('request-content rule (requests.read-content)', () => {
  const req = (effective: string[]) => ({ request: { sender: 'FRA', recipient: 'DEU', effective } });
  table('requests.read-content', [
    { label: 'no consent', resource: req([]), allowed: ['delegateFRA', 'authorityFRA'] },
    { label: 'both consented to the secretariat', resource: req(['secretariat']), allowed: ['delegateFRA', 'authorityFRA', 'secretariat'] },
    { label: 'both consented to KEN', resource: req(['KEN']), allowed: ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN'] },
    { label: 'both consented to public', resource: req(['public']), allowed: WHO.filter((w) => w !== 'anonymous') },
  ]);
  table('requests.read-metadata', [{ label: 'any request', resource: req([]), allowed: ['secretariat'] }]);
  table('requests.transition', [
    { label: 'recipient-only transition, FRA sends to KEN', resource: { request: { sender: 'FRA', recipient: 'KEN', by: 'recipient' } }, allowed: ['delegateKEN', 'authorityKEN'] },
    { label: 'sender-only transition, FRA sends to KEN', resource: { request: { sender: 'FRA', recipient: 'KEN', by: 'sender' } }, allowed: ['delegateFRA', 'authorityFRA'] },
    { label: 'either party, FRA sends to KEN', resource: { request: { sender: 'FRA', recipient: 'KEN', by: 'either' } }, allowed: ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN'] },
  ]);
});

describe('check-summary rule (checks.read)', () => {
  table('checks.read', [
    { label: 'the round (any row)', resource: {}, allowed: ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN', 'secretariat', 'auditor'] },
    { label: "FRA's row", resource: { state: 'FRA' }, allowed: ['delegateFRA', 'authorityFRA', 'secretariat', 'auditor'] },
    { label: "KEN's row", resource: { state: 'KEN' }, allowed: ['delegateKEN', 'authorityKEN', 'secretariat', 'auditor'] },
  ]);
});

describe('ledger-read rule (ledger.read-entries)', () => {
  table('ledger.read-entries', [
    { label: 'reading the ledger at all', resource: {}, allowed: ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN', 'secretariat', 'auditor'] },
    { label: 'an entry FRA is party to', resource: { state: 'FRA' }, allowed: ['delegateFRA', 'authorityFRA', 'secretariat', 'auditor'] },
    { label: 'an entry with no party', resource: { state: null }, allowed: ['secretariat', 'auditor'] },
  ]);
  it('scopes: staff all, a state its own entries, observers refused', () => {
    expect(ledgerScope(actors.auditor)).toEqual({ all: true });
    expect(ledgerScope(actors.authorityFRA)).toEqual({ party: 'FRA' });
    expect(() => ledgerScope(actors.observer)).toThrow(/observers/);
  });
  it('directory scope', () => {
    expect(directoryScope(actors.secretariat)).toBe('all');
    expect(directoryScope(actors.delegateKEN)).toBe('own-and-granted');
    expect(directoryScope(actors.auditor)).toBe('public-only');
    expect(directoryScope(null)).toBe('public-only');
  });
});

describe('state-scoped changes', () => {
  for (const action of ['contacts.create', 'contacts.update', 'contacts.delete', 'participation.change', 'disclosure.change', 'webhook.change'] as const) {
    table(action, [{ label: 'of FRA', resource: { state: 'FRA' }, allowed: ['delegateFRA', 'authorityFRA'] }]);
  }
  table('policy.change', [{ label: 'of FRA', resource: { state: 'FRA' }, allowed: ['authorityFRA', 'secretariat'] }]);
  table('contacts.verify', [{ label: 'any contact', resource: {}, allowed: ['secretariat'] }]);
  table('reports.read', [{ label: 'reports', resource: {}, allowed: ['secretariat', 'auditor'] }]);
  // Aggregates only (no per-state figure, contact or content): every authenticated role; the service refuses a state that does not participate.
  table('reports.read-aggregate', [
    { label: 'the aggregate report', resource: {}, allowed: ['delegateFRA', 'authorityFRA', 'delegateKEN', 'authorityKEN', 'secretariat', 'auditor', 'observer'] },
  ]);
});

describe('user management', () => {
  const change = (role: Role, state: string | null) => ({ change: { role, state } });
  table('users.create', [
    { label: 'a delegate of FRA', resource: change('delegate', 'FRA'), allowed: ['authorityFRA', 'secretariat'] },
    { label: 'an authority of FRA', resource: change('authority', 'FRA'), allowed: ['authorityFRA', 'secretariat'] },
    { label: 'a secretariat user', resource: change('secretariat', null), allowed: ['secretariat'] },
    { label: 'an auditor', resource: change('auditor', null), allowed: ['secretariat'] },
    { label: 'an observer of an organisation', resource: { change: { role: 'observer', state: null, organization: 'org-a' } }, allowed: ['secretariat'] },
  ]);
  const user = (role: Role, state: string | null, self = false, organization: string | null = null) => ({ id: 'u', role, state, organization, self });
  const observerOf = (organization: string) => ({ change: { role: 'observer' as const, state: null, organization } });
  it.each([
    ['authority raises own role to secretariat', actors.authorityFRA, user('authority', 'FRA', true), change('secretariat', null), false],
    ['delegate raises own role to authority', actors.delegateFRA, user('delegate', 'FRA', true), change('authority', 'FRA'), false],
    ['delegate moves itself to another state', actors.delegateFRA, user('delegate', 'FRA', true), change('delegate', 'KEN'), false],
    ['delegate edits own personal fields', actors.delegateFRA, user('delegate', 'FRA', true), change('delegate', 'FRA'), true],
    ['authority steps down to delegate', actors.authorityFRA, user('authority', 'FRA', true), change('delegate', 'FRA'), true],
    ['authority promotes its delegate', actors.authorityFRA, user('delegate', 'FRA'), change('authority', 'FRA'), true],
    ['authority moves its delegate to KEN', actors.authorityFRA, user('delegate', 'FRA'), change('delegate', 'KEN'), false],
    ["authority changes KEN's delegate", actors.authorityFRA, user('delegate', 'KEN'), change('delegate', 'KEN'), false],
    ['authority makes its delegate an auditor', actors.authorityFRA, user('delegate', 'FRA'), change('auditor', null), false],
    ['secretariat changes anyone', actors.secretariat, user('delegate', 'KEN'), change('authority', 'KEN'), true],
    ['delegate changes a colleague', actors.delegateFRA, user('delegate', 'FRA'), change('delegate', 'FRA'), false],
    ['observer edits own personal fields', actors.observer, user('observer', null, true, 'org-a'), observerOf('org-a'), true],
    ['observer moves itself to another organisation', actors.observer, user('observer', null, true, 'org-a'), observerOf('org-b'), false],
    ['secretariat moves an observer to another organisation', actors.secretariat, user('observer', null, false, 'org-a'), observerOf('org-b'), true],
    ['authority makes its delegate an observer', actors.authorityFRA, user('delegate', 'FRA'), observerOf('org-a'), false],
  ] as const)('users.update: %s → %s', (_label, actor, u, c, allow) => {
    expect(permits(actor, 'users.update', { user: u, ...c })).toBe(allow);
  });
  table('users.deactivate', [
    { label: 'a delegate of FRA', resource: { user: user('delegate', 'FRA') }, allowed: ['authorityFRA', 'secretariat'] },
    { label: 'a secretariat user', resource: { user: user('secretariat', null) }, allowed: ['secretariat'] },
  ]);
  table('users.list', [
    { label: '?state=FRA', resource: { state: 'FRA' }, allowed: ['authorityFRA', 'secretariat', 'auditor'] },
    { label: 'every state', resource: {}, allowed: ['secretariat', 'auditor'] },
  ]);
});

describe('API keys and scopes', () => {
  const readKey = A('delegate', 'FRA', { apiKeyId: 'k', scopes: ['read'] });
  const writeKey = A('delegate', 'FRA', { apiKeyId: 'k', scopes: ['read', 'write'] });
  it('a read key is refused every write action and allowed the reads its user may do', () => {
    for (const action of Object.keys(ACTIONS) as Action[]) {
      if (isWriteAction(action)) expect(permits(readKey, action, { state: 'FRA' }), action).toBe(false);
    }
    expect(permits(readKey, 'contacts.read', contact('confidential'))).toBe(true);
    expect(() => authorize(readKey, 'contacts.create', { state: 'FRA' })).toThrow(/read scope/);
    expect(permits(writeKey, 'contacts.create', { state: 'FRA' })).toBe(true);
  });
  it('a key cannot mint keys', () => {
    expect(permits(writeKey, 'apikeys.create')).toBe(false);
    expect(permits(actors.observer, 'apikeys.create')).toBe(true);
  });
  table('apikeys.revoke', [
    { label: "a key of a FRA user (not the caller's)", resource: { apiKey: { ownerState: 'FRA', own: false } }, allowed: ['authorityFRA', 'secretariat'] },
    { label: "the caller's own key", resource: { apiKey: { ownerState: null, own: true } }, allowed: WHO.filter((w) => w !== 'anonymous') },
  ]);
});

describe('dual control', () => {
  table('pending.decide', [{ label: 'a change of FRA', resource: { pending: { state: 'FRA', proposedBySelf: false } }, allowed: ['delegateFRA', 'authorityFRA'] }]);
  table('pending.approve-own', [
    { label: 'proposed by the caller', resource: { pending: { state: 'FRA', proposedBySelf: true } }, allowed: [] },
    { label: 'proposed by another', resource: { pending: { state: 'FRA', proposedBySelf: false } }, allowed: WHO.filter((w) => w !== 'anonymous') },
  ]);
  table('pending.list', [{ label: 'of FRA', resource: { state: 'FRA' }, allowed: ['delegateFRA', 'authorityFRA', 'secretariat', 'auditor'] }]);
});

it('public is the only action an anonymous caller is allowed (besides public contacts)', () => {
  for (const action of Object.keys(ACTIONS) as Action[]) expect(permits(null, action, { state: 'FRA' }), action).toBe(action === 'public');
});
