/**
 * Contacts: a participating state's points of contact, every confidential
 * field sealed under the state's data key and bound to its table, column and
 * row. Who may read a contact is decided in exactly one place: canSee().
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { authorize, directoryScope, permits, stateOf } from '../auth/policy.ts';
import type { Clock } from '../clock.ts';
import { blindIndex, openString, seal, type Key } from '../crypto/index.ts';
import type { Db, Queryable, Trx } from '../db/index.ts';
import { pgErrorCode, UNIQUE_VIOLATION, untilGuardHolds } from '../db/index.ts';
import { cursorTime, type CursorCodec } from '../http/cursor.ts';
import { conflict, notFound, Problem } from '../http/problem.ts';
import type { KeysService } from '../keys/service.ts';
import type { LedgerEvent, LedgerService, Receipt } from '../ledger/service.ts';
import type { StatesService } from '../states/service.ts';
import { NO_ACCESS, type Access, type DisclosureService } from '../disclosure/service.ts';
import { normalisePhone } from './phone.ts';
import type { GrantTuple } from '../disclosure/service.ts';
import * as queries from './queries.ts';
import type { ContactRow, ContactRowWithKey } from './queries.ts';
import type { ContactFields, ContactPatch, ContactView, Domain, Visibility } from './schemas.ts';
import { CONTACT_EVENTS } from './events.ts';
import { DOMAINS } from '../vocabulary.ts';
import type { LedgerEventType } from '../ledger/events.ts';

/** The metadata visibility is decided on: never the confidential fields. */
export interface ContactMeta {
  state: string;
  domains: readonly string[];
  visibility: 'confidential' | 'public';
}

/**
 * THE visibility rule; every read path goes through it. A contact of state B
 * (which participates: rows of other states are never read) is visible to
 *   1. delegates of B and the secretariat, always;
 *   2. a delegate of another participating state A for the domains B's grants
 *      open to A (unilateral, or reciprocal while A grants B back), as
 *      computed by the disclosure service into `access`;
 *   3. anyone, authenticated or not (observers, the public view), when B
 *      marked the contact public.
 * Nobody else; refusals are 404 for single objects and omissions in lists.
 * `actor` is null for the unauthenticated public view.
 */
export function canSee(actor: Actor | null, contact: ContactMeta, access: Access): boolean {
  // The rule itself is 'contacts.read' in auth/policy.ts; grants are looked up only when it may need them.
  const openDomains = actor && contact.visibility !== 'public' && stateOf(actor) && stateOf(actor) !== contact.state ? access.domainsFrom(contact.state) : undefined;
  return permits(actor, 'contacts.read', { contact: { ...contact, ...(openDomains ? { openDomains } : {}) } });
}

/** Whether canSee may depend on grants (so they must be loaded first). */
const needsGrants = (actor: Actor, contact: ContactMeta) =>
  contact.visibility !== 'public' && stateOf(actor) !== null && stateOf(actor) !== contact.state;

type SealedColumn = 'name' | 'title' | 'rank' | 'organization' | 'email' | 'phone' | 'languages' | 'timezone' | 'availability' | 'public_key' | 'notes';

const REQUIRED_COLUMNS = {
  name: 'name',
  title: 'title',
  rank: 'rank',
  organization: 'organization',
  email: 'email',
  phone: 'phone',
  languages: 'languages',
  timezone: 'timezone',
  availability: 'availability',
} as const satisfies Partial<Record<keyof ContactFields, SealedColumn>>;
const OPTIONAL_COLUMNS = { publicKey: 'public_key', notes: 'notes' } as const satisfies Partial<Record<keyof ContactFields, SealedColumn>>;

