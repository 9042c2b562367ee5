/**
 * The crisis demo (scripts/crisis-demo.ts), run through the typed client against
 * a listening service, with tokens minted by the `npm run token` helper.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrisisDemo } from '../../scripts/crisis-demo.ts';
import { mintDevToken } from '../../src/auth/dev-token.ts';
import { loadConfig } from '../../src/config.ts';
import { JWT_SECRET, startHarness, type Harness } from '../harness.ts';

let h: Harness;
let url: string;
beforeAll(async () => {
  h = await startHarness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h?.close();
});

describe('npm run demo', () => {
  it('runs the crisis tour through the typed client: sent, acknowledged, declined, closed, a late answer refused, the ledger holds each step', async () => {
    const key = () => randomBytes(32).toString('base64');
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET, POC_MASTER_KEY: key(), POC_INDEX_KEY: key() });
    const lines: string[] = [];
    const r = await runCrisisDemo({ baseUrl: url, token: (role, state, sub) => mintDevToken(config, { role, state, sub }), print: (l) => lines.push(l) });

    expect(r.statuses).toEqual(['sent', 'acknowledged', 'declined', 'closed']);
    expect(r.lateAnswer).toMatchObject({ status: 409, type: expect.stringMatching(/\/invalid-transition$/) });
    expect(r.lateAnswer.message).toMatch(/^\/v1\/requests\/[0-9a-f-]{36}\/responses: HTTP 409 .+: cannot answer a request that is closed \(.+\/invalid-transition\)$/);
    // The secretariat sees metadata, never content.
    expect(r.secretariatView).toMatchObject({ id: r.requestId, from: 'FRA', to: 'KEN', status: 'closed' });
    expect(JSON.stringify(r.secretariatView)).not.toMatch(/Ransomware|port authority/);
    // Kenya's view of the ledger: its joining, its contact, and the four steps of the exchange.
    expect(r.ledger.map((e) => e.type)).toEqual(['state.joined', 'contact.created', 'request.sent', 'request.acknowledged', 'request.declined', 'request.closed']);
    const stored = await h.sql<{ seq: string; leaf_hash: Buffer }>('select seq, leaf_hash from ledger_entries order by seq');
    for (const e of r.ledger) expect(Buffer.from(stored.find((s) => Number(s.seq) === e.index)!.leaf_hash).toString('hex')).toBe(e.leafHash);
    const requests = await h.sql<{ status: string }>('select status from requests where id = $1', [r.requestId]);
    expect(requests).toEqual([{ status: 'closed' }]);
    expect(lines.join('\n')).toContain(`FRA: POST /v1/requests/${r.requestId}/close`);
  });

  it('refuses with the problem as one line when the token is not accepted', async () => {
    const err = await runCrisisDemo({ baseUrl: url, token: async () => 'not-a-token', print: () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ProblemError', status: 401 });
    expect((err as Error).message).toMatch(/^\/v1\/states\/FRA\/participation: HTTP 401 /);
  });

  it('as a command: --help exits 0, an argument that is not a base URL is one line and exit 2', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/crisis-demo.ts', ...args], { timeout: 20_000 }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: npm run demo/) });
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('crisis-demo: expected one http(s) base URL, got "--bogus"\nusage: npm run demo [-- BASE_URL]\n');
  });
});
