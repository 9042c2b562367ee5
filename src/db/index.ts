/**
 * Database access: a Kysely instance over either a real PostgreSQL server
 * (pg pool, when DATABASE_URL is set) or embedded PGlite persisted to a data
 * directory. Same migrations, same queries.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
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
  /** The pg pool (PostgreSQL only), for diagnostics and fault tests. */
  pool?: pg.Pool;
  close(): Promise<void>;
  /** The pg pool's connection counts (for /metrics); absent with PGlite. */
  poolStats?: () => { total: number; idle: number; waiting: number };
}

/** Bounds on every database call (PostgreSQL only; PGlite is in-process). */
export interface DatabaseTimeouts {
  /** Waiting for a connection (a new one, or a free one from a full pool). */
  connectMs?: number;
  /** Server-side statement_timeout; 0 disables it. */
  statementMs?: number;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolMax?: number; timeouts?: DatabaseTimeouts; onConnectionError?: (err: Error) => void }
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

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.kind === 'postgres') {
    const statementMs = opts.timeouts?.statementMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? 10,
      connectionTimeoutMillis: opts.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      keepAlive: true,
      ...(statementMs > 0
        ? {
            statement_timeout: statementMs,
            // A transaction left open (a stuck caller) never holds locks for long.
            idle_in_transaction_session_timeout: 2 * statementMs,
            // Client-side backstop when the server stops answering altogether (a network partition).
            query_timeout: statementMs + 5_000,
          }
        : {}),
    });
    // A connection the server drops (restart: 57P01, network loss) makes its pg Client emit 'error':
    // the pool forwards it for idle clients, and a checked-out client emits it itself. Unhandled, either
    // kills the process. Handled here, the query in flight fails (mapped to 503 by the HTTP layer) and
    // the pool discards the broken client and connects a new one for the next caller.
    const onError = opts.onConnectionError ?? (() => {});
    pool.on('error', onError);
    pool.on('connect', (client) => client.on('error', onError));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, kind: 'postgres', pool, close: () => db.destroy(), poolStats };
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

/** Distinct statements a connection keeps prepared; statements seen after that are parsed and planned each time. */
export const PREPARED_PER_CONNECTION = 500;
/** Longer statement texts (multi-row inserts of varying length) are never prepared. */
export const PREPARED_MAX_TEXT = 4096;

/**
 * Kysely's view of the pg pool, with every statement a named prepared
 * statement of its connection: PostgreSQL parses and plans a statement text
 * once per connection instead of on every call. Planning is most of the
 * server's CPU for a short query (the contact read with its grants: 0.83 ms
 * to plan, 0.14 ms to run; pgbench on that statement 8.8k tps unprepared, 56k
 * prepared). Per connection, the first PREPARED_PER_CONNECTION distinct texts
 * of at most PREPARED_MAX_TEXT characters are prepared (Kysely's texts are
 * fixed per query shape; values travel as parameters), the rest run as
 * before. A new connection (after a restart) starts with none. Not for a
 * transaction-pooling proxy (PgBouncer before 1.21), which does not keep a
 * server connection's prepared statements with its client.
 */
function preparingPool(pool: pg.Pool) {
  const names = new WeakMap<pg.PoolClient, Map<string, string>>();
  return {
    async connect() {
      const client = await pool.connect();
      let prepared = names.get(client);
      if (!prepared) names.set(client, (prepared = new Map()));
      const statements = prepared;
      return {
        query(text: unknown, values?: readonly unknown[]) {
          if (typeof text !== 'string') return client.query(text as never);
          let name = statements.get(text);
          if (name === undefined && statements.size < PREPARED_PER_CONNECTION && text.length <= PREPARED_MAX_TEXT) statements.set(text, (name = `k${statements.size}`));
          return name === undefined ? client.query(text, values as unknown[]) : client.query({ name, text, values: values as unknown[] });
        },
        release: () => client.release(),
      } as never;
    },
    end: () => pool.end(),
  };
}

/**
 * The hottest writes (a send, a contact's creation) build their statement
 * text directly instead of through Kysely, whose query building and
 * compiling was about 7 % of a send's CPU. `insertValues` appends an
 * INSERT of `rows` (same columns, in the first row's key order) to a
 * statement whose parameters are collected in `params`. The text is fixed
 * per table, column list and row count, so it is prepared once per
 * connection like any other. Values go to the driver exactly as Kysely
 * passes them.
 */
