/**
 * Configuration from the environment, validated with zod. Every secret
 * variable X may instead be given as X_FILE (a path whose content is the value),
 * which is how docker compose secrets are passed.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const SECRET_VARS = [
  'DATABASE_URL',
  'POC_MASTER_KEY',
  'POC_MASTER_KEY_PREVIOUS',
  'POC_INDEX_KEY',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'LEDGER_SIGNING_KEY',
  'SMTP_URL',
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
    RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
    TRUST_PROXY: boolish,
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
      for (const name of ['POC_MASTER_KEY', 'POC_INDEX_KEY', 'LEDGER_SIGNING_KEY'] as const) {
        if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
      }
      if (!c.JWT_SECRET && !c.JWT_PUBLIC_KEY && !c.JWT_JWKS_URL) {
        ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'JWT_PUBLIC_KEY, JWT_JWKS_URL or JWT_SECRET is required in production' });
      }
    }
    if ([c.JWT_SECRET, c.JWT_PUBLIC_KEY, c.JWT_JWKS_URL].filter(Boolean).length > 1) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set one of JWT_SECRET, JWT_PUBLIC_KEY and JWT_JWKS_URL' });
    }
    if (c.JWT_JWKS_URL && !c.JWT_ISSUER) ctx.addIssue({ code: 'custom', path: ['JWT_ISSUER'], message: 'is required with JWT_JWKS_URL' });
  })
  .transform((c) => ({ ...c, AUTH_MODE: c.AUTH_MODE ?? (c.NODE_ENV === 'production' ? ('registry' as const) : ('claims' as const)) }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads X_FILE variables into X, then validates. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const merged: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_VARS) {
    const file = env[`${name}_FILE`];
    if (file && !env[name]) merged[name] = readFileSync(file, 'utf8').trim();
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
