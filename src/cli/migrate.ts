/** Applies pending migrations: `npm run migrate` (DATABASE_URL, or the embedded database under DATA_DIR). */
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from './database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { runCommand } from './args.ts';

const USAGE = `usage: npm run migrate

Applies the pending database migrations and prints their names. Connects to
DATABASE_URL (run it as the owner of the schema), or opens the embedded database
under DATA_DIR when DATABASE_URL is not set. Takes no arguments.

  -h, --help      this text`;

await runCommand('migrate', USAGE, { options: { help: { type: 'boolean', short: 'h' } } }, async () => {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    const result = await migrateToLatest(database.db);
    const applied = result.results?.map((r) => r.migrationName) ?? [];
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await database.close();
  }
});
