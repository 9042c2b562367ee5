/**
 * The benchmark database: a fresh `poc_bench` database on the PostgreSQL
 * server named by BENCH_DATABASE_URL, created before the run and dropped after.
 */
import pg from 'pg';

export const BENCH_DB = 'poc_bench';
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The admin connection URL (any existing database on the server). */
export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? DEFAULT_URL;
}

/** The same server, database `name`. */
export function urlFor(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export class PostgresUnreachable extends Error {}

/** Server version, or PostgresUnreachable with how to start PostgreSQL. */
export async function checkPostgres(): Promise<string> {
  try {
    return await withAdmin(async (c) => (await c.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '?');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PostgresUnreachable(
      [
        `PostgreSQL is not reachable at ${adminUrl()} (${reason}).`,
        'Start the local cluster with:',
        '  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
        'or point BENCH_DATABASE_URL at a reachable server (any existing database; the benchmark creates its own).',
      ].join('\n'),
    );
  }
}

export async function recreateBenchDatabase(): Promise<string> {
  await withAdmin(async (c) => {
    await c.query(`drop database if exists ${BENCH_DB} with (force)`);
    await c.query(`create database ${BENCH_DB}`);
  });
  return urlFor(BENCH_DB);
}

export async function dropBenchDatabase(): Promise<void> {
  await withAdmin((c) => c.query(`drop database if exists ${BENCH_DB} with (force)`));
}
