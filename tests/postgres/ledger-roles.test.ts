/**
 * The application's database role (not a superuser, not the owner) cannot
 * change or remove ledger rows, nor switch off the triggers that protect
 * them; the privileges the ledger needs are enough to run it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { openDatabase, pgErrorCode, type DatabaseHandle } from '../../src/db/index.ts';
import { parseVerifierKey } from '../../src/ledger/note.ts';
import { createLedgerService, ledgerSettings } from '../../src/ledger/service.ts';
import { DatabaseSource } from '../../src/ledger/verify-sources.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { startHarness, type Harness } from '../harness.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

const LEDGER_TABLES = ['ledger_entries', 'ledger_tree_nodes', 'ledger_checkpoints', 'ledger_cosignatures'];
const role = `poc_app_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
let h: Harness;
let app: pg.Client;
let appDb: DatabaseHandle;
const system: Actor = { role: 'secretariat', sub: 'role-test', state: null };

beforeAll(async () => {
  h = await startHarness();
  const db = (await h.sql<{ db: string }>('select current_database() as db'))[0]!.db;
  await h.sql(`create role ${role} login`);
  // What the ledger needs, and no more: read and append; the tree state row is updated in place.
  await h.sql(`grant connect on database ${db} to ${role}`);
  await h.sql(`grant usage on schema public to ${role}`);
  await h.sql(`grant select, insert on ${LEDGER_TABLES.join(', ')} to ${role}`);
  await h.sql(`grant select, update on ledger_state to ${role}`);
  // The queue of entries waiting for their index (migration 0018): queued by changes, deleted once integrated.
  await h.sql(`grant select, insert, delete on ledger_queue to ${role}`);
  await h.sql(`grant usage on sequence ledger_queue_id_seq to ${role}`);
  // What the log knows of its witnesses (migration 0014) is status, updated in place.
  await h.sql(`grant select, insert, update on ledger_witness_state to ${role}`);
  const url = new URL(h.url!);
  url.username = role;
  app = new pg.Client({ connectionString: url.toString() });
  await app.connect();
  appDb = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 2 });
});
afterAll(async () => {
  await app?.end();
  await appDb?.close();
  if (h) {
    await h.sql(`drop owned by ${role}`);
    await h.sql(`drop role if exists ${role}`);
    await h.close();
  }
});

/** The SQLSTATE a statement fails with as the application role. */
async function refusal(sql: string): Promise<string | undefined> {
  try {
    await app.query(sql);
    return undefined;
  } catch (err) {
    return pgErrorCode(err);
  }
}

