/**
 * Fuzzing generated from openapi.yaml: for every operation, near-valid
 * requests built from the spec's schemas (fast-check), mutated with hostile
 * values, sent with tokens of every role, odd tokens, odd headers, wrong
 * content types and crafted cursors, against a service with real fixtures
 * (joined and withdrawn states, contacts, grants, requests, a check, a
 * checkpoint) so that ids in paths exist.
 *
 * Asserted for every case: no 5xx; a 4xx is problem+json with a `type`; a
 * refused (4xx) request leaves every table (the ledger included) unchanged:
 * same row count and same content digest.
 *
 *   FUZZ_RUNS  generated cases per operation (default 40)
 *   FUZZ_SEED  fast-check seed (default fixed; printed, so failures reproduce)
 *   FUZZ_REPORT  optional path: write the run's figures as JSON there
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base64url,
  CONTENT_TYPES,
  CRAFTED_CURSORS,
  loadSpec,
  mutate,
  mutationArb,
  NASTY_BODIES,
  NASTY_STRINGS,
  nastyValueArb,
  pctEncode,
  schemaArb,
  type Hints,
  type Operation,
} from '../fuzz/spec.ts';
import { backend, JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);
const { operations, components } = loadSpec();

interface Case {
  op: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  label: string;
}
interface Failure {
  op: string;
  kind: '5xx' | 'partial-write' | 'not-problem-json' | 'prototype-pollution';
  status: number;
  cause: string;
  case: Case;
}

let h: Harness;
const failures: Failure[] = [];
const perOp = new Map<string, { cases: number; statuses: Record<string, number> }>();
let totalCases = 0;
let tables: string[] = [];
let countSql = '';

// ---------------------------------------------------------------------------
// Tokens: every role, plus odd ones.

const nowS = () => Math.floor(Date.now() / 1000);
const forged = (header: Record<string, unknown>, payload: Record<string, unknown>, signature = '') =>
  `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${signature}`;
/** HS256 by hand, so that claims a signing library would refuse (exp as a string, 1e20) can be signed. */
const hs = (payload: Record<string, unknown>, key = JWT_SECRET, alg = 'HS256') => {
  const unsigned = forged({ alg, typ: 'JWT' }, payload).slice(0, -1);
  const digest = alg === 'HS512' ? 'sha512' : 'sha256';
  return `${unsigned}.${createHmac(digest, key).update(unsigned).digest('base64url')}`;
};
const signRaw = (payload: Record<string, unknown>) => hs(payload);

const tokens: Record<string, string> = {};
/** Tokens that authenticate (valid signature, plausible claims) but carry odd claims. */
const oddValidTokens: Record<string, string> = {};
/** Tokens that must be refused. */
const badTokens: Record<string, string> = {};

