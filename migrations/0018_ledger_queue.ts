import { sql, type Kysely } from 'kysely';

// Sequencing off the request path (issue 11). A change's transaction no
// longer takes the ledger's row lock: it inserts its entry, without an index,
// into ledger_queue, and commits. The integrator (src/ledger/integrator.ts)
// then takes the lock once per batch, gives the queued entries their indices
// in queue order, writes them to ledger_entries with the tree nodes and the
// new tree state, and deletes them from the queue, in one transaction.
//
// ledger_entries.queue_id says which queued entry became which entry, so a
// caller can exchange its queue id for its index and leaf hash whichever
// instance integrated it. It is unique: an entry cannot be integrated twice.
// A queued entry leaves the queue only as a ledger entry: a trigger refuses
// to delete a queued row that no ledger entry names (and TRUNCATE), so even
// the application's own role cannot drop a committed change's entry before
// it is integrated. Rows are never updated.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_queue (
      id bigserial primary key,
      body text not null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`alter table ledger_entries add column queue_id bigint`.execute(db);
  await sql`create unique index ledger_entries_queue_id_uq on ledger_entries (queue_id) where queue_id is not null`.execute(db);
  await sql`
    create function ledger_queue_leaves_as_entry() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and exists (select 1 from ledger_entries where queue_id = old.id) then
        return old;
      end if;
      raise exception 'a queued ledger entry leaves the queue only as a ledger entry (% refused)', tg_op using errcode = 'P0001';
    end
    $$`.execute(db);
  await sql`create trigger ledger_queue_guard before update or delete on ledger_queue
            for each row execute function ledger_queue_leaves_as_entry()`.execute(db);
  await sql`create trigger ledger_queue_no_truncate before truncate on ledger_queue
            for each statement execute function ledger_queue_leaves_as_entry()`.execute(db);
  await sql`revoke update, truncate on ledger_queue from public`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists ledger_queue_no_truncate on ledger_queue`.execute(db);
  await sql`drop trigger if exists ledger_queue_guard on ledger_queue`.execute(db);
  await sql`drop function if exists ledger_queue_leaves_as_entry()`.execute(db);
  await sql`drop index if exists ledger_entries_queue_id_uq`.execute(db);
  await sql`alter table ledger_entries drop column queue_id`.execute(db);
  await sql`drop table ledger_queue`.execute(db);
}
