/**
 * Child process A: the real service (startService, the same app as
 * production) on the database in DATABASE_URL, configured entirely from the
 * environment the parent (bench/run.ts) passes. Listens on 127.0.0.1, port 0.
 */
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startService } from '../src/server.ts';
import { announceReady, closeOnSignal } from './ready.ts';

const config = loadConfig(process.env);
const service = await startService(config, createLogger(config.LOG_LEVEL));
closeOnSignal(() => service.close());
await service.app.listen({ host: '127.0.0.1', port: 0 });
announceReady(service.app);