describe('the application role', () => {
  it('is not a superuser and does not own the ledger tables', async () => {
    const { rows } = await app.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    expect(rows[0]!.rolsuper).toBe(false);
    const owners = await h.sql<{ tableowner: string }>(`select tableowner from pg_tables where tablename = any($1)`, [[...LEDGER_TABLES, 'ledger_state']]);
    expect(owners.map((o) => o.tableowner)).not.toContain(role);
  });

  it('runs the ledger with these privileges: appends, signs a checkpoint, and the result verifies', async () => {
    const ledger = createLedgerService({ clock: () => new Date(), commitmentKey: new Uint8Array(32), ...ledgerSettings({ ledgerSigningSeed: new Uint8Array(32).fill(5) }) });
    for (let i = 0; i < 3; i++) await ledger.change(appDb.db, (trx) => ledger.append(trx, { type: 'test.role' as LedgerEventType, actor: system, parties: ['FRA'], subject: {} }));
    const { checkpoint } = await ledger.checkpoints.sign(appDb.db, 'now');
    expect(checkpoint!.treeSize).toBe(3);
    const report = await verifyLedger(new DatabaseSource(appDb), { key: parseVerifierKey(ledger.checkpoints.verifierKeyString), mode: 'full' });
    expect(report).toMatchObject({ ok: true, treeSize: 3 });
  });

  it('cannot update, delete or truncate ledger rows (no such privilege)', async () => {
    for (const table of LEDGER_TABLES) {
      const column = { ledger_entries: 'type', ledger_tree_nodes: 'hash', ledger_checkpoints: 'note', ledger_cosignatures: 'line' }[table];
      expect({ table, update: await refusal(`update ${table} set ${column} = ${column}`) }).toEqual({ table, update: '42501' });
      expect({ table, delete: await refusal(`delete from ${table}`) }).toEqual({ table, delete: '42501' });
      expect({ table, truncate: await refusal(`truncate ${table}`) }).toEqual({ table, truncate: '42501' });
    }
    expect(await refusal('delete from ledger_state')).toBe('42501');
    expect(await refusal('truncate ledger_state')).toBe('42501');
    expect(await refusal('update ledger_state set size = 0')).toBe('P0001'); // it may update the row, but the tree never shrinks
  });

  it('cannot drop or rewrite a queued entry before it is integrated (the queue trigger)', async () => {
    await h.sql(`insert into ledger_queue (body, created_at) values ('{}', now())`);
    try {
      expect(await refusal('delete from ledger_queue')).toBe('P0001');
      expect(await refusal(`update ledger_queue set body = '{"forged":true}'`)).toBe('42501');
      expect(await refusal('truncate ledger_queue')).toBe('42501');
      expect((await app.query('select count(*)::int as n from ledger_queue')).rows[0].n).toBe(1);
    } finally {
      await h.sql(`alter table ledger_queue disable trigger ledger_queue_guard`);
      await h.sql(`delete from ledger_queue`);
      await h.sql(`alter table ledger_queue enable trigger ledger_queue_guard`);
    }
  });

  it('cannot switch the protections off', async () => {
    expect(await refusal('alter table ledger_entries disable trigger ledger_entries_append_only')).toBe('42501'); // must be owner
    expect(await refusal('alter table ledger_entries disable trigger all')).toBe('42501');
    expect(await refusal('set session_replication_role = replica')).toBe('42501'); // superuser only
    // Granting itself more only earns a warning ("no privileges were granted"): the privilege stays absent.
    await refusal(`grant update, delete, truncate on ledger_entries to ${role}`);
    const { rows } = await app.query<{ u: boolean; d: boolean; t: boolean }>(
      `select has_table_privilege('ledger_entries', 'UPDATE') as u, has_table_privilege('ledger_entries', 'DELETE') as d, has_table_privilege('ledger_entries', 'TRUNCATE') as t`,
    );
    expect(rows[0]).toEqual({ u: false, d: false, t: false });
  });

  it('is still refused by the triggers if it were wrongly granted UPDATE, DELETE and TRUNCATE', async () => {
    await h.sql(`grant update, delete, truncate on ${LEDGER_TABLES.join(', ')}, ledger_state to ${role}`);
    try {
      expect(await refusal(`update ledger_entries set type = 'forged'`)).toBe('P0001');
      expect(await refusal('delete from ledger_entries')).toBe('P0001');
      expect(await refusal('truncate ledger_entries')).toBe('P0001');
      expect(await refusal('delete from ledger_tree_nodes')).toBe('P0001');
      expect(await refusal('update ledger_checkpoints set note = null')).toBe('P0001');
      expect(await refusal('delete from ledger_state')).toBe('P0001');
      expect(await refusal('truncate ledger_state')).toBe('P0001');
    } finally {
      await h.sql(`revoke update, delete, truncate on ${LEDGER_TABLES.join(', ')}, ledger_state from ${role}`);
      await h.sql(`grant update on ledger_state to ${role}`);
    }
  });

  it('PUBLIC holds no UPDATE, DELETE or TRUNCATE privilege on ledger tables (the migration revokes them)', async () => {
    const grants = await h.sql<{ table_name: string; privilege_type: string }>(
      `select table_name, privilege_type from information_schema.role_table_grants where grantee = 'PUBLIC' and table_name = any($1)`,
      [LEDGER_TABLES],
    );
    expect(grants.filter((g) => ['UPDATE', 'DELETE', 'TRUNCATE'].includes(g.privilege_type))).toEqual([]);
  });
});
