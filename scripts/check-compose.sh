#!/usr/bin/env bash
# Validate docker-compose.yml with whichever compose client is available.
# If no secrets are available (COMPOSE_SECRETS_DIR unset and ./secrets incomplete),
# throwaway secrets are generated into a temp dir and removed afterwards.
# Exits 0 with a SKIP message if no compose client is installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "check-compose: SKIP - no compose client found (neither 'docker compose' nor 'docker-compose')"
  exit 0
fi

names=(db_password app_db_password owner_database_url database_url poc_master_key poc_index_key jwt_secret ledger_signing_key export_signing_key metrics_token)
have_all() { # $1 = dir
  local n
  for n in "${names[@]}"; do [[ -f "$1/$n.txt" ]] || return 1; done
}

tmp=""
cleanup() { if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

if [[ -n "${COMPOSE_SECRETS_DIR:-}" ]]; then
  secrets_dir="$COMPOSE_SECRETS_DIR"
  if ! have_all "$secrets_dir"; then
    echo "check-compose: FAIL - COMPOSE_SECRETS_DIR=$secrets_dir is missing secret files" >&2
    exit 1
  fi
elif have_all ./secrets; then
  secrets_dir=./secrets
else
  tmp="$(mktemp -d)"
  secrets_dir="$tmp/secrets"
  "$root/scripts/make-secrets.sh" "$secrets_dir" >/dev/null 2>&1
  export COMPOSE_SECRETS_DIR="$secrets_dir"
fi

if "${compose[@]}" -f docker-compose.yml config -q; then
  echo "check-compose: OK - docker-compose.yml is valid (${compose[*]}, secrets from $secrets_dir)"
else
  echo "check-compose: FAIL - '${compose[*]} config' rejected docker-compose.yml" >&2
  exit 1
fi
