import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const PROBLEM = '/problems/';
let h: Harness;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  h = await startHarness();
  for (const state of ['FRA', 'USA', 'ATA']) {
    tokens[state] = h.token('delegate', state);
    expect((await h.request({ method: 'PUT', url: `/v1/states/${state}/participation`, token: tokens[state] })).statusCode).toBeLessThan(300);
  }
});
afterAll(() => h?.close());

const create = (state: string, phone: string) =>
  h.request({ method: 'POST', url: `/v1/states/${state}/contacts`, token: tokens[state], payload: sampleContact({ phone }) });

async function contactCount() {
  return (await h.sql<{ n: number }>('select count(*)::int as n from contacts'))[0]!.n;
}

describe('contacts: phone numbers as people write them', () => {
  it.each([
    ['FRA', '+33 1 23 45 67 89', '+33123456789'],
    ['FRA', '01 23 45 67 89', '+33123456789'],
    ['FRA', '0033 1 23 45 67 89', '+33123456789'],
    ['FRA', '06.12.34.56.78', '+33612345678'],
    ['FRA', '+44 20 7946 0958', '+442079460958'], // a French contact may have a British number
    ['USA', '(202) 555-0143', '+12025550143'],
    ['USA', '+1 202-555-0143', '+12025550143'],
    ['ATA', '+33 1 23 45 67 89', '+33123456789'], // no numbering plan of its own: international format works
  ])('%s: accepts %j and stores %s (E.164)', async (state, phone, e164) => {
    const res = await create(state, phone);
    expect(res.statusCode).toBe(201);
    const { contact } = res.json();
    expect(contact.phone).toBe(e164);
    const got = await h.request({ method: 'GET', url: `/v1/contacts/${contact.id}`, token: tokens[state] });
    expect(got.json().phone).toBe(e164);
  });

  it.each([
    ['FRA', '01 23 45', 'is too short', 'France'],
    ['FRA', '+33 1 23 45 67 89 01 23', 'is too long for France', 'e.g. +33 6 12 34 56 78'],
    ['FRA', '+33 0 23 45 67 89', 'is not a valid phone number for France', 'France'],
    ['USA', '(999) 555-0143', 'is not a valid phone number', 'e.g. +1'],
    ['ATA', '123 4567', 'needs its country code', 'international'],
    ['FRA', '+++', 'is not a phone number', 'France'],
  ])('%s: refuses %j with a 400 that says why, and stores nothing', async (state, phone, reason, hint) => {
    const before = await contactCount();
    const res = await create(state, phone);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.type).toBe(PROBLEM + 'validation-error');
    expect(body.detail).toContain(reason);
    expect(body.detail).toContain(hint);
    expect(body.errors).toEqual([{ path: 'body.phone', message: expect.stringContaining(reason) }]);
    expect(await contactCount()).toBe(before);
  });

  it('normalises a changed number in the state\'s plan, and refuses an invalid one without changing the contact', async () => {
    const { contact } = (await create('FRA', '+33123456789')).json();
    const patch = (phone: string) => h.request({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, token: tokens.FRA, payload: { phone } });
    const ok = await patch('06 12 34 56 78');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().contact).toMatchObject({ phone: '+33612345678', version: 2 });
    const bad = await patch('06 12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.phone' });
    const got = await h.request({ method: 'GET', url: `/v1/contacts/${contact.id}`, token: tokens.FRA });
    expect(got.json()).toMatchObject({ phone: '+33612345678', version: 2 });
  });
});
