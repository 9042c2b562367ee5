/**
 * Delivery from the outbox, against real receivers on loopback: Standard
 * Webhooks signatures checked by an independent implementation, retries
 * with backoff under a controlled clock, email through a real SMTP server,
 * no confidential content anywhere, the transactional outbox, SSRF re-checks
 * and address pinning at delivery time, and key rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { configSchema } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createNotificationsService, type NotificationInput } from '../../src/notifications/service.ts';
import type { ResolvedAddress } from '../../src/notifications/ssrf.ts';
import { sampleContact, startHarness, type Harness } from '../harness.ts';
import { dumpDatabase, startReceiver, startSmtp, testClock, verifyStandardWebhook, type Reaction, type Receiver, type SmtpCapture } from './notifications-support.ts';

const BASE = 'https://poc.example.org';
const BACKOFF = 1000;
const MAX_ATTEMPTS = 4;
const tc = testClock();
let h: Harness;
let smtp: SmtpCapture;
const receivers: Receiver[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  h = await startHarness({
    clock: tc.clock,
    env: {
      NOTIFY_POLL_MS: '0',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      SMTP_URL: smtp.url,
      SMTP_FROM: 'PoC Directory <notify@poc.example.org>',
      PUBLIC_BASE_URL: BASE,
      NOTIFY_BACKOFF_MS: String(BACKOFF),
      NOTIFY_BACKOFF_MAX_MS: '600000',
      NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFY_TIMEOUT_MS: '3000',
    },
  });
});
afterAll(async () => {
  await h?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await smtp?.close();
});

const notifications = () => h.service.services.notifications;
const join = async (state: string) => {
  expect((await h.request({ method: 'PUT', url: `/v1/states/${state}/participation`, token: h.token('delegate', state) })).statusCode).toBe(201);
};
async function receiverFor(state: string, react?: (req: { id: string }, i: number) => Reaction): Promise<{ receiver: Receiver; secret: string }> {
  const receiver = await startReceiver(react);
  receivers.push(receiver);
  const res = await h.request({ method: 'PUT', url: `/v1/states/${state}/webhook`, token: h.token('delegate', state), payload: { url: receiver.url } });
  expect(res.statusCode).toBe(201);
  return { receiver, secret: res.json().secret };
}
const enqueue = (input: NotificationInput) => h.database.db.transaction().execute((trx) => notifications().enqueue(trx, input));
const outbox = async (id: string) =>
  (await h.sql<{ status: string; attempts: number; next_attempt_at: Date; locked_until: Date | null; last_error: string | null; payload: Uint8Array | null; key_id: string | null }>(
    'select status, attempts, next_attempt_at, locked_until, last_error, payload, key_id from notification_outbox where id = $1',
    [id],
  ))[0]!;
const unixSeconds = () => String(Math.floor(tc.now().getTime() / 1000));

describe('webhooks', () => {
  it('delivers a POST signed per Standard Webhooks, verified here with node:crypto; the body carries ids, link, exercise label and extra fields', async () => {
    await join('FRA');
    const { receiver, secret } = await receiverFor('FRA');
    const enqueuedAt = tc.now().toISOString();
    const { messageIds, eventId } = await enqueue({
      state: 'FRA',
      type: 'reachability.check',
      subject: { checkId: 'chk-41' },
      link: '/v1/checks/chk-41',
      exercise: true,
      targets: { webhook: true, contactIds: [] },
      extra: { challenge: 'CH-93QX-7RT2' },
    });
    expect(messageIds).toHaveLength(1);
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    tc.advance(2500);
    await notifications().deliverDue();

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.id).toBe(messageIds[0]);
    expect(req.timestamp).toBe(unixSeconds());
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyStandardWebhook(secret, req)).toBe(true);
    expect(JSON.parse(req.body)).toEqual({
      type: 'reachability.check',
      timestamp: enqueuedAt,
      data: { state: 'FRA', checkId: 'chk-41', link: `${BASE}/v1/checks/chk-41`, exercise: true, challenge: 'CH-93QX-7RT2' },
    });
    // The verifier is able to say no.
    expect(verifyStandardWebhook(secret, { ...req, body: req.body.replace('chk-41', 'chk-42') })).toBe(false);
    expect(verifyStandardWebhook(secret, { ...req, timestamp: String(Number(req.timestamp) + 1) })).toBe(false);
    expect(verifyStandardWebhook(secret, { ...req, id: 'another-id' })).toBe(false);
    expect(verifyStandardWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, req)).toBe(false);

    // Acknowledged: the row is finished, its sealed payload erased, and nothing is sent again.
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'delivered', attempts: 1, payload: null, key_id: null, locked_until: null, last_error: null });
    tc.advance(86_400_000);
    await notifications().deliverDue();
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries with exponential backoff and jitter: a receiver failing twice then succeeding gets exactly 3 attempts, all with the same webhook-id', async () => {
    await join('KEN');
    const { receiver, secret } = await receiverFor('KEN', (_r, i) => (i < 2 ? 500 : 204));
    const { messageIds } = await enqueue({ state: 'KEN', type: 'request.sent', subject: { requestId: 'req-1' }, link: '/v1/requests/req-1', targets: { webhook: true, contactIds: [] } });
    const id = messageIds[0]!;

    const t1 = tc.now().getTime();
    await notifications().deliverDue();
    expect(receiver.requests).toHaveLength(1);
    let row = await outbox(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'http-500', locked_until: null });
    const delay1 = new Date(row.next_attempt_at).getTime() - t1;
    expect(delay1).toBeGreaterThanOrEqual(BACKOFF / 2);
    expect(delay1).toBeLessThanOrEqual(BACKOFF);

    // Not due yet: a pass now sends nothing.
    await notifications().deliverDue();
    expect(receiver.requests).toHaveLength(1);

    tc.advance(BACKOFF);
    const t2 = tc.now().getTime();
    await notifications().deliverDue();
    expect(receiver.requests).toHaveLength(2);
    row = await outbox(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'http-500' });
    const delay2 = new Date(row.next_attempt_at).getTime() - t2;
    expect(delay2).toBeGreaterThanOrEqual(BACKOFF);
    expect(delay2).toBeLessThanOrEqual(2 * BACKOFF);

    tc.advance(2 * BACKOFF);
    await notifications().deliverDue();
    expect(receiver.requests).toHaveLength(3);
    expect(await outbox(id)).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });

    tc.advance(86_400_000);
    await notifications().deliverDue();
    expect(receiver.requests.map((r) => r.id)).toEqual([id, id, id]);
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 204]);
    expect(new Set(receiver.requests.map((r) => r.timestamp)).size).toBe(3);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    for (const r of receiver.requests) expect(verifyStandardWebhook(secret, r)).toBe(true);
  });

  it(`gives up after NOTIFY_MAX_ATTEMPTS (${MAX_ATTEMPTS}); a redirect counts as a failure and is not followed`, async () => {
    await join('BRA');
    const { receiver } = await receiverFor('BRA', (_r, i) => (i === 0 ? 302 : 503));
    const { messageIds } = await enqueue({ state: 'BRA', type: 'request.sent', subject: { requestId: 'req-2' }, link: '/v1/requests/req-2', targets: { webhook: true, contactIds: [] } });
    await notifications().deliverDue();
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'pending', last_error: 'http-302' });
    for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
      tc.advance(600_000);
      await notifications().deliverDue();
    }
    expect(receiver.requests).toHaveLength(MAX_ATTEMPTS);
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'http-503', payload: null, key_id: null });
  });

  it('an attempt that exceeds NOTIFY_TIMEOUT_MS fails with "timeout" and is retried', async () => {
    await join('IND');
    const { receiver, secret } = await receiverFor('IND', (_r, i) => (i === 0 ? 'hold' : 200));
    const { messageIds } = await enqueue({ state: 'IND', type: 'request.sent', subject: { requestId: 'req-3' }, link: '/v1/requests/req-3', targets: { webhook: true, contactIds: [] } });
    await notifications().deliverDue();
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timeout' });
    tc.advance(BACKOFF);
    await notifications().deliverDue();
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(receiver.requests.map((r) => [r.id, r.status])).toEqual([
      [messageIds[0], null],
      [messageIds[0], 200],
    ]);
    expect(verifyStandardWebhook(secret, receiver.requests[1]!)).toBe(true);
  });

  it('concurrent passes deliver each message once (rows are claimed FOR UPDATE SKIP LOCKED, with a lease)', async () => {
    await join('JPN');
    const { receiver } = await receiverFor('JPN');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(...(await enqueue({ state: 'JPN', type: 'request.sent', subject: { requestId: `req-c${i}` }, link: `/v1/requests/req-c${i}`, targets: { webhook: true, contactIds: [] } })).messageIds);
    }
    await Promise.all([notifications().deliverDue(), notifications().deliverDue(), notifications().deliverDue()]);
    expect(receiver.requests.map((r) => r.id).sort()).toEqual([...ids].sort());
    const rows = await h.sql<{ status: string; attempts: number }>(`select status, attempts from notification_outbox where state_code = 'JPN'`);
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('a message whose webhook was removed before delivery is skipped, never sent', async () => {
    await join('MEX');
    const { receiver } = await receiverFor('MEX');
    const { messageIds } = await enqueue({ state: 'MEX', type: 'request.sent', subject: { requestId: 'req-4' }, link: '/v1/requests/req-4', targets: { webhook: true, contactIds: [] } });
    expect((await h.request({ method: 'DELETE', url: '/v1/states/MEX/webhook', token: h.token('delegate', 'MEX') })).statusCode).toBe(200);
    await notifications().deliverDue();
    expect(receiver.requests).toEqual([]);
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'skipped', last_error: 'no-webhook', payload: null });
    // With no webhook, targets.webhook writes no message at all.
    const none = await enqueue({ state: 'MEX', type: 'request.sent', subject: { requestId: 'req-5' }, link: '/v1/requests/req-5', targets: { webhook: true, contactIds: [] } });
    expect(none.messageIds).toEqual([]);
  });
});

describe('the transactional outbox', () => {
  it('a notification exists only if the transaction that wrote it commits; invalid input fails that transaction', async () => {
    await join('ZAF');
    const { receiver } = await receiverFor('ZAF');
    const before = await h.sql('select id from notification_outbox');
    await expect(
      h.database.db.transaction().execute(async (trx) => {
        await notifications().enqueue(trx, { state: 'ZAF', type: 'request.sent', subject: { requestId: 'req-6' }, link: '/v1/requests/req-6', targets: { webhook: true, contactIds: [] } });
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    const bad: NotificationInput[] = [
      { state: 'ZAF', type: 'Request Sent', subject: {}, link: '/x', targets: { webhook: true, contactIds: [] } },
      { state: 'ZAF', type: 'request.sent', subject: {}, link: 'https://evil.example/phish', targets: { webhook: true, contactIds: [] } },
      { state: 'ZAF', type: 'request.sent', subject: {}, link: '/x', targets: { webhook: true, contactIds: [] }, extra: { link: 'https://evil.example' } },
      { state: 'ZAF', type: 'request.sent', subject: {}, link: '/x', targets: { webhook: true, contactIds: [] }, extra: { note: 'line\r\nBcc: x@example.org' } },
      { state: 'ZAF', type: 'request.sent', subject: {}, link: '/x', targets: { webhook: true, contactIds: ['not-a-uuid'] } },
    ];
    for (const input of bad) await expect(enqueue(input)).rejects.toThrow();
    expect(await h.sql('select id from notification_outbox')).toEqual(before);
    await notifications().deliverDue();
    expect(receiver.requests).toEqual([]);
    // An absolute link under PUBLIC_BASE_URL is accepted and kept as is.
    await enqueue({ state: 'ZAF', type: 'request.sent', subject: { requestId: 'req-7' }, link: `${BASE}/v1/requests/req-7`, targets: { webhook: true, contactIds: [] } });
    await notifications().deliverDue();
    expect(JSON.parse(receiver.requests[0]!.body).data.link).toBe(`${BASE}/v1/requests/req-7`);
  });
});

describe('email', () => {
  const confidential = {
    name: 'Oluwaseun Adébáyọ̀-Kristiansen',
    title: 'Chief of Cyber Crisis Cell 4417',
    rank: 'minister-counsellor-9',
    organization: 'Directorate of Signals Resilience ZQX',
    phone: '+4722993311',
    availability: 'Tuesdays 03:10-04:20 only',
    notes: 'Fallback codeword HALCYON-PEARL',
    timezone: 'Pacific/Kiritimati',
  };
  const needles = Object.values(confidential);

  it('sends through SMTP to the address resolved at delivery time, with only type, ids, link, exercise label and extra fields', async () => {
    await join('NGA');
    const { receiver } = await receiverFor('NGA');
    const email = 'duty.officer.4417@signals.example.ng';
    const created = await h.request({ method: 'POST', url: '/v1/states/NGA/contacts', token: h.token('delegate', 'NGA'), payload: sampleContact({ ...confidential, email, languages: ['en', 'yo'] }) });
    expect(created.statusCode).toBe(201);
    const contactId = created.json().contact.id as string;
    const { messageIds } = await enqueue({
      state: 'NGA',
      type: 'reachability.check',
      subject: { checkId: 'chk-77' },
      link: '/v1/checks/chk-77',
      exercise: true,
      targets: { webhook: true, contactIds: [contactId, contactId] },
      extra: { challenge: 'CH-5KD9-PLW0' },
    });
    expect(messageIds).toHaveLength(2); // one webhook, one email (duplicate contact ids collapse)
    const emailId = messageIds[1]!;

    // No address at rest in the outbox, nor the challenge: a scan of the whole database finds neither.
    const dump = await dumpDatabase(h.sql);
    for (const n of [email, 'CH-5KD9-PLW0', ...needles]) expect(dump.includes(n), n).toBe(false);

    await notifications().deliverDue();
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('notify@poc.example.org');
    expect(mail.headers['subject']).toBe('[EXERCISE] PoC directory: reachability.check (check chk-77)');
    expect(mail.headers['message-id']).toBe(`<${emailId}@poc.example.org>`);
    expect(mail.headers['x-poc-notification-id']).toBe(emailId);
    expect(mail.text).toContain('EXERCISE: this notification is part of an exercise.');
    expect(mail.text).toContain('Notification: reachability.check');
    expect(mail.text).toContain('Check: chk-77');
    expect(mail.text).toContain('challenge: CH-5KD9-PLW0');
    expect(mail.text).toContain(`Open: ${BASE}/v1/checks/chk-77`);
    expect(await outbox(emailId)).toMatchObject({ status: 'delivered', attempts: 1, payload: null });

    // Nothing confidential in the email (the address only as recipient) or in the webhook.
    for (const n of needles) expect(mail.raw.includes(n), n).toBe(false);
    expect(mail.text).not.toContain(email);
    const hook = receiver.requests[0]!;
    expect(JSON.parse(hook.body).data).toEqual({ state: 'NGA', checkId: 'chk-77', link: `${BASE}/v1/checks/chk-77`, exercise: true, challenge: 'CH-5KD9-PLW0' });
    for (const n of [email, ...needles]) expect(hook.body.includes(n) || JSON.stringify(hook.headers).includes(n), n).toBe(false);
    // ...nor in the logs.
    const logs = h.logs.join('\n');
    for (const n of [email, 'CH-5KD9-PLW0', ...needles]) expect(logs.includes(n), n).toBe(false);
  });

  it('a contact deleted before delivery gets nothing (the message is skipped); a changed address is used as it is at delivery time', async () => {
    await join('EGY');
    const token = h.token('delegate', 'EGY');
    const a = (await h.request({ method: 'POST', url: '/v1/states/EGY/contacts', token, payload: sampleContact({ email: 'first.4490@cert.example.eg' }) })).json().contact.id as string;
    const b = (await h.request({ method: 'POST', url: '/v1/states/EGY/contacts', token, payload: sampleContact({ email: 'old.5521@cert.example.eg' }) })).json().contact.id as string;
    const { messageIds } = await enqueue({ state: 'EGY', type: 'request.sent', subject: { requestId: 'req-8' }, link: '/v1/requests/req-8', targets: { webhook: false, contactIds: [a, b] } });
    expect((await h.request({ method: 'DELETE', url: `/v1/contacts/${a}`, token })).statusCode).toBe(200);
    expect((await h.request({ method: 'PATCH', url: `/v1/contacts/${b}`, token, payload: { email: 'new.5521@cert.example.eg' } })).statusCode).toBe(200);
    const sent = smtp.messages.length;
    await notifications().deliverDue();
    expect(smtp.messages.slice(sent).map((m) => m.to)).toEqual([['new.5521@cert.example.eg']]);
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'skipped', last_error: 'no-contact' });
    expect(await outbox(messageIds[1]!)).toMatchObject({ status: 'delivered' });
  });

  it('a contact id of another state is never resolved (skipped)', async () => {
    await join('ARG');
    const other = (await h.request({ method: 'POST', url: '/v1/states/EGY/contacts', token: h.token('delegate', 'EGY'), payload: sampleContact() })).json().contact.id as string;
    const { messageIds } = await enqueue({ state: 'ARG', type: 'request.sent', subject: { requestId: 'req-9' }, link: '/v1/requests/req-9', targets: { webhook: false, contactIds: [other] } });
    const sent = smtp.messages.length;
    await notifications().deliverDue();
    expect(smtp.messages.length).toBe(sent);
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'skipped', last_error: 'no-contact' });
  });
});

describe('at delivery time: SSRF re-check, pinned address, rotated keys', () => {
  const actor = (state: string): Actor => ({ sub: `delegate-${state}`, role: 'delegate', state });
  function serviceWith(resolve: (host: string) => Promise<ResolvedAddress[]>, allowPrivate: boolean) {
    const s = h.service.services;
    const config = configSchema.parse({ NOTIFY_POLL_MS: '0', PUBLIC_BASE_URL: BASE, WEBHOOKS_ALLOW_PRIVATE: allowPrivate ? 'true' : 'false', NOTIFY_BACKOFF_MS: String(BACKOFF), NOTIFY_TIMEOUT_MS: '3000' });
    return createNotificationsService({ db: h.database.db, clock: tc.clock, keys: s.keys, ledger: s.ledger, states: s.states, config, logger: createLogger('silent'), resolveEmail: async () => null, resolve });
  }

  it('DNS rebinding: a host that resolved to a public address when registered but to loopback at delivery is refused, and nothing is sent', async () => {
    await join('CAN');
    const receiver = await startReceiver();
    receivers.push(receiver);
    let answer: ResolvedAddress[] = [{ address: '93.184.215.14', family: 4 }];
    const svc = serviceWith(async () => answer, false);
    const set = await svc.setWebhook(actor('CAN'), 'CAN', `https://hooks.rebind.test:${receiver.port}/hook`);
    expect(set.created).toBe(true);
    answer = [{ address: '127.0.0.1', family: 4 }];
    const { messageIds } = await h.database.db.transaction().execute((trx) =>
      svc.enqueue(trx, { state: 'CAN', type: 'request.sent', subject: { requestId: 'req-10' }, link: '/v1/requests/req-10', targets: { webhook: true, contactIds: [] } }),
    );
    await svc.deliverDue();
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'refused-loopback' });
    answer = [
      { address: '93.184.215.14', family: 4 },
      { address: '::ffff:169.254.169.254', family: 6 },
    ];
    tc.advance(BACKOFF);
    await svc.deliverDue();
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'pending', attempts: 2, last_error: 'refused-link-local' });
    expect(receiver.requests).toEqual([]);
    await svc.removeWebhook(actor('CAN'), 'CAN');
    tc.advance(10 * BACKOFF);
    await svc.deliverDue();
    expect(await outbox(messageIds[0]!)).toMatchObject({ status: 'skipped' });
  });

  it('the request connects to the address that was checked (pinned lookup), with the original host name in Host', async () => {
    await join('AUS');
    const receiver = await startReceiver();
    receivers.push(receiver);
    const lookups: string[] = [];
    const svc = serviceWith(async (host) => {
      lookups.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    }, true);
    const { secret } = await svc.setWebhook(actor('AUS'), 'AUS', `http://receiver.poc.test:${receiver.port}/pinned`);
    await h.database.db.transaction().execute((trx) =>
      svc.enqueue(trx, { state: 'AUS', type: 'request.sent', subject: { requestId: 'req-11' }, link: '/v1/requests/req-11', targets: { webhook: true, contactIds: [] } }),
    );
    await svc.deliverDue();
    // receiver.poc.test exists in no DNS: the connection reached 127.0.0.1 only through the pinned address.
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers.host).toBe(`receiver.poc.test:${receiver.port}`);
    expect(verifyStandardWebhook(secret, receiver.requests[0]!)).toBe(true);
    expect(lookups).toEqual(['receiver.poc.test', 'receiver.poc.test']); // at registration, and again at delivery
  });

  it("a state data key rotation re-seals the webhook and pending messages; they are delivered and verify with the same secret", async () => {
    await join('SWE');
    const { receiver, secret } = await receiverFor('SWE');
    const { messageIds } = await enqueue({ state: 'SWE', type: 'request.sent', subject: { requestId: 'req-12' }, link: '/v1/requests/req-12', targets: { webhook: true, contactIds: [] } });
    const oldKey = (await h.sql<{ key_id: string }>(`select key_id from webhooks where state_code = 'SWE'`))[0]!.key_id;
    const rotated = await h.service.services.rotation.rotateStateKey('SWE');
    expect(rotated.destroyedKeys).toEqual([oldKey]);
    expect(await h.sql(`select key_id from webhooks where state_code = 'SWE'`)).toEqual([{ key_id: rotated.keyId }]);
    expect((await outbox(messageIds[0]!)).key_id).toBe(rotated.keyId);
    await notifications().deliverDue();
    expect(receiver.requests).toHaveLength(1);
    expect(verifyStandardWebhook(secret, receiver.requests[0]!)).toBe(true);
    expect((await h.request({ method: 'GET', url: '/v1/states/SWE/webhook', token: h.token('delegate', 'SWE') })).json().webhook.url).toBe(receiver.url);
  });
});

describe('without SMTP_URL', () => {
  let bare: Harness;
  beforeAll(async () => {
    bare = await startHarness({ env: { NOTIFY_POLL_MS: '0' } });
  });
  afterAll(() => bare?.close());

  it('email messages are marked skipped, with a warning in the log that names no address', async () => {
    await bare.request({ method: 'PUT', url: '/v1/states/FIN/participation', token: bare.token('delegate', 'FIN') });
    const email = 'nosmtp.6620@cert.example.fi';
    const id = (await bare.request({ method: 'POST', url: '/v1/states/FIN/contacts', token: bare.token('delegate', 'FIN'), payload: sampleContact({ email }) })).json().contact.id as string;
    const { messageIds } = await bare.database.db
      .transaction()
      .execute((trx) => bare.service.services.notifications.enqueue(trx, { state: 'FIN', type: 'request.sent', subject: { requestId: 'r' }, link: '/v1/requests/r', targets: { webhook: true, contactIds: [id] } }));
    expect(messageIds).toHaveLength(1);
    await bare.service.services.notifications.deliverDue();
    expect(await bare.sql('select status, last_error from notification_outbox where id = $1', [messageIds[0]])).toEqual([{ status: 'skipped', last_error: 'smtp-not-configured' }]);
    const warning = bare.logs.map((l) => JSON.parse(l) as { level: number; msg: string; messageId?: string }).find((l) => l.msg.includes('SMTP_URL is not set'));
    expect(warning).toMatchObject({ level: 40, messageId: messageIds[0] });
    expect(bare.logs.join('\n')).not.toContain(email);
  });
});
