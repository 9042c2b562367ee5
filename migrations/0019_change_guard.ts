import { sql, type Kysely } from 'kysely';

// A guard a single-statement change evaluates after its writes (issue 11):
// poc_change_guard(false, what) raises SQLSTATE PC001, which aborts the
// statement, and with it every row the statement wrote. A send that read its
// keys without a lock writes its rows and then, in the same statement, locks
// both participations and the keys it used and checks they are unchanged; if
// a rotation or withdrawal came in between, nothing is written and the send
// is retried (src/requests/send.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function poc_change_guard(ok boolean, what text) returns boolean language plpgsql volatile as $$
    begin
      if ok is not true then
        raise exception 'change guard failed: %', what using errcode = 'PC001';
      end if;
      return true;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function poc_change_guard(boolean, text)`.execute(db);
}
