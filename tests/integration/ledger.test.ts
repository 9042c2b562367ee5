import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
let contactId: string;
beforeAll(async () => {
  h = await startHarness();
  const fra = h.token('delegate', 'FRA');
  const deu = h.token('delegate', 'DEU');
  await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
  await h.request({ method: 'PUT', url: '/v1/states/DEU/participation', token: deu });
  contactId = (await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })).json().contact.id;
  await h.request({ method: 'PATCH', url: `/v1/contacts/${contactId}`, token: fra, payload: { rank: 'minister' } });
  await h.request({ method: 'POST', url: '/v1/states/DEU/contacts', token: deu, payload: sampleContact() });
  await h.request({ method: 'DELETE', url: `/v1/contacts/${contactId}`, token: fra });
});
afterAll(() => h?.close());

/** An independent RFC 8785 serialiser for the value shapes entries use (strings, integers, booleans, arrays, objects). */
function jcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

type Served = { index: number; leafHash: string; entry: Record<string, unknown> & { type: string; parties: string[] } };
const entries = async (token: string, query = '') => {
  const res = await h.request({ method: 'GET', url: `/v1/ledger/entries${query}`, token });
  expect(res.statusCode).toBe(200);
  return res.json() as { entries: Served[]; next: number | null };
};

describe('ledger core', () => {
  it('records every change, in order, with gap-free indexes', async () => {
    const { entries: all, next } = await entries(h.token('auditor'));
    expect(next).toBeNull();
    expect(all.map((e) => e.index)).toEqual(all.map((_, i) => i));
    expect(all.map((e) => e.entry.type)).toEqual(['state.joined', 'state.joined', 'contact.created', 'contact.updated', 'contact.created', 'contact.deleted']);
    expect(all[3]!.entry).toMatchObject({ subject: { state: 'FRA', contact: contactId }, facts: { changed: ['rank'], version: 2 }, actor: { role: 'delegate', state: 'FRA' } });
  });

  it('lets an outsider recompute each leaf hash from the served entry: SHA-256(0x00 || JCS(entry))', async () => {
    const { entries: all } = await entries(h.token('secretariat'));
    for (const e of all) {
      const hash = createHash('sha256').update(Buffer.from([0])).update(jcs(e.entry), 'utf8').digest('hex');
      expect(hash).toBe(e.leafHash);
      expect(e.entry.index).toBe(e.index);
    }
  });

  it('pages with from/limit', async () => {
    const auditor = h.token('auditor');
    const first = await entries(auditor, '?from=0&limit=4');
    expect(first.entries.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(first.next).toBe(4);
    const second = await entries(auditor, `?from=${first.next}&limit=4`);
    expect(second.entries.map((e) => e.index)).toEqual([4, 5]);
    expect(second.next).toBeNull();
    // Pages of up to 10,000 entries for auditors and the secretariat (full verification), 1,000 for delegates.
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries?limit=10000', token: auditor })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries?limit=10001', token: auditor })).statusCode).toBe(400);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries?limit=1000', token: h.token('delegate', 'DEU') })).statusCode).toBe(200);
    const tooBig = await h.request({ method: 'GET', url: '/v1/ledger/entries?limit=1001', token: h.token('delegate', 'DEU') });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('shows delegates only the entries their state is party to; observers and anonymous callers none', async () => {
    const deu = await entries(h.token('delegate', 'DEU'));
    expect(deu.entries.map((e) => e.entry.type)).toEqual(['state.joined', 'contact.created']);
    expect(deu.entries.every((e) => e.entry.parties.includes('DEU'))).toBe(true);
    expect((await entries(h.token('delegate', 'KEN'))).entries).toEqual([]);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries', token: h.token('observer') })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/ledger/entries' })).statusCode).toBe(401);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of ledger rows at the database', async () => {
    await expect(h.sql(`update ledger_entries set type = 'forged' where seq = 0`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`delete from ledger_entries where seq = 0`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`truncate ledger_entries`)).rejects.toThrow(/append-only/);
    const rows = await h.sql<{ n: string }>(`select count(*)::int as n from ledger_entries`);
    expect(Number(rows[0]!.n)).toBe(6);
  });

  it('keeps the sequence gap-free under concurrent writers', async () => {
    const fra = h.token('delegate', 'FRA');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    const indexes = results.map((r) => r.json().receipt.index as number).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 12 }, (_, i) => 6 + i));
    const seqs = (await h.sql<{ seq: string }>('select seq from ledger_entries order by seq')).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });
});
