/**
 * Entry point: `npm start` (which runs `node --import tsx src/main.ts`, so the
 * node process is the one that gets signals).
 *
 * Start-up failures end with one clear line on stderr and a non-zero exit, no
 * stack: configuration errors (one line per bad variable, exit 2) and a
 * database that stays unreachable for DATABASE_CONNECT_TIMEOUT_SECONDS (exit 1;
 * each attempt is logged). On SIGTERM or SIGINT: stop accepting, let requests
 * in flight finish, stop the background loops, close the database, exit 0.
 */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DatabaseUnreachableError } from './db/index.ts';
import { createLogger } from './logger.ts';
import { startService, type Service } from './server.ts';
import { DataDirectoryInUseError } from './db/index.ts';
import { MasterKeyMismatchError } from './keys/service.ts';

/** Longest graceful shutdown before the process exits anyway (exit 1). */
const SHUTDOWN_LIMIT_MS = 25_000;

function fail(line: string, code: number): never {
  process.stderr.write(`poc-directory: ${line}\n`);
  process.exit(code);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message, 2);
  throw err;
}
const logger = createLogger(config.LOG_LEVEL);

let service: Service | undefined;
let shuttingDown = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new requests; finishing those in flight');
    if (!service) process.exit(0); // still starting: nothing accepted yet
    setTimeout(() => {
      logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    service.close().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

try {
  service = await startService(config, logger);
  await service.app.listen({ host: config.HOST, port: config.PORT });
} catch (err) {
  if (err instanceof DatabaseUnreachableError) fail(`cannot start: ${err.message}`, 1);
  // Refusals with a clear cause are one line, without a stack.
  if (err instanceof MasterKeyMismatchError || err instanceof DataDirectoryInUseError) {
    process.stderr.write(`refusing to start: ${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof ConfigError) fail(err.message, 2);
  const e = err as { code?: unknown; message?: unknown };
  if (e?.code === 'EADDRINUSE' || e?.code === 'EACCES') fail(`cannot listen on ${config.HOST}:${config.PORT}: ${String(e.message)}`, 1);
  throw err;
}