function buildTokens() {
  const exp = nowS() + 3600;
  for (const s of ['FRA', 'KEN', 'BRA', 'DEU', 'JPN']) tokens[`delegate-${s}`] = signRaw({ sub: `fuzz-${s}`, role: 'delegate', state: s, exp });
  for (const r of ['secretariat', 'auditor', 'observer']) tokens[r] = signRaw({ sub: `fuzz-${r}`, role: r, exp });
  // One subject under several identities (idempotency keys must not mix them).
  for (const [name, claims] of Object.entries({ 'shared-KEN': { role: 'delegate', state: 'KEN' }, 'shared-BRA': { role: 'delegate', state: 'BRA' }, 'shared-sec': { role: 'secretariat' }, 'shared-obs': { role: 'observer' } })) {
    tokens[name] = signRaw({ sub: 'shared', ...claims, exp });
  }
  Object.assign(oddValidTokens, {
    'sub-nul': signRaw({ sub: 'a\u0000b', role: 'delegate', state: 'FRA', exp }),
    'sub-nul-sec': signRaw({ sub: '\u0000', role: 'secretariat', exp }),
    'sub-surrogate': signRaw({ sub: 'x\ud800', role: 'delegate', state: 'KEN', exp }),
    'sub-256': signRaw({ sub: 's'.repeat(256), role: 'delegate', state: 'FRA', exp }),
    'sub-proto': signRaw({ sub: '__proto__', role: 'secretariat', exp }),
    'sub-emoji': signRaw({ sub: '💥'.repeat(60), role: 'auditor', exp }),
    'state-on-secretariat': signRaw({ sub: 'fuzz-odd-sec', role: 'secretariat', state: 'FRA', exp }),
    'extra-claims': signRaw({ sub: 'fuzz-extra', role: 'delegate', state: 'FRA', exp, admin: true, roles: ['secretariat'], constructor: { prototype: 1 } }),
  });
  Object.assign(badTokens, {
    malformed: 'abc',
    'three-dots': 'a.b.c',
    'alg-none': forged({ alg: 'none', typ: 'JWT' }, { sub: 'x', role: 'secretariat', exp }),
    'alg-none-sig': forged({ alg: 'none' }, { sub: 'x', role: 'secretariat', exp }, 'AAAA'),
    'alg-hs512': hs({ sub: 'x', role: 'secretariat', exp }, JWT_SECRET, 'HS512'),
    'wrong-key': hs({ sub: 'x', role: 'secretariat', exp }, 'another-secret-that-is-long-enough-0123456789abcdef'),
    'tampered-payload': (() => {
      const [hd, , sig] = signRaw({ sub: 'x', role: 'delegate', state: 'FRA', exp }).split('.');
      return `${hd}.${base64url(JSON.stringify({ sub: 'x', role: 'secretariat', exp }))}.${sig}`;
    })(),
    expired: signRaw({ sub: 'x', role: 'secretariat', exp: nowS() - 10 }),
    'huge-exp': signRaw({ sub: 'x', role: 'secretariat', exp: 1e20 }),
    'exp-string': signRaw({ sub: 'x', role: 'secretariat', exp: String(exp) }),
    'iat-future': signRaw({ sub: 'x', role: 'secretariat', exp, iat: nowS() + 86_400 }),
    'nbf-future': signRaw({ sub: 'x', role: 'secretariat', exp, nbf: nowS() + 86_400 }),
    'no-exp': signRaw({ sub: 'x', role: 'secretariat' }),
    'no-sub': signRaw({ role: 'secretariat', exp }),
    'empty-sub': signRaw({ sub: '', role: 'secretariat', exp }),
    'sub-number': signRaw({ sub: 42, role: 'secretariat', exp }),
    'sub-257': signRaw({ sub: 's'.repeat(257), role: 'secretariat', exp }),
    'role-admin': signRaw({ sub: 'x', role: 'admin', exp }),
    'role-empty': signRaw({ sub: 'x', role: '', exp }),
    'role-array': signRaw({ sub: 'x', role: ['secretariat'], exp }),
    'role-upper': signRaw({ sub: 'x', role: 'SECRETARIAT', exp }),
    'role-nul': signRaw({ sub: 'x', role: 'secretariat\u0000', exp }),
    'role-proto': signRaw({ sub: 'x', role: '__proto__', exp }),
    'delegate-no-state': signRaw({ sub: 'x', role: 'delegate', exp }),
    'delegate-lower-state': signRaw({ sub: 'x', role: 'delegate', state: 'fra', exp }),
    'delegate-bad-state': signRaw({ sub: 'x', role: 'delegate', state: 'XXX', exp }),
    'delegate-nul-state': signRaw({ sub: 'x', role: 'delegate', state: 'FR\u0000', exp }),
    'delegate-state-array': signRaw({ sub: 'x', role: 'delegate', state: ['FRA'], exp }),
    huge: 'A'.repeat(20_000),
  });
}

/** Authorization header values: Bearer with each token, and odd schemes. */
const authArb = (): fc.Arbitrary<{ name: string; header?: string }> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...Object.entries(tokens)).map(([name, t]) => ({ name, header: `Bearer ${t}` })), weight: 10 },
    { arbitrary: fc.constantFrom(...Object.entries(oddValidTokens)).map(([name, t]) => ({ name, header: `Bearer ${t}` })), weight: 2 },
    { arbitrary: fc.constantFrom(...Object.entries(badTokens)).map(([name, t]) => ({ name, header: `Bearer ${t}` })), weight: 3 },
    {
      arbitrary: fc.constantFrom<{ name: string; header?: string }>(
        { name: 'none' },
        { name: 'empty', header: '' },
        { name: 'bearer-only', header: 'Bearer' },
        { name: 'bearer-space', header: 'Bearer ' },
        { name: 'basic', header: 'Basic dXNlcjpwYXNz' },
        { name: 'lowercase-bearer', header: `bearer ${'x'}` },
        { name: 'two-tokens', header: 'Bearer a.b.c, Bearer d.e.f' },
        { name: 'latin1', header: 'Bearer \u00e9\u00ff' },
      ),
      weight: 2,
    },
  );

