/**
 * The two policies behind "stay up through a database outage": which errors
 * mean "the database is unavailable" (503, retry later) rather than a bug
 * (500), and how a background loop backs off and resumes.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, startLoop } from '../../src/background.ts';
import { isDatabaseUnavailable } from '../../src/db/index.ts';
import { Problem } from '../../src/http/problem.ts';
import { createLogger } from '../../src/logger.ts';

const dbError = (code: string, message = 'x') => Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });
const sysError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown (restart)', dbError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', dbError('57P02')],
    ['starting up / shutting down', dbError('57P03', 'the database system is starting up')],
    ['statement timeout', dbError('57014', 'canceling statement due to statement timeout')],
    ['connection failure class 08', dbError('08006')],
    ['connection does not exist', dbError('08003')],
    ['too many connections', dbError('53300')],
    ['refused', sysError('ECONNREFUSED')],
    ['reset', sysError('ECONNRESET')],
    ['refused on every address', new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')], '')],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool wait timeout', new Error('timeout exceeded when trying to connect')],
    ['client broken', new Error('Client has encountered a connection error and is not queryable')],
    ['wrapped', new Error('outer', { cause: sysError('ETIMEDOUT') })],
  ])('%s: unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation', dbError('23505')],
    ['undefined table', dbError('42P01')],
    ['invalid input', dbError('22P02')],
    ['check violation', dbError('23514')],
    ['authentication failed', dbError('28P01')],
    ['a plain bug', new Error('boom')],
    ['a problem', new Problem('conflict', 'no')],
    ['not an error', 'Connection terminated unexpectedly'],
    ['null', null],
  ])('%s: not unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('background loop backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('backoffDelay doubles per consecutive failure from the interval, with jitter in [half, full], capped, never below the interval', () => {
    expect(backoffDelay(1000, 0, 30_000, () => 1)).toBe(1000);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(1000, n, 30_000, () => 1))).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1000, 3, 30_000, () => 0)).toBe(4000);
    expect(backoffDelay(1000, 1, 30_000, () => 0)).toBe(1000);
    expect(backoffDelay(60_000, 5, 30_000, () => 1)).toBe(60_000);
  });

  it('logs each failed pass, waits longer after each, resumes at its pace after a success, and stop() ends it', async () => {
    const logs: { msg: string; failures?: number; retryInMs?: number }[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, cb) {
          logs.push(JSON.parse(chunk.toString()));
          cb();
        },
      }),
    );
    let calls = 0;
    const at: number[] = [];
    const loop = startLoop({
      name: 'test',
      intervalMs: 100,
      logger,
      random: () => 1,
      run: async () => {
        at.push(Date.now());
        if (++calls <= 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    });
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800 + 100 + 100);
    expect(at.map((t) => t - start)).toEqual([100, 300, 700, 1500, 1600, 1700]);
    expect(logs.filter((l) => l.msg.startsWith('background loop pass failed')).map((l) => [l.failures, l.retryInMs])).toEqual([
      [1, 200],
      [2, 400],
      [3, 800],
    ]);
    expect(logs.filter((l) => l.msg === 'background loop resumed')).toHaveLength(1);
    expect(loop.failures).toBe(0);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(at).toHaveLength(6);
  });
});
