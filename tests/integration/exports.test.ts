/**
 * Offline exports through HTTP: the contact set is the directory's, over
 * several disclosure configurations; vCard and CSV parse with third-party
 * parsers and round-trip every field in the six UN languages; encryption to
 * the registered key (and not to another state's); refusals; ledger entries;
 * the rate limit; and export:verify as a command, including tampering.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSealed } from '../../src/crypto/index.ts';
import { contactsOf, ENCRYPTED_FORMAT, keyIdOf, sha256Hex, signedBytes, verifySignedExport, type EncryptedExport, type ExportBundle, type SignedExport } from '../../src/exports/bundle.ts';
import { CSV_COLUMNS } from '../../src/exports/csv.ts';
import { runCli } from '../../src/cli/export-verify.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const exec = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

interface Contact {
  id: string;
  state: string;
  domains: string[];
  name: string;
  title: string;
  rank: string;
  organization: string;
  email: string;
  phone: string;
  languages: string[];
  timezone: string;
  availability: string;
  publicKey: string | null;
  notes: string | null;
  visibility: string;
  verification: { status: string; verifiedAt: string | null };
  confirmedAt: string;
  stale: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

let h: Harness;
let exportKey: Uint8Array;
let tmp: string;

beforeAll(async () => {
  h = await startHarness({ env: { EXPORT_RATE_MAX: '10000' } });
  tmp = mkdtempSync(path.join(tmpdir(), 'poc-exports-'));
  const res = await h.request({ method: 'GET', url: '/v1/exports/public-key' });
  expect(res.statusCode).toBe(200);
  exportKey = new Uint8Array(Buffer.from(res.json().publicKey, 'base64'));
  expect(res.json().keyId).toBe(keyIdOf(exportKey));
}, 120_000);
afterAll(async () => {
  await h?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const join = async (state: string) => {
  const res = await h.request({ method: 'PUT', url: `/v1/states/${state}/participation`, token: h.token('delegate', state) });
  expect([200, 201]).toContain(res.statusCode);
};
const addContact = async (state: string, overrides: Record<string, unknown> = {}): Promise<Contact> => {
  const res = await h.request({ method: 'POST', url: `/v1/states/${state}/contacts`, token: h.token('delegate', state), payload: sampleContact(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().contact as Contact;
};
const grant = async (owner: string, counterpart: string, mode: string, domains: string[]) => {
  const res = await h.request({ method: 'PUT', url: `/v1/states/${owner}/disclosures/${counterpart}`, token: h.token('delegate', owner), payload: { mode, domains } });
  expect([200, 201]).toContain(res.statusCode);
};

async function exportOf(state: string, format = 'json', token = h.token('delegate', state)) {
  return h.request({ method: 'GET', url: `/v1/states/${state}/export?format=${format}`, token });
}

/** The signed export of a 200 response, verified with the published key (decrypted first when a secret key is given). */
function verified(body: string, secretKey?: Uint8Array): { signed: SignedExport; bundle: ExportBundle; hash: string } {
  let json = JSON.parse(body) as SignedExport | EncryptedExport;
  if ('ciphertext' in json) {
    expect(secretKey, 'the export is encrypted').toBeDefined();
    json = JSON.parse(Buffer.from(openSealed(secretKey!, new Uint8Array(Buffer.from(json.ciphertext, 'base64')))).toString('utf8')) as SignedExport;
  }
  const signed = json as SignedExport;
  return { signed, ...verifySignedExport(signed, exportKey) };
}

/** state/domain/id of every contact the caller sees in /v1/directory. */
async function directoryTriples(token: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.request({ method: 'GET', url: `/v1/directory?limit=100${cursor ? `&cursor=${cursor}` : ''}`, token });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { states: { state: string; domains: Record<string, { id: string }[]> }[]; nextCursor: string | null };
    for (const s of body.states) for (const [d, list] of Object.entries(s.domains)) for (const c of list) out.push(`${s.state}/${d}/${c.id}`);
    cursor = body.nextCursor;
  } while (cursor);
  return out.sort();
}

function exportTriples(bundle: ExportBundle): string[] {
  const out: string[] = [];
  for (const s of bundle.states ?? []) for (const [d, list] of Object.entries(s.domains)) for (const c of list ?? []) out.push(`${s.state}/${d}/${c.id}`);
  return out.sort();
}

