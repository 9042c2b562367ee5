#!/usr/bin/env bash
# The crisis scenario against a running service (npm start): a thin wrapper
# around scripts/crisis-demo.ts, which runs it through the typed client (src/client).
# Usage: scripts/crisis-demo.sh [base-url]   (default $BASE or http://localhost:3000)
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx tsx scripts/crisis-demo.ts "$@"
