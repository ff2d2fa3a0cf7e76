#!/usr/bin/env bash
# Installs what is missing, builds the web pages and starts FarmLive with demo data on embedded
# defaults: PGlite under ./data, one process on one port. Stop with Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
pnpm build:web
export DEMO_DATA="${DEMO_DATA:-1}"
exec pnpm --silent --filter @farmlive/server start
