/** Writes openapi.yaml from the routes' zod schemas: `npm run openapi`. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { contractProblems } from '../http/openapi.ts';
import { createLogger } from '../logger.ts';
import { startService } from '../server.ts';
import { runCommand } from './args.ts';

const USAGE = `usage: npm run openapi [-- --out FILE]

Starts the service in memory (throw-away keys, embedded database) and writes its
OpenAPI document, generated from the route schemas, as YAML. A test checks that
the committed openapi.yaml matches what the service serves. Refuses (exit 1)
when an operation lacks a camelCase operationId or a description. Without --out
it then regenerates the typed client's types, src/client/schema.ts (npm run client:types).

  --out FILE      where to write (default: openapi.yaml at the repository root)
  -h, --help      this text`;

await runCommand('openapi', USAGE, { options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, async ({ values }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'poc-openapi-'));
  try {
    const key = () => randomBytes(32).toString('base64');
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, JWT_SECRET: randomBytes(32).toString('hex'), POC_MASTER_KEY: key(), POC_INDEX_KEY: key() });
    const service = await startService(config, createLogger('silent'), { database: await openDatabase({ kind: 'pglite' }) });
    try {
      await service.app.ready();
      const doc = service.app.swagger();
      // Every operation documents itself: refuse to write a contract with a route that does not.
      const missing = contractProblems(doc as unknown as Record<string, unknown>);
      if (missing.length > 0) throw new Error(`the routes are not fully documented:\n  ${missing.join('\n  ')}`);
      const file = values.out ? path.resolve(values.out) : path.resolve(import.meta.dirname, '../../openapi.yaml');
      writeFileSync(file, '# Generated from the route schemas by `npm run openapi`; a test checks it matches GET /openapi.json.\n' + YAML.stringify(doc, { aliasDuplicateObjects: false }));
      process.stdout.write(`wrote ${file}\n`);
      if (!values.out) {
        // openapi-typescript is a development dependency: loaded only here, not by the compiled image's --help.
        const { generateClientTypes, SCHEMA_FILE } = await import('./client-types.ts');
        writeFileSync(SCHEMA_FILE, await generateClientTypes(readFileSync(file, 'utf8')));
        process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
      }
    } finally {
      await service.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
