/**
 * The ledger's entry types: one registry (src/ledger/events.ts) gathered from
 * the domains' events.ts, each type once, and docs/ledger.md's table equal to it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEDGER_EVENT_TYPES } from '../../src/ledger/events.ts';

const documented = () => {
  const doc = readFileSync(new URL('../../docs/ledger.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Entry types'), doc.indexOf('## The tree'));
  return [...section.matchAll(/^\| `([a-z.-]+)` \|/gm)].map((m) => m[1]!);
};

describe('ledger entry types', () => {
  it('are each defined once, domain.verb in lower case', () => {
    expect(new Set(LEDGER_EVENT_TYPES).size).toBe(LEDGER_EVENT_TYPES.length);
    for (const type of LEDGER_EVENT_TYPES) expect(type).toMatch(/^[a-z-]+\.[a-z-]+$/);
    expect(LEDGER_EVENT_TYPES.length).toBeGreaterThan(40);
  });

  it('are the ones docs/ledger.md lists, no more, no fewer', () => {
    expect([...documented()].sort()).toEqual([...LEDGER_EVENT_TYPES].sort());
  });
});