export function insertValues(table: string, rows: readonly Record<string, unknown>[], params: unknown[]): string {
  const columns = Object.keys(rows[0] ?? {});
  if (columns.length === 0) throw new Error(`insertValues(${table}): no rows or no columns`);
  const tuples = rows.map((row) => {
    const slots: string[] = [];
    for (const c of columns) {
      if (!(c in row)) throw new Error(`insertValues(${table}): a row lacks column ${c}`);
      params.push(row[c]);
      slots.push(`$${params.length}`);
    }
    return `(${slots.join(', ')})`;
  });
  return `insert into ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) values ${tuples.join(', ')}`;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function quoteIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}

/** Runs a statement built with insertValues (or any text with its parameters) on the database or a transaction. */
export async function runStatement<R>(q: Queryable, text: string, params: readonly unknown[]): Promise<R[]> {
  return (await q.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
}

/** Postgres error code of a driver error (both pg and PGlite expose `code`). */
export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
/** SQLSTATE of poc_change_guard (migration 0019): a one-statement change found what it read changed, and wrote nothing. */
export const CHANGE_GUARD_FAILED = 'PC001';

/**
 * A one-statement change: `attempt` reads without a lock and writes with a
 * guard. While the guard fails (what it read changed before it wrote, so it
 * wrote nothing), it is run again, at most `times` times. Undefined when
 * `attempt` gives up (returns undefined) or the guard kept failing: the
 * caller then takes its transactional path.
 */
export async function untilGuardHolds<T>(attempt: () => Promise<T | undefined>, times = 3): Promise<T | undefined> {
  for (let i = 0; i < times; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (pgErrorCode(err) !== CHANGE_GUARD_FAILED) throw err;
    }
  }
  return undefined;
}

/** SQLSTATEs meaning the server is unreachable, restarting or refusing connections, or did not answer in time. */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08']; // connection exception
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovery)
  '57P05', // idle_session_timeout
  '57014', // query_canceled (statement_timeout)
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);
const UNAVAILABLE_SYSCALL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** Messages of pg and pg-pool errors that carry no code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i, // "... unexpectedly", "... due to connection timeout"
  /^timeout exceeded when trying to connect/i,
  /^Query read timeout/i,
  /is not queryable/i, // "Client has encountered a connection error and is not queryable", "Client was closed ..."
  /^Cannot use a pool after calling end on the pool/i,
  /^driver has already been destroyed/i,
];

/**
 * True when an error means "the database cannot be reached or did not answer
 * in time" rather than "this query is wrong": the one place that decides which
 * database failures are 503 (retry later) instead of 500. Looks through
 * `cause` and AggregateError members (a refused connection to a host with
 * several addresses).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const code = pgErrorCode(err);
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SYSCALL_CODES.has(code) || UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2)) && /^[0-9A-Z]{5}$/.test(code))) return true;
  const message = 'message' in err && typeof err.message === 'string' ? err.message : '';
  if (UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  if ('errors' in err && Array.isArray(err.errors) && err.errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return 'cause' in err && isDatabaseUnavailable(err.cause, depth + 1);
}

/** The database stayed unreachable for the whole start-up window. */
export class DatabaseUnreachableError extends Error {}

/** host:port of a connection URL, for messages (never the credentials). */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * Start-up: tries `select 1` until it succeeds or `timeoutSeconds` have
 * passed, waiting 0.5 s, 1 s, 2 s ... (at most 5 s) between attempts, and
 * reports each failed attempt. Only "unavailable" errors are retried; anything
 * else (wrong password, no such database) fails at once.
 */
export async function waitForDatabase(
  db: Db,
  opts: { timeoutSeconds: number; where: string; onRetry?: (info: { attempt: number; retryInMs: number; error: string }) => void },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`.execute(db);
      return;
    } catch (err) {
      const error = errorSummary(err);
      const retryInMs = Math.min(5_000, 500 * 2 ** (attempt - 1), deadline - Date.now());
      if (!isDatabaseUnavailable(err)) throw new DatabaseUnreachableError(`the database at ${opts.where} refused the service: ${error}`);
      if (retryInMs <= 0) {
        throw new DatabaseUnreachableError(`the database at ${opts.where} is not reachable after ${opts.timeoutSeconds} s (${attempt} attempt${attempt === 1 ? '' : 's'}; last error: ${error}); giving up`);
      }
      opts.onRetry?.({ attempt, retryInMs, error });
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}

/** Message and code of a driver error, on one line (AggregateError: its first member). */
export function errorSummary(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: unknown[] };
  const message = typeof e?.message === 'string' && e.message ? e.message : Array.isArray(e?.errors) && e.errors.length > 0 ? errorSummary(e.errors[0]) : String(err);
  const code = typeof e?.code === 'string' && !message.includes(e.code) ? ` (${e.code})` : '';
  return `${message}${code}`.replace(/\s+/g, ' ');
}