// ---------------------------------------------------------------------------
// Fixtures

const fx = {
  states: ['FRA', 'KEN', 'BRA', 'DEU', 'JPN'],
  contacts: [] as string[],
  requests: [] as string[],
  checks: [] as string[],
  cursors: [] as string[],
  checkpointSizes: [] as number[],
};

async function must(method: string, url: string, token: string, payload?: unknown, expected = [200, 201]) {
  const res = await h.request({ method: method as 'GET', url, token, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  if (!expected.includes(res.statusCode)) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function buildFixtures() {
  const t = (s: string) => tokens[`delegate-${s}`]!;
  for (const s of ['FRA', 'KEN', 'BRA', 'DEU']) await must('PUT', `/v1/states/${s}/participation`, t(s));
  for (const [s, n] of [['FRA', 2], ['KEN', 2], ['BRA', 1], ['DEU', 1]] as const) {
    for (let i = 0; i < n; i++) {
      const body = await must('POST', `/v1/states/${s}/contacts`, t(s), sampleContact({ visibility: i === 1 ? 'public' : 'confidential', domains: ['technical', 'policy'] }));
      fx.contacts.push(body.contact.id);
    }
  }
  await must('PUT', '/v1/states/KEN/disclosures/FRA', t('KEN'), { mode: 'unilateral', domains: ['technical'] });
  await must('PUT', '/v1/states/FRA/disclosures/BRA', t('FRA'), { mode: 'reciprocal', domains: ['technical', 'policy'] });
  await must('PUT', '/v1/states/FRA/webhook', t('FRA'), { url: 'http://127.0.0.1:9/hook' });
  const request = (from: string, to: string) =>
    must('POST', '/v1/requests', t(from), {
      to,
      domain: 'technical',
      type: 'request-for-assistance',
      urgency: 'urgent',
      subject: 'Fuzz fixture request',
      incidentSummary: 'A fixture for the fuzz suite.',
      ask: 'Please acknowledge.',
      tlp: 'AMBER',
      language: 'en',
    });
  for (const [from, to] of [['FRA', 'KEN'], ['KEN', 'FRA'], ['FRA', 'BRA'], ['BRA', 'KEN'], ['DEU', 'FRA']] as const) fx.requests.push((await request(from, to)).request.id);
  await must('POST', `/v1/requests/${fx.requests[1]}/acknowledgement`, t('FRA'));
  await must('POST', `/v1/requests/${fx.requests[2]}/acknowledgement`, t('BRA'));
  await must('POST', `/v1/requests/${fx.requests[2]}/responses`, t('BRA'), { decision: 'answer', body: 'Done.' });
  fx.checks.push((await must('POST', '/v1/checks', tokens.secretariat!, { windowMinutes: 60, domains: ['technical'] })).check.id);
  fx.checks.push((await must('POST', '/v1/checks', tokens.secretariat!, { exercise: true, states: ['FRA'] })).check.id);
  fx.checkpointSizes.push((await must('POST', '/v1/ledger/checkpoint', tokens.auditor!)).checkpoint?.treeSize ?? 1);
  // DEU withdraws: its contacts and requests stay as ids whose key is gone.
  await must('DELETE', '/v1/states/DEU/participation', t('DEU'));
  for (const [url, token] of [
    ['/v1/public/directory?limit=1', tokens.observer!],
    ['/v1/directory?limit=1', t('FRA')],
    ['/v1/states/FRA/contacts?limit=1', t('FRA')],
    ['/v1/requests?limit=1', t('FRA')],
  ] as const) {
    const body = await must('GET', url, token);
    if (typeof body.nextCursor === 'string') fx.cursors.push(body.nextCursor);
  }
}

function hintsFor(op: Operation): Hints {
  const idPool = op.path.startsWith('/v1/contacts') ? fx.contacts : op.path.startsWith('/v1/requests') ? fx.requests : op.path.startsWith('/v1/checks') ? fx.checks : [];
  const ledgerSize = fx.checkpointSizes[0] ?? 1;
  return {
    states: fx.states,
    byName: {
      id: idPool,
      code: fx.states,
      counterpart: fx.states,
      relatesTo: fx.requests,
      cursor: [...fx.cursors, ...CRAFTED_CURSORS],
      size: [...fx.checkpointSizes, 0, 1, ledgerSize + 1000],
      index: [0, 1, ledgerSize - 1, ledgerSize, ledgerSize + 5],
      treeSize: [0, 1, ledgerSize, ledgerSize + 5],
      from: [0, 1, ledgerSize],
      url: ['http://127.0.0.1:9/hook', 'https://127.0.0.1/', 'https://[::ffff:0:127.0.0.1]/'],
      'if-match': ['"1"', '"2"', 'W/"1"', '1', '"999999999999999999999"'],
      'idempotency-key': ['k1', 'fuzz-shared-key', 'a'.repeat(255)],
      // Values that pass the business rules too, so that mutations reach past validation.
      to: op.path.includes('ledger') ? [0, 1, ledgerSize, ledgerSize + 5] : fx.states,
      states: [['FRA'], ['FRA', 'KEN', 'BRA'], ['DEU'], ['JPN']],
      language: ['en', 'fr', 'ar', 'zh', 'ru', 'es'],
      languages: [['fr', 'en'], ['ar']],
      timezone: ['Europe/Paris', 'UTC', 'Africa/Nairobi', 'Etc/GMT+12'],
      email: ['poc@cert.example.fr', 'a.b+c@d.example'],
      phone: ['+33123456789'],
      respondBy: [new Date(Date.now() + 86_400_000).toISOString(), '2999-12-31T23:59:59.999Z'],
      audience: ['KEN', 'secretariat', 'public'],
    },
  };
}

// ---------------------------------------------------------------------------
// Cases

/** Header values as HTTP can carry them (no control characters; latin1 only). */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

const RAW_SEGMENTS = ['%zz', '%00', '%ED%A0%80', '..', '%2e%2e', '%2F', 'a%2Fb', '-1', '1.5', '1e3', '9'.repeat(40), 'a'.repeat(5000)];

function caseArb(op: Operation): fc.Arbitrary<Case> {
  const hints = hintsFor(op);
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const pathArb = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof(
        { arbitrary: schemaArb(p.schema, components, hints, p.name).map((v) => pctEncode(String(v))), weight: 8 },
        { arbitrary: nastyValueArb.map((v) => pctEncode(typeof v === 'string' ? v : JSON.stringify(v) ?? '')), weight: 2 },
        { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 },
      ),
    ),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(
        fc.oneof(
          { arbitrary: schemaArb(p.schema, components, hints, p.name).map((v) => pctEncode(String(v))), weight: 6 },
          { arbitrary: fc.constantFrom(...NASTY_STRINGS).map(pctEncode), weight: 2 },
          { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => pctEncode(base64url(s))), weight: 1 },
          { arbitrary: fc.constantFrom('%zz', '%ED%A0%80', '', '%00'), weight: 1 },
        ),
        { freq: 3, nil: undefined },
      ),
    ),
  );
  const extraQueryArb = fc.option(fc.constantFrom('__proto__=1', 'constructor[prototype]=1', 'limit=1&limit=2', 'cursor=a&cursor=b', 'x=%zz', 'a[b]=c', '&&&', '='), { freq: 5, nil: undefined });
  const headerArb = fc.tuple(
    ...headerParams.map((p) =>
      fc.option(
        fc.oneof(
          { arbitrary: schemaArb(p.schema, components, hints, p.name).map((v) => String(v)), weight: 5 },
          { arbitrary: fc.constantFrom(...NASTY_STRINGS, ' k1', 'k1 ', 'a'.repeat(256), 'é', '\t').map(headerSafe), weight: 2 },
        ),
        { freq: 2, nil: undefined },
      ),
    ),
  );
  const valueArb = op.body ? schemaArb(op.body, components, hints) : fc.constant(undefined);
  const bodyArb = fc.oneof(
    { arbitrary: fc.tuple(valueArb, mutationArb).map(([v, m]) => ({ json: mutate(v, m), contentType: 'application/json' as string | undefined })), weight: op.body ? 12 : 1 },
    { arbitrary: fc.record({ raw: fc.constantFrom(...NASTY_BODIES), contentType: fc.constantFrom<string | undefined>('application/json', ...CONTENT_TYPES) }), weight: 2 },
    { arbitrary: fc.record({ json: valueArb, contentType: fc.constantFrom(...CONTENT_TYPES) }), weight: 1 },
    { arbitrary: fc.constant({ none: true }), weight: op.body ? 1 : 8 },
  );

  const extraHeaderArb = fc.option(
    fc.constantFrom<[string, string]>(
      ['accept', 'application/xml'],
      ['accept', 'text/html;q=0, */*;q=0'],
      ['content-encoding', 'gzip'],
      ['accept-encoding', 'gzip;q=2, identity;q=0'],
      ['x-http-method-override', 'DELETE'],
      ['x-forwarded-for', '127.0.0.1, ::1, 999.1.1.1'],
      ['x-request-id', '\u00e9'.repeat(3)],
      ['accept-version', '99'],
      ['origin', 'null'],
      ['if-none-match', '*'],
      ['range', 'bytes=0-0'],
      ['expect', '100-continue'],
    ),
    { freq: 4, nil: undefined },
  );
  return fc.record({ path: pathArb, query: queryArb, extraQuery: extraQueryArb, headers: headerArb, auth: authArb(), body: bodyArb, extraHeader: extraHeaderArb }).map((g) => {
    let url = op.path;
    pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, g.path[i]!)));
    const qs = queryParams.flatMap((p, i) => (g.query[i] === undefined ? [] : [`${p.name}=${g.query[i]}`]));
    if (g.extraQuery) qs.push(g.extraQuery);
    if (qs.length) url += `?${qs.join('&')}`;
    const headers: Record<string, string> = {};
    headerParams.forEach((p, i) => {
      if (g.headers[i] !== undefined) headers[p.name] = headerSafe(g.headers[i]!);
    });
    if (g.auth.header !== undefined) headers.authorization = g.auth.header;
    if (g.extraHeader) headers[g.extraHeader[0]] = g.extraHeader[1];
    let payload: string | undefined;
    const b = g.body as { json?: unknown; raw?: string; none?: true; contentType?: string };
    if (!b.none) {
      payload = b.raw ?? (b.json === undefined ? undefined : JSON.stringify(b.json));
      if (b.contentType !== undefined) headers['content-type'] = headerSafe(b.contentType);
    }
    return { op: op.id, method: op.method, url, headers, ...(payload === undefined ? {} : { payload }), label: `auth=${g.auth.name}` };
  });
}

