/**
 * The child side of the parent/child protocol: a server child prints one JSON
 * line `{"port": N}` on stdout once it listens, and closes cleanly on SIGTERM
 * or SIGINT (a clean exit is what lets `node --cpu-prof` write its profile).
 */
import type { FastifyInstance } from 'fastify';

export interface ReadyMessage {
  port: number;
}

export function announceReady(app: FastifyInstance): void {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected listen address: ${String(address)}`);
  const message: ReadyMessage = { port: address.port };
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`shutdown failed: ${String(err)}`);
          process.exit(1);
        },
      );
    });
  }
}
