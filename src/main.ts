/** Entry point: `npm start`. */
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startService } from './server.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const service = await startService(config, logger);
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
