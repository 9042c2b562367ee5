/**
 * Delivery survives restarts and crashes: the service is stopped in the
 * middle of a delivery and a new instance is started on the same database;
 * and a worker that stops answering (its lease still held) is taken over by
 * another instance once the lease expires. Every notification arrives, a
 * redelivery carries the same webhook-id, and nothing is sent again once a
 * receiver has acknowledged it with a 2xx.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startService, type Service } from '../../src/server.ts';
import { JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';
import { startReceiver, startSmtp, testClock, verifyStandardWebhook, type Receiver, type SmtpCapture } from './notifications-support.ts';

const TIMEOUT_MS = 20_000;
const LEASE_MS = 2 * TIMEOUT_MS + 30_000; // as documented in src/notifications/worker.ts
const tc = testClock();
const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-notify-restart-'));
let env: Record<string, string>;
let h: Harness;
let smtp: SmtpCapture;
const receivers: Receiver[] = [];
const instances: Service[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  env = {
    DATA_DIR: dataDir,
    POC_MASTER_KEY: randomBytes(32).toString('base64'),
    POC_INDEX_KEY: randomBytes(32).toString('base64'),
    NOTIFY_POLL_MS: '0',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    SMTP_URL: smtp.url,
    NOTIFY_TIMEOUT_MS: String(TIMEOUT_MS),
    NOTIFY_BACKOFF_MS: '1000',
  };
  h = await startHarness({ clock: tc.clock, env });
  instances.push(h.service);
});
afterAll(async () => {
  for (const s of instances.slice(1)) await stopInstance(s);
  await h?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A new instance of the service (same configuration and keys) on the same database. */
async function newInstance(): Promise<Service> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '100000', ...env });
  const service = await startService(config, createLogger('silent'), { database: h.database, clock: tc.clock });
  instances.push(service);
  return service;
}
/** Stops an instance as close() does, but leaves the shared database open. */
async function stopInstance(s: Service): Promise<void> {
  await s.services.notifications.stop();
  await s.app.close();
}
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}

const outboxOf = (state: string) =>
  h.sql<{ id: string; channel: string; status: string; attempts: number; last_error: string | null }>(
    'select id, channel, status, attempts, last_error from notification_outbox where state_code = $1 order by id',
    [state],
  );

