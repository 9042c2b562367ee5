/**
 * Key management:
 *   npm run keys -- rotate-master                    re-wrap every data key under POC_MASTER_KEY
 *                                                    (the old key in POC_MASTER_KEY_PREVIOUS)
 *   npm run keys -- rotate-state-key --state FRA     re-encrypt a state's contacts under a new data key
 * Both are resumable: run the same command again after an interruption.
 * With the embedded database, stop the service first (PGlite has one connection).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { initCrypto } from '../crypto/index.ts';
import { loadKeyring } from '../crypto/keyring.ts';
import { DataDirectoryInUseError, openDatabase, type DatabaseHandle } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createServices } from '../services.ts';
import { isIso3166Alpha3 } from '../states/iso3166.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { state: { type: 'string' }, batch: { type: 'string', default: '200' } },
});
const usage = 'usage: npm run keys -- rotate-master | rotate-state-key --state ISO3 [--batch N]';
const command = positionals[0];
if (command !== 'rotate-master' && command !== 'rotate-state-key') {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

const config = loadConfig();
await initCrypto();
const keyring = loadKeyring(config);
let database: DatabaseHandle;
try {
  database = config.DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL })
    : await openDatabase({ kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pglite') });
} catch (err) {
  // The embedded database allows one process: refuse clearly while the service (or another command) has it open.
  if (!(err instanceof DataDirectoryInUseError)) throw err;
  process.stderr.write(`refused: ${err.message}\n`);
  process.exit(2);
}
try {
  await migrateToLatest(database.db);
  const { rotation } = createServices({ db: database.db, keyring, clock: systemClock, config });
  const started = performance.now();
  if (command === 'rotate-master') {
    const result = await rotation.rotateMaster();
    process.stdout.write(`re-wrapped ${result.rewrapped} data key(s) under master key ${keyring.master.id}\n`);
  } else {
    const state = values.state?.toUpperCase();
    if (!state || !isIso3166Alpha3(state)) {
      process.stderr.write(`--state must be an ISO 3166-1 alpha-3 code\n${usage}\n`);
      process.exit(2);
    }
    const batchSize = Number(values.batch);
    const result = await rotation.rotateStateKey(state, { batchSize });
    process.stdout.write(`${state}: new data key ${result.keyId}; re-encrypted ${result.reencrypted} contact(s); destroyed ${result.destroyedKeys?.length ?? 0} retired key(s)\n`);
  }
  process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
} finally {
  await database.close();
}
