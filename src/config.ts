/**
 * Configuration from the environment, validated with zod. Every secret
 * variable X may instead be given as X_FILE (a path whose content is the value),
 * which is how docker compose secrets are passed.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PROPOSAL_KINDS, ruleSchema, type Rule } from './governance/rules.ts';
import { parseCosignerKey, type CosignerKey } from './tlog/cosignature.ts';

const SECRET_VARS = [
  'DATABASE_URL',
  'POC_MASTER_KEY',
  'POC_MASTER_KEY_PREVIOUS',
  'POC_INDEX_KEY',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'LEDGER_SIGNING_KEY',
  'EXPORT_SIGNING_KEY',
  'SMTP_URL',
  'METRICS_TOKEN',
] as const;

const base64Key = z
  .string()
  .trim()
  .refine((s) => /^[A-Za-z0-9+/]{43}=$/.test(s) && Buffer.from(s, 'base64').length === 32, {
    message: 'must be 32 bytes, base64 encoded (e.g. `openssl rand -base64 32`)',
  });

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const boolish = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().default('./data'),
    DATABASE_URL: optionalString,
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /** At start, how long to keep retrying an unreachable database before giving up (seconds; 0: one attempt). */
    DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** Server-side statement_timeout of every query (ms; 0: none); a query past it answers 503. */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    POC_MASTER_KEY: base64Key.optional(),
    POC_MASTER_KEY_PREVIOUS: base64Key.optional(),
    POC_INDEX_KEY: base64Key.optional(),
    JWT_SECRET: optionalString.refine((s) => s === undefined || s.length >= 32, {
      message: 'must be at least 32 characters',
    }),
    JWT_PUBLIC_KEY: optionalString,
    JWT_ALGORITHM: z.enum(['EdDSA', 'ES256', 'RS256']).default('EdDSA'),
    JWT_ISSUER: optionalString,
    JWT_AUDIENCE: optionalString,
    /** Longest accepted token lifetime (exp - iat, or exp - now without iat), in seconds. */
    JWT_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(31 * 86_400).default(43_200),
    /** OpenID Connect: verify tokens with the provider's JWKS (keys by kid, refetched on rotation); needs JWT_ISSUER. */
    JWT_JWKS_URL: z.url().optional(),
    /** Minimum time between two JWKS refetches (an unknown kid triggers one). */
    JWT_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /** claims: a trusted token asserts role and state; registry: it proves only issuer and subject, role and state come from the user registry. Default: registry in production, claims otherwise. */
    AUTH_MODE: z.enum(['claims', 'registry']).optional(),
    /** Dual control: hours before a pending change expires. */
    PENDING_CHANGE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
    /** base64 32-byte Ed25519 seed that signs ledger checkpoints; generated in development. */
    LEDGER_SIGNING_KEY: base64Key.optional(),
    /** The log's identity: first line of every checkpoint and name of its signing key (C2SP signed-note). */
    LEDGER_ORIGIN: z
      .string()
      .trim()
      .regex(/^[^\s+]+$/u, { message: 'must be non-empty, without spaces or "+", e.g. poc.example.org/ledger' })
      .default('poc-directory/ledger'),
    /** A new checkpoint is signed once this many entries are not covered by the latest one... */
    LEDGER_CHECKPOINT_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(1000),
    /** ...or once the oldest uncovered entry is this many seconds old. */
    LEDGER_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(60),
    /** base64 32-byte Ed25519 seed that signs offline exports; generated in development. */
    EXPORT_SIGNING_KEY: base64Key.optional(),
    /** Exports per state per window (a token bucket per state: EXPORT_RATE_MAX in a burst, refilled over EXPORT_RATE_WINDOW_MS). */
    EXPORT_RATE_MAX: z.coerce.number().int().min(1).max(100_000).default(10),
    EXPORT_RATE_WINDOW_MS: z.coerce.number().int().min(1000).default(3_600_000),
    /**
     * Witnesses that cosign the ledger's checkpoints (C2SP tlog-witness): JSON
     * [{"url": "https://w.example/prefix", "key": "<name>+<id>+<base64(0x04||key)>"}, ...]
     * or the compact form "<url>|<key>,<url>|<key>". The witness's name is its key name.
     */
    LEDGER_WITNESSES: z
      .string()
      .default('')
      .transform((s, ctx) => {
        try {
          return parseWitnessList(s);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    /** Cosignatures a checkpoint needs to count as witnessed (reported when short; never blocks appends). */
    LEDGER_WITNESS_QUORUM: z.coerce.number().int().min(0).max(100).default(0),
    /** Time limit of one add-checkpoint request (ms). */
    LEDGER_WITNESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
    TRUST_PROXY: boolish,
    /** Bearer token a Prometheus scraper sends to GET /metrics; without it there is no /metrics. */
    METRICS_TOKEN: optionalString.refine((s) => s === undefined || (s.length >= 32 && /^[\x21-\x7e]+$/.test(s)), {
      message: 'must be at least 32 printable characters without spaces (e.g. `openssl rand -hex 32`)',
    }),
    /** Origins allowed to call the API from a browser (comma-separated, exact, e.g. https://portal.example.org); empty: CORS off. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s, ctx) => {
        const origins = s.split(',').map((o) => o.trim()).filter(Boolean);
        for (const o of origins) {
          let url: URL | undefined;
          try {
            url = new URL(o);
          } catch {
            url = undefined;
          }
          if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== o) {
            ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin (scheme://host[:port], no path or trailing slash)` });
          }
        }
        return origins;
      }),
    /** Base URL of this service as its users reach it; links in notifications point here. */
    PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
    /** Acknowledgement deadlines per urgency, in minutes (JSON); overdue requests escalate to the next point of contact. */
    SLA_ACK_MINUTES: z
      .string()
      .default('{"urgent":120,"priority":480,"routine":2880}')
      .transform((s, ctx) => {
        let json: unknown = null;
        try {
          json = JSON.parse(s);
        } catch {
          // reported below
        }
        const parsed = z.object({ urgent: z.number().positive(), priority: z.number().positive(), routine: z.number().positive() }).strict().safeParse(json);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: 'must be JSON like {"urgent":120,"priority":480,"routine":2880}' });
          return z.NEVER;
        }
        return parsed.data;
      }),
    /**
     * The decision rule per proposal kind until the members change it by a decision-rule proposal (JSON; kinds
     * left out use consensus), e.g. {"observer-accreditation":{"type":"silence"}}.
     */
    GOVERNANCE_RULES: z
      .string()
      .default('{}')
      .transform((s, ctx) => {
        let json: unknown = null;
        try {
          json = JSON.parse(s);
        } catch {
          // reported below
        }
        const parsed = z.partialRecord(z.enum(PROPOSAL_KINDS), ruleSchema).safeParse(json);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: 'must be JSON like {"observer-accreditation":{"type":"silence"},"decision-rule":{"type":"qualified-majority","threshold":0.7,"quorum":10}}' });
          return z.NEVER;
        }
        return Object.fromEntries(PROPOSAL_KINDS.map((k) => [k, parsed.data[k] ?? { type: 'consensus' }])) as Record<(typeof PROPOSAL_KINDS)[number], Rule>;
      }),
    /** Contacts not re-confirmed by their state for this many days are listed as stale. */
    STALE_AFTER_DAYS: z.coerce.number().int().min(1).default(182),
    /** How often the service sweeps for expired and overdue requests, in ms. */
    SLA_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
    /** Accept webhook URLs that are http or resolve to private/loopback/link-local addresses (tests, closed networks only). */
    WEBHOOKS_ALLOW_PRIVATE: boolish,
    /** SMTP server for email notifications, e.g. smtps://user:pass@mail.example.org:465; unset: email notifications are skipped. */
    SMTP_URL: optionalString,
    SMTP_FROM: z.string().trim().min(3).default('PoC Directory <poc-directory@localhost>'),
    /** How often the notification worker looks for due messages (ms); 0: no background worker. */
    NOTIFY_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
    /** Delivery attempts per message before it is marked failed. */
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** Delay before the first retry (ms); it doubles at each attempt, with jitter, up to NOTIFY_BACKOFF_MAX_MS. */
    NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).max(86_400_000).default(30_000),
    NOTIFY_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(7 * 86_400_000).default(3_600_000),
    /** Time limit of one delivery attempt (ms). */
    NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Messages claimed and delivered concurrently per batch. */
    NOTIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production') {
      for (const name of ['POC_MASTER_KEY', 'POC_INDEX_KEY', 'LEDGER_SIGNING_KEY', 'EXPORT_SIGNING_KEY'] as const) {
        if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
      }
      if (!c.JWT_SECRET && !c.JWT_PUBLIC_KEY && !c.JWT_JWKS_URL) {
        ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'JWT_PUBLIC_KEY, JWT_JWKS_URL or JWT_SECRET is required in production' });
      }
    }
    if (c.LEDGER_WITNESS_QUORUM > c.LEDGER_WITNESSES.length) {
      ctx.addIssue({ code: 'custom', path: ['LEDGER_WITNESS_QUORUM'], message: `is ${c.LEDGER_WITNESS_QUORUM} but only ${c.LEDGER_WITNESSES.length} witness(es) are configured in LEDGER_WITNESSES` });
    }
    if ([c.JWT_SECRET, c.JWT_PUBLIC_KEY, c.JWT_JWKS_URL].filter(Boolean).length > 1) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set one of JWT_SECRET, JWT_PUBLIC_KEY and JWT_JWKS_URL' });
    }
    if (c.JWT_JWKS_URL && !c.JWT_ISSUER) ctx.addIssue({ code: 'custom', path: ['JWT_ISSUER'], message: 'is required with JWT_JWKS_URL' });
  })
  .transform((c) => ({ ...c, AUTH_MODE: c.AUTH_MODE ?? (c.NODE_ENV === 'production' ? ('registry' as const) : ('claims' as const)) }));

