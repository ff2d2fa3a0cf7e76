#!/usr/bin/env bash
# Puts Debian's mediasoup-worker 3.8.4 (experimental suite) at .cache/mediasoup/mediasoup-worker
# without touching the system's apt sources, and installs the libraries it links against.
# The npm package mediasoup is pinned to 3.8.4 to speak this worker's protocol (SETUP-NOTES).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/.cache/mediasoup"
BIN="$DIR/mediasoup-worker"
say() { printf '\033[1m[mediasoup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

libs=(libsrtp2-1 libusrsctp2 libuv1)
missing=()
for p in "${libs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -x "$BIN" ] && ! ldd "$BIN" | grep -q 'not found'; then exit 0; fi

say "fetching mediasoup-worker 3.8.4 from Debian experimental"
mkdir -p "$DIR/lists/partial" "$DIR/archives/partial"
cat > "$DIR/exp.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: experimental
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
APT=(-o "Dir::Etc::SourceList=$DIR/exp.sources" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$DIR/lists"
     -o "Dir::Cache::Archives=$DIR/archives" -o Debug::NoLocking=1 -qq)
apt-get "${APT[@]}" update
(cd "$DIR" && rm -f mediasoup-worker_*.deb && apt-get "${APT[@]}" download mediasoup-worker 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
rm -rf "$DIR/root"
dpkg -x "$DIR"/mediasoup-worker_*.deb "$DIR/root"
found=$(find "$DIR/root" -type f -name mediasoup-worker | head -n1)
[ -n "$found" ] || { say "the package held no mediasoup-worker binary"; exit 1; }
cp "$found" "$BIN"
chmod +x "$BIN"
if ldd "$BIN" | grep -q 'not found'; then say "the worker is missing libraries:"; ldd "$BIN" | grep 'not found'; exit 1; fi
say "worker at $BIN"
