/**
 * A witnessed ledger, end to end: three witnesses (two states and an
 * observer organisation) with quorum two, one of them down; cosignatures
 * collected by the checkpoint ticker and served with the checkpoints; the
 * witness status for the secretariat; ledger:verify with a witness policy;
 * and the attack: the holder of the ledger key rebuilds a different history
 * and re-signs it. No witness cosigns it, and a verifier with no saved state
 * refuses it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { runCli } from '../../src/cli/ledger-verify.ts';
import { CompactRange, frontierNodes } from '../../src/tlog/merkle.ts';
import { verifyCosignatures } from '../../src/tlog/cosignature.ts';
import { ed25519KeyPair } from '../../src/tlog/crypto.ts';
import { verifierKeyOf } from '../../src/tlog/note.ts';
import { createWitnessServer } from '../../src/witness/server.ts';
import { FileStore } from '../../src/witness/state.ts';
import { createWitness, type Witness } from '../../src/witness/witness.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

const ORIGIN = 'poc.test/ledger';
const SEED = randomBytes(32);
const logKey = verifierKeyOf(ORIGIN, ed25519KeyPair(SEED).publicKey);
const system: Actor = { role: 'secretariat', sub: 'test-system', state: null };
let now = Date.UTC(2026, 5, 1, 12, 0, 0);

interface RunningWitness {
  witness: Witness;
  server?: Server;
  port: number;
  stateFile: string;
}
const names = ['witness.fra.example/w1', 'witness.deu.example/w1', 'witness.observer.example/w1'];
const witnesses: RunningWitness[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'witnesses-'));

async function listen(w: RunningWitness): Promise<void> {
  const server = createWitnessServer(w.witness, { origins: [ORIGIN] });
  await new Promise<void>((r) => server.listen(w.port, '127.0.0.1', r));
  w.server = server;
  w.port = (server.address() as AddressInfo).port;
}
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

let h: Harness;
let url: string;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  for (const [i, name] of names.entries()) {
    const stateFile = path.join(dir, `w${i}.json`);
    const witness = createWitness({ name, keyPair: ed25519KeyPair(randomBytes(32)), logs: [{ origin: ORIGIN, keys: [logKey] }], store: new FileStore(stateFile) });
    const w: RunningWitness = { witness, port: 0, stateFile };
    if (i < 2) await listen(w);
    else w.port = await freePort(); // the observer's witness is down for now
    witnesses.push(w);
  }
  h = await startHarness({
    env: {
      LEDGER_SIGNING_KEY: SEED.toString('base64'),
      LEDGER_ORIGIN: ORIGIN,
      LEDGER_WITNESSES: JSON.stringify(witnesses.map((w) => ({ url: `http://127.0.0.1:${w.port}`, key: w.witness.verifierKey }))),
      LEDGER_WITNESS_QUORUM: '2',
      LEDGER_WITNESS_TIMEOUT_MS: '10000',
    },
    clock: () => new Date(now),
  });
  url = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h?.close();
  await Promise.all(witnesses.map((w) => w.server && new Promise((r) => w.server!.close(r))));
  vi.useRealTimers();
});

const ledger = () => h.service.services.ledger;
const keys = () => witnesses.map((w) => w.witness.key);
const append = (n: number) =>
  h.database.db.transaction().execute((trx) => ledger().appendAll(trx, Array.from({ length: n }, () => ({ type: 'test.event' as LedgerEventType, actor: system, parties: ['FRA'], subject: {} }))));
async function signNow() {
  const res = await h.request({ method: 'POST', url: '/v1/ledger/checkpoint', token: h.token('secretariat') });
  expect([200, 201]).toContain(res.statusCode);
  return (await ledger().checkpoints.latest(h.database.db))!;
}
const served = async () => (await h.request({ method: 'GET', url: '/v1/ledger/checkpoint', token: h.token('observer') })).json() as { treeSize: number; note: string };
const verifyArgs = (quorum: number) => ['--url', url, '--token', h.token('auditor'), '--public-key', logKey.name && formatLogKey(), ...witnesses.flatMap((w) => ['--witness', w.witness.verifierKey]), '--quorum', String(quorum), '--witness-wait', '0', '--state', path.join(dir, `verify-${randomBytes(4).toString('hex')}.json`)];
let logVkey = '';
const formatLogKey = () => logVkey;

describe('three witnesses, quorum two, the observer down', () => {
  it('each new checkpoint is cosigned by the two witnesses that are up; the one that is down is reported, and appends go on', async () => {
    logVkey = (await h.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey;
    await append(5);
    const checkpoint = await signNow();
    const result = (await ledger().witnessing.collect(h.database.db, checkpoint))!;
    expect(result).toMatchObject({ treeSize: 5, cosignatures: 2, quorum: 2 });
    expect(result.outcomes.find((o) => o.witness === names[2])).toMatchObject({ ok: false, error: expect.stringMatching(/^unreachable/) });

    const note = (await served()).note;
    expect(verifyCosignatures(note, keys()).map((c) => c.name).sort()).toEqual([names[1], names[0]].sort());
    const list = (await h.request({ method: 'GET', url: '/v1/ledger/checkpoints', token: h.token('observer') })).json().checkpoints as { treeSize: number; note: string }[];
    expect(verifyCosignatures(list.find((c) => c.treeSize === 5)!.note, keys())).toHaveLength(2);
    expect(witnesses[0]!.witness.latest(ORIGIN)?.size).toBe(5);

    // Appends do not wait for witnesses.
    expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: h.token('delegate', 'FRA') })).statusCode).toBeLessThan(300);

    const status = await h.request({ method: 'GET', url: '/v1/ledger/witnesses', token: h.token('auditor') });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      quorum: 2,
      latestCheckpoint: { treeSize: 5, cosignatures: 2, witnessed: true },
      witnesses: [
        { name: names[0], cosignedLatest: true, cosignedSize: 5, consecutiveFailures: 0, lastError: null },
        { name: names[1], cosignedLatest: true, cosignedSize: 5 },
        { name: names[2], cosignedLatest: false, cosignedSize: null, consecutiveFailures: 1, lastError: expect.stringMatching(/^unreachable/) },
      ],
    });
    expect((await h.request({ method: 'GET', url: '/v1/ledger/witnesses', token: h.token('delegate', 'FRA') })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/witnesses', token: h.token('observer') })).statusCode).toBe(403);
  });

  it('ledger:verify accepts the cosigned ledger with quorum two and refuses it with quorum three', async () => {
    await signNow(); // the participation entry
    await ledger().witnessing.collect(h.database.db, (await ledger().checkpoints.latest(h.database.db))!);
    const ok = await runCli(verifyArgs(2));
    expect(ok.errors.filter((e) => !e.startsWith('ledger-verify:'))).toEqual([]);
    expect(ok.code).toBe(0);
    expect(ok.report!.cosignedBy!.sort()).toEqual([names[0], names[1]].sort());
    const strict = await runCli(verifyArgs(3));
    expect(strict.code).toBe(1);
    expect(strict.report!.failure!.reason).toMatch(/carries 2 valid cosignature\(s\) .* fewer than the quorum of 3/);
  });

  it('the witness that was down is retried after its backoff and catches up; the ticker does it on its own', async () => {
    await listen(witnesses[2]!);
    const latest = (await ledger().checkpoints.latest(h.database.db))!;
    // Within the backoff: not retried.
    const early = (await ledger().witnessing.collect(h.database.db, latest))!;
    expect(early.outcomes).toEqual([]);
    await append(3);
    now += 60_000;
    vi.advanceTimersByTime(60_000); // ticks: a checkpoint is due (entries 60 s old), signed and submitted
    const deadline = Date.now() + 10_000;
    let note = '';
    while (Date.now() < deadline) {
      const c = await served();
      note = c.note;
      if (c.treeSize === latest.treeSize + 3 && verifyCosignatures(note, keys()).length === 3) break;
      await new Promise((r) => setTimeout(r, 100));
      // Keep the ticks coming (a witness slow under load is retried after its backoff).
      now += 10_000;
      vi.advanceTimersByTime(5_000);
    }
    expect(verifyCosignatures(note, keys())).toHaveLength(3);
    expect(witnesses[2]!.witness.latest(ORIGIN)?.size).toBe(latest.treeSize + 3);
  });

  it('a log that forgot what the witnesses cosigned learns it from their 409s and sends the right consistency proof', async () => {
    await h.sql('delete from ledger_witness_state');
    await append(4);
    const checkpoint = await signNow();
    const result = (await ledger().witnessing.collect(h.database.db, checkpoint))!;
    expect(result.cosignatures).toBe(3);
    for (const w of witnesses) expect(w.witness.latest(ORIGIN)?.size).toBe(checkpoint.treeSize);
    const rows = await h.sql<{ witness: string; cosigned_size: string | number }>('select witness, cosigned_size from ledger_witness_state order by witness');
    expect(rows.map((r) => Number(r.cosigned_size))).toEqual([checkpoint.treeSize, checkpoint.treeSize, checkpoint.treeSize]);
  });
});

describe('the attack: the ledger key holder rebuilds a different history and re-signs it', () => {
  it('every witness refuses the fork, no cosigned checkpoint of it exists, and ledger:verify with a quorum and no saved state refuses it', async () => {
    const honest = (await ledger().checkpoints.latest(h.database.db))!;
    const t = 3; // rewrite history from entry 3 on
    const kept = await h.sql<{ level: number; idx: string; hash: Uint8Array }>('select level, idx, hash from ledger_tree_nodes where (idx + 1) * (2 ^ level)::bigint <= $1', [t]);
    const byId = new Map(kept.map((n) => [`${n.level}/${n.idx}`, new Uint8Array(n.hash)]));
    const frontier = new CompactRange(t, frontierNodes(t).map((n) => byId.get(`${n.level}/${n.index}`)!));
    const triggers = [
      ['ledger_entries', 'ledger_entries_append_only'],
      ['ledger_tree_nodes', 'ledger_tree_nodes_append_only'],
      ['ledger_checkpoints', 'ledger_checkpoints_append_only'],
      ['ledger_cosignatures', 'ledger_cosignatures_append_only'],
      ['ledger_state', 'ledger_state_grows'],
    ];
    for (const [table, trigger] of triggers) await h.sql(`alter table ${table} disable trigger ${trigger}`);
    await h.sql('delete from ledger_entries where seq >= $1', [t]);
    await h.sql('delete from ledger_tree_nodes where (idx + 1) * (2 ^ level)::bigint > $1', [t]);
    await h.sql('delete from ledger_cosignatures');
    await h.sql('delete from ledger_checkpoints where tree_size > $1', [t]);
    await h.sql('update ledger_state set size = $1, frontier = $2', [t, frontier.toBytes()]);
    for (const [table, trigger] of triggers) await h.sql(`alter table ${table} enable trigger ${trigger}`);

    // A different history, appended and signed with the real key, the same size as the honest one and then larger.
    const fra = h.token('delegate', 'FRA');
    for (let i = t; i < honest.treeSize; i++) expect((await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })).statusCode).toBe(201);
    const same = await signNow();
    expect(same.treeSize).toBe(honest.treeSize);
    const sameOutcome = (await ledger().witnessing.collect(h.database.db, same))!;
    expect(sameOutcome.cosignatures).toBe(0);
    expect(sameOutcome.outcomes.map((o) => o.status)).toEqual([409, 409, 409]);

    await append(5);
    const larger = await signNow();
    await h.sql('delete from ledger_witness_state'); // the log claims to know nothing: old size 0, then whatever the witnesses say
    const largerOutcome = (await ledger().witnessing.collect(h.database.db, larger))!;
    expect(largerOutcome.cosignatures).toBe(0);
    expect(largerOutcome.outcomes.map((o) => o.status)).toEqual([422, 422, 422]);
    for (const w of witnesses) expect(w.witness.latest(ORIGIN)?.size).toBe(honest.treeSize);
    expect(await h.sql('select * from ledger_cosignatures')).toEqual([]);

    // Without witnesses, a verifier with no memory sees a consistent, well-signed log...
    const naive = await runCli(['--url', url, '--token', h.token('auditor'), '--public-key', logVkey, '--state', path.join(dir, 'naive.json')]);
    expect(naive.code).toBe(0);
    // ...with the witness policy, with no memory either, it refuses it.
    const r = await runCli(verifyArgs(2));
    expect(r.code).toBe(1);
    expect(r.report!.failure!.reason).toMatch(/carries 0 valid cosignature\(s\)/);
    const tiles = await runCli(['--tiles', `${url}/v1/ledger/tlog/`, '--token', h.token('auditor'), '--public-key', logVkey, ...witnesses.flatMap((w) => ['--witness', w.witness.verifierKey]), '--quorum', '2', '--state', path.join(dir, 'tiles-fork.json')]);
    expect(tiles.code).toBe(1);
    expect(tiles.report!.failure!.reason).toMatch(/fewer than the quorum of 2/);
  });
});
