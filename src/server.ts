/**
 * Starts the service from a configuration: opens the database (PostgreSQL
 * when DATABASE_URL is set, embedded PGlite under DATA_DIR otherwise), applies
 * migrations, loads keys and builds the app. Used by main.ts and the tests.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { initCrypto } from './crypto/index.ts';
import { devKeyDir, loadKeyring } from './crypto/keyring.ts';
import { startBackgroundLoops, type BackgroundLoops } from './background.ts';
import { describeDatabaseUrl, openDatabase, waitForDatabase, type DatabaseHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createServices, type Services } from './services.ts';

export interface Service {
  app: FastifyInstance;
  services: Services;
  database: DatabaseHandle;
  background: BackgroundLoops;
  /** Stops the background loops, stops accepting, lets requests in flight finish, closes the database. */
  close(): Promise<void>;
}

export async function startService(config: Config, logger: Logger, opts: { clock?: Clock; database?: DatabaseHandle } = {}): Promise<Service> {
  await initCrypto();
  const keyring = loadKeyring(config);
  if (keyring.devSecrets.length > 0) {
    logger.warn(
      { devKeys: keyring.devSecrets, dir: path.resolve(devKeyDir(config.DATA_DIR)) },
      'DEVELOPMENT KEYS IN USE: generated secrets in the data directory are for development only; set POC_MASTER_KEY, POC_INDEX_KEY and JWT_SECRET/JWT_PUBLIC_KEY in production',
    );
  }
  const database =
    opts.database ??
    (config.DATABASE_URL
      ? await openDatabase({
          kind: 'postgres',
          url: config.DATABASE_URL,
          poolMax: config.DATABASE_POOL_MAX,
          timeouts: { statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS },
          // A dropped connection is an expected event (restart, failover): the request on it answers 503.
          onConnectionError: (err) => logger.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'database connection lost'),
        })
      : await openDatabase({
          kind: 'pglite',
          dataDir: path.join(config.DATA_DIR, 'pglite'),
          onLockLost: (err) => logger.error({ err }, 'lost the lock on the embedded database directory'),
        }));
  const where = config.DATABASE_URL && database.kind === 'postgres' ? describeDatabaseUrl(config.DATABASE_URL) : database.kind;
  const clock = opts.clock ?? systemClock;
  let services: Services;
  try {
    await waitForDatabase(database.db, {
      timeoutSeconds: config.DATABASE_CONNECT_TIMEOUT_SECONDS,
      where,
      onRetry: ({ attempt, retryInMs, error }) => logger.warn({ attempt, retryInMs, database: where, error }, 'database not reachable yet; retrying'),
    });
    const migrations = await migrateToLatest(database.db);
    logger.info({ database: database.kind, applied: migrations.results?.map((r) => r.migrationName) ?? [] }, 'database ready');
    services = createServices({ db: database.db, keyring, clock, config, logger });
    // A wrong master key is refused here, once, rather than as a 500 on every contact read.
    await services.keys.verifyMasterKeys(database.db);
  } catch (err) {
    if (!opts.database) await database.close().catch(() => {});
    throw err;
  }
  const app = await buildApp({ config, jwtSecret: keyring.jwtSecret, services, logger, clock, poolStats: database.poolStats });
  // Outbox worker, request and governance sweeps, idempotency purge, ledger checkpoint tick: one module, one backoff policy.
  const background = startBackgroundLoops(services, config, logger);
  app.addHook('onClose', () => background.stop());
  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    database,
    background,
    close() {
      closing ??= (async () => {
        // Interrupted deliveries are recorded (due again at once) while the database is still open.
        await background.stop();
        // Stops accepting and waits for the requests in flight.
        await app.close();
        await database.close();
      })();
      return closing;
    },
  };
}