// ---------------------------------------------------------------------------
// Running and checking one case

async function counts(): Promise<Record<string, string>> {
  const [row] = await h.sql<Record<string, string>>(countSql);
  return row!;
}

function causeOf(requestId: string | undefined): string {
  if (!requestId) return 'no requestId';
  for (let i = h.logs.length - 1; i >= 0; i--) {
    const line = h.logs[i]!;
    if (!line.includes(requestId) || !line.includes('"err"')) continue;
    try {
      const entry = JSON.parse(line) as { err?: { type?: string; message?: string; code?: string } };
      return `${entry.err?.type ?? 'Error'}${entry.err?.code ? ` ${entry.err.code}` : ''}: ${(entry.err?.message ?? '').slice(0, 160)}`;
    } catch {
      return line.slice(0, 200);
    }
  }
  return 'no error logged';
}

let last: Record<string, string> | undefined;
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

async function runCase(c: Case): Promise<number> {
  const before = last ?? (await counts());
  const res = await h.app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.payload === undefined ? {} : { payload: c.payload }) });
  const after = await counts();
  last = after;
  totalCases++;
  const stats = perOp.get(c.op) ?? { cases: 0, statuses: {} };
  stats.cases++;
  stats.statuses[res.statusCode] = (stats.statuses[res.statusCode] ?? 0) + 1;
  perOp.set(c.op, stats);
  const shown = { ...c, ...(c.payload && c.payload.length > 300 ? { payload: `${c.payload.slice(0, 300)}… (${c.payload.length} chars)` } : {}) };
  // The service runs in this process: a `__proto__` key that reached an unsafe merge would show here.
  const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k));
  if (polluted.length) {
    failures.push({ op: c.op, kind: 'prototype-pollution', status: res.statusCode, cause: `Object.prototype gained ${polluted.join(', ')}`, case: shown });
    for (const k of polluted) delete (Object.prototype as Record<string, unknown>)[k];
  }
  if (res.statusCode >= 500) {
    let requestId: string | undefined;
    try {
      requestId = (res.json() as { requestId?: string }).requestId;
    } catch {
      requestId = undefined;
    }
    failures.push({ op: c.op, kind: '5xx', status: res.statusCode, cause: causeOf(requestId), case: shown });
  } else if (res.statusCode >= 400) {
    let type: unknown;
    try {
      type = (res.json() as { type?: unknown }).type;
    } catch {
      type = undefined;
    }
    if (!String(res.headers['content-type'] ?? '').startsWith('application/problem+json') || typeof type !== 'string') {
      failures.push({ op: c.op, kind: 'not-problem-json', status: res.statusCode, cause: `content-type ${String(res.headers['content-type'])}`, case: shown });
    }
    const rows = (v: string | undefined) => v?.split(':')[0];
    const changed = tables
      .filter((t) => before[t] !== after[t])
      .map((t) => (rows(before[t]) === rows(after[t]) ? `${t} rows updated` : `${t} rows ${rows(before[t])}→${rows(after[t])}`));
    if (changed.length) failures.push({ op: c.op, kind: 'partial-write', status: res.statusCode, cause: changed.join(', '), case: shown });
  }
  return res.statusCode;
}

