#!/usr/bin/env bash
# Throughput under load (docs/performance.md, "Throughput"): tier M on PostgreSQL served by
# `make serve`, wrk with CONNECTIONS connections for DURATION seconds against each target in
# turn (bench/load_targets.py), then the table of req/s, p50 and p99. Needs PostgreSQL, wrk
# (apt-get install -y wrk) and the venv (make venv).
#
#   bash bench/load.sh           # the throughput table
#   bash bench/load.sh stream    # a CSV download slower than gunicorn's timeout completes
#
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dashboards_bench_m, created and
# filled with tier M when missing or empty), PORT (8000), CONNECTIONS (32), DURATION (30),
# WARMUP (5 seconds per target), SERVE_DIR (the checkout whose `make serve` runs: another
# checkout of the project measures its code on the same database, e.g. before and after),
# ONLY (run the targets whose name contains this).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dashboards_bench_m}
PORT=${PORT:-8000}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
SERVE_DIR=${SERVE_DIR:-.}
OUT=${OUT:-bench/data/load}
BASE=http://127.0.0.1:$PORT
mkdir -p "$OUT"
# One key for the sessions made here and the server that reads them.
export SECRET_KEY=${SECRET_KEY:-load-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}

database() {
  local name=${URL##*/} server=${URL%/*}
  psql "$server/postgres" -tc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 \
    || psql "$server/postgres" -c "CREATE DATABASE \"$name\""
  DATABASE_URL=$URL DEBUG=true $PY bench/load_targets.py "$OUT" > "$OUT/targets.tsv"
}

source bench/serve.sh
serve() {  # `make serve` of SERVE_DIR on PORT; $@: extra environment
  start_server "$OUT/serve.log" "$@" DATABASE_URL="$URL"
}

throughput() {
  database
  serve
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $CONNECTIONS connections, ${DURATION} s a target"
  printf '| %-40s | %8s | %8s | %8s | %s |\n' target "req/s" "p50 ms" "p99 ms" "non-2xx"
  printf '|%s|--:|--:|--:|--:|\n' "------------------------------------------"
  while IFS=$'\t' read -r name file; do
    [[ "$name" == *"${ONLY:-}"* ]] || continue
    TARGETS=$file wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/load.lua "$BASE" > /dev/null
    TARGETS=$file wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/load.lua "$BASE" \
      > "$OUT/wrk.txt"
    rate=$(sed -n 's/.*: \([0-9.]*\) req\/s/\1/p' "$OUT/wrk.txt")
    p50=$(sed -n 's/.*p50 \([0-9.]*\).*/\1/p' "$OUT/wrk.txt")
    p99=$(sed -n 's/.*p99 \([0-9.]*\).*/\1/p' "$OUT/wrk.txt")
    bad=$(awk '/^status / && $2 !~ /^2/ {n += $3} END {print n + 0}' "$OUT/wrk.txt")
    bad=$((bad + $(sed -n 's/^socket errors: connect \([0-9]*\) read \([0-9]*\) write \([0-9]*\) timeout \([0-9]*\)/\1+\2+\3+\4/p' "$OUT/wrk.txt")))
    printf '| %-40s | %8.0f | %8.1f | %8.1f | %s |\n' "$name" "$rate" "$p50" "$p99" "$bad"
  done < "$OUT/targets.tsv"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The org members CSV of the big org read slowly enough to take about ten times TIMEOUT seconds
# through a server whose gunicorn timeout is TIMEOUT: it must arrive whole. (The kernel's socket
# buffers take several MB on loopback, so the server is held up for a fraction of that time:
# still several times the timeout.)
stream() {
  local timeout=${TIMEOUT:-2}
  database
  serve GUNICORN_CMD_ARGS="--timeout $timeout"
  local cookie
  cookie=$(sed -n 's/^Cookie: //p' "$(awk -F'\t' '/org members page/ {print $2}' "$OUT/targets.tsv")")
  local size
  size=$(curl -fsS -H "Cookie: $cookie" "$BASE/orgs/1/members.csv" | wc -c) \
    || { echo "the download at full speed failed (gunicorn timeout ${timeout} s)"; return 1; }
  local rate=$((size / (10 * timeout)))
  local start=$SECONDS
  curl -fsS --limit-rate "$rate" -H "Cookie: $cookie" "$BASE/orgs/1/members.csv" -o "$OUT/stream.csv" \
    || { echo "the download failed after $((SECONDS - start)) s (gunicorn timeout ${timeout} s)"; return 1; }
  local got
  got=$(wc -c < "$OUT/stream.csv")
  echo "$(($(wc -l < "$OUT/stream.csv") - 1)) rows, $got of $size bytes in $((SECONDS - start)) s through a gunicorn timeout of ${timeout} s"
  [ "$got" -eq "$size" ]
}

case "${1:-throughput}" in
  throughput) throughput ;;
  stream) stream ;;
  *) echo "usage: bash bench/load.sh [throughput|stream]" >&2; exit 2 ;;
esac
