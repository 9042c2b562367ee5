/**
 * Offline exports: a signed copy of every contact a state may see, for when
 * the service cannot be reached, optionally encrypted to the state's own
 * X25519 key.
 *
 * The contact set is not computed here: it is the directory as the state's
 * delegates see it, read through the contacts service's directory() (which
 * applies canSee and the disclosure rules). A state that does not
 * participate (withdrawn, or never joined) gets an empty export that says so.
 *
 * Every export and every key registration is a ledger entry (who, which
 * state, how many contacts, the bundle's hash; never content). Exports are
 * rate limited per state with a token bucket (EXPORT_RATE_MAX in a burst,
 * refilled evenly over EXPORT_RATE_WINDOW_MS), held in each instance's memory.
 */
import type { Actor } from '../auth/actor.ts';
import { authorize, permits } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { CryptoError, sealTo, sign, signingKeyPair, toHex } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import type { ContactsService } from '../contacts/service.ts';
import type { ContactView } from '../contacts/schemas.ts';
import type { LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import {
  BUNDLE_FORMAT,
  contactsOf,
  ENCRYPTED_FORMAT,
  ExportVerificationError,
  keyIdOf,
  parseKey32,
  SEALED_BOX,
  signBundle,
  type EncryptedExport,
  type ExportBundle,
  type ExportKind,
  type ExportStateGroup,
} from './bundle.ts';
import { toCsvFile } from './csv.ts';
import * as queries from './queries.ts';
import { toVCardFile } from './vcard.ts';
import { EXPORT_EVENTS } from './events.ts';


/** The caller whose view an export of `state` is: the state's delegates' view of the directory. */
const stateViewer = (actor: Actor, state: string): Actor => ({ sub: actor.sub, role: 'delegate', state });

/** A token bucket per key: `capacity` in a burst, refilled evenly over `windowMs`. */
export function createTokenBuckets(capacity: number, windowMs: number, clock: Clock) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = capacity / windowMs;
  return {
    /** Takes one token; returns 0 when granted, else the milliseconds until one is available. */
    take(key: string): number {
      const now = clock().getTime();
      const b = buckets.get(key) ?? { tokens: capacity, at: now };
      b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMs);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perMs);
    },
  };
}

export interface ExportKeyView {
  state: string;
  algorithm: 'X25519';
  publicKey: string;
  keyId: string;
  registeredAt: string;
}

export interface ExportResult {
  /** The response body, exactly as signed / encrypted (JSON text). */
  body: string;
  filename: string;
  encrypted: boolean;
  contactCount: number;
  bundleHash: string;
  receipt: Receipt;
}

interface Deps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  states: StatesService;
  contacts: Pick<ContactsService, 'directory'>;
  signingSeed: Uint8Array;
  rateMax: number;
  rateWindowMs: number;
}

/** Contacts read per directory page while exporting. */
const PAGE = 1000;

const MEDIA: Record<Exclude<ExportKind, 'json'>, { mediaType: string; ext: string }> = {
  vcard: { mediaType: 'text/vcard;charset=utf-8', ext: 'vcf' },
  csv: { mediaType: 'text/csv;charset=utf-8;header=present', ext: 'csv' },
};

