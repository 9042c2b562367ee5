-- Least-privilege grants for the application's database role, applied by the
-- owner after every migration (docker-compose.yml runs it in the one-shot
-- `grants` service; elsewhere: psql -v app_role=poc_app -f scripts/db/app-grants.sql).
-- The role must exist, must not be a superuser, and must not own the tables.
-- tests/postgres/app-role.test.ts runs the service as such a role.

GRANT USAGE ON SCHEMA public TO :"app_role";

-- Domain tables: read and write rows; no DDL, no TRUNCATE, no REFERENCES, no TRIGGER.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

-- The ledger is append-only: read and append entries, tree nodes and checkpoints;
-- the tree state row is updated in place.
REVOKE UPDATE, DELETE ON ledger_entries, ledger_tree_nodes, ledger_checkpoints FROM :"app_role";
REVOKE INSERT, DELETE ON ledger_state FROM :"app_role";

-- Migrations are the owner's: the service only reads which ones were applied (/readyz).
REVOKE INSERT, UPDATE, DELETE ON kysely_migration, kysely_migration_lock FROM :"app_role";
