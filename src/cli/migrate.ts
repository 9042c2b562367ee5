/** Applies pending migrations: `npm run migrate` (DATABASE_URL, or the embedded database under DATA_DIR). */
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { DataDirectoryInUseError, openDatabase, type DatabaseHandle } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';

const config = loadConfig();
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
  const result = await migrateToLatest(database.db);
  const applied = result.results?.map((r) => r.migrationName) ?? [];
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
} finally {
  await database.close();
}
