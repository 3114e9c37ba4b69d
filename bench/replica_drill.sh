#!/usr/bin/env bash
# Replica drill of docs/reliability.md ("A real replica"): a throwaway PostgreSQL 15 primary
# (:55432) and a streaming hot standby (:55433, `pg_basebackup -R`), the app served on both
# (DATABASE_URL = primary, DATABASE_REPLICA_URL = standby), then bench/replica_drill.py.
#
#   bash bench/replica_drill.sh        # or: make replica-drill; about 2 minutes
#
# Needs the PostgreSQL 15 server binaries (PGBIN), the venv (make venv), and root (the servers
# run as the postgres user) or to be run as postgres. Everything lives in one temporary
# directory, removed at the end with both servers and the app, whatever happens; the server on
# :5432 is never touched. Bounded: the measurement has a 5-minute timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=${PRIMARY_PORT:-55432}
STANDBY_PORT=${STANDBY_PORT:-55433}
PORT=${PORT:-8055}
WORKERS=${WORKERS:-3}
USERS=${USERS:-400}
OUT=${OUT:-bench/data/replica}
BASE=http://127.0.0.1:$PORT
PRIMARY=postgres://postgres@127.0.0.1:$PRIMARY_PORT/dashboards_replica
STANDBY=postgres://postgres@127.0.0.1:$STANDBY_PORT/dashboards_replica
mkdir -p "$OUT"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

DIR=$(mktemp -d /tmp/replica-drill.XXXXXX)
chmod 755 "$DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill -TERM -- "-$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  for node in standby primary; do
    [ -f "$DIR/$node/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$DIR/$node" stop -m immediate >/dev/null 2>&1 || true
  done
  rm -rf "$DIR"
}
trap cleanup EXIT

pg_start() {  # $1: node, $2: port
  as_postgres "$PGBIN/pg_ctl" -D "$DIR/$1" -l "$DIR/$1.log" -w -t 60 start \
    -o "-p $2 -k $DIR -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "== primary on :$PRIMARY_PORT, in $DIR"
as_postgres "$PGBIN/initdb" -D "$DIR/primary" -U postgres -A trust --no-sync >/dev/null
pg_start primary "$PRIMARY_PORT"
psql_primary() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres "$@"; }
psql_primary -d postgres -c "CREATE DATABASE dashboards_replica"
psql_primary -d dashboards_replica -c "CREATE EXTENSION pg_stat_statements"

echo "== migrate, seed_demo --users $USERS"
DATABASE_URL=$PRIMARY DEBUG=true $PY manage.py migrate --noinput -v0
DATABASE_URL=$PRIMARY DEBUG=true $PY manage.py seed_demo --users "$USERS" -v0 >/dev/null
DATABASE_URL=$PRIMARY DEBUG=true $PY bench/reliability_targets.py > "$OUT/targets.json"

echo "== hot standby on :$STANDBY_PORT (pg_basebackup -R)"
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/standby" -R -X stream -c fast
pg_start standby "$STANDBY_PORT"
for _ in $(seq 60); do
  [ "$(psql_primary -d postgres -Atc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
  sleep 0.5
done
echo "standby: in recovery = $("$PGBIN/psql" -X -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()'), $(psql_primary -d postgres -Atc "SELECT state, sync_state FROM pg_stat_replication")"

echo "== the app on $BASE ($WORKERS gunicorn workers, as make serve)"
DEBUG=false SECRET_KEY="drill-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
  DATABASE_URL=$PRIMARY $PY manage.py collectstatic --noinput --verbosity 0
DEBUG=false SECRET_KEY="drill-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
  DATABASE_URL=$PRIMARY DATABASE_REPLICA_URL=$STANDBY \
  setsid "$(dirname "$PY")/gunicorn" site_config.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --access-logfile - --graceful-timeout 10 --timeout 60 > "$OUT/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do curl -fs -o /dev/null "$BASE/login/" && break; sleep 0.5; done
curl -fs -o /dev/null "$BASE/login/" || { echo "the app did not start; see $OUT/serve.log" >&2; exit 1; }

echo "== measure"
pg_ctl_standby="$PGBIN/pg_ctl -D $DIR/standby -l $DIR/standby.log -w -t 60"
[ "$(id -u)" = 0 ] && pg_ctl_standby="runuser -u postgres -- $pg_ctl_standby"
DATABASE_URL=$PRIMARY timeout 300 $PY bench/replica_drill.py --base "$BASE" --targets "$OUT/targets.json" \
  --standby-url "$STANDBY" --workers "$WORKERS" --out "$OUT/replica-drill.json" \
  --stop-standby "$pg_ctl_standby stop -m fast" \
  --start-standby "$pg_ctl_standby start -o '-p $STANDBY_PORT -k $DIR -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements'"
echo "worker boots: $(grep -c 'Booting worker' "$OUT/serve.log") (of $WORKERS: no restart)"
echo "== clean up: the app, both servers, $DIR"
