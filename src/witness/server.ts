/**
 * The witness's HTTP server (node:http, no framework): one route,
 * POST <prefix>/add-checkpoint, plus GET <prefix>/ (the witness's verifier
 * key and the logs it follows) for operators.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Witness } from './witness.ts';

/** A request body is a checkpoint with up to 63 proof lines: a few KiB. */
const MAX_BODY_BYTES = 64 * 1024;

class TooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

export function createWitnessServer(witness: Witness, opts: { prefix?: string; logger?: Pick<Logger, 'info' | 'warn' | 'error'>; origins: string[] }): Server {
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  return createServer((req, res) => {
    const send = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === `${prefix}/add-checkpoint`) {
      if (req.method !== 'POST') return send(405, 'text/plain; charset=utf-8', 'use POST\n');
      const started = process.hrtime.bigint();
      readBody(req)
        .then((body) => witness.addCheckpoint(body))
        .then((r) => {
          opts.logger?.info({ status: r.status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'add-checkpoint');
          send(r.status, r.contentType, r.body);
        })
        .catch((err: unknown) => {
          if (err instanceof TooLarge) return send(413, 'text/plain; charset=utf-8', 'request too large\n');
          if (err instanceof TypeError) return send(400, 'text/plain; charset=utf-8', 'request is not UTF-8\n');
          opts.logger?.error({ err }, 'add-checkpoint failed');
          send(500, 'text/plain; charset=utf-8', 'internal error\n');
        });
      return;
    }
    if (req.method === 'GET' && (path === `${prefix}/` || path === prefix)) {
      return send(200, 'application/json', JSON.stringify({ name: witness.name, verifierKey: witness.verifierKey, logs: opts.origins }) + '\n');
    }
    send(404, 'text/plain; charset=utf-8', 'not found\n');
  });
}
