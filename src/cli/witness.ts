/**
 * A transparency-log witness anyone can run: `npm run witness -- --config witness.json`
 *
 *   npm run witness -- keygen --name NAME --key-file FILE   writes a new seed (mode 0600) and prints the verifier key
 *   npm run witness -- --config FILE                        serves POST <prefix>/add-checkpoint
 *
 * See docs/ledger-witnesses.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '../logger.ts';
import { cosignerKeyOf, formatCosignerKey } from '../tlog/cosignature.ts';
import { ed25519KeyPair } from '../tlog/crypto.ts';
import { encodeBase64 } from '../tlog/note.ts';
import { loadWitnessConfig } from '../witness/config.ts';
import { createWitnessServer } from '../witness/server.ts';
import { FileStore } from '../witness/state.ts';
import { createWitness } from '../witness/witness.ts';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, name: { type: 'string' }, 'key-file': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals[0] === 'keygen') {
    if (!values.name || !values['key-file']) throw new Error('usage: npm run witness -- keygen --name NAME --key-file FILE');
    if (existsSync(values['key-file'])) throw new Error(`${values['key-file']} exists; not overwriting a witness key`);
    const seed = new Uint8Array(randomBytes(32));
    writeFileSync(values['key-file'], encodeBase64(seed) + '\n', { mode: 0o600 });
    process.stdout.write(`${formatCosignerKey(cosignerKeyOf(values.name, ed25519KeyPair(seed).publicKey))}\n`);
    return 0;
  }
  if (!values.config) throw new Error('usage: npm run witness -- --config FILE   (or: keygen --name NAME --key-file FILE)');
  const config = loadWitnessConfig(values.config);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const witness = createWitness({ name: config.name, keyPair: config.keyPair, logs: config.logs, store: new FileStore(config.stateFile) });
  const server = createWitnessServer(witness, { prefix: config.prefix, logger, origins: config.logs.map((l) => l.origin) });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ witness: config.name, verifierKey: witness.verifierKey, listen: `${config.host}:${config.port}${config.prefix}` }, 'witness listening');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => code >= 0 && process.exit(code),
    (err: unknown) => {
      process.stderr.write(`witness: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
