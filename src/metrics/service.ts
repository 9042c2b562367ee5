/**
 * Prometheus metrics (prom-client): request durations by route and status,
 * the database pool, the notification outbox, the ledger and its checkpoints,
 * the latest reachability round, and the process's defaults. Database figures
 * are read when scraped. Other modules add their own figures with `collect`.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/index.ts';
import type { LedgerService } from '../ledger/service.ts';
import { latestRound, outboxBacklog } from './queries.ts';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsDeps {
  db: Db;
  clock: Clock;
  ledger: Pick<LedgerService, 'size' | 'queued' | 'checkpoints'>;
  /** The pg pool's counters; absent with the embedded database (one connection, no pool). */
  pool?: (() => PoolStats) | undefined;
}

export function createMetricsService({ db, clock, ledger, pool }: MetricsDeps) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'poc_' });
  const collectors: ((registry: Registry) => Promise<void> | void)[] = [];
  const seconds = (since: Date) => Math.max(0, (clock().getTime() - since.getTime()) / 1000);

  const requestDuration = new Histogram({
    name: 'poc_http_request_duration_seconds',
    help: 'HTTP request durations, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  if (pool) {
    const poolGauge = new Gauge({
      name: 'poc_db_pool_connections',
      help: 'PostgreSQL pool connections: total (open), idle, and waiting (queued requests for a connection)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const s = pool();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
    void poolGauge;
  }

  const outboxDepth = new Gauge({ name: 'poc_outbox_pending', help: 'Notifications waiting for delivery', registers: [registry] });
  const outboxAge = new Gauge({ name: 'poc_outbox_oldest_pending_age_seconds', help: 'Age of the oldest notification waiting for delivery (0 when none)', registers: [registry] });
  const ledgerSize = new Gauge({ name: 'poc_ledger_entries', help: 'Entries in the ledger (tree size)', registers: [registry] });
  const ledgerUncovered = new Gauge({
    name: 'poc_ledger_uncovered_entries',
    help: 'Ledger entries not yet covered by a signed checkpoint (integration lag)',
    registers: [registry],
  });
  const ledgerQueued = new Gauge({
    name: 'poc_ledger_queued_entries',
    help: 'Entries of committed changes waiting for the integrator (near 0; growing means integration is failing)',
    registers: [registry],
  });
  const checkpointSize = new Gauge({ name: 'poc_ledger_checkpoint_tree_size', help: 'Tree size of the latest signed checkpoint', registers: [registry] });
  const checkpointAge = new Gauge({
    name: 'poc_ledger_checkpoint_age_seconds',
    help: 'Age of the latest signed checkpoint (absent before the first)',
    registers: [registry],
  });
  const roundTargets = new Gauge({ name: 'poc_reachability_round_targets', help: 'Challenges sent in the latest reachability round (one per point of contact)', labelNames: ['exercise'] as const, registers: [registry] });
  const roundAcknowledged = new Gauge({
    name: 'poc_reachability_round_acknowledged',
    help: 'Challenges acknowledged in the latest reachability round',
    labelNames: ['exercise'] as const,
    registers: [registry],
  });
  const roundAge = new Gauge({ name: 'poc_reachability_round_age_seconds', help: 'Age of the latest reachability round', labelNames: ['exercise'] as const, registers: [registry] });

  async function readDatabaseFigures(): Promise<void> {
    const [backlog, size, queued, checkpoint, round] = await Promise.all([outboxBacklog(db), ledger.size(db), ledger.queued(db), ledger.checkpoints.latest(db), latestRound(db)]);
    outboxDepth.set(backlog.pending);
    outboxAge.set(backlog.oldest ? seconds(backlog.oldest) : 0);
    ledgerSize.set(size);
    ledgerQueued.set(queued);
    ledgerUncovered.set(size - (checkpoint?.treeSize ?? 0));
    checkpointSize.set(checkpoint?.treeSize ?? 0);
    checkpointAge.reset();
    if (checkpoint) checkpointAge.set(seconds(checkpoint.createdAt));
    for (const g of [roundTargets, roundAcknowledged, roundAge]) g.reset();
    if (round) {
      const labels = { exercise: String(round.exercise) };
      roundTargets.set(labels, round.targets);
      roundAcknowledged.set(labels, round.acknowledged);
      roundAge.set(labels, seconds(round.createdAt));
    }
  }

  return {
    registry,
    contentType: registry.contentType,
    /** Records one finished HTTP request. */
    observeRequest(method: string, route: string, statusCode: number, durationSeconds: number): void {
      requestDuration.observe({ method, route, status_code: String(statusCode) }, durationSeconds);
    },
    /** Adds figures of another module (e.g. witness status), run at every scrape. */
    collect(fn: (registry: Registry) => Promise<void> | void): void {
      collectors.push(fn);
    },
    /** The exposition text, with the database figures read now. */
    async scrape(): Promise<string> {
      await readDatabaseFigures();
      for (const fn of collectors) await fn(registry);
      return registry.metrics();
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
