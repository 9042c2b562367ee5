/**
 * On PostgreSQL every statement Kysely sends is a named prepared statement of
 * its connection (src/db/index.ts preparingPool): parsed and planned once per
 * connection. Checked from the server's own view (pg_prepared_statements of
 * the session), through a pool of one connection so every call lands on it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, PREPARED_MAX_TEXT, type DatabaseHandle } from '../../src/db/index.ts';
import { startHarness, type Harness } from '../harness.ts';

let h: Harness;
let handle: DatabaseHandle;
beforeAll(async () => {
  h = await startHarness();
  handle = await openDatabase({ kind: 'postgres', url: h.url!, poolMax: 1 });
});
afterAll(async () => {
  await handle?.close();
  await h?.close();
});

const preparedTexts = async () =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements where statement not like '%pg_prepared_statements%'`.execute(handle.db)).rows.map((r) => r.statement);

describe('prepared statements', () => {
  it('prepares a statement once per connection and reuses it, whatever its parameters', async () => {
    const query = (code: string) => handle.db.selectFrom('states').select('code').where('code', '=', code).execute();
    for (const code of ['FRA', 'KEN', 'JPN', 'FRA', 'BRA', 'KEN', 'DEU', 'FRA']) await query(code); // past the five custom plans
    const texts = (await preparedTexts()).filter((t) => t.includes('from "states"'));
    expect(texts).toEqual(['select "code" from "states" where "code" = $1']);
  });

  it('answers the same as unprepared SQL after PostgreSQL switches to a generic plan', async () => {
    await h.sql(`insert into states (code, name, status, joined_at) values ('ZZA', 'Test A', 'participating', now()) on conflict do nothing`).catch(() => undefined);
    const byStatus = (status: 'participating' | 'withdrawn') => handle.db.selectFrom('states').select('code').where('status', '=', status).orderBy('code').execute();
    for (let i = 0; i < 8; i++) {
      for (const status of ['participating', 'withdrawn'] as const) {
        const expected = await h.sql<{ code: string }>(`select code from states where status = '${status}' order by code`);
        expect(await byStatus(status)).toEqual(expected);
      }
    }
  });

  it('leaves statements longer than PREPARED_MAX_TEXT unprepared', async () => {
    const long = `select 1 as x /* ${'x'.repeat(PREPARED_MAX_TEXT)} */ where $1::int = 1`;
    for (let i = 0; i < 3; i++) expect((await sql.raw<{ x: number }>(long.replace('$1::int', '1')).execute(handle.db)).rows).toEqual([{ x: 1 }]);
    expect((await preparedTexts()).some((t) => t.includes('x'.repeat(100)))).toBe(false);
  });

  it('a new connection (after the old one is gone) prepares again instead of failing', async () => {
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)).rows[0]!.pid;
    await h.sql(`select pg_terminate_backend(${pid})`);
    // A call on the dying connection fails (when the termination reaches it is up to the server); the pool then connects anew.
    let after = pid;
    for (let i = 0; after === pid && i < 50; i++) {
      after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db).then((r) => r.rows[0]!.pid, () => pid);
      if (after === pid) await new Promise((r) => setTimeout(r, 20));
    }
    expect(after).not.toBe(pid);
    expect(await handle.db.selectFrom('states').select('code').where('code', '=', 'FRA').execute()).toBeInstanceOf(Array);
    expect((await preparedTexts()).filter((t) => t.includes('from "states"'))).toEqual(['select "code" from "states" where "code" = $1']);
  });
});
