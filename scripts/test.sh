#!/usr/bin/env bash
# Every test: lint, types, unit and integration tests on both databases, then the browser tests
# against the built pages. Installs what is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --test
# shellcheck disable=SC1091
[ -f .cache/test-env ] && source .cache/test-env
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step lint;       pnpm lint
step types;      pnpm typecheck
step "unit and integration tests"
bash scripts/jest.sh --selectProjects shared server web
step "web build"; pnpm build:web
step "browser tests (Chromium)"
bash scripts/jest.sh --selectProjects e2e --runInBand
