/** Who is calling: the verified claims of a bearer token, reduced to what authorisation needs. */
import { z } from 'zod';
import { isIso3166Alpha3 } from '../states/iso3166.ts';

export const ROLES = ['delegate', 'secretariat', 'auditor', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  readonly sub: string;
  readonly role: Role;
  /** ISO 3166-1 alpha-3 code of the delegate's state; null for other roles. */
  readonly state: string | null;
}

/** Control characters (NUL included) and lone surrogates: a subject is stored and logged as text, so neither may reach it. */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
const printable = (s: string) => !CONTROL.test(s);

export const claimsSchema = z
  .object({
    sub: z.string().min(1).max(256).refine(printable, 'must not contain control characters'),
    role: z.enum(ROLES),
    state: z.string().optional(),
    exp: z.number(),
  })
  .superRefine((c, ctx) => {
    if (c.role === 'delegate' && !(c.state && isIso3166Alpha3(c.state))) {
      ctx.addIssue({ code: 'custom', path: ['state'], message: 'a delegate token needs an ISO 3166-1 alpha-3 state claim' });
    }
  });

export function actorFromClaims(claims: unknown): Actor | null {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return null;
  const { sub, role, state } = parsed.data;
  return { sub, role, state: role === 'delegate' ? state! : null };
}

export const isDelegateOf = (actor: Actor, state: string): boolean => actor.role === 'delegate' && actor.state === state;
