/**
 * Key rotation on real PostgreSQL: time to rotate one state's data key with
 * N contacts (re-encrypting every field of every contact), and to re-wrap
 * every data key under a new master key, while nothing else runs.
 *   npm run bench:rotation          (BENCH_CONTACTS_ROTATION, default 10000)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import { checkPostgres, dropBenchDatabase, recreateBenchDatabase } from './db.ts';

const N = Number(process.env.BENCH_CONTACTS_ROTATION ?? 10_000);
const STATES = 20;

const version = await checkPostgres();
const url = await recreateBenchDatabase();
const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-bench-rot-'));
const key = () => randomBytes(32).toString('base64');
const oldMaster = key();
const base = { NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: url, JWT_SECRET: randomBytes(32).toString('hex'), POC_INDEX_KEY: key(), LOG_LEVEL: 'silent' };

try {
  const service = await startService(loadConfig({ ...base, POC_MASTER_KEY: oldMaster }), createLogger('silent'));
  const { states, contacts, rotation } = service.services;
  const delegate = (state: string) => ({ role: 'delegate' as const, sub: `bench-${state}`, state });
  const codes = ['FRA', 'DEU', 'ITA', 'ESP', 'NLD', 'BEL', 'AUT', 'SWE', 'FIN', 'DNK', 'NOR', 'POL', 'CZE', 'PRT', 'IRL', 'GRC', 'HUN', 'ROU', 'BGR', 'HRV'].slice(0, STATES);
  for (const s of codes) await states.join(delegate(s), s);

  process.stdout.write(`seeding ${N} contacts of FRA through the contacts service (each with its ledger entry)...\n`);
  const t0 = performance.now();
  const CONCURRENCY = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        await contacts.create(delegate('FRA'), 'FRA', {
          domains: ['technical'],
          name: `Contact ${i} Łukasiewicz`,
          title: 'Head of National CERT',
          rank: 'director',
          organization: 'Agence nationale de la sécurité',
          email: `contact.${i}@cert.example.fr`,
          phone: '+33123456789',
          languages: ['fr', 'en'],
          timezone: 'Europe/Paris',
          availability: '24/7',
          notes: 'Prefers Signal for urgent calls',
        });
      }
    }),
  );
  const seedS = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const result = await rotation.rotateStateKey('FRA', { batchSize: 500 });
  const rotateS = (performance.now() - t1) / 1000;
  await service.close();

  const rewrapper = await startService(loadConfig({ ...base, POC_MASTER_KEY: key(), POC_MASTER_KEY_PREVIOUS: oldMaster }), createLogger('silent'));
  const t2 = performance.now();
  const master = await rewrapper.services.rotation.rotateMaster();
  const masterS = (performance.now() - t2) / 1000;
  await rewrapper.close();

  const rows = [
    ['PostgreSQL', version],
    ['contacts seeded', `${N} in ${seedS.toFixed(1)} s (${(N / seedS).toFixed(0)}/s via contacts.create, 8 concurrent)`],
    ['rotate-state-key FRA', `${result.reencrypted ?? 0} contacts re-encrypted (11 fields each) in ${rotateS.toFixed(2)} s = ${((result.reencrypted ?? 0) / rotateS).toFixed(0)} contacts/s, batch 500`],
    ['rotate-master', `${master.rewrapped} data keys re-wrapped in ${(masterS * 1000).toFixed(0)} ms`],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k!.padEnd(22)} ${v}\n`);
} finally {
  await dropBenchDatabase();
  rmSync(dataDir, { recursive: true, force: true });
}
