/**
 * A crisis scenario against a running service (npm start), through the typed
 * client (src/client), printed as a transcript: France sends Kenya a request
 * for assistance; Kenya acknowledges, declines (no reason needed), France
 * closes the exchange; a late answer is refused, the secretariat sees only
 * metadata, and Kenya reads the ledger entries its state is party to.
 *
 *   npm run demo [-- BASE_URL]        (default $BASE or http://localhost:3000)
 *
 * Tokens are development tokens, minted as `npm run token` does (the same
 * JWT_SECRET or DATA_DIR/dev-keys as the server).
 */
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { mintDevToken } from '../src/auth/dev-token.ts';
import { createDirectoryClient, ProblemError, unwrap, type DirectoryClient } from '../src/client/index.ts';
import { loadConfig } from '../src/config.ts';

export interface DemoOptions {
  baseUrl: string;
  /** Mints a token (default: a development token from the environment's configuration). */
  token?: (role: 'delegate' | 'secretariat', state?: string, sub?: string) => Promise<string>;
  /** Where the transcript goes (default: stdout). */
  print?: (line: string) => void;
  /** How long to wait for /readyz (default 30 s). */
  readyTimeoutMs?: number;
}

export interface DemoResult {
  requestId: string;
  /** Status after each transition: sent, acknowledged, declined, closed. */
  statuses: string[];
  /** The refusal of the late answer. */
  lateAnswer: ProblemError;
  /** What the secretariat reads: metadata only. */
  secretariatView: Record<string, unknown>;
  /** Kenya's view of the ledger: index and entry type. */
  ledger: { index: number; type: string; leafHash: string }[];
}

const brief = (o: Record<string, unknown>, keys: string[]) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, o[k]])));

async function waitReady(api: DirectoryClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await api.GET('/readyz')).response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the service is not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runCrisisDemo({ baseUrl, token, print = (l) => process.stdout.write(`${l}\n`), readyTimeoutMs = 30_000 }: DemoOptions): Promise<DemoResult> {
  const mint = token ?? ((role, state, sub) => mintDevToken(loadConfig(), { role, state, sub }));
  await waitReady(createDirectoryClient({ baseUrl }), readyTimeoutMs);
  print(`# ${baseUrl} is ready`);
  const fra = createDirectoryClient({ baseUrl, token: await mint('delegate', 'FRA', 'fra-desk-officer') });
  const ken = createDirectoryClient({ baseUrl, token: await mint('delegate', 'KEN', 'ken-cert-duty') });
  const sec = createDirectoryClient({ baseUrl, token: await mint('secretariat') });
  const step = (what: string, line: string) => print(`$ ${what}\n${line}\n`);

  for (const [code, api] of [['FRA', fra], ['KEN', ken]] as const) {
    const r = unwrap(await api.PUT('/v1/states/{code}/participation', { params: { path: { code } } }));
    step(`${code}: PUT /v1/states/${code}/participation`, JSON.stringify({ participation: r.participation, receipt: 'receipt' in r ? r.receipt : null }));
  }

  const contact = unwrap(
    await ken.POST('/v1/states/{code}/contacts', {
      params: { path: { code: 'KEN' } },
      body: {
        domains: ['technical'],
        name: 'Amina Otieno',
        title: 'KE-CIRT duty officer',
        rank: 'senior officer',
        organization: 'KE-CIRT/CC',
        email: 'duty@cirt.example.ke',
        phone: '+254 700 000001',
        languages: ['en', 'sw'],
        timezone: 'Africa/Nairobi',
        availability: '24/7',
      },
    }),
  );
  step('KEN: POST /v1/states/KEN/contacts (Amina Otieno, technical)', JSON.stringify({ receipt: contact.receipt }));

  const statuses: string[] = [];
  const sent = unwrap(
    await fra.POST('/v1/requests', {
      params: { header: { 'idempotency-key': `fra-demo-${randomUUID()}` } },
      body: {
        to: 'KEN',
        domain: 'technical',
        type: 'request-for-assistance',
        urgency: 'urgent',
        subject: 'Ransomware on port authority systems',
        incidentSummary: 'Since 03:00 UTC the port authority network is encrypted; the command-and-control servers appear to be hosted in Kenya.',
        ask: 'Please help take down the servers listed by our CERT.',
        tlp: 'AMBER',
        language: 'en',
      },
    }),
  );
  const id = sent.request.id;
  statuses.push(sent.request.status);
  step('FRA: POST /v1/requests (to KEN, urgent, TLP:AMBER)', `${brief(sent.request, ['id', 'from', 'to', 'status', 'urgency', 'subject'])} receipt ${JSON.stringify(sent.receipt)}`);

  const path = { path: { id } };
  const acked = unwrap(await ken.POST('/v1/requests/{id}/acknowledgement', { params: path }));
  statuses.push(acked.request.status);
  step(`KEN: POST /v1/requests/${id}/acknowledgement`, `${brief(acked.request, ['status', 'acknowledgedAt'])} receipt ${JSON.stringify(acked.receipt)}`);

  const declined = unwrap(await ken.POST('/v1/requests/{id}/responses', { params: path, body: { decision: 'decline' } }));
  statuses.push(declined.request.status);
  step(`KEN: POST /v1/requests/${id}/responses {"decision":"decline"}`, `${brief(declined.request, ['status', 'responses'])} receipt ${JSON.stringify(declined.receipt)}`);

  const closed = unwrap(await fra.POST('/v1/requests/{id}/close', { params: path }));
  statuses.push(closed.request.status);
  step(`FRA: POST /v1/requests/${id}/close`, `${brief(closed.request, ['status', 'closedAt'])} receipt ${JSON.stringify(closed.receipt)}`);

  let lateAnswer: ProblemError | undefined;
  try {
    unwrap(await ken.POST('/v1/requests/{id}/responses', { params: path, body: { decision: 'answer', body: 'too late' } }));
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    lateAnswer = err;
  }
  if (!lateAnswer) throw new Error('the late answer was accepted');
  step(`KEN: POST /v1/requests/${id}/responses {"decision":"answer","body":"too late"}`, `refused: ${lateAnswer.message}`);

  const secretariatView = unwrap(await sec.GET('/v1/requests/{id}', { params: path })) as unknown as Record<string, unknown>;
  step(`secretariat: GET /v1/requests/${id}`, JSON.stringify(secretariatView));

  const page = unwrap(await ken.GET('/v1/ledger/entries', { params: { query: { from: 0, limit: 100 } } }));
  const ledger = page.entries.map((e) => ({ index: e.index, type: e.entry.type, leafHash: e.leafHash }));
  step('KEN: GET /v1/ledger/entries?from=0&limit=100', ledger.map((e) => `${e.index} ${e.type} ${e.leafHash.slice(0, 16)}`).join('\n'));

  return { requestId: id, statuses, lateAnswer, secretariatView, ledger };
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const arg = process.argv[2];
  if (arg === '--help' || arg === '-h') {
    process.stdout.write('usage: npm run demo [-- BASE_URL]   (default $BASE or http://localhost:3000)\n');
    process.exit(0);
  }
  const baseUrl = arg ?? process.env.BASE ?? 'http://localhost:3000';
  if (process.argv.length > 3 || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    process.stderr.write(`crisis-demo: expected one http(s) base URL, got ${JSON.stringify(process.argv.slice(2).join(' ') || baseUrl)}\nusage: npm run demo [-- BASE_URL]\n`);
    process.exit(2);
  }
  try {
    await runCrisisDemo({ baseUrl });
  } catch (err) {
    process.stderr.write(`crisis-demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
