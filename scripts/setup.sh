#!/usr/bin/env bash
# Installs what a fresh Debian or Ubuntu machine with Node 20 lacks, then the workspace's packages.
# Idempotent and quick once done. Usage: scripts/setup.sh [--test]
#   (always)  pnpm, the mediasoup worker and its libraries, node packages
#   --test    Chromium for browser tests; PostgreSQL and Redis for the tests, started if not running
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CACHE="$ROOT/.cache"
mkdir -p "$CACHE"
WANT_TEST=0
for arg in "$@"; do [ "$arg" = "--test" ] && WANT_TEST=1; done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "needs root for: $*"; return 1; fi
}
APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ $APT_UPDATED = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then say "FarmLive needs Node.js 20.19 or newer (found $(node -v 2>/dev/null || echo none))"; exit 1; fi

# pnpm 10 is the last line that runs on Node 20 (SETUP-NOTES).
PNPM_VERSION=10.34.8
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || as_root npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

# The mediasoup worker comes from Debian (experimental); see scripts/fetch-mediasoup-worker.sh.
if [ -x scripts/fetch-mediasoup-worker.sh ]; then bash scripts/fetch-mediasoup-worker.sh; fi

# A font with Chinese glyphs, for the county brand drawn on images. Without one FarmLive still runs
# and leaves the brand text out (server/src/media/pipeline/brand.ts); set MEDIA_BRAND_FONT_FILE to use another.
apt_install fonts-noto-cjk || say "could not install fonts-noto-cjk: images will get brand frames without text"

if [ $WANT_TEST = 1 ]; then
  apt_install chromium redis-server postgresql fonts-noto-cjk
  bash scripts/test-services.sh
fi

say "installing node packages"
pnpm install --frozen-lockfile --reporter=silent
