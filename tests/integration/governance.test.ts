/**
 * Governance through HTTP: proposals, votes under each decision rule, the
 * sweep at the deadline (injected clock), each kind taking effect, the
 * observer's view, refusals that write nothing, and the recomputation of
 * every outcome from the ledger (governance:verify) over random histories.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGovernanceCli } from '../../src/cli/governance-verify.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
let url: string;
let now = new Date('2030-01-01T00:00:00.000Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATES = ['FRA', 'KEN', 'BRA', 'DEU'] as const;
const tok: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({ clock: () => now, env: { GOVERNANCE_RULES: '{"observer-accreditation":{"type":"silence"},"observer-suspension":{"type":"silence"}}' } });
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  for (const s of [...STATES, 'JPN', 'CHL']) {
    tok[s] = h.token('delegate', s);
    if ((STATES as readonly string[]).includes(s)) expect((await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] })).statusCode).toBe(201);
  }
  tok.SEC = h.token('secretariat');
  tok.OBS = h.token('observer');
  tok.AUD = h.token('auditor');
});
afterAll(async () => h?.close());

const deadlineIn = (ms: number) => new Date(now.getTime() + ms).toISOString();
const propose = (token: string, body: Record<string, unknown>) => h.request({ method: 'POST', url: '/v1/proposals', token, payload: body });
const vote = (token: string, id: string, position: string, explanation?: string) =>
  h.request({ method: 'POST', url: `/v1/proposals/${id}/votes`, token, payload: { position, ...(explanation ? { explanation } : {}) } });
const get = (token: string, id: string) => h.request({ method: 'GET', url: `/v1/proposals/${id}`, token });
const ledgerSize = async () => Number((await h.sql<{ n: string }>('select count(*)::text as n from ledger_entries'))[0]!.n);
const verify = () => runGovernanceCli(['--url', url, '--token', h.token('auditor')]);

const accreditation = (name: string, deadline = deadlineIn(7 * DAY)) => ({
  kind: 'observer-accreditation',
  deadline,
  organization: { name, category: 'civil-society', contact: { name: 'Amal Haddad', email: 'amal@cybercivil.example.org' } },
});

describe('an accreditation under the silence procedure', () => {
  it('is adopted at the deadline when nobody objects, creates the organisation, and recomputes from the ledger', async () => {
    const res = await propose(tok.FRA!, accreditation('Cyber Civil Society Network'));
    expect(res.statusCode).toBe(201);
    const { proposal, receipt } = res.json();
    expect(receipt.index).toBeGreaterThan(0);
    expect(proposal).toMatchObject({ kind: 'observer-accreditation', status: 'open', rule: { type: 'silence' }, electorate: [...STATES].sort(), tally: { support: 0, object: 0, abstain: 0, electorate: 4 } });
    expect(proposal.details.organization.contact).toEqual({ name: 'Amal Haddad', email: 'amal@cybercivil.example.org' }); // the proposer sees it

    // Other states see the proposal but not the contact; observers see proposals about observers, without positions.
    expect((await get(tok.KEN!, proposal.id)).json().details.organization).toEqual({ name: 'Cyber Civil Society Network', category: 'civil-society' });
    const seen = (await get(tok.OBS!, proposal.id)).json();
    expect(seen).toMatchObject({ details: { organization: { name: 'Cyber Civil Society Network' } }, positions: null, tally: null, electorate: null });

    expect((await vote(tok.KEN!, proposal.id, 'support', 'Kenya welcomes civil society')).statusCode).toBe(201);
    const kenView = (await get(tok.KEN!, proposal.id)).json();
    expect(kenView.positions).toEqual([expect.objectContaining({ state: 'KEN', position: 'support', explanation: 'Kenya welcomes civil society' })]);
    expect((await get(tok.FRA!, proposal.id)).json().positions[0].explanation).toBeNull(); // explanations only to their own state
    const stored = await h.sql<{ explanation: Uint8Array }>('select explanation from governance_votes');
    expect(Buffer.from(stored[0]!.explanation).toString('latin1')).not.toContain('civil society');

    advance(7 * DAY + 1000);
    const after = (await get(tok.SEC!, proposal.id)).json(); // reads run the sweep
    expect(after).toMatchObject({ status: 'adopted', decision: { outcome: 'adopted', reason: 'silence kept', tally: { support: 1, object: 0, abstain: 0, electorate: 4 } } });
    const orgs = (await h.request({ method: 'GET', url: '/v1/observers', token: tok.SEC })).json().observers;
    expect(orgs).toEqual([expect.objectContaining({ name: 'Cyber Civil Society Network', status: 'accredited', contact: { name: 'Amal Haddad', email: 'amal@cybercivil.example.org' } })]);
    expect((await h.request({ method: 'GET', url: '/v1/observers', token: tok.OBS })).json().observers[0].contact).toBeNull();

    const v = await verify();
    expect(v.errors).toEqual([]);
    expect(v.code).toBe(0);
    expect(v.report!.proposals.find((p) => p.proposal === proposal.id)).toMatchObject({ recorded: { outcome: 'adopted' }, recomputed: { outcome: 'adopted' } });
  });

  it('ends at once when a state objects, and then refuses further votes', async () => {
    const { proposal } = (await propose(tok.KEN!, accreditation('Cyber Industry Alliance'))).json();
    const res = await vote(tok.BRA!, proposal.id, 'object');
    expect(res.statusCode).toBe(201);
    expect(res.json().proposal).toMatchObject({ status: 'rejected', decision: { reason: 'silence broken' } });
    const late = await vote(tok.FRA!, proposal.id, 'support');
    expect(late.statusCode).toBe(409);
    expect(late.json().type).toMatch(/\/conflict$/);
  });

  it('suspends an accredited organisation when adopted', async () => {
    const org = (await h.request({ method: 'GET', url: '/v1/observers', token: tok.SEC })).json().observers[0];
    const { proposal } = (await propose(tok.SEC!, { kind: 'observer-suspension', deadline: deadlineIn(DAY), organizationId: org.id })).json();
    expect(proposal.proposer).toEqual({ role: 'secretariat', state: null });
    advance(DAY + 1);
    expect(await h.service.services.governance.sweep()).toBe(1);
    expect((await h.request({ method: 'GET', url: '/v1/observers', token: tok.FRA })).json().observers[0]).toMatchObject({ id: org.id, status: 'suspended' });
  });
});

describe('consensus, rule changes and a withdrawal mid-vote', () => {
  it('a freshness period adopted by consensus applies to contacts from then on', async () => {
    const contact = (await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: tok.FRA, payload: sampleContact() })).json().contact;
    const { proposal } = (await propose(tok.FRA!, { kind: 'freshness-period', deadline: deadlineIn(HOUR), days: 7 })).json();
    expect(proposal.rule).toEqual({ type: 'consensus' });
    await vote(tok.FRA!, proposal.id, 'support');
    await vote(tok.KEN!, proposal.id, 'abstain');
    advance(HOUR + 1);
    await h.service.services.governance.sweep();
    expect((await get(tok.FRA!, proposal.id)).json()).toMatchObject({ status: 'adopted', decision: { reason: 'consensus' } });
    expect((await h.request({ method: 'GET', url: '/v1/governance/settings', token: tok.OBS })).json().freshnessDays).toBe(7);
    advance(8 * DAY);
    expect((await h.request({ method: 'GET', url: `/v1/contacts/${contact.id}`, token: tok.FRA })).json().stale).toBe(true);
  });

  it('a decision-rule proposal changes the rule; a state that withdraws mid-vote keeps no vote', async () => {
    const qm = { type: 'qualified-majority', threshold: 0.7, quorum: 2 };
    const rule = (await propose(tok.DEU!, { kind: 'decision-rule', deadline: deadlineIn(HOUR), forKind: 'freshness-period', rule: qm })).json().proposal;
    for (const s of STATES) await vote(tok[s]!, rule.id, 'support');
    advance(HOUR + 1);
    await h.service.services.governance.sweep();
    expect((await h.request({ method: 'GET', url: '/v1/governance/settings', token: tok.KEN })).json().rules['freshness-period']).toEqual(qm);

    const p = (await propose(tok.KEN!, { kind: 'freshness-period', deadline: deadlineIn(DAY), days: 90 })).json().proposal;
    expect(p.rule).toEqual(qm);
    await vote(tok.FRA!, p.id, 'support');
    await vote(tok.KEN!, p.id, 'object'); // changed before the deadline:
    await vote(tok.KEN!, p.id, 'support');
    await vote(tok.BRA!, p.id, 'object'); // 2 of 3 = 0.667 < 0.7 ...
    expect((await get(tok.FRA!, p.id)).json().tally).toEqual({ support: 2, object: 1, abstain: 0, electorate: 4 });
    expect((await h.request({ method: 'DELETE', url: '/v1/states/BRA/participation', token: tok.BRA })).statusCode).toBe(200); // ... until BRA withdraws
    expect((await vote(tok.BRA!, p.id, 'support')).statusCode).toBe(404); // no longer a member: nothing to see
    advance(DAY + 1);
    await h.service.services.governance.sweep();
    expect((await get(tok.FRA!, p.id)).json()).toMatchObject({ status: 'adopted', decision: { tally: { support: 2, object: 0, abstain: 0, electorate: 3 } } });
    const v = await verify();
    expect(v.report!.problems).toEqual([]);
    expect(v.code).toBe(0);
    expect((await h.request({ method: 'PUT', url: '/v1/states/BRA/participation', token: tok.BRA })).statusCode).toBe(201);
  });
});

describe('refusals write nothing', () => {
  it.each([
    ['an unknown kind', { kind: 'budget', deadline: '2031-01-01T00:00:00Z' }, 400, 'body.kind'],
    ['a threshold above 1', { kind: 'decision-rule', deadline: 'IN1H', forKind: 'template-version', rule: { type: 'qualified-majority', threshold: 1.5, quorum: 1 } }, 400, 'body.rule.threshold'],
    ['a threshold of 0', { kind: 'decision-rule', deadline: 'IN1H', forKind: 'template-version', rule: { type: 'qualified-majority', threshold: 0, quorum: 1 } }, 400, 'body.rule.threshold'],
    ['a quorum above the electorate', { kind: 'decision-rule', deadline: 'IN1H', forKind: 'template-version', rule: { type: 'qualified-majority', threshold: 0.5, quorum: 5 } }, 400, 'body.rule.quorum'],
    ['minStates above the electorate', { kind: 'decision-rule', deadline: 'IN1H', forKind: 'template-version', rule: { type: 'threshold', minStates: 51 } }, 400, 'body.rule.minStates'],
    ['a deadline in the past', { kind: 'freshness-period', deadline: '2020-01-01T00:00:00Z', days: 30 }, 400, 'body.deadline'],
    ['a freshness period of 0 days', { kind: 'freshness-period', deadline: 'IN1H', days: 0 }, 400, 'body.days'],
    ['a suspension of an unknown organisation', { kind: 'observer-suspension', deadline: 'IN1H', organizationId: '00000000-0000-4000-8000-000000000000' }, 400, 'body.organizationId'],
  ])('%s', async (_name, body, status, field) => {
    const before = await ledgerSize();
    const count = (await h.sql('select id from governance_proposals')).length;
    const res = await propose(tok.FRA!, { ...body, deadline: body.deadline === 'IN1H' ? deadlineIn(HOUR) : body.deadline });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await ledgerSize()).toBe(before);
    expect((await h.sql('select id from governance_proposals')).length).toBe(count);
  });

  it('a second proposal duplicating an open one, a vote after the deadline, and callers without the right', async () => {
    const first = await propose(tok.FRA!, { kind: 'template-version', deadline: deadlineIn(HOUR), version: '2.0', labels: { en: { ask: 'Assistance requested' } } });
    expect(first.statusCode).toBe(201);
    const id = first.json().proposal.id;
    const before = await ledgerSize();
    const dup = await propose(tok.KEN!, { kind: 'template-version', deadline: deadlineIn(2 * HOUR), version: '2.1' });
    expect(dup.statusCode).toBe(409);
    expect((await propose(tok.OBS!, { kind: 'freshness-period', deadline: deadlineIn(HOUR), days: 30 })).statusCode).toBe(403);
    expect((await propose(tok.AUD!, { kind: 'freshness-period', deadline: deadlineIn(HOUR), days: 30 })).statusCode).toBe(403);
    expect((await propose(tok.JPN!, { kind: 'freshness-period', deadline: deadlineIn(HOUR), days: 30 })).statusCode).toBe(403); // not participating
    expect((await vote(tok.SEC!, id, 'support')).statusCode).toBe(403);
    expect((await vote(tok.JPN!, id, 'support')).statusCode).toBe(404); // not a member: cannot see it
    expect((await h.request({ method: 'GET', url: '/v1/proposals', token: tok.JPN })).statusCode).toBe(403);
    expect((await h.request({ method: 'POST', url: `/v1/proposals/${id}/withdrawal`, token: tok.KEN })).statusCode).toBe(403); // not the proposer
    expect((await vote(tok.FRA!, id, 'maybe')).statusCode).toBe(400);
    expect(await ledgerSize()).toBe(before);
    advance(HOUR);
    const late = await vote(tok.FRA!, id, 'support');
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(/deadline/);
    await h.service.services.governance.sweep();
    expect((await get(tok.FRA!, id)).json()).toMatchObject({ status: 'rejected', decision: { reason: 'no support' } });
    expect((await h.request({ method: 'GET', url: '/v1/governance/settings', token: tok.FRA })).json().templateVersion).toBeNull();
  });

  it('an adopted template version changes the template the directory serves', async () => {
    const before = (await h.request({ method: 'GET', url: '/v1/templates/request?lang=en' })).json();
    expect(before.version).toBe('1.0');
    const { proposal } = (await propose(tok.KEN!, { kind: 'template-version', deadline: deadlineIn(HOUR), version: '2.0', labels: { en: { ask: 'Assistance requested' }, fr: { ask: 'Assistance demandée' } } })).json();
    await vote(tok.FRA!, proposal.id, 'support');
    advance(HOUR + 1);
    await h.service.services.governance.sweep();
    const en = (await h.request({ method: 'GET', url: '/v1/templates/request?lang=en' })).json();
    expect(en.version).toBe('2.0');
    expect(en.fields.find((f: { name: string }) => f.name === 'ask').label).toBe('Assistance requested');
    expect(en.fields.find((f: { name: string }) => f.name === 'subject').label).toBe(before.fields.find((f: { name: string }) => f.name === 'subject').label);
    const fr = (await h.request({ method: 'GET', url: '/v1/templates/request?lang=fr' })).json();
    expect(fr.fields.find((f: { name: string }) => f.name === 'ask').label).toBe('Assistance demandée');
  });

  it('observers see every outcome but the details only of proposals about observers', async () => {
    const list = (await h.request({ method: 'GET', url: '/v1/proposals', token: tok.OBS })).json().proposals as { kind: string; details: unknown; decision: unknown; status: string }[];
    const freshness = list.filter((p) => p.kind === 'freshness-period');
    expect(freshness.length).toBeGreaterThan(0);
    for (const p of freshness) expect(p).toMatchObject({ details: null });
    expect(freshness.filter((p) => p.status === 'adopted').every((p) => p.decision !== null)).toBe(true);
    for (const p of list.filter((p) => p.kind.startsWith('observer-'))) expect(p.details).not.toBeNull();
  });

  it('the proposer withdraws an open proposal', async () => {
    const fra = h.token('delegate', 'FRA');
    const { proposal } = (await propose(fra, { kind: 'freshness-period', deadline: deadlineIn(HOUR), days: 60 })).json();
    const res = await h.request({ method: 'POST', url: `/v1/proposals/${proposal.id}/withdrawal`, token: fra });
    expect(res.statusCode).toBe(200);
    expect(res.json().proposal.status).toBe('withdrawn');
    expect((await vote(tok.KEN!, proposal.id, 'support')).statusCode).toBe(409);
  });
});

describe('recomputation over random histories', () => {
  it('governance:verify agrees with every stored outcome', async () => {
    const rules = fc.oneof(
      fc.constant({ type: 'consensus' }),
      fc.constant({ type: 'silence' }),
      fc.record({ type: fc.constant('qualified-majority'), threshold: fc.constantFrom(0.5, 0.6, 0.7, 1), quorum: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ type: fc.constant('threshold'), minStates: fc.integer({ min: 1, max: 3 }) }),
    );
    const step = fc.oneof(
      fc.record({ op: fc.constant('vote' as const), state: fc.constantFrom(...STATES), position: fc.constantFrom('support', 'object', 'abstain') }),
      fc.record({ op: fc.constant('withdraw-state' as const), state: fc.constantFrom(...STATES) }),
    );
    await fc.assert(
      fc.asyncProperty(rules, fc.array(step, { maxLength: 8 }), async (rule, steps) => {
        for (const s of STATES) await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tok[s] });
        // The rule for freshness-period proposals, set by a decision-rule proposal everyone supports.
        const r = (await propose(tok.FRA!, { kind: 'decision-rule', deadline: deadlineIn(HOUR), forKind: 'freshness-period', rule })).json().proposal;
        for (const s of STATES) await vote(tok[s]!, r.id, 'support');
        advance(HOUR + 1);
        await h.service.services.governance.sweep();
        const p = (await propose(tok.FRA!, { kind: 'freshness-period', deadline: deadlineIn(HOUR), days: 30 + steps.length })).json().proposal;
        for (const s of steps) {
          if (s.op === 'vote') await vote(tok[s.state]!, p.id, s.position);
          else await h.request({ method: 'DELETE', url: `/v1/states/${s.state}/participation`, token: tok[s.state] });
        }
        advance(HOUR + 1);
        await h.service.services.governance.sweep();
        const stored = (await get(tok.SEC!, p.id)).json();
        const v = await verify();
        expect(v.report!.problems).toEqual([]);
        expect(v.report!.proposals.find((x) => x.proposal === p.id)!.recomputed).toMatchObject({ outcome: stored.decision.outcome, tally: stored.decision.tally });
      }),
      { numRuns: Number(process.env.GOVERNANCE_RUNS ?? 8), seed: 20261204 },
    );
  });
});
