/**
 * What goes over the wire: the Standard Webhooks request (signed body) and
 * the notification email. Both carry only the event type, ids, the link, the
 * exercise label and non-confidential extra fields (e.g. a reachability
 * challenge); never contact data or request content.
 *
 * Standard Webhooks (https://www.standardwebhooks.com/, spec v1):
 *   webhook-id         the message id, identical on every retry (receivers drop duplicates)
 *   webhook-timestamp  unix seconds of this attempt
 *   webhook-signature  "v1," + base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`))
 * where the secret is the base64 part of "whsec_<base64>".
 */
import http from 'node:http';
import https from 'node:https';
import type { Transporter } from 'nodemailer';
import { fromBase64, hmacSha256, randomBytes, toBase64 } from '../crypto/index.ts';
import { pinnedLookup, type ResolvedAddress } from './ssrf.ts';

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A fresh signing secret: its raw bytes and the "whsec_<base64>" form shown (once) to the state. */
export function newSecret(): { bytes: Uint8Array; text: string } {
  const bytes = randomBytes(SECRET_BYTES);
  return { bytes, text: SECRET_PREFIX + toBase64(bytes) };
}

export function secretBytes(text: string): Uint8Array {
  if (!text.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  return fromBase64(text.slice(SECRET_PREFIX.length));
}

/** The webhook-signature header value for one attempt. */
export function signature(secret: Uint8Array, id: string, timestamp: number, body: string): string {
  return `v1,${toBase64(hmacSha256(secret, `${id}.${timestamp}.${body}`))}`;
}

/** What a message says, sealed in the outbox and rendered into the webhook body and the email. */
export interface MessageContent {
  type: string;
  /** When the event happened (ISO 8601). */
  createdAt: string;
  state: string;
  requestId?: string | undefined;
  checkId?: string | undefined;
  /** Absolute URL. */
  link: string;
  exercise: boolean;
  extra: Record<string, string>;
}

export function webhookBody(m: MessageContent): string {
  return JSON.stringify({
    type: m.type,
    timestamp: m.createdAt,
    data: {
      state: m.state,
      ...(m.requestId ? { requestId: m.requestId } : {}),
      ...(m.checkId ? { checkId: m.checkId } : {}),
      link: m.link,
      exercise: m.exercise,
      ...m.extra,
    },
  });
}

/** Outcome of one attempt; `error` is a short code safe to store and log (no URL, no address). */
export type AttemptResult = { ok: true } | { ok: false; error: string; interrupted?: boolean };

/** Limits of one attempt: its own time limit, and the worker's stop signal (shutdown). */
export interface AttemptLimits {
  timeoutMs: number;
  stop: AbortSignal;
}

/** The error of an attempt that was aborted: interrupted by the worker stopping, or timed out. */
function abortResult(limits: AttemptLimits): AttemptResult {
  return limits.stop.aborted ? { ok: false, error: 'interrupted', interrupted: true } : { ok: false, error: 'timeout' };
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a signed body to the webhook, connecting to the pinned (checked)
 * address whatever the host name resolves to now. Success is a 2xx status;
 * redirects are not followed.
 */
export function postWebhook(opts: {
  url: URL;
  address: ResolvedAddress;
  id: string;
  timestamp: number;
  body: string;
  secret: Uint8Array;
  limits: AttemptLimits;
}): Promise<AttemptResult> {
  const { url, address, id, timestamp, body, secret, limits } = opts;
  const signal = AbortSignal.any([limits.stop, AbortSignal.timeout(limits.timeoutMs)]);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: pinnedLookup(address),
        signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'poc-directory-webhooks/1',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature(secret, id, timestamp, body),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        // The status decides; the body is read (and dropped) so the exchange completes.
        const finish = () => done(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `http-${status}` });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    req.on('error', (err) => done(signal.aborted ? abortResult(limits) : { ok: false, error: errorCode(err) }));
    req.end(body);
  });
}

/** A short, non-identifying error code (never err.message, which may hold an address or a URL). */
export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; responseCode?: unknown; name?: unknown };
    const code = typeof e.code === 'string' && /^[A-Z0-9_-]{1,40}$/i.test(e.code) ? e.code : undefined;
    const response = typeof e.responseCode === 'number' ? `-${e.responseCode}` : '';
    if (code) return `${code}${response}`.toLowerCase();
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  }
  return 'error';
}

/** The email for one message: subject and plain-text body, nothing confidential. */
export function emailContent(m: MessageContent): { subject: string; text: string } {
  const ids = [m.requestId ? `request ${m.requestId}` : null, m.checkId ? `check ${m.checkId}` : null].filter(Boolean).join(', ');
  const subject = `${m.exercise ? '[EXERCISE] ' : ''}PoC directory: ${m.type}${ids ? ` (${ids})` : ''}`;
  const lines = [
    ...(m.exercise ? ['EXERCISE: this notification is part of an exercise.', ''] : []),
    `Notification: ${m.type}`,
    `State: ${m.state}`,
    ...(m.requestId ? [`Request: ${m.requestId}`] : []),
    ...(m.checkId ? [`Check: ${m.checkId}`] : []),
    ...Object.entries(m.extra).map(([k, v]) => `${k}: ${v}`),
    '',
    `Open: ${m.link}`,
    '',
    'This message carries no confidential content. Sign in to the directory to read the details.',
  ];
  return { subject, text: lines.join('\n') + '\n' };
}

export async function sendEmail(opts: {
  transport: Transporter;
  from: string;
  to: string;
  id: string;
  messageIdDomain: string;
  content: MessageContent;
  limits: AttemptLimits;
}): Promise<AttemptResult> {
  const { subject, text } = emailContent(opts.content);
  const signal = AbortSignal.any([opts.limits.stop, AbortSignal.timeout(opts.limits.timeoutMs)]);
  try {
    await opts.transport.sendMail({
      from: opts.from,
      to: opts.to,
      subject,
      text,
      // Stable across retries, like webhook-id, so a mail system can drop duplicates.
      messageId: `<${opts.id}@${opts.messageIdDomain}>`,
      headers: { 'X-PoC-Notification-Id': opts.id },
      signal,
    });
    return { ok: true };
  } catch (err) {
    return signal.aborted ? abortResult(opts.limits) : { ok: false, error: errorCode(err) };
  }
}
