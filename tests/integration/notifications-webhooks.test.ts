/**
 * Webhook registration through HTTP: who may set, see and remove it, the
 * secret shown once, SSRF refusals, ledger entries without URL or secret,
 * nothing in clear at rest, and withdrawal shredding it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.ts';
import { dumpDatabase } from './notifications-support.ts';

const PROBLEM = '/problems/';
let strict: Harness; // WEBHOOKS_ALLOW_PRIVATE unset: production behaviour
let open: Harness; // WEBHOOKS_ALLOW_PRIVATE=true

beforeAll(async () => {
  [strict, open] = await Promise.all([
    startHarness({ env: { NOTIFY_POLL_MS: '0' } }),
    startHarness({ env: { NOTIFY_POLL_MS: '0', WEBHOOKS_ALLOW_PRIVATE: 'true' } }),
  ]);
  for (const h of [strict, open]) {
    for (const s of ['NOR', 'CHL', 'GHA']) {
      expect((await h.request({ method: 'PUT', url: `/v1/states/${s}/participation`, token: h.token('delegate', s) })).statusCode).toBe(201);
    }
  }
});
afterAll(async () => {
  await Promise.all([strict?.close(), open?.close()]);
});

const put = (h: Harness, state: string, url: string, token = h.token('delegate', state)) =>
  h.request({ method: 'PUT', url: `/v1/states/${state}/webhook`, token, payload: { url } });
const get = (h: Harness, state: string, token = h.token('delegate', state)) => h.request({ method: 'GET', url: `/v1/states/${state}/webhook`, token });
const del = (h: Harness, state: string, token = h.token('delegate', state)) => h.request({ method: 'DELETE', url: `/v1/states/${state}/webhook`, token });
const ledgerEntries = async (h: Harness, type: string) =>
  (await h.sql<{ canonical: string }>(`select canonical from ledger_entries where type = $1 order by seq`, [type])).map((r) => JSON.parse(r.canonical));

describe('setting, reading and removing a webhook', () => {
  it('PUT returns the secret once (201, then 200 with a new secret); GET shows the URL and when it was set, never the secret; DELETE removes it', async () => {
    const url = 'http://127.0.0.1:9/poc/NOR-hook-7f3a9c?channel=ops';
    const first = await put(open, 'NOR', url);
    expect(first.statusCode).toBe(201);
    expect(first.headers['cache-control']).toBe('no-store');
    const body = first.json();
    expect(body).toMatchObject({ webhook: { state: 'NOR', url, setAt: expect.any(String) }, receipt: { index: expect.any(Number) } });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    const secretBytes = Buffer.from(body.secret.slice(6), 'base64');
    expect(secretBytes.length).toBeGreaterThanOrEqual(24);
    expect(secretBytes.length).toBeLessThanOrEqual(64);

    const shown = await get(open, 'NOR');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual({ webhook: { state: 'NOR', url, setAt: body.webhook.setAt } });
    expect(shown.body).not.toContain(body.secret.slice(6));
    const bySecretariat = await get(open, 'NOR', open.token('secretariat'));
    expect(bySecretariat.statusCode).toBe(200);
    expect(bySecretariat.body).not.toContain(body.secret.slice(6));

    const again = await put(open, 'NOR', 'http://127.0.0.1:9/poc/NOR-hook-2');
    expect(again.statusCode).toBe(200);
    expect(again.json().secret).not.toBe(body.secret);
    expect((await get(open, 'NOR')).json().webhook.url).toBe('http://127.0.0.1:9/poc/NOR-hook-2');
    expect(await open.sql('select id from webhooks where state_code = $1', ['NOR'])).toHaveLength(1);

    const removed = await del(open, 'NOR');
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ receipt: { index: expect.any(Number), leafHash: expect.any(String) } });
    expect((await get(open, 'NOR')).statusCode).toBe(404);
    expect((await del(open, 'NOR')).statusCode).toBe(404);
    expect(await open.sql('select id from webhooks where state_code = $1', ['NOR'])).toEqual([]);
  });

  it('writes webhook.set and webhook.removed ledger entries with neither URL nor secret', async () => {
    const url = 'http://127.0.0.1:9/ledger-check-5d1e0b';
    const res = await put(open, 'CHL', url);
    const secret = res.json().secret as string;
    await del(open, 'CHL');
    const set = (await ledgerEntries(open, 'webhook.set')).filter((e) => e.subject.state === 'CHL');
    const removed = (await ledgerEntries(open, 'webhook.removed')).filter((e) => e.subject.state === 'CHL');
    expect(set).toEqual([expect.objectContaining({ type: 'webhook.set', parties: ['CHL'], subject: { state: 'CHL' }, facts: { replaced: false } })]);
    expect(removed).toEqual([expect.objectContaining({ type: 'webhook.removed', parties: ['CHL'], subject: { state: 'CHL' } })]);
    const text = JSON.stringify(await open.sql('select canonical from ledger_entries'));
    for (const needle of ['ledger-check-5d1e0b', secret, secret.slice(6), Buffer.from(secret.slice(6), 'base64').toString('hex')]) expect(text).not.toContain(needle);
  });

  it('only delegates of the state may set or remove it (403); the GET is for its delegates and the secretariat; without a token 401', async () => {
    await put(open, 'GHA', 'http://127.0.0.1:9/gha');
    for (const token of [open.token('delegate', 'NOR'), open.token('secretariat'), open.token('auditor'), open.token('observer')]) {
      expect((await put(open, 'GHA', 'http://127.0.0.1:9/other', token)).statusCode).toBe(403);
      expect((await del(open, 'GHA', token)).statusCode).toBe(403);
    }
    for (const token of [open.token('delegate', 'NOR'), open.token('auditor'), open.token('observer')]) {
      const res = await get(open, 'GHA', token);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('127.0.0.1');
    }
    expect((await open.request({ method: 'GET', url: '/v1/states/GHA/webhook' })).statusCode).toBe(401);
    expect((await get(open, 'GHA')).json().webhook.url).toBe('http://127.0.0.1:9/gha');
  });

  it('a state that does not participate cannot set one (409); bad bodies and codes are validation errors', async () => {
    const res = await put(open, 'PER', 'http://127.0.0.1:9/x');
    expect(res.statusCode).toBe(409);
    for (const payload of [{}, { url: 42 }, { url: 'http://127.0.0.1:9/x', secret: 'mine' }, { url: 'x'.repeat(3000) }]) {
      const bad = await open.request({ method: 'PUT', url: '/v1/states/NOR/webhook', token: open.token('delegate', 'NOR'), payload });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().type).toBe(`${PROBLEM}validation-error`);
    }
    expect((await open.request({ method: 'GET', url: '/v1/states/XXX/webhook', token: open.token('secretariat') })).statusCode).toBe(400);
  });
});

describe('SSRF protection (WEBHOOKS_ALLOW_PRIVATE unset)', () => {
  const refusedUrls: [string, string][] = [
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.8.9.10:8443/hook', 'loopback'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://172.20.0.5/hook', 'private'],
    ['https://192.168.0.10/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://100.64.0.1/hook', 'cgnat'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[fd00::1]/hook', 'unique-local'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://[::ffff:10.0.0.1]/hook', 'private'],
    // issue 9: SIIT, NAT64 (RFC 8215) and Teredo forms that reach 127.0.0.1
    ['https://[::ffff:0:127.0.0.1]/', 'ipv4-translation'],
    ['https://[64:ff9b:1::7f00:1]/', 'ipv4-translation'],
    ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', 'ipv4-translation'],
    ['https://[2002:7f00:1::1]/hook', 'ipv4-translation'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://2130706433/hook', 'loopback'],
    ['https://localhost/hook', 'loopback'],
  ];
  for (const [url, cls] of refusedUrls) {
    it(`refuses ${url} (${cls}) with a validation-error problem naming body.url`, async () => {
      const res = await put(strict, 'NOR', url);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.type).toBe(`${PROBLEM}validation-error`);
      expect(problem.errors).toEqual([{ path: 'body.url', message: expect.stringContaining(`${cls} address`) }]);
    });
  }

  it('refuses plain http and other schemes, and names no address in the problem', async () => {
    for (const url of ['http://example.org/hook', 'ftp://example.org/hook', 'file:///etc/passwd', 'gopher://example.org/']) {
      const res = await put(strict, 'NOR', url);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'body.url', message: 'must use https' }]);
    }
    const res = await put(strict, 'NOR', 'https://[fd00::1]/hook');
    expect(res.body).not.toContain('fd00');
  });

  it('nothing was stored and nothing was written to the ledger by the refusals', async () => {
    expect(await strict.sql('select * from webhooks')).toEqual([]);
    expect(await ledgerEntries(strict, 'webhook.set')).toEqual([]);
  });

  it('the same URLs are accepted when WEBHOOKS_ALLOW_PRIVATE=true (tests, closed networks)', async () => {
    for (const [url] of refusedUrls) {
      const res = await put(open, 'GHA', url);
      expect(res.statusCode, url).toBe(200);
    }
    expect((await put(open, 'GHA', 'http://localhost:9/hook')).statusCode).toBe(200);
  });
});

describe('confidentiality and withdrawal', () => {
  it('URL and secret are sealed at rest: a scan of every column of every table finds neither', async () => {
    const token = 'tok-8c1d55e2b0a94f7e';
    const url = `http://127.0.0.1:9/hooks/${token}?key=qs-31c9d0e4`;
    const res = await put(open, 'CHL', url);
    expect(res.statusCode).toBe(201);
    const secret = res.json().secret as string;
    const secretB64 = secret.slice(6);
    const rows = await open.sql<{ url: Uint8Array; secret: Uint8Array }>('select url, secret from webhooks where state_code = $1', ['CHL']);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.url[0]).toBe(1); // sealed format version
    expect(rows[0]!.secret[0]).toBe(1);
    const dump = await dumpDatabase(open.sql);
    const needles = [url, token, 'qs-31c9d0e4', secret, secretB64, Buffer.from(secretB64, 'base64').toString('hex'), Buffer.from(secretB64, 'base64').toString('latin1')];
    for (const n of needles) expect(dump.includes(n), n).toBe(false);
    const logs = open.logs.join('\n');
    for (const n of needles) expect(logs.includes(n), n).toBe(false);
  });

  it('withdrawal deletes the webhook and every outbox row of the state, and shreds the key they were sealed under', async () => {
    expect((await put(open, 'GHA', 'http://127.0.0.1:9/gha-final')).statusCode).toBeLessThan(300);
    const { notifications } = open.service.services;
    await open.database.db.transaction().execute(async (trx) => {
      await notifications.enqueue(trx, { state: 'GHA', type: 'request.sent', subject: { requestId: 'r-1' }, link: '/v1/requests/r-1', targets: { webhook: true, contactIds: [] } });
      await notifications.enqueue(trx, { state: 'NOR', type: 'request.sent', subject: { requestId: 'r-2' }, link: '/v1/requests/r-2', targets: { webhook: true, contactIds: [] } });
    });
    expect(await open.sql(`select id from notification_outbox where state_code = 'GHA'`)).toHaveLength(1);
    const keyId = (await open.sql<{ key_id: string }>(`select key_id from webhooks where state_code = 'GHA'`))[0]!.key_id;
    const res = await open.request({ method: 'DELETE', url: '/v1/states/GHA/participation', token: open.token('delegate', 'GHA') });
    expect(res.statusCode).toBe(200);
    expect(await open.sql(`select id from webhooks where state_code = 'GHA'`)).toEqual([]);
    expect(await open.sql(`select id from notification_outbox where state_code = 'GHA'`)).toEqual([]);
    expect(await open.sql(`select status, wrapped_key from state_keys where id = $1`, [keyId])).toEqual([{ status: 'destroyed', wrapped_key: null }]);
    expect((await get(open, 'GHA')).statusCode).toBe(404);
    // A withdrawn state is not notified: enqueue writes nothing for it, and does not fail the caller's transaction.
    const after = await open.database.db
      .transaction()
      .execute((trx) => notifications.enqueue(trx, { state: 'GHA', type: 'request.expired', subject: {}, link: '/v1/requests/r-1', targets: { webhook: true, contactIds: [randomUUID()] } }));
    expect(after.messageIds).toEqual([]);
    expect(await open.sql(`select id from notification_outbox where state_code = 'GHA'`)).toEqual([]);
    // Other states are untouched (NOR has no webhook here, so no message was written for it).
    expect(await open.sql(`select id from webhooks where state_code = 'CHL'`)).toHaveLength(1);
    expect(await open.sql(`select id from notification_outbox where state_code = 'NOR'`)).toEqual([]);
  });
});
