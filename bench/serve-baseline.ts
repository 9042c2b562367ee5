/**
 * Child process B: the baseline server (bench/baseline-server.ts) on the
 * database in DATABASE_URL, pool size DATABASE_POOL_MAX. Listens on
 * 127.0.0.1, port 0.
 */
import pg from 'pg';
import { buildBaselineServer } from './baseline-server.ts';
import { announceReady, closeOnSignal } from './ready.ts';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const app = buildBaselineServer(pool);
closeOnSignal(() => app.close());
await app.listen({ host: '127.0.0.1', port: 0 });
announceReady(app);
