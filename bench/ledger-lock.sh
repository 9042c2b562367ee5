#!/usr/bin/env bash
# The ledger's append pattern in plain SQL, without the service: lock the
# frontier row, insert an entry, advance the frontier, commit. Measured with
# pgbench, first with the WAL flush inside the lock (how the service commits
# today), then with the flush after the lock is released (synchronous_commit
# off for the transaction, then a flushing commit before answering). It shows
# the bound the database itself puts on a serialised ledger; compare with
# `npm run bench:ledger`'s "appends, one transaction each".
#   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_CLIENTS (8), BENCH_DURATION (8)
set -euo pipefail
admin="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
db="poc_bench_lock"
url="${admin%/*}/$db"
clients="${BENCH_CLIENTS:-8}"
duration="${BENCH_DURATION:-8}"
dir="$(mktemp -d)"
trap 'psql "$admin" -qc "drop database if exists $db" >/dev/null 2>&1; rm -rf "$dir"' EXIT
psql "$admin" -qc "drop database if exists $db" -c "create database $db" >/dev/null 2>&1
psql "$url" -qc "create table st(id int primary key, size bigint); insert into st values (1, 0); create table ent(seq bigint primary key, body text);"
cat > "$dir/flush-inside.sql" <<'SQL'
BEGIN;
select size from st where id = 1 for update;
insert into ent select size, repeat('x', 300) from st where id = 1;
update st set size = size + 1 where id = 1;
COMMIT;
SQL
cat > "$dir/flush-after.sql" <<'SQL'
BEGIN;
select size, set_config('synchronous_commit', 'off', true) from st where id = 1 for update;
insert into ent select size, repeat('x', 300) from st where id = 1;
update st set size = size + 1 where id = 1;
COMMIT;
select pg_current_xact_id();
SQL
for mode in flush-inside flush-after; do
  tps="$(pgbench "$url" -n -c "$clients" -j 2 -T "$duration" -f "$dir/$mode.sql" 2>/dev/null | awk '/^tps/ {print $3}')"
  printf '%-13s %8.0f appends/s (%s clients, %s s)\n' "$mode" "$tps" "$clients" "$duration"
done
