import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

let h: Harness;
let fra: string;
let contact: Record<string, unknown> & { id: string };
const secrets = {
  name: 'Zygmunt Ąbrahamsson-Oyelaran',
  title: 'Deputy Director for Cyber Diplomacy',
  rank: 'ambassador-rank-7',
  organization: 'Ministère des Affaires étrangères — Direction Cyber',
  email: 'z.abrahamsson.unique@diplomatie.example.fr',
  phone: '+33187654321',
  timezone: 'Pacific/Chatham',
  availability: 'Weekdays 08:15-19:45 only',
  notes: 'Backup via embassy switchboard codeword ORCHID',
  publicKey: 'ed25519:' + Buffer.alloc(32, 0x5a).toString('base64'),
};
/** Every encoding a plaintext could hide in when scanned as text. */
const needles = Object.values(secrets).flatMap((v) => [v, Buffer.from(v).toString('hex'), Buffer.from(v).toString('base64')]);
const findPlaintext = (haystack: string) => needles.filter((n) => haystack.includes(n));

beforeAll(async () => {
  h = await startHarness();
  fra = h.token('delegate', 'FRA');
  await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
  const res = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact({ ...secrets, languages: ['fr', 'sw'] }) });
  expect(res.statusCode).toBe(201);
  contact = res.json().contact;
  // Exercise other paths that touch the values: update, lookup by email, a refused duplicate.
  await h.request({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, token: fra, payload: { notes: secrets.notes } });
  await h.request({ method: 'GET', url: `/v1/states/FRA/contacts?email=${encodeURIComponent(secrets.email)}`, token: fra });
  await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact({ email: secrets.email }) });
});
afterAll(() => h?.close());

describe('no plaintext at rest', () => {
  it('a raw SELECT on contacts finds ciphertexts only', async () => {
    const rows = await h.sql<Record<string, unknown>>('select * from contacts');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    for (const column of ['name', 'title', 'rank', 'organization', 'email', 'phone', 'languages', 'timezone', 'availability', 'public_key', 'notes']) {
      const value = row[column] as Uint8Array;
      expect(value).toBeInstanceOf(Uint8Array);
      expect(value[0]).toBe(1); // sealed format version
    }
    const text = JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(findPlaintext(text)).toEqual([]);
  });

  it('a dump-style scan of every column of every table finds no plaintext', async () => {
    const columns = await h.sql<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
    );
    expect(columns.length).toBeGreaterThan(20);
    let dump = '';
    for (const { table_name, column_name, data_type } of columns) {
      // Every column as text (bytea as hex), and bytea columns also as raw bytes.
      const rows = await h.sql<{ v: string | null }>(`select "${column_name}"::text as v from "${table_name}"`);
      dump += rows.map((r) => r.v ?? '').join('\n');
      if (data_type === 'bytea') {
        const raw = await h.sql<{ v: Uint8Array | null }>(`select "${column_name}" as v from "${table_name}"`);
        dump += raw.map((r) => (r.v ? Buffer.from(r.v).toString('latin1') + Buffer.from(r.v).toString('utf8') : '')).join('\n');
      }
    }
    expect(dump).toContain(contact.id); // the scan really covered the contact's row
    expect(findPlaintext(dump)).toEqual([]);
  });

  it('the ledger holds ids and commitments, never the content', async () => {
    const entries = await h.sql<{ canonical: string }>('select canonical from ledger_entries');
    const text = entries.map((e) => e.canonical).join('\n');
    expect(text).toContain(contact.id);
    expect(text).toContain('"commitment"');
    expect(findPlaintext(text)).toEqual([]);
  });

  it('keys are not in the database: the master key never appears, data keys only wrapped', async () => {
    const keys = await h.sql<{ wrapped_key: Uint8Array }>('select wrapped_key from state_keys');
    expect(keys.length).toBe(1);
    expect(keys[0]!.wrapped_key.length).toBe(1 + 16 + 24 + 32 + 16);
    const all = await h.sql<{ t: string }>(`select string_agg(wrapped_key::text, ',') as t from state_keys`);
    expect(all[0]!.t).not.toContain(Buffer.from(h.masterKey, 'base64').toString('hex'));
  });
});

describe('ciphertexts are bound to their place', () => {
  it('a ciphertext copied into another column or row does not decrypt (500, no content in the error)', async () => {
    const other = (await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact() })).json().contact;
    // Superuser tampering: copy the first contact's email ciphertext into the second's row, then into its phone column.
    await h.sql(`update contacts set email = (select email from contacts where id = $1) where id = $2`, [contact.id, other.id]);
    const moved = await h.request({ method: 'GET', url: `/v1/contacts/${other.id}`, token: fra });
    expect(moved.statusCode).toBe(500);
    expect(findPlaintext(moved.body)).toEqual([]);
    await h.sql(`update contacts set phone = email where id = $1`, [contact.id]);
    const swapped = await h.request({ method: 'GET', url: `/v1/contacts/${contact.id}`, token: fra });
    expect(swapped.statusCode).toBe(500);
    expect(findPlaintext(swapped.body)).toEqual([]);
  });
});

describe('no contact data in logs', () => {
  it('captured log output holds none of the values written, looked up or refused', async () => {
    const bad = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: sampleContact({ email: 'leaky-secret-not-an-email' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('leaky-secret-not-an-email');
    const logs = h.logs.join('\n');
    expect(logs).toContain('request completed'); // logging really happened
    expect(logs).toContain('/v1/states/FRA/contacts');
    expect(findPlaintext(logs)).toEqual([]);
    expect(logs).not.toContain('leaky-secret-not-an-email');
    expect(logs).not.toContain(fra);
  });
});
