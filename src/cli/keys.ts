/**
 * Key management:
 *   npm run keys -- rotate-master                    re-wrap every data key under POC_MASTER_KEY
 *                                                    (the old key in POC_MASTER_KEY_PREVIOUS)
 *   npm run keys -- rotate-state-key --state FRA     re-encrypt a state's contacts under a new data key
 * Both are resumable: run the same command again after an interruption.
 * With the embedded database, stop the service first (PGlite has one connection).
 */
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { initCrypto } from '../crypto/index.ts';
import { loadKeyring } from '../crypto/keyring.ts';
import { openConfiguredDatabase } from './database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createServices } from '../services.ts';
import { isIso3166Alpha3 } from '../states/iso3166.ts';
import { runCommand, UsageError } from './args.ts';
import { progressLine } from './progress.ts';

const USAGE = `usage: npm run keys -- rotate-master
       npm run keys -- rotate-state-key --state ISO3 [--batch N]

  rotate-master      re-wrap every data key under POC_MASTER_KEY; the previous master
                     key must be in POC_MASTER_KEY_PREVIOUS until this has finished
  rotate-state-key   give a state a new data key, re-encrypt its contacts under it
                     in batches, then destroy the retired key
  --state ISO3       the state (ISO 3166-1 alpha-3), for rotate-state-key
  --batch N          rows per transaction (default 200)
  -h, --help         this text

Both are resumable: run the same command again after an interruption. With the
embedded database, stop the service first (PGlite allows one connection).
Progress is shown on a terminal only.`;

await runCommand(
  'keys',
  USAGE,
  {
    allowPositionals: true,
    options: { state: { type: 'string' }, batch: { type: 'string', default: '200' }, help: { type: 'boolean', short: 'h' } },
  },
  async ({ positionals, values }) => {
    const command = positionals[0];
    if (command !== 'rotate-master' && command !== 'rotate-state-key') {
      throw new UsageError(command === undefined ? 'a command is required: rotate-master or rotate-state-key' : `unknown command '${command}': use rotate-master or rotate-state-key`);
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const state = values.state?.toUpperCase();
    const batchSize = Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new UsageError('--batch must be an integer from 1 to 100000');
    if (command === 'rotate-state-key' && (!state || !isIso3166Alpha3(state))) throw new UsageError('--state must be an ISO 3166-1 alpha-3 code');
    if (command === 'rotate-master' && values.state) throw new UsageError('--state applies to rotate-state-key only');

    const config = loadConfig();
    await initCrypto();
    const keyring = loadKeyring(config);
    const database = await openConfiguredDatabase(config);
    const progress = progressLine();
    try {
      await migrateToLatest(database.db);
      const { rotation } = createServices({ db: database.db, keyring, clock: systemClock, config });
      const started = performance.now();
      if (command === 'rotate-master') {
        const result = await rotation.rotateMaster({ onProgress: (n) => progress.update(`re-wrapped ${n} data key(s)...`) });
        progress.done();
        process.stdout.write(`re-wrapped ${result.rewrapped} data key(s) under master key ${keyring.master.id}\n`);
      } else {
        const result = await rotation.rotateStateKey(state!, { batchSize, onProgress: (n) => progress.update(`${state}: re-encrypted ${n} item(s)...`) });
        progress.done();
        process.stdout.write(`${state}: new data key ${result.keyId}; re-encrypted ${result.reencrypted} contact(s); destroyed ${result.destroyedKeys?.length ?? 0} retired key(s)\n`);
      }
      process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    } finally {
      progress.done();
      await database.close();
    }
  },
);
