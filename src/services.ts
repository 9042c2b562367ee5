/** Composition root: builds every domain service from the shared mechanisms. */
import type { Clock } from './clock.ts';
import { createContactsService } from './contacts/service.ts';
import { createDisclosureService } from './disclosure/service.ts';
import { indexKey, type Keyring } from './crypto/keyring.ts';
import type { Db } from './db/index.ts';
import { createRotationService } from './keys/rotation.ts';
import { createKeysService } from './keys/service.ts';
import { createLedgerService, ledgerSettings } from './ledger/service.ts';
import { configSchema, type Config } from './config.ts';
import { createCursorCodec } from './http/cursor.ts';
import { createIdempotencyService } from './idempotency/service.ts';
import { createRequestsService } from './requests/service.ts';
import { createChecksService } from './checks/service.ts';
import { createStatesService } from './states/service.ts';
import { createNotificationsService } from './notifications/service.ts';
import { createLogger } from './logger.ts';
import type { Logger } from 'pino';

export function createServices({
  db,
  keyring,
  clock,
  config = configSchema.parse({}),
  logger = createLogger('silent'),
}: { db: Db; keyring: Keyring; clock: Clock; config?: Config; logger?: Logger }) {
  const keys = createKeysService({ keyring, clock });
  const cursors = createCursorCodec(indexKey(keyring, 'http.cursor'));
  const ledger = createLedgerService({ clock, commitmentKey: indexKey(keyring, 'ledger.commitment'), ...ledgerSettings(keyring, config) });
  const states = createStatesService({ db, clock, keys, ledger });
  const disclosure = createDisclosureService({ db, clock, ledger, states });
  const contacts = createContactsService({ db, clock, keys, ledger, states, disclosure, emailIndexKey: indexKey(keyring, 'bidx:contacts.email'), cursors, staleAfterDays: config.STALE_AFTER_DAYS });
  const rotation = createRotationService({ db, keyring, keys, ledger });
  rotation.register(contacts.reencrypt);
  const notifications = createNotificationsService({ db, clock, keys, ledger, states, config, logger, resolveEmail: (id, state) => contacts.emailOf(id, state) });
  rotation.register(notifications.reencrypt);
  const idempotency = createIdempotencyService({ clock, keys });
  rotation.register(idempotency.reencrypt);
  const requests = createRequestsService({
    db,
    clock,
    keys,
    ledger,
    states,
    idempotency,
    notifier: notifications,
    contactsInDomain: contacts.idsInDomain,
    ackSla: config.SLA_ACK_MINUTES,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    cursors,
  });
  rotation.register(requests.reencrypt);
  const checks = createChecksService({ db, clock, ledger, notifier: notifications, contactsInDomain: contacts.idsInDomain, publicBaseUrl: config.PUBLIC_BASE_URL });
  return { db, keys, ledger, states, disclosure, contacts, rotation, idempotency, requests, notifications, checks };
}

export type Services = ReturnType<typeof createServices>;
