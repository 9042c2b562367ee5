/**
 * The disclosure rules, pure. Given the grants between an owner state and a
 * viewer state, which of the owner's contact domains may the viewer see?
 *
 *  - A grant is directory-wide (counterpart '*') or for one counterpart; the
 *    viewer gets the union of both.
 *  - `unilateral`: the owner's grant is enough.
 *  - `reciprocal`: a domain is disclosed only while the viewer also grants the
 *    owner that domain (directly or directory-wide, in any mode): mutual
 *    consent, per domain. If the viewer revokes, the owner's contacts close
 *    to it at once.
 * Participation (both states must participate) is checked by the caller.
 */
import type { Domain } from '../vocabulary.ts';

export type { Domain };
export type Mode = 'unilateral' | 'reciprocal';
export const EVERYONE = '*';

export interface Grant {
  owner: string;
  counterpart: string;
  mode: Mode;
  domains: readonly string[];
}

/** The domains `owner` grants `viewer` (in any mode, ignoring reciprocity): what counts as "also grants". */
function grantedDomains(grants: readonly Grant[], owner: string, viewer: string): Set<string> {
  const out = new Set<string>();
  for (const g of grants) {
    if (g.owner === owner && (g.counterpart === viewer || g.counterpart === EVERYONE)) for (const d of g.domains) out.add(d);
  }
  return out;
}

/** Domains of `owner`'s contacts that `viewer` may see under the grants given. */
export function effectiveDomains(grants: readonly Grant[], owner: string, viewer: string): Set<string> {
  const out = new Set<string>();
  if (owner === viewer) return out;
  let back: Set<string> | undefined;
  for (const g of grants) {
    if (g.owner !== owner || (g.counterpart !== viewer && g.counterpart !== EVERYONE)) continue;
    if (g.mode === 'unilateral') {
      for (const d of g.domains) out.add(d);
    } else {
      back ??= grantedDomains(grants, viewer, owner);
      for (const d of g.domains) if (back.has(d)) out.add(d);
    }
  }
  return out;
}

export type GrantStatus = 'effective' | 'partially-effective' | 'pending-reciprocity';

export function statusOf(grantDomains: readonly string[], effective: ReadonlySet<string>): GrantStatus {
  const n = grantDomains.filter((d) => effective.has(d)).length;
  return n === grantDomains.length ? 'effective' : n === 0 ? 'pending-reciprocity' : 'partially-effective';
}