function x25519() {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64'),
    secretKey: new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url')),
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(TSX, ['src/cli/export-verify.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the export is what the directory shows the same state', () => {
  const VIEWER = 'KEN';
  const OWNERS = ['ARG', 'AUS', 'AUT', 'BEL', 'BGR', 'BRA', 'CAN', 'CHE', 'CHL', 'CHN', 'COL', 'CZE', 'DNK', 'EGY', 'EST', 'FIN'];
  const configs: { owner: string; mode: 'unilateral' | 'reciprocal'; scope: 'counterpart' | '*'; back: boolean; domainGranted: boolean }[] = [];
  for (const mode of ['unilateral', 'reciprocal'] as const)
    for (const scope of ['counterpart', '*'] as const)
      for (const back of [true, false]) for (const domainGranted of [true, false]) configs.push({ owner: OWNERS[configs.length]!, mode, scope, back, domainGranted });

  beforeAll(async () => {
    await join(VIEWER);
    for (const c of configs) {
      await join(c.owner);
      await addContact(c.owner, { domains: ['technical'] });
      await addContact(c.owner, { domains: ['technical', 'policy'], visibility: 'public' });
      await addContact(c.owner, { domains: ['diplomatic'] });
      await grant(c.owner, c.scope === '*' ? '*' : VIEWER, c.mode, c.domainGranted ? ['technical'] : ['diplomatic', 'policy']);
      if (c.back) await grant(VIEWER, c.owner, 'unilateral', ['technical']);
    }
    await addContact(VIEWER, { domains: ['policy'] });
  }, 300_000);

  const compare = async (state: string) => {
    const res = await exportOf(state);
    expect(res.statusCode, res.body).toBe(200);
    const { bundle } = verified(res.body);
    const dir = await directoryTriples(h.token('delegate', state));
    expect(exportTriples(bundle)).toEqual(dir);
    expect(bundle.contactCount).toBe(new Set(dir.map((t) => t.split('/')[2])).size);
    return bundle;
  };

  it(`matches /v1/directory for the viewer and each of ${configs.length} owners, then again after grants change`, async () => {
    const first = await compare(VIEWER);
    expect(first.participation).toBe('participating');
    expect(first.notice).toBeNull();
    for (const c of configs) await compare(c.owner);
    // Change the configuration: the viewer withdraws its grants back (reciprocal grants close), one owner revokes, one goes public.
    for (const c of configs.filter((x) => x.back)) {
      expect((await h.request({ method: 'DELETE', url: `/v1/states/${VIEWER}/disclosures/${c.owner}`, token: h.token('delegate', VIEWER) })).statusCode).toBe(200);
    }
    const revoker = configs.find((c) => c.mode === 'unilateral' && c.domainGranted)!;
    expect(
      (await h.request({ method: 'DELETE', url: `/v1/states/${revoker.owner}/disclosures/${revoker.scope === '*' ? '*' : VIEWER}`, token: h.token('delegate', revoker.owner) })).statusCode,
    ).toBe(200);
    const second = await compare(VIEWER);
    expect(second.contactCount).toBeLessThan(first.contactCount);
    await grant('ARG', VIEWER, 'unilateral', ['diplomatic', 'technical', 'policy']);
    const third = await compare(VIEWER);
    expect(third.contactCount).toBeGreaterThan(second.contactCount);
  }, 300_000);

  it('is empty, and says so, for a state that does not participate (although public contacts exist)', async () => {
    const res = await exportOf('NPL');
    expect(res.statusCode).toBe(200);
    const { bundle } = verified(res.body);
    expect(bundle).toMatchObject({ state: 'NPL', participation: 'not-participating', contactCount: 0, states: [] });
    expect(bundle.notice).toMatch(/does not participate/);
    expect((await directoryTriples(h.token('delegate', 'NPL'))).length).toBeGreaterThan(0);
  });

  it('records each export in the ledger: who, which state, how many contacts, the bundle hash; never content', async () => {
    const res = await exportOf(VIEWER);
    const { bundle, hash } = verified(res.body);
    expect(hash).toBe(sha256Hex(signedBytes(bundle)));
    const index = Number(res.headers['x-ledger-index']);
    const entries = await h.request({ method: 'GET', url: `/v1/ledger/entries?from=${index}&limit=1`, token: h.token('delegate', VIEWER) });
    const entry = entries.json().entries[0].entry;
    expect(entry).toMatchObject({ type: 'export.generated', parties: [VIEWER], subject: { state: VIEWER }, actor: { role: 'delegate', state: VIEWER } });
    expect(entry.facts).toMatchObject({ format: 'json', contacts: bundle.contactCount, bundleHash: hash, encrypted: false });
    expect(bundle.checkpoint.treeSize).toBeLessThanOrEqual(index);
    const names = contactsOf(bundle).map((c) => c.email);
    const rows = await h.sql<{ canonical: string }>(`select canonical from ledger_entries where type like 'export%'`);
    for (const r of rows) for (const n of names) expect(r.canonical).not.toContain(n);
  });
});

describe('vCard and CSV round-trip every field, in the six UN languages', () => {
  const PGP = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGR0ZXN0AQgAtest+key/material==\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----';
  const people = [
    { name: 'ليلى المنصوري', title: 'رئيسة فريق الاستجابة', organization: 'الهيئة الوطنية للأمن السيبراني', languages: ['ar', 'en'], timezone: 'Asia/Dubai', domains: ['technical'] },
    { name: '李明', title: '国家计算机网络应急技术处理协调中心主任', organization: '国家互联网应急中心', languages: ['zh'], timezone: 'Asia/Shanghai', domains: ['policy', 'technical'] },
    { name: 'John Smith, Jr.', title: 'Director; Cyber Policy', organization: 'Department of State; Office "Cyber"', languages: ['en'], timezone: 'America/New_York', domains: ['diplomatic'], publicKey: PGP },
    { name: 'Élodie Lefèvre-Łukasiewicz', title: 'Cheffe du CERT, opérations', organization: 'ANSSI', languages: ['fr', 'en', 'es'], timezone: 'Europe/Paris', domains: ['technical', 'policy', 'diplomatic'], notes: 'Ligne 1\nLigne 2, avec « guillemets » ; et \\ barre' },
    { name: 'Анна Кузнецова', title: 'Начальник отдела', organization: 'НКЦКИ', languages: ['ru'], timezone: 'Europe/Moscow', domains: ['technical'], publicKey: 'ed25519:' + Buffer.alloc(32, 9).toString('base64') },
    { name: 'José Ñúñez Peña', title: 'Coordinador de respuesta a incidentes, CSIRT', organization: 'Centro Criptológico', languages: ['es'], timezone: 'America/Mexico_City', domains: ['policy'] },
    { name: '=HYPERLINK("http://example.org","click")', title: '+SUM(1,2)', organization: '@org', languages: ['en'], timezone: 'UTC', domains: ['technical'] },
  ];
  let mine: Contact[];

  beforeAll(async () => {
    await join('FRA');
    for (const p of people) await addContact('FRA', { notes: null, publicKey: null, ...p });
    const res = await h.request({ method: 'GET', url: '/v1/states/FRA/contacts?limit=100', token: h.token('delegate', 'FRA') });
    mine = res.json().items as Contact[];
    expect(mine).toHaveLength(people.length);
  }, 120_000);

  it('vCard 4.0 parses with ical.js, one card per contact, every field as listed', async () => {
    const res = await exportOf('FRA', 'vcard');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="FRA-export-\d{8}T\d{6}Z\.json"$/);
    const { bundle } = verified(res.body);
    // FRA also sees other states' public contacts: the cards of FRA's own are checked field by field.
    expect(bundle).toMatchObject({ kind: 'vcard', content: { mediaType: 'text/vcard;charset=utf-8' } });
    const text = bundle.content!.text;
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const parsed = ICAL.parse(text) as unknown[];
    const jcards = (Array.isArray(parsed[0]) ? parsed : [parsed]) as ConstructorParameters<typeof ICAL.Component>[0][];
    const all = jcards.map((j) => new ICAL.Component(j));
    expect(all).toHaveLength(bundle.contactCount);
    const cards = all.filter((k) => k.getFirstPropertyValue('x-poc-state') === 'FRA');
    expect(cards).toHaveLength(people.length);
    for (const c of mine) {
      const card = cards.find((k) => k.getFirstPropertyValue('uid') === `urn:uuid:${c.id}`);
      expect(card, c.name).toBeDefined();
      const v = (name: string) => card!.getFirstPropertyValue(name);
      expect(card!.name).toBe('vcard');
      expect(v('version')).toBe('4.0');
      expect(v('fn')).toBe(c.name);
      expect((v('n') as unknown as string[])[0]).toBe(c.name);
      expect(v('title')).toBe(c.title);
      expect(v('org')).toBe(c.organization);
      expect(v('email')).toBe(c.email);
      expect(v('tel')).toBe(`tel:${c.phone}`);
      expect(v('tz')).toBe(c.timezone);
      const langs = card!.getAllProperties('lang').sort((a, b) => Number(a.getParameter('pref')) - Number(b.getParameter('pref')));
      expect(langs.map((p) => p.getFirstValue())).toEqual(c.languages);
      expect(v('key') ?? null).toBe(c.publicKey);
      expect(card!.getFirstProperty('categories')!.getValues()).toEqual(c.domains);
      expect(v('note') ?? null).toBe(c.notes);
      expect(v('x-poc-state')).toBe('FRA');
      expect(v('x-poc-rank')).toBe(c.rank);
      expect(v('x-poc-availability')).toBe(c.availability);
      expect(v('x-poc-visibility')).toBe(c.visibility);
      expect(v('x-poc-verification')).toBe(c.verification.status);
      expect((v('rev') as unknown as ICAL.Time).toJSDate().toISOString()).toBe(c.updatedAt.replace(/\.\d+Z$/, '.000Z'));
    }
  });

  it('CSV parses with csv-parse, one row per contact under the header, every column; formulas are neutralised', async () => {
    const res = await exportOf('FRA', 'csv');
    const { bundle } = verified(res.body);
    expect(bundle).toMatchObject({ kind: 'csv', content: { mediaType: 'text/csv;charset=utf-8;header=present' } });
    const text = bundle.content!.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const all = parseCsv(text, { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    expect(all).toHaveLength(bundle.contactCount);
    const rows = all.filter((r) => r.state === 'FRA');
    expect(rows).toHaveLength(people.length);
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    const formula = (s: string) => (/^[=@]/.test(s) || (/^[+-]/.test(s) && !/^[+-]\d+$/.test(s)) ? `'${s}` : s);
    for (const c of mine) {
      const row = rows.find((r) => r.id === c.id)!;
      expect(row, c.name).toBeDefined();
      expect(row).toEqual({
        id: c.id,
        state: c.state,
        domains: c.domains.join(';'),
        name: formula(c.name),
        title: formula(c.title),
        rank: c.rank,
        organization: formula(c.organization),
        email: c.email,
        phone: c.phone,
        languages: c.languages.join(';'),
        timezone: c.timezone,
        availability: c.availability,
        publicKey: c.publicKey ?? '',
        notes: c.notes ?? '',
        visibility: c.visibility,
        verificationStatus: c.verification.status,
        verifiedAt: c.verification.verifiedAt ?? '',
        confirmedAt: c.confirmedAt,
        stale: String(c.stale),
        version: String(c.version),
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      });
    }
    const hostile = rows.find((r) => r.name!.includes('HYPERLINK'))!;
    expect(hostile.name!.startsWith("'=")).toBe(true);
    expect(hostile.phone).toBe('+33123456789');
  });

  it('the JSON bundle carries the same contacts, grouped by state and domain', async () => {
    const { bundle } = verified((await exportOf('FRA')).body);
    const byId = new Map(contactsOf(bundle).map((c) => [c.id, c]));
    for (const c of mine) expect(byId.get(c.id)).toEqual({ ...c, verification: { ...c.verification, note: null } });
    expect(bundle.states!.find((g) => g.state === 'FRA')!.domains.diplomatic!.map((c) => c.id).sort()).toEqual(mine.filter((c) => c.domains.includes('diplomatic')).map((c) => c.id).sort());
  });

  it('export:verify writes the verified vCard with --out, ready to import', async () => {
    const res = await exportOf('FRA', 'vcard');
    const file = path.join(tmp, 'fra-vcard.json');
    writeFileSync(file, res.body);
    const out = path.join(tmp, 'fra.vcf');
    const run = await cli([file, '--public-key', Buffer.from(exportKey).toString('base64'), '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(verified(res.body).bundle.content!.text);
    expect(run.stdout).toContain(`${verified(res.body).bundle.contactCount} contact(s)`);
  }, 120_000);
});

describe('encryption to the state registered key', () => {
  const fra = x25519();
  const deu = x25519();

  beforeAll(async () => {
    await join('FRA');
    await join('DEU');
  });

  it('refuses malformed, wrong-size and unusable keys with a 400 naming the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{ publicKey: 'not base64!!' }, /base64/],
      [{ publicKey: '' }, /base64/],
      [{ publicKey: Buffer.alloc(16, 1).toString('base64') }, /32 bytes, got 16/],
      [{ publicKey: Buffer.alloc(33, 1).toString('base64') }, /32 bytes, got 33/],
      [{ publicKey: Buffer.alloc(32, 0).toString('base64') }, /low-order/],
      [{ publicKey: fra.publicKey, algorithm: 'RSA' }, /algorithm/],
      [{ publicKey: fra.publicKey, extra: 1 }, /extra|Unrecognized/i],
      [{}, /publicKey/],
    ];
    for (const [payload, why] of cases) {
      const res = await h.request({ method: 'PUT', url: '/v1/states/FRA/export-key', token: h.token('delegate', 'FRA'), payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().type).toMatch(/validation-error$/);
      expect(JSON.stringify(res.json()), JSON.stringify(payload)).toMatch(why);
    }
    expect((await h.request({ method: 'GET', url: '/v1/states/FRA/export-key', token: h.token('delegate', 'FRA') })).statusCode).toBe(404);
  });

  it('registers a key (201, then 200 when replaced), with a ledger entry; only delegates of the state may', async () => {
    const other = x25519();
    const first = await h.request({ method: 'PUT', url: '/v1/states/FRA/export-key', token: h.token('delegate', 'FRA'), payload: { publicKey: other.publicKey } });
    expect(first.statusCode).toBe(201);
    const again = await h.request({ method: 'PUT', url: '/v1/states/FRA/export-key', token: h.token('delegate', 'FRA'), payload: { algorithm: 'X25519', publicKey: fra.publicKey } });
    expect(again.statusCode).toBe(200);
    expect(again.json().exportKey).toMatchObject({ state: 'FRA', algorithm: 'X25519', publicKey: fra.publicKey });
    const entries = await h.request({ method: 'GET', url: `/v1/ledger/entries?from=${again.json().receipt.index}&limit=1`, token: h.token('secretariat') });
    expect(entries.json().entries[0].entry).toMatchObject({ type: 'export-key.registered', parties: ['FRA'], facts: { algorithm: 'X25519', replaced: true } });
    const deuRes = await h.request({ method: 'PUT', url: '/v1/states/DEU/export-key', token: h.token('delegate', 'DEU'), payload: { publicKey: deu.publicKey } });
    expect(deuRes.statusCode).toBe(201);
    expect((await h.request({ method: 'PUT', url: '/v1/states/FRA/export-key', token: h.token('delegate', 'DEU'), payload: { publicKey: deu.publicKey } })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/states/FRA/export-key', token: h.token('delegate', 'DEU') })).statusCode).toBe(404);
    const stored = await h.sql<{ public_key: Uint8Array }>(`select public_key from export_keys where state_code = 'FRA'`);
    expect(Buffer.from(stored[0]!.public_key).toString('base64')).toBe(fra.publicKey);
  });

  it("encrypts FRA's exports to FRA's key: FRA opens them, DEU's key cannot", async () => {
    const res = await exportOf('FRA');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/\.sealed\.json"$/);
    const envelope = JSON.parse(res.body) as EncryptedExport;
    expect(envelope).toMatchObject({ format: ENCRYPTED_FORMAT, state: 'FRA', recipient: { publicKey: fra.publicKey } });
    expect(res.body).not.toContain('李明');
    const { bundle } = verified(res.body, fra.secretKey);
    expect(bundle.state).toBe('FRA');
    expect(bundle.contactCount).toBeGreaterThan(0);
    expect(() => verified(res.body, deu.secretKey)).toThrow(/cannot open/);

    const file = path.join(tmp, 'fra-sealed.json');
    writeFileSync(file, res.body);
    writeFileSync(path.join(tmp, 'fra.pem'), fra.pem);
    writeFileSync(path.join(tmp, 'deu.key'), Buffer.from(deu.secretKey).toString('base64'));
    const pub = Buffer.from(exportKey).toString('base64');
    const [ok, wrong, none] = await Promise.all([
      cli([file, '--public-key', pub, '--secret-key', path.join(tmp, 'fra.pem')]),
      cli([file, '--public-key', pub, '--secret-key', path.join(tmp, 'deu.key')]),
      cli([file, '--public-key', pub]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('李明');
    expect(ok.stdout).toMatch(/decrypted/);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot decrypt/);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/encrypted for FRA.*--secret-key/);
  }, 120_000);

  it('the ledger entry of an encrypted export names the recipient key', async () => {
    const res = await exportOf('FRA', 'csv');
    const index = Number(res.headers['x-ledger-index']);
    const entries = await h.request({ method: 'GET', url: `/v1/ledger/entries?from=${index}&limit=1`, token: h.token('delegate', 'FRA') });
    expect(entries.json().entries[0].entry.facts).toMatchObject({ format: 'csv', encrypted: true, recipientKeyId: keyIdOf(new Uint8Array(Buffer.from(fra.publicKey, 'base64'))) });
  });

  it('removing the key makes later exports signed but not encrypted', async () => {
    expect((await h.request({ method: 'DELETE', url: '/v1/states/DEU/export-key', token: h.token('delegate', 'DEU') })).statusCode).toBe(200);
    const res = await exportOf('DEU');
    expect(JSON.parse(res.body)).toHaveProperty('bundle');
    expect((await h.request({ method: 'DELETE', url: '/v1/states/DEU/export-key', token: h.token('delegate', 'DEU') })).statusCode).toBe(404);
  });
});

describe('refusals', () => {
  it("another state's export is 404, to delegates and other roles alike; no token is 401", async () => {
    await join('FRA');
    for (const token of [h.token('delegate', 'DEU'), h.token('secretariat'), h.token('auditor'), h.token('observer')]) {
      const res = await exportOf('FRA', 'json', token);
      expect(res.statusCode).toBe(404);
      expect(res.json().type).toMatch(/not-found$/);
    }
    expect((await h.request({ method: 'GET', url: '/v1/states/FRA/export' })).statusCode).toBe(401);
    expect((await exportOf('FRA', 'pdf')).statusCode).toBe(400);
    expect((await exportOf('XXX', 'json', h.token('delegate', 'FRA'))).statusCode).toBe(400);
  });

  it("a withdrawn state's export is empty and says so; its export key is gone", async () => {
    await join('NOR');
    await addContact('NOR');
    const key = x25519();
    expect((await h.request({ method: 'PUT', url: '/v1/states/NOR/export-key', token: h.token('delegate', 'NOR'), payload: { publicKey: key.publicKey } })).statusCode).toBe(201);
    expect((await h.request({ method: 'DELETE', url: '/v1/states/NOR/participation', token: h.token('delegate', 'NOR') })).statusCode).toBe(200);
    const res = await exportOf('NOR');
    expect(res.statusCode).toBe(200);
    const { bundle } = verified(res.body); // not encrypted: the key went with the withdrawal
    expect(bundle).toMatchObject({ state: 'NOR', participation: 'withdrawn', contactCount: 0, states: [] });
    expect(bundle.notice).toMatch(/withdrawn/);
    const vcard = verified((await exportOf('NOR', 'vcard')).body).bundle;
    expect(vcard).toMatchObject({ participation: 'withdrawn', contactCount: 0, content: { text: '' } });
    expect((await h.request({ method: 'GET', url: '/v1/states/NOR/export-key', token: h.token('delegate', 'NOR') })).statusCode).toBe(404);
    expect((await h.request({ method: 'PUT', url: '/v1/states/NOR/export-key', token: h.token('delegate', 'NOR'), payload: { publicKey: key.publicKey } })).statusCode).toBe(409);
  });
});

describe('export:verify as a command', () => {
  let file: string;
  let body: string;
  const pub = () => Buffer.from(exportKey).toString('base64');

  beforeAll(async () => {
    await join('ITA');
    await addContact('ITA', { name: 'Giulia Rossi', domains: ['technical'] });
    const res = await exportOf('ITA');
    body = res.body;
    file = path.join(tmp, 'ita.json');
    writeFileSync(file, body);
  });

  const tampered = (name: string, edit: (s: string) => string) => {
    const f = path.join(tmp, `ita-${name}.json`);
    const out = edit(body);
    expect(out).not.toBe(body);
    writeFileSync(f, out);
    return f;
  };

  it('verifies, says how old the export is and at which checkpoint, prints the contacts; fails on any tampering', async () => {
    const signed = JSON.parse(body) as SignedExport;
    const { treeSize, rootHash } = signed.bundle.checkpoint;
    const sig = signed.signature.value;
    // As a command (child processes): the verified export, and tampering with content, checkpoint and signature.
    const ok = await cli([file, '--public-key', pub()]);
    const [content, size, signature] = await Promise.all([
      cli([tampered('content', (s) => s.replace('Giulia Rossi', 'Giulia Russo')), '--public-key', pub()]),
      cli([tampered('size', (s) => s.replace(`"treeSize":${treeSize}`, `"treeSize":${treeSize + 1}`)), '--public-key', pub()]),
      cli([tampered('signature', (s) => s.replace(sig, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1))), '--public-key', pub()]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('signature valid');
    expect(ok.stdout).toMatch(new RegExp(`made at ledger checkpoint: size ${treeSize}, root ${rootHash}`));
    expect(ok.stdout).toMatch(/generated \S+, \d+ (s|min) ago/);
    expect(ok.stdout).toMatch(/STATE\s+DOMAINS\s+NAME/);
    expect(ok.stdout).toContain('Giulia Rossi');
    for (const [what, run] of Object.entries({ content, size, signature })) {
      expect(run.code, what).toBe(1);
      expect(run.stderr, what).toMatch(/EXPORT VERIFICATION FAILED: the signature does not match the bundle/);
      expect(run.stdout, what).toBe('');
    }
    // The same code in-process, for the other cases.
    const vkey = (await h.request({ method: 'GET', url: '/v1/ledger/public-key' })).json().verifierKey as string;
    const withLedger = await runCli([file, '--public-key', pub(), '--ledger-key', vkey]);
    expect(withLedger.code, withLedger.errors.join()).toBe(0);
    expect(withLedger.output.join('\n')).toContain('checkpoint note signed by the ledger key');
    const root = await runCli([tampered('root', (s) => s.replace(rootHash, (rootHash[0] === 'a' ? 'b' : 'a') + rootHash.slice(1))), '--public-key', pub()]);
    expect(root.code).toBe(1);
    expect(root.errors.join()).toMatch(/signature does not match/);
    const keyId = await runCli([tampered('keyid', (s) => s.replace(signed.signature.keyId, '0'.repeat(16))), '--public-key', pub()]);
    expect(keyId.code).toBe(1);
    expect(keyId.errors.join()).toMatch(/signed by key 0000000000000000/);
    const wrongKey = await runCli([file, '--public-key', Buffer.alloc(32, 3).toString('base64')]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.errors.join()).toMatch(/not by the given export key/);
    const truncated = await runCli([tampered('truncated', (s) => s.slice(0, -10)), '--public-key', pub()]);
    expect(truncated.code).toBe(1);
    expect(truncated.errors.join()).toMatch(/not valid JSON/);
  }, 120_000);

  it('--help prints usage and exits 0; bad arguments are one line and exit 2', async () => {
    const [help, none] = await Promise.all([cli(['--help']), cli([])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run export:verify -- <file> --public-key/);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    for (const args of [[file], [file, '--public-key', 'abc'], [file, '--public-key', pub(), '--frobnicate'], [path.join(tmp, 'nope.json'), '--public-key', pub()]]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.errors, args.join(' ')).toHaveLength(1);
      expect(run.errors[0]!.split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, 120_000);
});

describe('rate limit', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ env: { EXPORT_RATE_MAX: '2', EXPORT_RATE_WINDOW_MS: '3600000' } });
  }, 120_000);
  afterAll(() => limited?.close());

  it('allows EXPORT_RATE_MAX exports per state per window, then 429 with Retry-After; other states are not affected', async () => {
    const get = (state: string) => limited.request({ method: 'GET', url: `/v1/states/${state}/export`, token: limited.token('delegate', state) });
    expect((await get('FRA')).statusCode).toBe(200);
    expect((await get('FRA')).statusCode).toBe(200);
    const third = await get('FRA');
    expect(third.statusCode).toBe(429);
    expect(third.json().type).toMatch(/rate-limited$/);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('DEU')).statusCode).toBe(200);
    // Refused callers do not use up the state's exports.
    const other = await limited.request({ method: 'GET', url: '/v1/states/DEU/export', token: limited.token('delegate', 'ITA') });
    expect(other.statusCode).toBe(404);
    expect((await get('DEU')).statusCode).toBe(200);
  });
});
