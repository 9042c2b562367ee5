/**
 * The parent side: start a server file as its own node process (so its CPU
 * time can be read from /proc/<pid>/stat, see cpu.ts), wait for its
 * `{"port": N}` line, and stop it with SIGTERM (SIGKILL if it hangs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ReadyMessage } from './ready.ts';

export interface ServerChild {
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** Every child still running, from the moment it is spawned (see killAllNow). */
const live = new Set<ChildProcess>();

/** SIGKILL every child still running; synchronous, for process 'exit' handlers. */
export function killAllNow(): void {
  for (const child of live) child.kill('SIGKILL');
}

function isReadyMessage(value: unknown): value is ReadyMessage {
  return typeof value === 'object' && value !== null && 'port' in value && typeof value.port === 'number';
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Runs `node [nodeArgs] --import tsx <file>` with exactly `env` (plus PATH and HOME). */
export function spawnServer(file: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerChild> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
    }
  };
  return new Promise<ServerChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${file} did not report its port within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before listening (code ${code}, signal ${signal})`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        process.stderr.write(`[${file}] ${line}\n`);
        return;
      }
      if (!isReadyMessage(message) || child.pid === undefined) return;
      clearTimeout(timer);
      resolve({ pid: child.pid, baseUrl: `http://127.0.0.1:${message.port}`, stop });
    });
  });
}
