/**
 * Migration 0003 on a database that already has ledger entries (appended
 * before the tree existed): it builds the tree over them, and the service
 * carries on from there. It refuses a ledger with a gap.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { initCrypto, toHex } from '../../src/crypto/index.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/index.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { canonicalJson, leafHash, type LedgerEntry } from '../../src/ledger/entry.ts';
import { MemoryTree } from '../../src/ledger/merkle.ts';
import { parseVerifierKey } from '../../src/ledger/note.ts';
import { createLedgerService, ledgerSettings } from '../../src/ledger/service.ts';
import { readFrontier } from '../../src/ledger/tree-store.ts';
import { DatabaseSource } from '../../src/ledger/verify-sources.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { LedgerEventType } from '../../src/ledger/events.ts';

await initCrypto();

const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_[\w-]+\.ts$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) out[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, f)).href)) as Migration;
    return out;
  },
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run on an untyped database
const migrator = (db: Kysely<any>) => new Migrator({ db, provider });

const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
const created: string[] = [];
const handles: DatabaseHandle[] = [];
afterAll(async () => {
  for (const h of handles) await h.close();
  for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

/** A database migrated up to (not including) 0003, holding `seqs` as legacy ledger entries. */
async function legacyLedger(seqs: number[]): Promise<DatabaseHandle> {
  if (created.length === 0) await admin.connect();
  const name = `${inject('postgresTemplateDb')}_bf_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  await admin.query(`create database ${name}`);
  created.push(name);
  const u = new URL(inject('postgresAdminUrl'));
  u.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: u.toString(), poolMax: 2 });
  handles.push(handle);
  const before = Object.keys(await provider.getMigrations()).filter((m) => m < '0003');
  const result = await migrator(handle.db).migrateTo(before.at(-1)!);
  if (result.error) throw result.error;
  const rows = seqs.map((seq) => {
    const entry: LedgerEntry = { v: 1, index: seq, type: 'state.joined', at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), actor: { role: 'delegate', sub: 'legacy', state: 'FRA' }, parties: ['FRA'], subject: { state: 'FRA' } };
    const canonical = canonicalJson(entry);
    return { seq, type: entry.type, parties: entry.parties, canonical, leaf_hash: leafHash(canonical), created_at: new Date() };
  });
  for (let at = 0; at < rows.length; at += 2000) await handle.db.insertInto('ledger_entries').values(rows.slice(at, at + 2000)).execute();
  await sql`update ledger_state set size = ${seqs.length}`.execute(handle.db);
  return handle;
}

describe('migration 0003 on an existing ledger', () => {
  it('builds the tree over the entries already there, and appends carry on from it', async () => {
    const n = 5003; // more than one batch of the backfill
    const handle = await legacyLedger(Array.from({ length: n }, (_, i) => i));
    const result = await migrator(handle.db).migrateToLatest();
    expect(result.error).toBeUndefined();

    const rows = await handle.db.selectFrom('ledger_entries').select('canonical').orderBy('seq').execute();
    const tree = new MemoryTree(rows.map((r) => leafHash(r.canonical)));
    const frontier = await readFrontier(handle.db);
    expect(frontier.size).toBe(n);
    expect(toHex(frontier.root())).toBe(toHex(tree.root()));
    const [{ count }] = (await sql<{ count: number }>`select count(*)::int as count from ledger_tree_nodes`.execute(handle.db)).rows as [{ count: number }];
    let complete = 0;
    for (let width = n; width > 0; width = Math.floor(width / 2)) complete += width;
    expect(count).toBe(complete);

    const system: Actor = { role: 'secretariat', sub: 'after-migration', state: null };
    const ledger = createLedgerService({ clock: () => new Date(), commitmentKey: new Uint8Array(32), ...ledgerSettings({ ledgerSigningSeed: new Uint8Array(32).fill(8) }) });
    const receipt = await ledger.change(handle.db, (trx) => ledger.append(trx, { type: 'test.after' as LedgerEventType, actor: system, parties: [], subject: {} }));
    expect(receipt.index).toBe(n);
    await ledger.checkpoints.sign(handle.db, 'now');
    const report = await verifyLedger(new DatabaseSource(handle), { key: parseVerifierKey(ledger.checkpoints.verifierKeyString), mode: 'full' });
    expect(report).toMatchObject({ ok: true, treeSize: n + 1 });
  });

  it('refuses to build a tree over a ledger with a gap', async () => {
    const handle = await legacyLedger([0, 1, 2, 4]);
    const result = await migrator(handle.db).migrateToLatest();
    expect(result.error).toBeInstanceOf(Error);
    expect((result.error as Error).message).toBe('ledger_entries is not gap-free: expected seq 3, found 4');
    expect(result.results?.find((r) => r.migrationName === '0003_ledger_tree')?.status).toBe('Error');
  });
});