export function createExportsService({ db, clock, ledger, states, contacts, signingSeed, rateMax, rateWindowMs }: Deps) {
  const keyPair = signingKeyPair(signingSeed);
  const publicKeyId = keyIdOf(keyPair.publicKey);
  const buckets = createTokenBuckets(rateMax, rateWindowMs, clock);

  const toView = (row: queries.ExportKeyRow): ExportKeyView => ({
    state: row.state_code,
    algorithm: row.algorithm,
    publicKey: Buffer.from(row.public_key).toString('base64'),
    keyId: keyIdOf(row.public_key),
    registeredAt: new Date(row.registered_at).toISOString(),
  });

  /** Every contact the state's delegates see in the directory, grouped by state and domain (pages merged). */
  async function visibleTo(viewer: Actor): Promise<ExportStateGroup[]> {
    const byState = new Map<string, ExportStateGroup>();
    let cursor: string | undefined;
    do {
      const page = await contacts.directory(viewer, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const group of page.states) {
        let entry = byState.get(group.state);
        if (!entry) byState.set(group.state, (entry = { state: group.state, domains: {} }));
        for (const [domain, list] of Object.entries(group.domains)) (entry.domains[domain] ??= []).push(...(list ?? []));
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return [...byState.values()];
  }

  async function generate(actor: Actor, state: string, kind: ExportKind): Promise<ExportResult> {
    if (!permits(actor, 'exports.create', { state })) throw notFound('export');
    const wait = buckets.take(state);
    if (wait > 0) {
      throw new Problem('rate-limited', `${state} has used its exports for now (at most ${rateMax} per ${Math.round(rateWindowMs / 60_000)} min); retry in ${Math.ceil(wait / 1000)} s`, {
        retryAfter: Math.ceil(wait / 1000),
      });
    }
    const participation = await states.participation(state);
    const { checkpoint } = await ledger.checkpoints.sign(db, 'read');
    if (!checkpoint) throw new Error('the ledger has no checkpoint'); // 'read' always returns one
    const groups = participation.status === 'participating' ? await visibleTo(stateViewer(actor, state)) : [];
    const list: ContactView[] = contactsOf({ states: groups });
    const generatedAt = clock().toISOString();
    const stamp = generatedAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
    const base = `${state}-export-${stamp}`;
    const bundle: ExportBundle = {
      format: BUNDLE_FORMAT,
      kind,
      generatedAt,
      state,
      participation: participation.status,
      notice:
        participation.status === 'participating'
          ? null
          : participation.status === 'withdrawn'
            ? `${state} has withdrawn from the directory: it may see no contacts, so this export is empty`
            : `${state} does not participate in the directory: it may see no contacts, so this export is empty`,
      checkpoint: { origin: ledger.checkpoints.origin, treeSize: checkpoint.treeSize, rootHash: toHex(checkpoint.rootHash), note: checkpoint.note },
      contactCount: list.length,
      ...(kind === 'json'
        ? { states: groups }
        : { content: { mediaType: MEDIA[kind].mediaType, filename: `${base}.${MEDIA[kind].ext}`, text: kind === 'vcard' ? toVCardFile(list) : toCsvFile(list) } }),
    };
    const { signed, hash } = signBundle(bundle, keyPair.publicKey, (bytes) => sign(keyPair, bytes));
    const recipient = await queries.findKey(db, state);
    let body = JSON.stringify(signed);
    if (recipient) {
      const sealed: EncryptedExport = {
        format: ENCRYPTED_FORMAT,
        algorithm: SEALED_BOX,
        state,
        recipient: { keyId: keyIdOf(recipient.public_key), publicKey: Buffer.from(recipient.public_key).toString('base64') },
        ciphertext: Buffer.from(sealTo(recipient.public_key, body)).toString('base64'),
      };
      body = JSON.stringify(sealed);
    }
    const receipt = await ledger.change(db, (trx) =>
      ledger.append(trx, {
        type: EXPORT_EVENTS.generated,
        actor,
        parties: [state],
        subject: { state },
        facts: {
          format: kind,
          contacts: list.length,
          bundleHash: hash,
          signingKeyId: publicKeyId,
          encrypted: recipient !== undefined,
          ...(recipient ? { recipientKeyId: keyIdOf(recipient.public_key) } : {}),
        },
      }),
    );
    return { body, filename: `${base}${recipient ? '.sealed' : ''}.json`, encrypted: recipient !== undefined, contactCount: list.length, bundleHash: hash, receipt };
  }

  /** Registers (or replaces) the X25519 key the state's exports are encrypted to. Only the public key is stored. */
  async function registerKey(actor: Actor, state: string, publicKeyB64: string): Promise<{ exportKey: ExportKeyView; created: boolean; receipt: Receipt }> {
    authorize(actor, 'exports.key-change', { state });
    let publicKey: Uint8Array;
    try {
      publicKey = parseKey32(publicKeyB64, 'publicKey (an X25519 public key)');
      sealTo(publicKey, 'probe'); // refuses low-order points, which would make every export fail
    } catch (err) {
      if (err instanceof ExportVerificationError || err instanceof CryptoError) {
        throw new Problem('validation-error', err.message, { errors: [{ path: 'body.publicKey', message: err.message }] });
      }
      throw err;
    }
    return ledger.change(db, async (trx) => {
      if (!(await states.lockParticipating(trx, state))) throw conflict(`${state} is not participating; join first (PUT /v1/states/${state}/participation)`);
      const row: queries.ExportKeyRow = { state_code: state, algorithm: 'X25519', public_key: publicKey, registered_by: actor.sub, registered_at: clock() };
      const created = await queries.upsertKey(trx, row);
      const receipt = await ledger.append(trx, {
        type: EXPORT_EVENTS.keyRegistered,
        actor,
        parties: [state],
        subject: { state },
        facts: { algorithm: 'X25519', keyId: keyIdOf(publicKey), replaced: !created },
      });
      return { exportKey: toView(row), created, receipt };
    });
  }

  async function getKey(actor: Actor, state: string): Promise<ExportKeyView> {
    if (!permits(actor, 'exports.key-read', { state })) throw notFound('export key');
    const row = await queries.findKey(db, state);
    if (!row) throw notFound('export key');
    return toView(row);
  }

  async function removeKey(actor: Actor, state: string): Promise<{ receipt: Receipt }> {
    authorize(actor, 'exports.key-change', { state });
    return ledger.change(db, async (trx) => {
      if (!(await queries.removeKey(trx, state))) throw notFound('export key');
      const receipt = await ledger.append(trx, { type: EXPORT_EVENTS.keyRemoved, actor, parties: [state], subject: { state } });
      return { receipt };
    });
  }

  // A state that withdraws leaves nothing behind: its export key goes with its data.
  states.onWithdraw(async (trx, state) => {
    await queries.removeKey(trx, state);
  });

  return {
    generate,
    registerKey,
    getKey,
    removeKey,
    publicKey: { algorithm: 'Ed25519' as const, keyId: publicKeyId, publicKey: Buffer.from(keyPair.publicKey).toString('base64') },
  };
}

export type ExportsService = ReturnType<typeof createExportsService>;
