/**
 * Real PostgreSQL: several service instances, each with its own connection
 * pool, drain one outbox at the same time. FOR UPDATE SKIP LOCKED and the
 * lease make every message go out exactly once when receivers answer 2xx.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/logger.ts';
import { startService, type Service } from '../../src/server.ts';
import { JWT_SECRET, sampleContact, startHarness, type Harness } from '../harness.ts';
import { startReceiver, startSmtp, verifyStandardWebhook, type Receiver, type SmtpCapture } from '../integration/notifications-support.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'poc-notify-pg-'));
let env: Record<string, string>;
let h: Harness;
let smtp: SmtpCapture;
let receiver: Receiver;
const others: Service[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  env = {
    DATA_DIR: dataDir,
    POC_MASTER_KEY: randomBytes(32).toString('base64'),
    POC_INDEX_KEY: randomBytes(32).toString('base64'),
    NOTIFY_POLL_MS: '0',
    NOTIFY_BATCH_SIZE: '4',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    SMTP_URL: smtp.url,
  };
  h = await startHarness({ env });
  for (let i = 0; i < 2; i++) {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'silent', ...env, DATABASE_URL: h.url! });
    others.push(await startService(config, createLogger('silent'), { database: await openDatabase({ kind: 'postgres', url: h.url!, poolMax: 4 }) }));
  }
});
afterAll(async () => {
  for (const s of others) await s.close();
  await h?.close();
  await receiver?.close();
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('several instances draining one outbox (real PostgreSQL)', () => {
  it('every message is delivered exactly once, whichever instance claims it', async () => {
    const token = h.token('delegate', 'DNK');
    await h.request({ method: 'PUT', url: '/v1/states/DNK/participation', token });
    const contact = (await h.request({ method: 'POST', url: '/v1/states/DNK/contacts', token, payload: sampleContact({ email: 'soc.desk@cert.example.dk' }) })).json().contact.id as string;
    const secret = (await h.request({ method: 'PUT', url: '/v1/states/DNK/webhook', token, payload: { url: receiver.url } })).json().secret as string;
    const webhookIds: string[] = [];
    const emailIds: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { messageIds } = await h.database.db.transaction().execute((trx) =>
        h.service.services.notifications.enqueue(trx, { state: 'DNK', type: 'request.sent', subject: { requestId: `r-${i}` }, link: `/v1/requests/r-${i}`, targets: { webhook: true, contactIds: i % 4 === 0 ? [contact] : [] } }),
      );
      webhookIds.push(messageIds[0]!);
      emailIds.push(...messageIds.slice(1));
    }
    const instances = [h.service, ...others];
    const results = await Promise.all(instances.flatMap((s) => [s.services.notifications.deliverDue(), s.services.notifications.deliverDue()]));

    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(50);
    expect(results.filter((r) => r.delivered > 0).length).toBeGreaterThan(1); // the work was shared
    expect(receiver.requests.map((r) => r.id).sort()).toEqual([...webhookIds].sort());
    expect(receiver.requests.every((r) => verifyStandardWebhook(secret, r))).toBe(true);
    expect(smtp.messages.map((m) => m.headers['x-poc-notification-id']).sort()).toEqual([...emailIds].sort());
    const rows = await h.sql<{ status: string; attempts: number }>(`select status, attempts from notification_outbox where state_code = 'DNK'`);
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });
});
