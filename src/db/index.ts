/**
 * Database access: a Kysely instance over either a real PostgreSQL server
 * (pg pool, when DATABASE_URL is set) or embedded PGlite persisted to a data
 * directory. Same migrations, same queries.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: what query functions accept. */
export type Queryable = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolMax?: number }
  | { kind: 'pglite'; dataDir?: string; onLockLost?: (err: Error) => void };

/** The embedded database's data directory is open in another process (PGlite allows one). */
export class DataDirectoryInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`the embedded database in ${dataDir} is in use by another process (is the service running?); stop it first, or use DATABASE_URL`);
    this.name = 'DataDirectoryInUseError';
  }
}

/**
 * A PGlite data directory is held by one process at a time: whoever opens it
 * (the service, a CLI) takes a lock (proper-lockfile: `<dir>.lock`, created
 * atomically, its mtime refreshed every 10 s; one left by a killed process is
 * taken over once it is 30 s old). A second opener gets DataDirectoryInUseError
 * instead of a second PGlite on the same files.
 */
const LOCK_STALE_MS = 30_000;
async function lockDataDir(dataDir: string, onLockLost: (err: Error) => void): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, { stale: LOCK_STALE_MS, update: LOCK_STALE_MS / 3, retries: 0, onCompromised: onLockLost });
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ELOCKED') throw new DataDirectoryInUseError(path.resolve(dataDir));
    throw err;
  }
}

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolMax ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let unlock = async () => {};
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    unlock = await lockDataDir(opts.dataDir, opts.onLockLost ?? (() => {}));
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(opts.dataDir);
  } catch (err) {
    await unlock();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      try {
        await db.destroy();
      } finally {
        await unlock().catch(() => {});
      }
    },
  };
}

/** Postgres error code of a driver error (both pg and PGlite expose `code`). */
export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
