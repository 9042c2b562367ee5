/** Composition root: builds every domain service from the shared mechanisms. */
import type { Clock } from './clock.ts';
import { createContactsService } from './contacts/service.ts';
import { createExportsService } from './exports/service.ts';
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
import { createGovernanceService } from './governance/service.ts';
import { keyFromBytes } from './crypto/index.ts';
import { createNotificationsService } from './notifications/service.ts';
import { createLogger } from './logger.ts';
import type { Logger } from 'pino';
import { createUsersService } from './users/service.ts';
import { createApiKeysService } from './apikeys/service.ts';
import { createPendingService } from './pending/service.ts';
import { createReportsService } from './reports/service.ts';

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
  const governance = createGovernanceService({
    db,
    clock,
    keys,
    ledger,
    states,
    observerContactKey: keyFromBytes(indexKey(keyring, 'seal:governance.observer-contacts')),
    defaultRules: config.GOVERNANCE_RULES,
    defaultFreshnessDays: config.STALE_AFTER_DAYS,
  });
  const contacts = createContactsService({ db, clock, keys, ledger, states, disclosure, emailIndexKey: indexKey(keyring, 'bidx:contacts.email'), cursors, staleAfterDays: governance.freshnessDays });
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
  const exports = createExportsService({
    db,
    clock,
    ledger,
    states,
    contacts,
    signingSeed: keyring.exportSigningSeed,
    rateMax: config.EXPORT_RATE_MAX,
    rateWindowMs: config.EXPORT_RATE_WINDOW_MS,
  });
  const users = createUsersService({
    db,
    clock,
    ledger,
    sealKey: keyFromBytes(indexKey(keyring, 'seal:users')),
    identityKey: indexKey(keyring, 'bidx:users.identity'),
    defaultIssuer: config.JWT_ISSUER ?? '',
    organizations: { isAccredited: governance.isAccredited },
  });
  const apiKeys = createApiKeysService({ db, clock, ledger, users });
  const pending = createPendingService({ db, clock, keys, ledger, users, states, ttlHours: config.PENDING_CHANGE_TTL_HOURS });
  // Pending changes are sealed under the state's data key: re-sealed by a rotation like everything else.
  rotation.register(pending.reencrypt);
  // Dual control: how an approved change is applied by its domain's service (in the approval's transaction).
  pending.register('contacts.create', (actor, c, within) => {
    const { state, input } = c as { state: string; input: Parameters<typeof contacts.create>[2] };
    return contacts.create(actor, state, input, within);
  });
  pending.register('contacts.update', (actor, c, within) => {
    const { id, patch, ifMatch } = c as { id: string; patch: Parameters<typeof contacts.update>[2]; ifMatch?: number };
    return contacts.update(actor, id, patch, ifMatch, within);
  });
  pending.register('contacts.delete', (actor, c, within) => contacts.remove(actor, (c as { id: string }).id, within));
  pending.register('disclosure.grant', (actor, c, within) => {
    const { owner, counterpart, input } = c as { owner: string; counterpart: string; input: Parameters<typeof disclosure.grant>[3] };
    return disclosure.grant(actor, owner, counterpart, input, within);
  });
  pending.register('disclosure.revoke', (actor, c, within) => {
    const { owner, counterpart } = c as { owner: string; counterpart: string };
    return disclosure.revoke(actor, owner, counterpart, within);
  });
  pending.register('webhook.set', (actor, c, within) => {
    const { state, url } = c as { state: string; url: string };
    return notifications.setWebhook(actor, state, url, within);
  });
  pending.register('webhook.remove', (actor, c, within) => notifications.removeWebhook(actor, (c as { state: string }).state, within));
  pending.register('participation.withdraw', (actor, c, within) => states.withdraw(actor, (c as { state: string }).state, within));
  const reports = createReportsService({ states, contacts, checks, requests });
  return { db, keys, ledger, states, disclosure, contacts, rotation, idempotency, requests, notifications, checks, exports, governance, users, apiKeys, pending, reports };
}

export type Services = ReturnType<typeof createServices>;
