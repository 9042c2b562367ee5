/**
 * A malicious database administrator (superuser) rewrites the ledger behind
 * the service's back, with the append-only triggers disabled. The verifier,
 * over the HTTP API and over the database, must detect every rewrite and name
 * the first bad index.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/ledger-verify.ts';
import { canonicalJson, leafHash } from '../../src/ledger/entry.ts';
import { CompactRange, frontierNodes } from '../../src/ledger/merkle.ts';
import { parseVerifierKey } from '../../src/ledger/note.ts';
import { DatabaseSource } from '../../src/ledger/verify-sources.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'poc-tamper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Log {
  h: Harness;
  url: string;
  vkey: string;
  state: string;
}

/**
 * A fresh database with 40 entries (joins, contacts created, updated and
 * deleted), checkpoints at 8, 20, 32 and 40, and one verified run behind it.
 */
async function buildLog(name: string): Promise<Log> {
  const h = await startHarness();
  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const auditor = h.token('auditor');
  const states = ['FRA', 'DEU', 'KEN', 'BRA'];
  const tokens = Object.fromEntries(states.map((s) => [s, h.token('delegate', s)]));
  let size = 0;
  const checkpointAt = new Set([8, 20, 32, 40]);
  const step = async (res: Promise<{ statusCode: number }>) => {
    expect((await res).statusCode).toBeLessThan(300);
    size += 1;
    if (checkpointAt.has(size)) expect((await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: auditor })).statusCode).toBe(201);
  };
  for (const s of states) await step(h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: tokens[s] }));
  while (size < 40) {
    const s = states[size % 4]!;
    const created = await h.request({ method: 'POST', url: `/v1/states/${s}/contacts`, token: tokens[s], payload: sampleContact() });
    await step(Promise.resolve(created));
    if (size < 40 && size % 3 === 0) await step(h.request({ method: 'PATCH', url: `/v1/contacts/${created.json().contact.id}`, token: tokens[s], payload: { rank: 'minister' } }));
  }
  const vkey = (await h.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey;
  const state = path.join(dir, `${name}.json`);
  const first = await runCli(['--url', url, '--token', auditor, '--public-key', vkey, '--state', state]);
  expect(first.code).toBe(0);
  expect(first.report!.treeSize).toBe(40);
  return { h, url, vkey, state };
}

/** As the superuser: the triggers that refuse UPDATE/DELETE are switched off for the statements given. */
async function asDba(h: Harness, statements: (sql: Harness['sql']) => Promise<void>) {
  await h.sql('alter table ledger_entries disable trigger ledger_entries_append_only');
  await h.sql('alter table ledger_entries disable trigger ledger_entries_no_truncate');
  try {
    await statements(h.sql.bind(h));
  } finally {
    await h.sql('alter table ledger_entries enable trigger ledger_entries_append_only');
    await h.sql('alter table ledger_entries enable trigger ledger_entries_no_truncate');
  }
}

const entryAt = async (h: Harness, seq: number) =>
  JSON.parse((await h.sql<{ canonical: string }>('select canonical from ledger_entries where seq = $1', [seq]))[0]!.canonical) as Record<string, unknown>;

/**
 * Runs the verifier over HTTP and over the database, both remembering the run
 * made before the rewrite; both must fail, naming the same first bad index.
 */
async function expectDetected(log: Log, firstBadIndex: number, reason: RegExp) {
  const http = await runCli(['--url', log.url, '--token', log.h.token('auditor'), '--state', log.state]);
  expect(http.code).toBe(1);
  expect(http.report!.failure).toEqual({ firstBadIndex, reason: expect.stringMatching(reason) });
  expect(http.output[1]).toBe(`first bad index: ${firstBadIndex}`);
  const db = await runCli(['--database-url', log.h.url!, '--public-key', log.vkey, '--state', log.state]);
  expect(db.code).toBe(1);
  expect(db.report!.failure).toEqual({ firstBadIndex, reason: expect.stringMatching(reason) });
}