// ---------------------------------------------------------------------------

/** Destructive operations run last, withdrawal of participation at the very end. */
const rank = (op: Operation) =>
  op.method === 'DELETE' && op.path.endsWith('/participation') ? 3 : op.method === 'DELETE' || /withdrawal|close/.test(op.path) ? 2 : op.method === 'GET' ? 0 : 1;
const ordered = [...operations].sort((a, b) => rank(a) - rank(b));

beforeAll(async () => {
  // No background writers during the run: no outbox worker, and no checkpoint comes due (the ticker would sign one).
  h = await startHarness({
    env: { LOG_LEVEL: 'warn', NOTIFY_POLL_MS: '0', WEBHOOKS_ALLOW_PRIVATE: 'true', LEDGER_CHECKPOINT_SECONDS: String(7 * 86_400), LEDGER_CHECKPOINT_ENTRIES: '10000000' },
  });
  tables = (
    await h.sql<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname = current_schema() order by 1`,
    )
  ).map((r) => r.name);
  // Per table: its row count and a digest of its rows' content, so that an
  // update left behind by a refused request is caught as well as an insert.
  countSql = `select ${tables.map((t) => `(select count(*) || ':' || coalesce(sum(hashtext(x::text)), 0) from "${t}" x) as "${t}"`).join(', ')}`;
  buildTokens();
  await buildFixtures();
  console.info(`[fuzz] ${backend}: seed ${SEED} (FUZZ_SEED), ${RUNS} generated cases per operation (FUZZ_RUNS), ${operations.length} operations, ${tables.length} tables watched`);
}, 120_000);

afterAll(async () => {
  const by = new Map<string, number>();
  for (const f of failures) by.set(`${f.kind} ${f.op} — ${f.cause}`, (by.get(`${f.kind} ${f.op} — ${f.cause}`) ?? 0) + 1);
  const fivexx = failures.filter((f) => f.kind === '5xx').length;
  const partial = failures.filter((f) => f.kind === 'partial-write').length;
  const notProblem = failures.filter((f) => f.kind === 'not-problem-json').length;
  const pollution = failures.filter((f) => f.kind === 'prototype-pollution').length;
  console.info(
    [
      `[fuzz] ${backend}: seed ${SEED}: ${totalCases} cases, ${fivexx} 5xx, ${partial} partial writes, ${notProblem} 4xx without problem+json, ${pollution} prototype pollutions`,
      ...[...by.entries()].sort().map(([k, n]) => `  ${n} × ${k}`),
    ].join('\n'),
  );
  if (process.env.FUZZ_REPORT) {
    writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ backend, seed: SEED, runs: RUNS, totalCases, fivexx, partial, notProblem, pollution, perOp: Object.fromEntries(perOp), failures }, null, 2));
  }
  await h?.close();
});

describe(`fuzzing every operation of openapi.yaml (${backend})`, () => {
  it('covers every operation of the spec', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(new Set(ordered.map((o) => o.id)).size).toBe(operations.length);
  });

  it('crafted pagination cursors, with and without a token, are refused with a 4xx', async () => {
    const lists = operations.filter((o) => o.parameters.some((p) => p.name === 'cursor'));
    expect(lists.length).toBeGreaterThanOrEqual(4);
    const mine: Failure[] = [];
    const start = failures.length;
    for (const op of lists) {
      for (const cursor of [...CRAFTED_CURSORS, ...fx.cursors.map((c) => c.slice(0, -2) + (c.endsWith('AA') ? 'BB' : 'AA'))]) {
        for (const auth of [undefined, tokens['delegate-FRA'], tokens.secretariat, tokens.observer]) {
          const url = `${op.path.replace('{code}', 'FRA')}?cursor=${pctEncode(cursor)}`;
          await runCase({ op: op.id, method: 'GET', url, headers: auth ? { authorization: `Bearer ${auth}` } : {}, label: 'crafted cursor' });
        }
      }
    }
    mine.push(...failures.slice(start));
    expect(mine.map((f) => `${f.kind} ${f.status} ${f.case.url} ${f.cause}`)).toEqual([]);
  }, 120_000);

  it('tokens with odd but validly signed claims get no 5xx on any operation', async () => {
    const start = failures.length;
    for (const op of ordered.filter((o) => rank(o) < 2)) {
      const [sample] = fc.sample(caseArb(op), { seed: SEED, numRuns: 1 });
      for (const [name, token] of Object.entries(oddValidTokens)) {
        await runCase({ ...sample!, headers: { ...sample!.headers, authorization: `Bearer ${token}`, ...(op.parameters.some((p) => p.name === 'idempotency-key') ? { 'idempotency-key': `odd-${name}` } : {}) }, label: `odd token ${name}` });
      }
    }
    expect(failures.slice(start).map((f) => `${f.kind} ${f.status} ${f.case.method} ${f.case.url} ${f.case.label} ${f.cause}`)).toEqual([]);
  }, 120_000);

  it('methods the spec does not declare on a path get a problem+json 4xx, never a 5xx', async () => {
    const start = failures.length;
    const paths = [...new Set(operations.map((o) => o.path))];
    for (const p of paths) {
      const declared = new Set(operations.filter((o) => o.path === p).map((o) => o.method as string));
      const url = p.replace('{code}', 'FRA').replace('{counterpart}', 'KEN').replace('{id}', fx.requests[0]!).replace('{size}', '1').replace('{index}', '0');
      for (const method of ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'SEARCH'].filter((m) => !declared.has(m))) {
        const token = method.length % 2 ? tokens['delegate-FRA'] : tokens.secretariat;
        await runCase({ op: `${method} ${p}`, method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}', label: 'undeclared method' });
      }
    }
    expect(failures.slice(start).map((f) => `${f.kind} ${f.status} ${f.case.method} ${f.case.url} ${f.cause}`)).toEqual([]);
  }, 120_000);

  for (const op of ordered) {
    it(`${op.id}: ${RUNS} generated cases, no 5xx, 4xx are problem+json and write nothing`, async () => {
      const start = failures.length;
      const cases = fc.sample(caseArb(op), { seed: SEED ^ hash(op.id), numRuns: RUNS });
      for (const c of cases) await runCase(c);
      expect(failures.slice(start).map((f) => `${f.kind} ${f.status} ${f.case.method} ${f.case.url} [${f.case.label}] ${f.cause}`)).toEqual([]);
    }, 120_000);
  }
});

function hash(s: string): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x = (Math.imul(x, 31) + s.charCodeAt(i)) | 0;
  return x;
}
