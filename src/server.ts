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
import { openDatabase, type DatabaseHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createServices, type Services } from './services.ts';

export interface Service {
  app: FastifyInstance;
  services: Services;
  database: DatabaseHandle;
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
      ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX })
      : await openDatabase({ kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pglite') }));
  const migrations = await migrateToLatest(database.db);
  logger.info({ database: database.kind, applied: migrations.results?.map((r) => r.migrationName) ?? [] }, 'database ready');
  const clock = opts.clock ?? systemClock;
  const services = createServices({ db: database.db, keyring, clock, config, logger });
  const app = await buildApp({ config, jwtSecret: keyring.jwtSecret, services, logger, clock, poolStats: database.poolStats });
  // The outbox worker (every NOTIFY_POLL_MS; not started when it is 0).
  services.notifications.start();
  // Request deadlines (expiry, escalation) and idempotency-key expiry, every SLA_SWEEP_MS.
  const maintenance = setInterval(() => {
    services.requests.sweep().catch((err: unknown) => logger.error({ err }, 'request sweep failed'));
    services.db.transaction().execute((trx) => services.idempotency.purgeExpired(trx)).catch((err: unknown) => logger.error({ err }, 'idempotency purge failed'));
  }, config.SLA_SWEEP_MS);
  maintenance.unref();
  return {
    app,
    services,
    database,
    async close() {
      // Interrupted deliveries are recorded (due again at once) while the database is still open.
      clearInterval(maintenance);
      await services.notifications.stop();
      await app.close();
      await database.close();
    },
  };
}
