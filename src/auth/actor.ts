/** Who is calling: the verified claims of a bearer token (or a registry user / API key), reduced to what authorisation needs. */
import { z } from 'zod';
import { isIso3166Alpha3 } from '../states/iso3166.ts';

export const ROLES = ['delegate', 'authority', 'secretariat', 'auditor', 'observer'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that speak for one state and carry a state. */
export const STATE_ROLES: readonly Role[] = ['delegate', 'authority'];

export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface Actor {
  readonly sub: string;
  readonly role: Role;
  /** ISO 3166-1 alpha-3 code of the delegate's or authority's state; null for other roles. */
  readonly state: string | null;
  /** Token issuer (registry and OIDC modes); absent for claims tokens without `iss`. */
  readonly iss?: string | undefined;
  /** The registry user this caller is (registry mode, API keys). */
  readonly userId?: string | undefined;
  /** Set when the caller uses an API key: its id and scopes. */
  readonly apiKeyId?: string | undefined;
  readonly scopes?: readonly ApiKeyScope[] | undefined;
}

/** Control characters (NUL included) and lone surrogates: a subject is stored and logged as text, so neither may reach it. */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
export const printable = (s: string) => !CONTROL.test(s);

export const claimsSchema = z
  .object({
    sub: z.string().min(1).max(256).refine(printable, 'must not contain control characters'),
    role: z.enum(ROLES),
    state: z.string().optional(),
    iss: z.string().max(1024).refine(printable, 'must not contain control characters').optional(),
    exp: z.number(),
  })
  .superRefine((c, ctx) => {
    if (STATE_ROLES.includes(c.role) && !(c.state && isIso3166Alpha3(c.state))) {
      ctx.addIssue({ code: 'custom', path: ['state'], message: `a ${c.role} token needs an ISO 3166-1 alpha-3 state claim` });
    }
  });

export function actorFromClaims(claims: unknown): Actor | null {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return null;
  const { sub, role, state, iss } = parsed.data;
  return { sub, role, state: STATE_ROLES.includes(role) ? state! : null, ...(iss ? { iss } : {}) };
}
