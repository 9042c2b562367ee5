/**
 * Child process of bench/ledger.ts: one service instance's ledger (the real
 * createLedgerService over its own pg pool) appending as fast as it can.
 * BENCH_CONCURRENCY loops each run one change per append (what every state
 * change does: ledger.change, which returns once the entry is integrated), from BENCH_START_AT (epoch ms, so that several
 * instances start together) for BENCH_DURATION_MS. Prints one JSON line:
 * {appends, errors, latenciesMs: [p50, p99]}.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../src/auth/actor.ts';
import { initCrypto } from '../src/crypto/index.ts';
import { openDatabase } from '../src/db/index.ts';
import { createLedgerService, ledgerSettings } from '../src/ledger/service.ts';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

await initCrypto();
const concurrency = Number(env('BENCH_CONCURRENCY'));
const startAt = Number(env('BENCH_START_AT'));
const endAt = startAt + Number(env('BENCH_DURATION_MS'));
const database = await openDatabase({ kind: 'postgres', url: env('DATABASE_URL'), poolMax: concurrency });
const ledger = createLedgerService({
  clock: () => new Date(),
  commitmentKey: new Uint8Array(32).fill(1),
  ...ledgerSettings({ ledgerSigningSeed: Buffer.from(env('LEDGER_SIGNING_KEY'), 'base64') }),
});
const actor: Actor = { role: 'delegate', sub: `bench-${process.pid}`, state: 'FRA' };

let appends = 0;
let errors = 0;
const latencies: number[] = [];
await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < endAt) {
      const t0 = performance.now();
      try {
        await ledger.change(database.db, (trx) =>
          ledger.append(trx, {
            type: 'contact.updated',
            actor,
            parties: ['FRA'],
            subject: { state: 'FRA', contact: randomUUID() },
            facts: { changed: ['rank'], version: 2, visibility: 'confidential' },
            content: { rank: 'director' },
          }),
        );
        appends += 1;
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  }),
);
await database.close();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
process.stdout.write(`${JSON.stringify({ appends, errors, latenciesMs: [pct(50), pct(99)] })}\n`);