describe('restarts', () => {
  it('stopped mid-delivery, then restarted on the same database: everything arrives, the redelivery has the same webhook-id, nothing acknowledged is re-sent', async () => {
    const first = h.service;
    const token = h.token('delegate', 'NLD');
    expect((await h.request({ method: 'PUT', url: '/v1/states/NLD/participation', token })).statusCode).toBe(201);
    const contacts = [] as string[];
    for (const email of ['desk.1@ncsc.example.nl', 'desk.2@ncsc.example.nl']) {
      contacts.push((await h.request({ method: 'POST', url: '/v1/states/NLD/contacts', token, payload: sampleContact({ email }) })).json().contact.id);
    }
    // The receiver holds the first request it gets open (no answer) and acknowledges everything else.
    const receiver = await startReceiver((_r, i) => (i === 0 ? 'hold' : 200));
    receivers.push(receiver);
    const secret = (await h.request({ method: 'PUT', url: '/v1/states/NLD/webhook', token, payload: { url: receiver.url } })).json().secret as string;

    const webhookIds: string[] = [];
    const emailIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { messageIds } = await h.database.db.transaction().execute((trx) =>
        first.services.notifications.enqueue(trx, { state: 'NLD', type: 'request.sent', subject: { requestId: `r-${i}` }, link: `/v1/requests/r-${i}`, targets: { webhook: true, contactIds: contacts } }),
      );
      webhookIds.push(messageIds[0]!);
      emailIds.push(...messageIds.slice(1));
    }

    const pass = first.services.notifications.deliverDue();
    await receiver.waitFor(3);
    await until(() => smtp.messages.length === 6);
    // Wait until the service has recorded the answered deliveries, so the stop below interrupts only the held one.
    for (let delivered = 0; delivered < 8; await new Promise((r) => setTimeout(r, 20))) {
      delivered = (await outboxOf('NLD')).filter((r) => r.status === 'delivered').length;
    }
    const held = receiver.requests[0]!;
    expect(held.status).toBeNull();

    // Stop the service while the first request is still open.
    await stopInstance(first);
    await pass;
    const interrupted = (await outboxOf('NLD')).find((r) => r.id === held.id)!;
    expect(interrupted).toMatchObject({ status: 'pending', attempts: 1, last_error: 'interrupted' });
    expect((await outboxOf('NLD')).filter((r) => r.status === 'delivered')).toHaveLength(8);
    expect(receiver.requests).toHaveLength(3);

    // A new instance on the same database.
    const second = await newInstance();
    await second.services.notifications.deliverDue();
    expect(receiver.requests).toHaveLength(4);
    const redelivery = receiver.requests[3]!;
    expect(redelivery.id).toBe(held.id);
    expect(redelivery.status).toBe(200);
    expect(redelivery.body).toBe(held.body);
    expect(verifyStandardWebhook(secret, redelivery)).toBe(true);

    // Nothing more, however long we wait.
    tc.advance(7 * 86_400_000);
    await second.services.notifications.deliverDue();
    expect(receiver.requests).toHaveLength(4);
    expect(smtp.messages).toHaveLength(6);

    // Every webhook message acknowledged exactly once; every email sent exactly once.
    const acknowledged = receiver.requests.filter((r) => r.status !== null && r.status >= 200 && r.status < 300).map((r) => r.id);
    expect([...acknowledged].sort()).toEqual([...webhookIds].sort());
    const mailIds = smtp.messages.map((m) => m.headers['x-poc-notification-id']);
    expect([...mailIds].sort()).toEqual([...emailIds].sort());
    expect((await outboxOf('NLD')).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('a failed attempt and its retry schedule survive a restart: the next instance retries when due, with the same webhook-id', async () => {
    const current = await newInstance();
    const token = h.token('delegate', 'BEL');
    expect((await current.app.inject({ method: 'PUT', url: '/v1/states/BEL/participation', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(201);
    const receiver = await startReceiver((_r, i) => (i === 0 ? 500 : 200));
    receivers.push(receiver);
    const put = await current.app.inject({ method: 'PUT', url: '/v1/states/BEL/webhook', headers: { authorization: `Bearer ${token}` }, payload: { url: receiver.url } });
    const secret = put.json().secret as string;
    const { messageIds } = await h.database.db.transaction().execute((trx) =>
      current.services.notifications.enqueue(trx, { state: 'BEL', type: 'request.acknowledged', subject: { requestId: 'r-b' }, link: '/v1/requests/r-b', targets: { webhook: true, contactIds: [] } }),
    );
    await current.services.notifications.deliverDue();
    expect(await outboxOf('BEL')).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, last_error: 'http-500' })]);
    await stopInstance(current);

    const next = await newInstance();
    await next.services.notifications.deliverDue(); // not due yet
    expect(receiver.requests).toHaveLength(1);
    tc.advance(1000);
    await next.services.notifications.deliverDue();
    expect(receiver.requests.map((r) => [r.id, r.status])).toEqual([
      [messageIds[0], 500],
      [messageIds[0], 200],
    ]);
    expect(verifyStandardWebhook(secret, receiver.requests[1]!)).toBe(true);
    expect(await outboxOf('BEL')).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);
  });

  it('a worker that hangs keeps its lease; another instance takes the message over once the lease expires, with the same webhook-id', async () => {
    const a = await newInstance();
    const b = await newInstance();
    const token = h.token('delegate', 'PRT');
    expect((await b.app.inject({ method: 'PUT', url: '/v1/states/PRT/participation', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(201);
    const receiver = await startReceiver((_r, i) => (i === 0 ? 'hold' : 200));
    receivers.push(receiver);
    await b.app.inject({ method: 'PUT', url: '/v1/states/PRT/webhook', headers: { authorization: `Bearer ${token}` }, payload: { url: receiver.url } });
    const { messageIds } = await h.database.db.transaction().execute((trx) =>
      b.services.notifications.enqueue(trx, { state: 'PRT', type: 'request.sent', subject: { requestId: 'r-p' }, link: '/v1/requests/r-p', targets: { webhook: true, contactIds: [] } }),
    );
    const id = messageIds[0]!;

    const passA = a.services.notifications.deliverDue();
    await receiver.waitFor(1);
    // While A holds the lease, B does not touch the message.
    expect(await b.services.notifications.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 0 });
    tc.advance(LEASE_MS - 1);
    await b.services.notifications.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    // Once the lease has expired, B delivers it again, with the same id.
    tc.advance(1);
    await b.services.notifications.deliverDue();
    expect(receiver.requests.map((r) => [r.id, r.status])).toEqual([
      [id, null],
      [id, 200],
    ]);
    expect(await outboxOf('PRT')).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);

    // A's late answer changes nothing: the message stays delivered and is not sent again.
    receiver.release(200);
    await passA;
    tc.advance(86_400_000);
    await a.services.notifications.deliverDue();
    await b.services.notifications.deliverDue();
    expect(receiver.requests).toHaveLength(2);
    expect(await outboxOf('PRT')).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);
  });
});