interface Plain {
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
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

interface Deps {
  db: Db;
  clock: Clock;
  keys: KeysService;
  ledger: LedgerService;
  states: StatesService;
  disclosure: DisclosureService;
  emailIndexKey: Uint8Array;
  cursors: CursorCodec;
  /** Contacts not re-confirmed by their state for this long are stale. */
  /** The freshness period in force (changed by the members' governance decisions). */
  staleAfterDays: () => number;
}

export function createContactsService({ db, clock, keys, ledger, states, disclosure, emailIndexKey, cursors, staleAfterDays }: Deps) {
  const staleAfterMs = () => staleAfterDays() * 86_400_000;
  const loc = (column: string, rowId: string) => ({ table: 'contacts', column, rowId });
  const emailIndex = (email: string) => blindIndex(emailIndexKey, normalizeEmail(email));

  function sealFields(key: Key, id: string, p: Plain) {
    const s = (column: SealedColumn, value: string) => seal(key, value, loc(column, id));
    const sealed = {} as Record<SealedColumn, Uint8Array | null>;
    for (const [field, column] of Object.entries(REQUIRED_COLUMNS)) {
      const value = p[field as keyof typeof REQUIRED_COLUMNS];
      sealed[column] = s(column, typeof value === 'string' ? value : JSON.stringify(value));
    }
    for (const [field, column] of Object.entries(OPTIONAL_COLUMNS)) {
      const value = p[field as keyof typeof OPTIONAL_COLUMNS];
      sealed[column] = value === null ? null : s(column, value);
    }
    return sealed as Omit<Record<SealedColumn, Uint8Array>, 'public_key' | 'notes'> & { public_key: Uint8Array | null; notes: Uint8Array | null };
  }

  function openFields(row: ContactRowWithKey): Plain {
    const key = keys.unwrap({ id: row.key_id, kek_id: row.kek_id, wrapped_key: row.wrapped_key });
    const o = (column: SealedColumn) => openString(key, row[column]!, loc(column, row.id));
    return {
      name: o('name'),
      title: o('title'),
      rank: o('rank'),
      organization: o('organization'),
      email: o('email'),
      phone: o('phone'),
      languages: JSON.parse(o('languages')) as string[],
      timezone: o('timezone'),
      availability: o('availability'),
      publicKey: row.public_key ? o('public_key') : null,
      notes: row.notes ? o('notes') : null,
    };
  }

  /**
   * The API view. The secretariat's verification note is shown only to the
   * secretariat and the owning state (`withNote`), never to other readers.
   */
  function view(row: ContactRowWithKey | ContactRow, plain: Plain, withNote = false, key?: Key): ContactView {
    const note = withNote && key && row.verification_note ? openString(key, row.verification_note, loc('verification_note', row.id)) : null;
    return {
      id: row.id,
      state: row.state_code,
      domains: row.domains as Domain[],
      ...plain,
      visibility: row.visibility,
      verification: {
        status: row.verification_status,
        verifiedAt: row.verified_at ? new Date(row.verified_at).toISOString() : null,
        ...(withNote ? { note } : {}),
      },
      confirmedAt: new Date(row.confirmed_at).toISOString(),
      stale: clock().getTime() - new Date(row.confirmed_at).getTime() > staleAfterMs(),
      version: row.version,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  const meta = (row: ContactRow): ContactMeta => ({ state: row.state_code, domains: row.domains, visibility: row.visibility });
  const seesNote = (actor: Actor, row: ContactRow) => permits(actor, 'contacts.read-note', { state: row.state_code });
  const rowKey = (row: ContactRowWithKey) => keys.unwrap({ id: row.key_id, kek_id: row.kek_id, wrapped_key: row.wrapped_key });
  /** The ledger entry of a change to a contact: its state is the party. */
  const event = (actor: Actor, type: LedgerEventType, state: string, contact: string, rest: Pick<LedgerEvent, 'facts' | 'content'> = {}): LedgerEvent => ({
    type,
    actor,
    parties: [state],
    subject: { state, contact },
    ...rest,
  });
  const record = (trx: Trx, actor: Actor, type: LedgerEventType, state: string, contact: string, rest: Pick<LedgerEvent, 'facts' | 'content'> = {}) =>
    ledger.append(trx, event(actor, type, state, contact, rest));

  /** The participation locked, then the active key read (a new snapshot): the fallback of participatingKey(…, { lock: true }). */
  async function lockedKey(trx: Trx, state: string): Promise<Key> {
    if (!(await states.lockParticipating(trx, state))) throw conflict(`${state} is not participating; join first (PUT /v1/states/${state}/participation)`);
    return keys.activeKey(trx, state);
  }

  /**
   * A contact the caller may change, locked: 404 unless the caller may see it
   * (so its existence is not revealed), 403 if it may see but not change it.
   */
  async function editableRow(q: Queryable, actor: Actor, id: string, action: 'contacts.update' | 'contacts.delete' | 'contacts.confirm', lock = true): Promise<ContactRowWithKey> {
    const row = await queries.findById(q, id, lock);
    if (!row) throw notFound('contact');
    const access = needsGrants(actor, meta(row)) ? await disclosure.accessFor(q, actor) : NO_ACCESS;
    if (!canSee(actor, meta(row), access)) throw notFound('contact');
    authorize(actor, action, { state: row.state_code });
    return row;
  }

  /** The state of a contact the caller may change (checked as the change itself would be); for dual control. */
  async function editableState(actor: Actor, id: string, action: 'contacts.update' | 'contacts.delete'): Promise<string> {
    return (await editableRow(db, actor, id, action, false)).state_code;
  }

  function duplicateEmail(err: unknown): never {
    if (pgErrorCode(err) === UNIQUE_VIOLATION) throw conflict('the state already lists a contact with this email address');
    throw err;
  }

  /** The number in E.164, or a 400 that says why it is not valid (read in the state's numbering plan without a country code). */
  function e164(phone: string, state: string): string {
    const r = normalisePhone(phone, state);
    if (r.ok) return r.e164;
    throw new Problem('validation-error', `phone ${r.message}`, { errors: [{ path: 'body.phone', message: r.message }] });
  }

  async function create(
    actor: Actor,
    state: string,
    input: ContactFields & { domains: Domain[]; visibility?: Visibility | undefined },
    within?: (trx: Trx) => Promise<void>,
  ): Promise<{ contact: ContactView; receipt: Receipt }> {
    authorize(actor, 'contacts.create', { state });
    const { domains, visibility = 'confidential', ...fields } = input;
    const plain: Plain = { ...fields, phone: e164(fields.phone, state), publicKey: fields.publicKey ?? null, notes: fields.notes ?? null };
    const build = (key: Key) => {
      const id = randomUUID();
      const now = clock();
      const row: ContactRow = {
        id,
        state_code: state,
        key_id: key.id,
        domains,
        ...sealFields(key, id, plain),
        email_bidx: emailIndex(plain.email),
        version: 1,
        visibility,
        verification_status: 'pending',
        verified_at: null,
        verification_note: null,
        confirmed_at: now,
        created_at: now,
        updated_at: now,
      };
      return { row, event: event(actor, CONTACT_EVENTS.created, state, id, { facts: { domains, visibility }, content: { ...plain, domains } }) };
    };
    if (!within) {
      // Usually ONE statement, its own transaction: the key read without a lock, then the contact and its
      // ledger entry written by a statement that checks the state still participates with that key active.
      const created = await untilGuardHolds(async () => {
        const key = await keys.participatingKey(db, state, { lock: false });
        if (!key) return undefined; // not participating, or no key: the transactional path decides and reports
        const { row, event: e } = build(key);
        return ledger
          .change(db, async (q) => {
            const entry = ledger.fusedEntry(q, e);
            const receipt = entry.receipt(await queries.insertWithEntry(q, row, entry, { state, keyId: key.id }));
            return { contact: view(row, plain, true, key), receipt };
          }, { oneStatement: true })
          .catch(duplicateEmail);
      });
      if (created) return created;
    }
    return ledger.change(db, async (trx) => {
        // Usually one statement locks the participation and reads the key; otherwise lock, then read.
        const key = (await keys.participatingKey(trx, state, { lock: true })) ?? (await lockedKey(trx, state));
        const { row, event: e } = build(key);
        // The contact and its ledger entry in one statement.
        const entry = ledger.fusedEntry(trx, e);
        const receipt = entry.receipt(await queries.insertWithEntry(trx, row, entry));
        await within?.(trx);
        return { contact: view(row, plain, true, key), receipt };
      })
      .catch(duplicateEmail);
  }

  /** The read path's single statement (contact, key and the grants that decide access), built once. */
  const readStatement = queries.readStatement(disclosure.readAccess.grantsSql);

  async function get(actor: Actor, id: string): Promise<ContactView> {
    const viewer = stateOf(actor);
    const row = await queries.findForReader(db, readStatement, id, viewer);
    if (!row) throw notFound('contact');
    const access = viewer !== null && row.grants !== null && needsGrants(actor, meta(row)) ? disclosure.readAccess.access(viewer, row.grants as GrantTuple[]) : NO_ACCESS;
    if (!canSee(actor, meta(row), access)) throw notFound('contact');
    return view(row, openFields(row), seesNote(actor, row), rowKey(row));
  }

  async function list(
    actor: Actor,
    state: string,
    opts: { email?: string | undefined; domain?: Domain | undefined; cursor?: string | undefined; limit: number },
  ): Promise<{ items: ContactView[]; nextCursor: string | null }> {
    // Filter by canSee before paginating, so neither the page nor the cursor
    // says anything about contacts the caller may not see.
    const access = await disclosure.accessFor(db, actor);
    const visible: ContactRowWithKey[] = [];
    let after = opts.cursor ? cursors.decode(`contacts.list:${state}`, opts.cursor, contactCursor) : undefined;
    const batch = opts.limit + 1;
    for (;;) {
      const rows = await queries.listByState(db, {
        state,
        emailIndex: opts.email ? emailIndex(opts.email) : undefined,
        domain: opts.domain,
        after,
        limit: batch,
      });
      visible.push(...rows.filter((r) => canSee(actor, meta(r), access)));
      const last = rows.at(-1);
      if (rows.length < batch || visible.length > opts.limit || !last) break;
      after = { createdAt: new Date(last.created_at), id: last.id };
    }
    const page = visible.slice(0, opts.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => view(r, openFields(r), seesNote(actor, r), rowKey(r))),
      nextCursor: visible.length > opts.limit && last ? cursors.encode(`contacts.list:${state}`, [new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  async function update(actor: Actor, id: string, patch: ContactPatch, ifMatch?: number, within?: (trx: Trx) => Promise<void>): Promise<{ contact: ContactView; receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
        const row = await editableRow(trx, actor, id, 'contacts.update');
        if (ifMatch !== undefined && ifMatch !== row.version) {
          throw new Problem('precondition-failed', `contact is at version ${row.version}, not ${ifMatch}`);
        }
        const { domains, visibility, ...fields } = patch;
        const plain: Plain = { ...openFields(row) };
        for (const [k, v] of Object.entries(fields)) (plain as unknown as Record<string, unknown>)[k] = v ?? null;
        if (fields.phone !== undefined) plain.phone = e164(fields.phone, row.state_code);
        // Re-seal every field under the state's current key, so a row never mixes keys.
        const key = await keys.activeKey(trx, row.state_code);
        const now = clock();
        // A change of content (anything but visibility) returns the contact to pending verification.
        const contentChanged = Object.keys(patch).some((k) => k !== 'visibility');
        const oldNote = row.verification_note ? openString(rowKey(row), row.verification_note, loc('verification_note', id)) : null;
        const values = {
          key_id: key.id,
          domains: domains ?? row.domains,
          visibility: visibility ?? row.visibility,
          ...sealFields(key, id, plain),
          email_bidx: emailIndex(plain.email),
          ...(contentChanged
            ? { verification_status: 'pending' as const, verified_at: null, verification_note: null }
            : { verification_note: oldNote === null ? null : seal(key, oldNote, loc('verification_note', id)) }),
          confirmed_at: now,
          version: row.version + 1,
          updated_at: now,
        };
        await queries.update(trx, id, values);
        const receipt = await record(trx, actor, CONTACT_EVENTS.updated, row.state_code, id, {
          facts: { changed: Object.keys(patch).sort(), version: values.version, visibility: values.visibility },
          content: { ...plain, domains: values.domains },
        });
        await within?.(trx);
        return { contact: view({ ...row, ...values }, plain, true, key), receipt };
      })
      .catch(duplicateEmail);
  }

  async function remove(actor: Actor, id: string, within?: (trx: Trx) => Promise<void>): Promise<{ receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
      const row = await editableRow(trx, actor, id, 'contacts.delete');
      await queries.remove(trx, id);
      const receipt = await record(trx, actor, CONTACT_EVENTS.deleted, row.state_code, id);
      await within?.(trx);
      return { receipt };
    });
  }

  // Withdrawal removes every contact of the state (its key is destroyed in the same transaction).
  states.onWithdraw(async (trx, state) => {
    await queries.removeAllOfState(trx, state);
  });

  /**
   * The directory as the caller may see it (null: the unauthenticated public
   * view), paginated in (state, creation, id) order and grouped by state and
   * domain. A contact serving several domains is listed under each of them.
   */
  async function directory(actor: Actor | null, opts: { cursor?: string | undefined; limit: number }): Promise<{ states: DirectoryState[]; nextCursor: string | null }> {
    const access = actor ? await disclosure.accessFor(db, actor) : NO_ACCESS;
    let scope: string[] | 'all' = [];
    const reach = directoryScope(actor);
    if (reach === 'all') scope = 'all';
    else if (reach === 'own-and-granted' && actor) scope = [stateOf(actor)!, ...(await disclosure.ownersVisibleTo(db, actor, access))];
    const visible: ContactRowWithKey[] = [];
    let after = opts.cursor ? cursors.decode('directory', opts.cursor, directoryCursor) : undefined;
    const batch = opts.limit + 1;
    for (;;) {
      const rows = await queries.listDirectory(db, { states: scope, includePublic: true, after, limit: batch });
      visible.push(...rows.filter((r) => canSee(actor, meta(r), access)));
      const last = rows.at(-1);
      if (rows.length < batch || visible.length > opts.limit || !last) break;
      after = { state: last.state_code, createdAt: new Date(last.created_at), id: last.id };
    }
    const page = visible.slice(0, opts.limit);
    const last = page.at(-1);
    const byState = new Map<string, DirectoryState>();
    for (const row of page) {
      let entry = byState.get(row.state_code);
      if (!entry) byState.set(row.state_code, (entry = { state: row.state_code, domains: {} }));
      const contact = view(row, openFields(row), actor !== null && seesNote(actor, row), rowKey(row));
      for (const d of row.domains as Domain[]) (entry.domains[d] ??= []).push(contact);
    }
    return {
      states: [...byState.values()],
      nextCursor: visible.length > opts.limit && last ? cursors.encode('directory', [last.state_code, new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  /** Key rotation: re-seals up to `limit` of the state's contacts under `to` (content, version and timestamps unchanged). */
  async function reencrypt(trx: Trx, state: string, to: Key, limit: number): Promise<number> {
    const rows = await queries.listSealedUnderOtherKey(trx, state, to.id, limit);
    for (const row of rows) {
      const note = row.verification_note ? seal(to, openString(rowKey(row), row.verification_note, loc('verification_note', row.id)), loc('verification_note', row.id)) : null;
      await queries.update(trx, row.id, { key_id: to.id, ...sealFields(to, row.id, openFields(row)), verification_note: note });
    }
    return rows.length;
  }

  /** The secretariat verifies (or rejects) a contact; the note is sealed under the state's key. */
  async function verify(actor: Actor, id: string, input: { status: 'verified' | 'rejected'; note?: string | undefined }): Promise<{ contact: ContactView; receipt: Receipt }> {
    authorize(actor, 'contacts.verify');
    return ledger.change(db, async (trx) => {
      const row = await queries.findById(trx, id, true);
      if (!row) throw notFound('contact');
      const key = rowKey(row);
      const now = clock();
      const values = {
        verification_status: input.status,
        verified_at: now,
        verification_note: input.note ? seal(key, input.note, loc('verification_note', id)) : null,
      };
      await queries.update(trx, id, values);
      const receipt = await record(trx, actor, CONTACT_EVENTS.verification, row.state_code, id, {
        facts: { status: input.status, version: row.version },
        ...(input.note ? { content: { note: input.note } } : {}),
      });
      return { contact: view({ ...row, ...values }, openFields(row), true, key), receipt };
    });
  }

  /** The owning state re-confirms a contact as still accurate (freshness). */
  async function confirm(actor: Actor, id: string): Promise<{ contact: ContactView; receipt: Receipt }> {
    return ledger.change(db, async (trx) => {
      const row = await editableRow(trx, actor, id, 'contacts.confirm');
      const now = clock();
      await queries.update(trx, id, { confirmed_at: now });
      const receipt = await record(trx, actor, CONTACT_EVENTS.confirmed, row.state_code, id);
      return { contact: view({ ...row, confirmed_at: now }, openFields(row), true, rowKey(row)), receipt };
    });
  }

  /** Per-state counts of verification status and staleness; no contact data. */
  async function freshness(actor: Actor): Promise<{ state: string; contacts: number; verified: number; pending: number; rejected: number; stale: number }[]> {
    authorize(actor, 'reports.read');
    const staleBefore = new Date(clock().getTime() - staleAfterMs());
    const rows = await db
      .selectFrom('contacts')
      .innerJoin('states', 'states.code', 'contacts.state_code')
      .where('states.status', '=', 'participating')
      .select((eb) => [
        'contacts.state_code as state',
        eb.fn.countAll<number>().as('contacts'),
        eb.fn.count<number>('contacts.id').filterWhere('verification_status', '=', 'verified').as('verified'),
        eb.fn.count<number>('contacts.id').filterWhere('verification_status', '=', 'pending').as('pending'),
        eb.fn.count<number>('contacts.id').filterWhere('verification_status', '=', 'rejected').as('rejected'),
        eb.fn.count<number>('contacts.id').filterWhere('confirmed_at', '<', staleBefore).as('stale'),
      ])
      .groupBy('contacts.state_code')
      .orderBy('contacts.state_code')
      .execute();
    return rows.map((r) => ({ state: r.state, contacts: Number(r.contacts), verified: Number(r.verified), pending: Number(r.pending), rejected: Number(r.rejected), stale: Number(r.stale) }));
  }

  /**
   * The aggregate report's coverage: per domain, how many of the given states
   * (the participating ones) have at least one contact serving it. Counts only:
   * no contact, no state named.
   */
  async function statesPerDomain(actor: Actor, states: readonly string[]): Promise<Record<Domain, number>> {
    authorize(actor, 'reports.read-aggregate');
    const counts = Object.fromEntries(DOMAINS.map((d) => [d, 0])) as Record<Domain, number>;
    if (states.length === 0) return counts;
    const rows = await db.selectFrom('contacts').select(['state_code', 'domains']).where('state_code', 'in', [...states]).execute();
    const seen = new Map<Domain, Set<string>>(DOMAINS.map((d) => [d, new Set<string>()]));
    for (const r of rows) for (const d of r.domains) seen.get(d as Domain)?.add(r.state_code);
    for (const d of DOMAINS) counts[d] = seen.get(d)!.size;
    return counts;
  }

  /** Ids of a state's contacts serving a domain, oldest first (the order requests escalate in). No decryption. */
  async function idsInDomain(q: Queryable, state: string, domain: Domain): Promise<string[]> {
    const rows = await q
      .selectFrom('contacts')
      .select('id')
      .where('state_code', '=', state)
      .where((eb) => eb(eb.val(domain as string), '=', eb.fn.any('domains')))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** A contact's email address, to deliver a notification to it; null when the contact is gone or not of `state`. */
  async function emailOf(contactId: string, state?: string): Promise<string | null> {
    const row = await queries.findById(db, contactId);
    if (!row || (state !== undefined && row.state_code !== state)) return null;
    const key = keys.unwrap({ id: row.key_id, kek_id: row.kek_id, wrapped_key: row.wrapped_key });
    return openString(key, row.email, loc('email', row.id));
  }

  return { create, get, list, update, remove, editableState, directory, reencrypt, idsInDomain, emailOf, verify, confirm, freshness, statesPerDomain };
}

export interface DirectoryState {
  state: string;
  domains: Partial<Record<Domain, ContactView[]>>;
}

const contactCursor = z.tuple([cursorTime, z.uuid()]).transform(([createdAt, id]) => ({ createdAt, id }));
const directoryCursor = z.tuple([z.string().regex(/^[A-Z]{3}$/), cursorTime, z.uuid()]).transform(([state, createdAt, id]) => ({ state, createdAt, id }));

export type ContactsService = ReturnType<typeof createContactsService>;
