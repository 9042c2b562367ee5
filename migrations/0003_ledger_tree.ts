import { sql, type Kysely } from 'kysely';
import { initCrypto, toHex } from '../src/crypto/index.ts';
import { CompactRange, type Node } from '../src/ledger/merkle.ts';

// The verifiable ledger (RFC 9162 Merkle tree over ledger_entries):
//
// - ledger_state.frontier: the hashes of the perfect subtrees covering
//   [0, size) (one per set bit of size, largest first, 32 bytes each), updated
//   with size under the same row lock, so an append is O(log n).
// - ledger_tree_nodes: the hash of every complete subtree (level, index) =
//   leaves [index * 2^level, (index + 1) * 2^level), level 0 being the leaf
//   hashes. Written once, when the subtree completes; proofs read O(log n) rows.
//   The tree is self-contained: it does not read ledger_entries, so a rewritten
//   entry cannot rewrite the proofs.
// - ledger_checkpoints: signed C2SP checkpoints (tree size, root, note).
//
// All three append-only tables refuse UPDATE, DELETE and TRUNCATE (triggers,
// and no such privilege for PUBLIC); ledger_state may only grow.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ledger_state add column frontier bytea not null default '\\x'::bytea check (length(frontier) % 32 = 0)`.execute(db);

  await db.schema
    .createTable('ledger_tree_nodes')
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 0 and 63`))
    .addColumn('idx', 'bigint', (c) => c.notNull().check(sql`idx >= 0`))
    .addColumn('hash', 'bytea', (c) => c.notNull().check(sql`length(hash) = 32`))
    .addPrimaryKeyConstraint('ledger_tree_nodes_pk', ['level', 'idx'])
    .execute();

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('tree_size', 'bigint', (c) => c.primaryKey().check(sql`tree_size >= 0`))
    .addColumn('root_hash', 'bytea', (c) => c.notNull().check(sql`length(root_hash) = 32`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  for (const table of ['ledger_tree_nodes', 'ledger_checkpoints']) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
              for each row execute function ledger_refuse_change()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
              for each statement execute function ledger_refuse_change()`.execute(db);
  }
  await sql`revoke update, delete, truncate on ledger_entries, ledger_tree_nodes, ledger_checkpoints from public`.execute(db);

  // The tree state only grows, and is never removed.
  await sql`
    create function ledger_state_only_grows() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'UPDATE' or new.size < old.size or new.id <> old.id then
        raise exception 'the ledger state only grows (% refused)', tg_op using errcode = 'P0001';
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`create trigger ledger_state_grows before update or delete on ledger_state
            for each row execute function ledger_state_only_grows()`.execute(db);
  await sql`create trigger ledger_state_no_truncate before truncate on ledger_state
            for each statement execute function ledger_state_only_grows()`.execute(db);

  await backfill(db);
}

/** Builds the tree over entries appended before this migration, in order, from their stored leaf hashes. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  await initCrypto();
  const range = new CompactRange();
  const BATCH = 5000;
  for (;;) {
    const { rows } = await sql<{ seq: string | number; leaf_hash: Uint8Array }>`
      select seq, leaf_hash from ledger_entries where seq >= ${range.size} order by seq limit ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    const nodes: Node[] = [];
    for (const row of rows) {
      if (Number(row.seq) !== range.size) throw new Error(`ledger_entries is not gap-free: expected seq ${range.size}, found ${row.seq}`);
      nodes.push(...range.append(new Uint8Array(row.leaf_hash)));
    }
    await insertNodes(db, nodes);
  }
  const { rows } = await sql<{ size: string | number }>`select size from ledger_state where id = 1`.execute(db);
  if (Number(rows[0]!.size) !== range.size) throw new Error(`ledger_state.size is ${rows[0]!.size} but ledger_entries holds ${range.size} entries`);
  await sql`update ledger_state set frontier = ${range.toBytes()} where id = 1`.execute(db);
}

async function insertNodes(db: Kysely<unknown>, nodes: Node[]): Promise<void> {
  for (let at = 0; at < nodes.length; at += 10_000) {
    const chunk = nodes.slice(at, at + 10_000);
    await sql`insert into ledger_tree_nodes (level, idx, hash)
              select l, i, decode(h, 'hex')
              from unnest(${chunk.map((n) => n.level)}::smallint[], ${chunk.map((n) => n.index)}::bigint[], ${chunk.map((n) => toHex(n.hash))}::text[]) as t(l, i, h)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists ledger_state_no_truncate on ledger_state`.execute(db);
  await sql`drop trigger if exists ledger_state_grows on ledger_state`.execute(db);
  await sql`drop function if exists ledger_state_only_grows()`.execute(db);
  await db.schema.dropTable('ledger_checkpoints').execute();
  await db.schema.dropTable('ledger_tree_nodes').execute();
  await sql`alter table ledger_state drop column frontier`.execute(db);
}
