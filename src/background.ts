/**
 * Every background loop of an instance, in one place, with one failure
 * policy: a pass that fails (the database is down, a query times out) is
 * logged, the next pass waits longer (the interval doubled per consecutive
 * failure, with jitter, up to BACKOFF_MAX_MS; counted in whole intervals),
 * and the loop resumes at its normal pace after the first pass that succeeds.
 * Passes never overlap (a tick during a pass is skipped), the timers do not
 * keep the process alive, and stop() waits for the pass in flight.
 *
 * The loops: the notification outbox worker (NOTIFY_POLL_MS; none when 0),
 * the request deadline sweep, the governance deadline sweep and the
 * idempotency-key purge (SLA_SWEEP_MS),
 * the ledger integrator's drain (every LEDGER_INTEGRATE_MS: entries queued by
 * a change whose own integration failed, or by a process that stopped between
 * its commit and its integration; changes normally integrate their own),
 * and the ledger checkpoint tick (every min(LEDGER_CHECKPOINT_SECONDS, 5) s).
 */
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Services } from './services.ts';

/** How often the ledger's queue is drained of entries nobody is waiting for (they are rare: see integrator.ts). */
export const LEDGER_INTEGRATE_MS = 1000;

/** Longest wait between two passes of a failing loop. */
export const BACKOFF_MAX_MS = 30_000;

export interface LoopOptions {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  logger: Logger;
  /** First pass at once rather than after one interval. */
  immediate?: boolean;
  maxBackoffMs?: number;
  random?: () => number;
}

export interface Loop {
  /** Consecutive failed passes (0 when the last pass succeeded). */
  readonly failures: number;
  /** No further pass; resolves when the pass in flight (if any) has ended. */
  stop(): Promise<void>;
}

/** Wait before the next pass after `failures` consecutive failures: interval * 2^failures, capped, jitter in [half, full], never below the interval. */
export function backoffDelay(intervalMs: number, failures: number, maxMs: number, random: () => number = Math.random): number {
  if (failures === 0) return intervalMs;
  const full = Math.min(Math.max(maxMs, intervalMs), intervalMs * 2 ** Math.min(failures, 30));
  return Math.max(intervalMs, Math.round(full / 2 + random() * (full / 2)));
}

export function startLoop(o: LoopOptions): Loop {
  const maxMs = o.maxBackoffMs ?? BACKOFF_MAX_MS;
  let failures = 0;
  let stopped = false;
  /** Ticks to let pass before the next pass (backoff, counted in intervals so it follows the interval timer). */
  let skip = 0;
  let inFlight: Promise<void> | undefined;

  async function pass(): Promise<void> {
    try {
      await o.run();
      if (failures > 0) o.logger.warn({ loop: o.name, failedPasses: failures }, 'background loop resumed');
      failures = 0;
    } catch (err) {
      failures++;
      const e = err as { message?: unknown; code?: unknown };
      const retryInMs = backoffDelay(o.intervalMs, failures, maxMs, o.random);
      skip = Math.max(1, Math.round(retryInMs / o.intervalMs)) - 1;
      // Message and code only: a driver error may carry query parameters.
      o.logger.error({ loop: o.name, failures, retryInMs, err: { message: String(e?.message), code: e?.code } }, 'background loop pass failed; backing off');
    }
  }
  function tick(): void {
    if (stopped || inFlight) return; // never two passes at once
    if (skip > 0) {
      skip--;
      return;
    }
    inFlight = pass().finally(() => {
      inFlight = undefined;
    });
  }
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  if (o.immediate) setTimeout(tick, 0).unref();

  return {
    get failures() {
      return failures;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}

export interface BackgroundLoops {
  loops: Record<string, Loop>;
  /** Stops every loop (interrupting webhook deliveries in flight) and waits for them; idempotent. */
  stop(): Promise<void>;
}

export function startBackgroundLoops(services: Services, config: Config, logger: Logger): BackgroundLoops {
  const loops: Record<string, Loop> = {};
  if (config.NOTIFY_POLL_MS > 0) {
    loops.notifications = startLoop({ name: 'notifications', intervalMs: config.NOTIFY_POLL_MS, immediate: true, logger, run: () => services.notifications.deliverDue() });
  }
  loops.requestSweep = startLoop({ name: 'request-sweep', intervalMs: config.SLA_SWEEP_MS, logger, run: () => services.requests.sweep() });
  loops.governanceSweep = startLoop({ name: 'governance-sweep', intervalMs: config.SLA_SWEEP_MS, logger, run: () => services.governance.sweep() });
  loops.idempotencyPurge = startLoop({
    name: 'idempotency-purge',
    intervalMs: config.SLA_SWEEP_MS,
    logger,
    run: () => services.db.transaction().execute((trx) => services.idempotency.purgeExpired(trx)),
  });
  loops.ledgerIntegrate = startLoop({
    name: 'ledger-integrate',
    intervalMs: LEDGER_INTEGRATE_MS,
    immediate: true,
    logger,
    run: () => services.ledger.integrate(services.db),
  });
  loops.ledgerCheckpoint = startLoop({
    name: 'ledger-checkpoint',
    intervalMs: services.ledger.checkpoints.tickMs,
    logger,
    // Sign when due, then send the latest checkpoint to the witnesses that have not cosigned it (off the request path).
    run: async () => {
      const { checkpoint } = await services.ledger.checkpoints.sign(services.db, 'tick');
      await services.ledger.witnessing.collect(services.db, checkpoint, logger);
    },
  });
  let stopping: Promise<void> | undefined;
  return {
    loops,
    stop() {
      // The worker's stop interrupts webhook requests in flight, so its pass ends promptly.
      stopping ??= Promise.all([...Object.values(loops).map((l) => l.stop()), services.notifications.stop()]).then(() => undefined);
      return stopping;
    },
  };
}
