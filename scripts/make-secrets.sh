#!/usr/bin/env bash
# Generate the secret files used by docker-compose.yml.
# Usage: scripts/make-secrets.sh [TARGET_DIR]   (default: ./secrets)
# Refuses to overwrite any existing secret file. Files are written with mode 0600
# and without a trailing newline.
#
# Note: compose mounts file secrets as bind mounts that keep host ownership and mode.
# The app container runs as the `node` user (uid 1000), so the files must be readable
# by uid 1000. If you run this as another user, set SECRETS_OWNER=1000:1000 (requires
# root) or adjust ownership yourself.
set -euo pipefail
umask 077

target="${1:-./secrets}"
names=(db_password app_db_password owner_database_url database_url poc_master_key poc_index_key jwt_secret ledger_signing_key export_signing_key metrics_token)

# Refuse before writing anything if any target file already exists.
existing=()
for n in "${names[@]}"; do
  if [[ -e "$target/$n.txt" ]]; then existing+=("$target/$n.txt"); fi
done
if (( ${#existing[@]} > 0 )); then
  echo "make-secrets: refusing to overwrite existing secret file(s):" >&2
  printf '  %s\n' "${existing[@]}" >&2
  exit 1
fi

rand_b64() { # $1 = number of random bytes
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -base64 "$1" | tr -d '\n'
  else
    head -c "$1" /dev/urandom | base64 | tr -d '\n'
  fi
}

rand_hex() { # $1 = number of random bytes (URL-safe, for the DB password)
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex "$1" | tr -d '\n'
  else
    head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'
  fi
}

write_secret() { # $1 = name, $2 = value
  local f="$target/$1.txt"
  # noclobber + umask 077: never overwrite, created as 0600.
  ( set -o noclobber; printf '%s' "$2" > "$f" )
  chmod 0600 "$f"
}

mkdir -p "$target"
chmod 0700 "$target"

db_password="$(rand_hex 24)"
app_db_password="$(rand_hex 24)"
write_secret db_password "$db_password"
write_secret app_db_password "$app_db_password"
# The owner (migrations and grants) and the application's least-privilege role.
write_secret owner_database_url "postgres://poc:${db_password}@db:5432/poc"
write_secret database_url "postgres://poc_app:${app_db_password}@db:5432/poc"
write_secret poc_master_key "$(rand_b64 32)"
write_secret poc_index_key "$(rand_b64 32)"
write_secret ledger_signing_key "$(rand_b64 32)"
write_secret export_signing_key "$(rand_b64 32)"
write_secret jwt_secret "$(rand_b64 48)"
write_secret metrics_token "$(rand_hex 32)"

if [[ -n "${SECRETS_OWNER:-}" ]]; then
  chown "$SECRETS_OWNER" "$target"
  for n in "${names[@]}"; do chown "$SECRETS_OWNER" "$target/$n.txt"; done
fi

echo "make-secrets: wrote ${#names[@]} secret files to $target"
if [[ "$(id -u)" != "1000" && -z "${SECRETS_OWNER:-}" ]]; then
  echo "make-secrets: note: files are owned by uid $(id -u); the app container runs as uid 1000 (node)." >&2
  echo "make-secrets:       re-run with SECRETS_OWNER=1000:1000 or chown them if the app cannot read them." >&2
fi
