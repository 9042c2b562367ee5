/**
 * Witness costs (npm run bench:witness):
 *
 * 1. What a witness spends per checkpoint: add-checkpoint handled in-process
 *    (log signature check, consistency proof, durable state write with fsync,
 *    cosignature), CPU time and wall time per call, and the HTTP round trip.
 * 2. How long a checkpoint takes to gather its quorum: the log side
 *    (ledger service on embedded PGlite) submitting each new checkpoint to
 *    three witnesses over HTTP on this machine, quorum two.
 *
 * CPU figures are per call (process.cpuUsage), which holds up on a shared
 * machine; wall times include waiting for the CPU and the disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Actor } from '../src/auth/actor.ts';
import { initCrypto } from '../src/crypto/index.ts';
import { openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createLedgerService } from '../src/ledger/service.ts';
import { ed25519KeyPair } from '../src/tlog/crypto.ts';
import { hashLeaf, MemoryTree } from '../src/tlog/merkle.ts';
import { encodeBase64, formatCheckpoint, signNote, verifierKeyOf } from '../src/tlog/note.ts';
import { createWitnessServer } from '../src/witness/server.ts';
import { FileStore } from '../src/witness/state.ts';
import { createWitness } from '../src/witness/witness.ts';
import type { LedgerEventType } from '../src/ledger/events.ts';

const ORIGIN = 'bench.example/ledger';
const SEED = new Uint8Array(32).fill(11);
const logPair = ed25519KeyPair(SEED);
const logKey = verifierKeyOf(ORIGIN, logPair.publicKey);
const CALLS = Number(process.env.BENCH_WITNESS_CALLS ?? 300);
const CHECKPOINTS = Number(process.env.BENCH_WITNESS_CHECKPOINTS ?? 30);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p99 ${pct(xs, 99).toFixed(2)} ms`;

const dir = mkdtempSync(path.join(tmpdir(), 'bench-witness-'));
function witnessAt(i: number) {
  return createWitness({ name: `witness${i}.bench.example`, keyPair: ed25519KeyPair(new Uint8Array(32).fill(20 + i)), logs: [{ origin: ORIGIN, keys: [logKey] }], store: new FileStore(path.join(dir, `w${i}.json`)) });
}

async function witnessCost() {
  const tree = new MemoryTree(Array.from({ length: 100 + CALLS * 100 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`))));
  const note = (size: number) => signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: tree.root(size) }), ORIGIN, logPair);
  const body = (old: number, size: number) => `old ${old}\n${tree.consistencyProof(old, size).map((p) => `${encodeBase64(p)}\n`).join('')}\n${note(size)}`;
  // In-process: the witness's own cost.
  const w = witnessAt(0);
  const bodies = Array.from({ length: CALLS }, (_, i) => (i === 0 ? `old 0\n\n${note(100)}` : body(100 * i, 100 * (i + 1))));
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const b of bodies) {
    const t = performance.now();
    const r = await w.addCheckpoint(b);
    wall.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`witness answered ${r.status}`);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`witness, in process: ${CALLS} add-checkpoint (growth 100 entries, proofs of ~${tree.consistencyProof(100 * (CALLS - 1), 100 * CALLS).length} hashes, state fsynced each time)`);
  console.log(`  CPU ${((cpu.user + cpu.system) / 1000 / CALLS).toFixed(3)} ms per checkpoint (user ${(cpu.user / 1000 / CALLS).toFixed(3)}, system ${(cpu.system / 1000 / CALLS).toFixed(3)}); wall ${fmt(wall)}`);

  // Over HTTP (keep-alive fetch): round trip.
  const w2 = witnessAt(1);
  const server = createWitnessServer(w2, { origins: [ORIGIN] });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/add-checkpoint`;
  const rtt: number[] = [];
  for (const b of bodies) {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', body: b });
    await res.text();
    rtt.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`witness answered ${res.status}`);
  }
  console.log(`witness over HTTP on loopback: round trip ${fmt(rtt)}`);
  await new Promise((r) => server.close(r));
}

async function quorumTime() {
  const servers = await Promise.all(
    [2, 3, 4].map(async (i) => {
      const server = createWitnessServer(witnessAt(i), { origins: [ORIGIN] });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return server;
    }),
  );
  const witnesses = [2, 3, 4].map((i, k) => ({ name: `witness${i}.bench.example`, url: `http://127.0.0.1:${(servers[k]!.address() as AddressInfo).port}`, key: witnessAt(i).key }));
  await initCrypto();
  const database = await openDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  const ledger = createLedgerService({
    clock: () => new Date(),
    commitmentKey: new Uint8Array(32),
    signingSeed: SEED,
    origin: ORIGIN,
    checkpointPolicy: { maxEntries: 1000, maxSeconds: 60 },
    witnesses: { list: witnesses, quorum: 2, timeoutMs: 5000 },
  });
  const actor: Actor = { role: 'secretariat', sub: 'bench', state: null };
  const times: number[] = [];
  for (let i = 0; i < CHECKPOINTS; i++) {
    await database.db.transaction().execute((trx) => ledger.appendAll(trx, Array.from({ length: 50 }, () => ({ type: 'bench.event' as LedgerEventType, actor, parties: ['FRA'], subject: {} }))));
    const { checkpoint } = await ledger.checkpoints.sign(database.db, 'now');
    const result = (await ledger.witnessing.collect(database.db, checkpoint))!;
    if (result.cosignatures < 2) throw new Error(`quorum not reached: ${JSON.stringify(result.outcomes)}`);
    times.push(result.ms);
  }
  console.log(`log side: ${CHECKPOINTS} checkpoints (50 entries apart) each submitted to 3 witnesses in parallel, quorum 2: time to gather the cosignatures ${fmt(times)}`);
  await database.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
}

try {
  await witnessCost();
  await quorumTime();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
