#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 15 server on 127.0.0.1 (Debian's packages), exported as
# ATIENDE_TEST_PG_DSN, and stops it afterwards. Without PostgreSQL binaries the command runs alone.
set -uo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then exec "$@"; fi
DIR=$(mktemp -d /tmp/atiende-pg.XXXXXX)
PORT=${ATIENDE_TEST_PG_PORT:-$((50000 + RANDOM % 10000))}
chown postgres:postgres "$DIR" 2>/dev/null || true
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$DIR"; }
trap cleanup EXIT
as_postgres "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
as_postgres psql -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE atiende_test" >/dev/null
export ATIENDE_TEST_PG_DSN="host=127.0.0.1 port=$PORT dbname=atiende_test user=postgres"
"$@"
