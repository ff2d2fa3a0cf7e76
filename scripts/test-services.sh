#!/usr/bin/env bash
# Makes sure the tests have a PostgreSQL that accepts the postgres user without a password and a
# Redis. Uses the machine's own on their standard ports when they answer; otherwise starts
# throwaway ones under .cache/ (fsync off) and writes their URLs to .cache/test-env.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="$ROOT/.cache"
ENV_FILE="$CACHE/test-env"
mkdir -p "$CACHE"
: > "$ENV_FILE"
say() { printf '\033[1m[services]\033[0m %s\n' "$*"; }

pg_ok() { psql "$1" -qtAc 'select 1' >/dev/null 2>&1; }
redis_ok() { redis-cli -u "$1" ping 2>/dev/null | grep -q PONG; }

PG_URL=postgres://postgres@127.0.0.1:5432/postgres
if ! pg_ok "$PG_URL"; then
  # The machine's cluster may just be stopped.
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true; done
  fi
fi
if ! pg_ok "$PG_URL"; then
  BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  D="$CACHE/pg"; PORT=55432
  PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
  if ! pg_ok "$PG_URL"; then
    say "starting a throwaway PostgreSQL on port $PORT"
    RUN=(); [ "$(id -u)" = 0 ] && RUN=(runuser -u postgres --)
    if [ ! -f "$D/PG_VERSION" ]; then
      mkdir -p "$D"; [ "$(id -u)" = 0 ] && chown postgres "$D"
      "${RUN[@]}" "$BIN/initdb" -D "$D" -U postgres --auth=trust >/dev/null
    fi
    "${RUN[@]}" "$BIN/pg_ctl" -D "$D" -w -l "$D/log" -o "-p $PORT -k $D -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  fi
  echo "export TEST_DATABASE_URL=$PG_URL" >> "$ENV_FILE"
fi

REDIS_URL=redis://127.0.0.1:6379
if ! redis_ok "$REDIS_URL"; then
  REDIS_URL=redis://127.0.0.1:56379
  if ! redis_ok "$REDIS_URL"; then
    say "starting a throwaway Redis on port 56379"
    mkdir -p "$CACHE/redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 56379 --save '' --appendonly no --dir "$CACHE/redis" --logfile "$CACHE/redis/log" >/dev/null
    for _ in $(seq 50); do redis_ok "$REDIS_URL" && break; sleep 0.1; done
  fi
  echo "export TEST_REDIS_URL=$REDIS_URL" >> "$ENV_FILE"
fi
say "PostgreSQL $PG_URL, Redis $REDIS_URL"
