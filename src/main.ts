/** Entry point: `npm start`. */
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startService } from './server.ts';
import { DataDirectoryInUseError } from './db/index.ts';
import { MasterKeyMismatchError } from './keys/service.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const service = await startService(config, logger).catch((err: unknown) => {
  // Refusals with a clear cause are one line, without a stack.
  if (err instanceof MasterKeyMismatchError || err instanceof DataDirectoryInUseError) {
    process.stderr.write(`refusing to start: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
});
await service.app.listen({ host: config.HOST, port: config.PORT });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
