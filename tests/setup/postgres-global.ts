/**
 * Chooses the real PostgreSQL server once for the run: TEST_DATABASE_URL if
 * set, otherwise a testcontainers PostgreSQL when a Docker engine exists.
 * Builds a migrated template database; each test file clones it
 * (CREATE DATABASE ... TEMPLATE) so files are isolated and fast.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopContainer: (() => Promise<unknown>) | undefined;
  if (!adminUrl) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    adminUrl = container.getConnectionUri();
    stopContainer = () => container.stop();
  }
  const template = `poc_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await dropTestDatabases(admin, template);
  await admin.query(`create database ${template}`);
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, template) });
  await migrateToLatest(database.db);
  await database.close();
  console.info(`[tests] real PostgreSQL: ${redactUrl(adminUrl)} (template ${template})`);
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplateDb', template);

  return async () => {
    await dropTestDatabases(admin, template);
    await admin.end();
    await stopContainer?.();
  };
}

async function dropTestDatabases(admin: pg.Client, template: string) {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [`${template}_%`, template]);
  for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

const redactUrl = (url: string) => url.replace(/\/\/([^:@]+):[^@]+@/, '//$1:***@');