describe('a superuser rewriting the ledger is caught by npm run ledger:verify', () => {
  const logs: Log[] = [];
  const start = async (name: string) => {
    const log = await buildLog(name);
    logs.push(log);
    return log;
  };
  afterAll(async () => {
    for (const log of logs) await log.h.close();
  });

  it('edits one entry body', async () => {
    const log = await start('edit');
    const entry = await entryAt(log.h, 17);
    const forged = canonicalJson({ ...entry, actor: { ...(entry.actor as object), sub: 'someone-else' } });
    await asDba(log.h, (sql) => sql('update ledger_entries set canonical = $1 where seq = 17', [forged]).then(() => undefined));
    await expectDetected(log, 17, /^entry 17 does not hash to its leaf hash/);
  });

  it('edits one entry body and its leaf hash to match', async () => {
    const log = await start('edit-rehash');
    const entry = await entryAt(log.h, 25);
    const forged = canonicalJson({ ...entry, type: 'contact.deleted' });
    await asDba(log.h, (sql) => sql('update ledger_entries set canonical = $1, leaf_hash = $2 where seq = 25', [forged, leafHash(forged)]).then(() => undefined));
    await expectDetected(log, 25, /^entries 0\.\.24 are proven to match the checkpoint of size 32; entry 25 does not match it/);
  });

  it('from the database in chunks smaller than the log (worker-checked, one chunk ahead): passes untouched, and names a stored text that is not JSON', async () => {
    const log = await start('chunks');
    const key = parseVerifierKey(log.vkey);
    for (const chunk of [1, 7, 40, 41]) {
      const report = await verifyLedger(new DatabaseSource(log.h.database, 'database', chunk), { key, mode: 'full' });
      expect(report).toMatchObject({ ok: true, treeSize: 40, entriesChecked: 40 });
    }
    await asDba(log.h, (sql) => sql(`update ledger_entries set canonical = '{"index": 23, "type"' where seq = 23`).then(() => undefined));
    for (const chunk of [7, 40]) {
      const report = await verifyLedger(new DatabaseSource(log.h.database, 'database', chunk), { key, mode: 'full' });
      expect(report.failure).toEqual({ firstBadIndex: 23, reason: 'entry 23 cannot be served: the stored entry is not JSON' });
      expect(report.entriesChecked).toBe(23);
    }
    await expectDetected(log, 23, /^entry 23 cannot be served/);
  });

  it('deletes an entry', async () => {
    const log = await start('delete');
    await asDba(log.h, (sql) => sql('delete from ledger_entries where seq = 11').then(() => undefined));
    await expectDetected(log, 11, /^entry 11 is missing \(the log continues with entry 12\)$/);
  });

  it('swaps two entries', async () => {
    const log = await start('swap');
    await asDba(log.h, (sql) =>
      sql(`update ledger_entries e set type = o.type, parties = o.parties, canonical = o.canonical, leaf_hash = o.leaf_hash, created_at = o.created_at
           from ledger_entries o where (e.seq, o.seq) in ((9, 30), (30, 9))`).then(() => undefined),
    );
    await expectDetected(log, 9, /^the entry at position 9 says it is entry 30$/);
  });

  it('truncates the tail and appends different, well-formed entries in its place', async () => {
    const log = await start('truncate');
    await asDba(log.h, async (sql) => {
      const tail = await sql<{ seq: string; canonical: string; created_at: Date }>('select seq, canonical, created_at from ledger_entries where seq >= 27 order by seq');
      await sql('delete from ledger_entries where seq >= 27');
      for (const row of tail) {
        const forged = canonicalJson({ ...JSON.parse(row.canonical), facts: { forged: true } });
        await sql(`insert into ledger_entries (seq, type, parties, canonical, leaf_hash, created_at) values ($1, 'contact.created', '{}', $2, $3, $4)`, [
          row.seq,
          forged,
          leafHash(forged),
          row.created_at,
        ]);
      }
    });
    await expectDetected(log, 27, /^entries 0\.\.26 are proven to match the checkpoint of size 32; entry 27 does not match it/);
  });

  it('truncates the tail, rebuilds the tree behind it and lets the service append and sign a different history', async () => {
    const log = await start('fork');
    const t = 20;
    const h = log.h;
    // Everything about entries >= t goes, tree state included, so the service carries on from t.
    const kept = await h.sql<{ level: number; idx: string; hash: Uint8Array }>('select level, idx, hash from ledger_tree_nodes where (idx + 1) * (2 ^ level)::bigint <= $1', [t]);
    const byId = new Map(kept.map((n) => [`${n.level}/${n.idx}`, new Uint8Array(n.hash)]));
    const frontier = new CompactRange(
      t,
      frontierNodes(t).map((n) => byId.get(`${n.level}/${n.index}`)!),
    );
    for (const table of ['ledger_tree_nodes', 'ledger_checkpoints']) await h.sql(`alter table ${table} disable trigger ${table}_append_only`);
    await h.sql('alter table ledger_state disable trigger ledger_state_grows');
    await asDba(h, async (sql) => {
      await sql('delete from ledger_entries where seq >= $1', [t]);
      await sql('delete from ledger_tree_nodes where (idx + 1) * (2 ^ level)::bigint > $1', [t]);
      await sql('delete from ledger_checkpoints where tree_size > $1', [t]);
      await sql('update ledger_state set size = $1, frontier = $2', [t, frontier.toBytes()]);
    });
    for (const table of ['ledger_tree_nodes', 'ledger_checkpoints']) await h.sql(`alter table ${table} enable trigger ${table}_append_only`);
    await h.sql('alter table ledger_state enable trigger ledger_state_grows');
    // The service appends a different history and signs it with its real key.
    const fra = h.token('delegate', 'FRA');
    for (let i = 0; i < 25; i++) expect((await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })).statusCode).toBe(201);
    expect((await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('auditor') })).json().treeSize).toBe(45);

    // A verifier without memory sees a consistent, well-signed log...
    expect((await runCli(['--url', log.url, '--token', h.token('auditor'), '--public-key', log.vkey, '--state', path.join(dir, 'fresh.json')])).code).toBe(0);
    // ...the one that remembers checkpoint 40 does not: entries 0..19 are still proven good by the checkpoint of 20.
    await expectDetected(log, 20, /^entries 0\.\.19 are proven to match the checkpoint of size 40 verified in the last run; entry 20 does not match it/);
  });

  it('inserts a checkpoint it could not sign', async () => {
    const log = await start('forged-checkpoint');
    // The DBA has every signed note, but not the key: a note for another size cannot carry a valid signature.
    const [signed] = await log.h.sql<{ note: string; root_hash: Uint8Array }>('select note, root_hash from ledger_checkpoints where tree_size = 40');
    const forged = signed!.note.replace('\n40\n', '\n41\n');
    await log.h.sql('insert into ledger_checkpoints (tree_size, root_hash, note, created_at) values (41, $1, $2, now())', [signed!.root_hash, forged]);
    const r = await runCli(['--url', log.url, '--token', log.h.token('auditor'), '--state', log.state]);
    expect(r.code).toBe(1);
    expect(r.report!.failure).toEqual({ firstBadIndex: null, reason: expect.stringContaining('the log serves a checkpoint that does not verify: invalid signature') });
  });

  it('is reported by the command with exit status 1 and the first bad index', async () => {
    const log = logs[0]!; // the edited entry body
    const exec = promisify(execFile);
    const run = exec(path.resolve('node_modules/.bin/tsx'), ['src/cli/ledger-verify.ts', '--database-url', log.h.url!, '--public-key', log.vkey, '--state', path.join(dir, 'cmd.json')]);
    const err = await run.then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stdout).toContain('LEDGER VERIFICATION FAILED (database, full mode)\nfirst bad index: 17\n');
  });
});
