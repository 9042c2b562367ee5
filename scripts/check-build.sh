#!/usr/bin/env bash
# Builds the production code (npm run build -> dist/) and checks that the compiled
# server starts with `node dist/src/main.js` (what the Docker image runs), applies
# its migrations, answers /healthz and /readyz, and that the compiled CLIs answer
# --help. Uses a throw-away data directory and keys, a loopback port, and stops
# the server it started.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin="${NODE_BIN:-node}"

npm run build >/dev/null
tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port="$("$node_bin" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
key() { "$node_bin" -e "console.log(require('crypto').randomBytes(32).toString('base64'))"; }

NODE_ENV=production HOST=127.0.0.1 PORT="$port" DATA_DIR="$tmp" LOG_LEVEL=warn \
  POC_MASTER_KEY="$(key)" POC_INDEX_KEY="$(key)" LEDGER_SIGNING_KEY="$(key)" EXPORT_SIGNING_KEY="$(key)" JWT_SECRET="$(key)$(key)" \
  "$node_bin" dist/src/main.js >"$tmp/server.log" 2>&1 &
pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "check-build: FAIL - the compiled server exited" >&2; cat "$tmp/server.log" >&2; exit 1; fi
  sleep 0.5
done
health="$(curl -fsS "http://127.0.0.1:$port/healthz")"
ready="$(curl -fsS "http://127.0.0.1:$port/readyz")"
if [[ "$health" != '{"status":"ok"}' || "$ready" != '{"status":"ready"}' ]]; then
  echo "check-build: FAIL - /healthz: $health, /readyz: $ready" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi

for cli in token keys migrate openapi ledger-verify; do
  "$node_bin" "dist/src/cli/$cli.js" --help >/dev/null
done
echo "check-build: OK - node dist/src/main.js ($("$node_bin" --version)) is healthy and ready; compiled CLIs answer --help"
