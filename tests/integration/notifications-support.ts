/**
 * Test support for the notification tests: a webhook receiver and an SMTP
 * server, both real and on loopback (port 0), an INDEPENDENT Standard
 * Webhooks verifier (node:crypto, not the service's libsodium code), and a
 * controllable clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../../src/clock.ts';

export interface ReceivedRequest {
  id: string;
  timestamp: string;
  signature: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Status the receiver answered, or null when it never answered (held, then the connection closed). */
  status: number | null;
}

/** What the receiver does with a request: answer with a status, or hold it until released. */
export type Reaction = number | 'hold';

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
  /** Answers every held request with `status`. */
  release(status: number): void;
  close(): Promise<void>;
}

export async function startReceiver(react: (req: ReceivedRequest, index: number) => Reaction = () => 200, path = '/hook'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const held: { res: http.ServerResponse; record: ReceivedRequest }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h = req.headers;
      const record: ReceivedRequest = {
        id: String(h['webhook-id']),
        timestamp: String(h['webhook-timestamp']),
        signature: String(h['webhook-signature']),
        headers: h,
        body: Buffer.concat(chunks).toString('utf8'),
        status: null,
      };
      const index = requests.push(record) - 1;
      for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve();
      const reaction = react(record, index);
      if (reaction === 'hold') {
        held.push({ res, record });
        return;
      }
      record.status = reaction;
      res.writeHead(reaction, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    waitFor: (n) => (requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    release(status) {
      for (const { res, record } of held.splice(0)) {
        if (res.destroyed || res.socket?.destroyed) continue;
        record.status = status;
        res.writeHead(status).end('ok');
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  /** The decoded plain-text body. */
  text: string;
}

export interface SmtpCapture {
  url: string;
  messages: CapturedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on loopback that keeps every message it accepts. */
export async function startSmtp(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw,
          ...parseMail(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Headers (unfolded, lower-case names) and the decoded text of a single-part plain-text message. */
function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') {
    const bytes = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    text = bytes.toString('utf8');
  } else if (encoding === 'base64') {
    text = Buffer.from(body, 'base64').toString('utf8');
  }
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/**
 * Standard Webhooks verification, written from the specification with
 * node:crypto: the signed content is "${webhook-id}.${webhook-timestamp}.${body}",
 * the key is the base64 part of the "whsec_" secret, and webhook-signature is a
 * space-separated list of "v1,<base64 HMAC-SHA256>".
 */
export function verifyStandardWebhook(secret: string, req: { id: string; timestamp: string; signature: string; body: string }): boolean {
  if (!secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${req.id}.${req.timestamp}.${req.body}`).digest();
  return req.signature.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface TestClock {
  clock: Clock;
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = '2031-03-01T09:00:00.000Z'): TestClock {
  let t = new Date(start).getTime();
  return { clock: () => new Date(t), now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** Every column of every table as text (bytea as hex) plus the raw bytes of bytea columns, like a dump. */
export async function dumpDatabase(sql: <T>(text: string, params?: unknown[]) => Promise<T[]>): Promise<string> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>(
    `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  let dump = '';
  for (const { table_name, column_name, data_type } of columns) {
    const rows = await sql<{ v: string | null }>(`select "${column_name}"::text as v from "${table_name}"`);
    dump += rows.map((r) => r.v ?? '').join('\n') + '\n';
    if (data_type === 'bytea') {
      const raw = await sql<{ v: Uint8Array | null }>(`select "${column_name}" as v from "${table_name}"`);
      dump += raw.map((r) => (r.v ? Buffer.from(r.v).toString('latin1') : '')).join('\n') + '\n';
    }
  }
  return dump;
}
