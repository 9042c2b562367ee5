/** Applies pending migrations: `npm run migrate` (DATABASE_URL, or the embedded database under DATA_DIR). */
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';

const config = loadConfig();
const database = config.DATABASE_URL
  ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL })
  : await openDatabase({ kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pglite') });
try {
  const result = await migrateToLatest(database.db);
  const applied = result.results?.map((r) => r.migrationName) ?? [];
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
} finally {
  await database.close();
}