export type Config = z.infer<typeof configSchema>;

export interface WitnessSetting {
  /** The witness's key name. */
  name: string;
  /** Submission prefix: add-checkpoint is POSTed to <url>/add-checkpoint. */
  url: string;
  key: CosignerKey;
}

/** LEDGER_WITNESSES: JSON list of {url, key}, or "<url>|<key>,..."; throws with a readable message. */
export function parseWitnessList(text: string): WitnessSetting[] {
  const t = text.trim();
  if (t === '') return [];
  let items: { url: unknown; key: unknown }[];
  if (t.startsWith('[')) {
    const json: unknown = JSON.parse(t);
    if (!Array.isArray(json)) throw new Error('must be a JSON list of {"url", "key"}');
    items = json as { url: unknown; key: unknown }[];
  } else {
    items = t.split(',').map((part) => {
      const bar = part.indexOf('|');
      if (bar < 0) throw new Error('each witness is "<url>|<verifier key>"');
      return { url: part.slice(0, bar).trim(), key: part.slice(bar + 1).trim() };
    });
  }
  const out = items.map((item) => {
    if (typeof item?.url !== 'string' || typeof item?.key !== 'string') throw new Error('each witness needs a "url" and a "key"');
    let url: URL;
    try {
      url = new URL(item.url);
    } catch {
      throw new Error(`${JSON.stringify(item.url)} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${item.url}: http or https only`);
    let key: CosignerKey;
    try {
      key = parseCosignerKey(item.key);
    } catch (err) {
      throw new Error(`witness key ${JSON.stringify(item.key)}: ${(err as Error).message}`);
    }
    return { name: key.name, url: item.url.replace(/\/+$/, ''), key };
  });
  if (new Set(out.map((w) => w.name)).size !== out.length) throw new Error('two witnesses have the same name');
  return out;
}

export class ConfigError extends Error {}

/**
 * Reads X_FILE variables into X, then validates. Throws ConfigError with one
 * line per bad variable (`NAME: what is wrong`), never the value itself.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const merged: Record<string, string | undefined> = { ...env };
  const problems = new Map<string, string>();
  for (const name of SECRET_VARS) {
    const file = env[`${name}_FILE`];
    if (!file || env[name]) continue;
    try {
      merged[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.set(`${name}_FILE`, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || 'configuration';
      if (!problems.has(name)) problems.set(name, issue.message);
    }
  }
  if (problems.size > 0 || !parsed.success) {
    throw new ConfigError(`invalid configuration:\n${[...problems].map(([name, message]) => `  ${name}: ${message}`).join('\n')}`);
  }
  return parsed.data;
}
