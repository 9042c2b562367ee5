import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/ledger-verify.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
let url: string;
let dir: string;
let vkey: string;
beforeAll(async () => {
  h = await startHarness();
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  dir = mkdtempSync(path.join(tmpdir(), 'poc-verify-'));
  vkey = (await h.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey;
  const fra = h.token('delegate', 'FRA');
  const deu = h.token('delegate', 'DEU');
  await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
  await h.request({ method: 'PUT', url: '/v1/states/DEU/participation', token: deu });
  for (let i = 0; i < 6; i++) await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() });
  await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('auditor') });
  await h.request({ method: 'POST', url: '/v1/states/DEU/contacts', token: deu, payload: sampleContact() });
});
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const statePath = (name: string) => path.join(dir, name);

describe('npm run ledger:verify', () => {
  it('verifies the whole ledger over the HTTP API with an auditor token, and remembers the checkpoint', async () => {
    const state = statePath('auditor.json');
    const r = await runCli(['--url', url, '--token', h.token('auditor'), '--public-key', vkey, '--state', state]);
    expect(r.errors.filter((e) => !e.startsWith('ledger-verify:'))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ ok: true, mode: 'full', treeSize: 8, entriesChecked: 9, uncoveredEntries: 1 });
    expect(r.output[0]).toMatch(/^ledger verified \(http:\/\/127\.0\.0\.1:\d+, full mode\): checkpoint of 8 entries, root [0-9a-f]{64}$/);
    const saved = JSON.parse(readFileSync(state, 'utf8'));
    expect(saved).toMatchObject({ version: 1, verifierKey: vkey, origin: 'poc-directory/ledger' });
    expect(saved.checkpoint).toContain('\n8\n');

    // Later: more changes, a newer checkpoint; the next run checks it extends the remembered one.
    await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: h.token('delegate', 'FRA'), payload: sampleContact() });
    await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('secretariat') });
    const again = await runCli(['--url', url, '--token', h.token('auditor'), '--state', state, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.output.join('\n'))).toMatchObject({ ok: true, treeSize: 10, consistencyProofsChecked: 1 });
  });

  it('lets a delegate prove the entries of its own state (party mode)', async () => {
    const r = await runCli(['--url', url, '--token', h.token('delegate', 'DEU'), '--party', '--public-key', vkey, '--state', statePath('deu.json')]);
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ ok: true, mode: 'party', entriesChecked: 2, inclusionProofsChecked: 2 });
  });

  it('trusts the served key on first use only, with a warning, and refuses a state made with another key', async () => {
    const state = statePath('tofu.json');
    const r = await runCli(['--url', url, '--token', h.token('auditor'), '--state', state]);
    expect(r.code).toBe(0);
    expect(r.errors[0]).toContain(`trusting the key the server announces on first use: ${vkey}`);
    const other = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    const refused = await runCli(['--url', url, '--token', h.token('auditor'), '--state', state, '--public-key', other]);
    expect(refused.code).toBe(2);
    expect(refused.errors.join('\n')).toContain('was made with the key');
  });

  it('fails with exit status 1 when the checkpoints were signed by another key, and 2 on access or usage errors', async () => {
    const other = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    const wrongKey = await runCli(['--url', url, '--token', h.token('auditor'), '--public-key', other, '--state', statePath('other.json')]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output[0]).toBe('LEDGER VERIFICATION FAILED (' + new URL(url).origin + ', full mode)');
    expect(wrongKey.report!.failure!.reason).toContain('does not verify');
    expect(existsSync(statePath('other.json'))).toBe(false);

    const noToken = await runCli(['--url', url, '--public-key', vkey, '--state', statePath('x.json')]);
    expect(noToken.code).toBe(2);
    expect(noToken.errors.join('\n')).toContain('HTTP 401');
    expect((await runCli(['--state', statePath('x.json')])).code).toBe(2);
    expect((await runCli(['--url', url, '--database-url', 'postgres://x'])).code).toBe(2);
  });

  it('runs as a command: exit status 0 and the summary on stdout', async () => {
    const exec = promisify(execFile);
    const { stdout, stderr } = await exec(path.resolve('node_modules/.bin/tsx'), ['src/cli/ledger-verify.ts', '--url', url, '--public-key', vkey, '--state', statePath('cmd.json')], {
      env: { ...process.env, LEDGER_VERIFY_TOKEN: h.token('auditor') },
    });
    expect(stdout).toMatch(/^ledger verified \(.*full mode\): checkpoint of 10 entries/);
    expect(stderr).toBe(''); // piped: no progress lines
  });
  it('verifies over HTTP an entry whose parsed form does not serialise back to its canonical text (integer-like keys), and still fails a changed one', async () => {
    // JSON.parse puts integer-like keys first, so JSON.stringify of the served entry differs from its
    // RFC 8785 text ("10" sorts before "9"): the verifier must fall back to canonicalising it.
    const ledger = h.service.services.ledger;
    await h.database.db.transaction().execute((trx) =>
      ledger.appendAll(trx, [{ type: 'test.keys' as never, actor: { role: 'secretariat', sub: 'keys', state: null }, parties: ['FRA'], subject: { '9': 'b', '10': 'a', z: 'c' } }]),
    );
    await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('auditor') });
    const row = (await h.sql<{ seq: string; canonical: string }>(`select seq, canonical from ledger_entries where type = 'test.keys'`))[0]!;
    expect(row.canonical).toContain('"subject":{"10":"a","9":"b","z":"c"}');
    expect(JSON.stringify(JSON.parse(row.canonical))).not.toBe(row.canonical);
    const ok = await runCli(['--url', url, '--token', h.token('auditor'), '--public-key', vkey, '--state', statePath('keys.json'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.output.join('\n'))).toMatchObject({ ok: true });
    // The same entry changed at rest: both serialisations miss its leaf hash.
    await h.sql(`alter table ledger_entries disable trigger ledger_entries_append_only`);
    try {
      await h.sql(`update ledger_entries set canonical = replace(canonical, '"10":"a"', '"10":"A"') where seq = ${row.seq}`);
      const bad = await runCli(['--url', url, '--token', h.token('auditor'), '--public-key', vkey, '--state', statePath('keys-bad.json'), '--json']);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.output.join('\n')).failure).toMatchObject({ firstBadIndex: Number(row.seq) });
    } finally {
      await h.sql(`update ledger_entries set canonical = $1 where seq = ${row.seq}`, [row.canonical]);
      await h.sql(`alter table ledger_entries enable trigger ledger_entries_append_only`);
    }
  });
});
