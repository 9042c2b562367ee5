/**
 * The database a command-line tool works on: DATABASE_URL when set, else the
 * embedded database under DATA_DIR (which the service must not hold open:
 * openDatabase refuses with DataDirectoryInUseError, reported by runCommand).
 * `migrated` also brings the schema to the latest migration first.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';

export function openConfiguredDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<DatabaseHandle> {
  return config.DATABASE_URL
    ? openDatabase({ kind: 'postgres', url: config.DATABASE_URL })
    : openDatabase({ kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pglite') });
}

/** Opens the configured database, migrates it, runs `work`, and closes it whatever happens. */
export async function withMigratedDatabase<T>(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}
