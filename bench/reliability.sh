#!/usr/bin/env bash
# Load run and outage drill of docs/reliability.md. Needs: PostgreSQL 15 with pg_createcluster
# (Debian's postgresql-common), wrk (apt-get install wrk), the venv (make venv).
#
#   bash bench/reliability.sh load    # tier M in dashboards_reliability on :5432; wrk 32×60 s
#   bash bench/reliability.sh drill   # a throwaway cluster on :5433; stopped 30 s mid-run
#
# The drill never touches the server on :5432: it creates cluster "15 drill", loads tier M
# into it, serves from it, stops and starts it, and drops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=${OUT:-bench/data/reliability}
DATASET=${DATASET:-bench/data/tierM.json.gz}
PORT=${PORT:-8000}
BASE=http://127.0.0.1:$PORT
mkdir -p "$OUT"

dataset() {
  test -f "$DATASET" || $PY bench/make_dataset.py --users 100000 --members 1000000 "$DATASET"
}

load_database() {  # $1: DATABASE_URL of an empty or loaded database
  DATABASE_URL=$1 DEBUG=true $PY manage.py migrate --noinput -v0
  if [ "$(DATABASE_URL=$1 DEBUG=true $PY manage.py shell --no-imports -c 'from dashboards.models import User; print(User.objects.count())')" -lt 100000 ]; then
    DATABASE_URL=$1 DEBUG=true $PY manage.py load_dataset --no-progress "$DATASET"
  fi
}

targets() {  # $1: DATABASE_URL → $OUT/targets.json and $OUT/targets.txt (for wrk)
  DATABASE_URL=$1 DEBUG=true $PY bench/reliability_targets.py > "$OUT/targets.json"
  $PY - "$OUT/targets.json" > "$OUT/targets.txt" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
print("\n".join(f"{k}: {v}" for k, v in t["headers"].items()) + "\n\n" + "\n".join(t["paths"]))
PY
}

source bench/serve.sh
serve() {  # $1: DATABASE_URL, $2: log name; gunicorn through `make serve` on $PORT
  start_server "$OUT/serve-$2.log" DATABASE_URL="$1"
}

case "${1:-}" in
  load)
    URL=postgres://postgres@127.0.0.1:5432/dashboards_reliability
    psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='dashboards_reliability'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE dashboards_reliability"
    dataset; load_database "$URL"; targets "$URL"
    serve "$URL" load
    # Warm up (each worker's first requests), then the measured minute.
    TARGETS="$OUT/targets.txt" wrk -t4 -c32 -d5s -s bench/load.lua "$BASE" > /dev/null
    TARGETS="$OUT/targets.txt" wrk -t8 -c32 -d60s --timeout 10s -s bench/load.lua \
      "$BASE" | tee "$OUT/load.txt"
    echo "worker boots: $(grep -c 'Booting worker' "$OUT/serve-load.log")"
    ;;
  drill)
    pg_lsclusters | grep -q '^15 *drill ' || pg_createcluster 15 drill --port 5433 --start -- --auth-local=trust --auth-host=trust
    pg_ctlcluster 15 drill start 2>/dev/null || true
    URL=postgres://postgres@127.0.0.1:5433/dashboards_drill
    psql -h 127.0.0.1 -p 5433 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='dashboards_drill'" | grep -q 1 \
      || psql -h 127.0.0.1 -p 5433 -U postgres -c "CREATE DATABASE dashboards_drill"
    dataset; load_database "$URL"; targets "$URL"
    serve "$URL" drill
    $PY bench/outage_drill.py --base "$BASE" --targets "$OUT/targets.json" --cluster "15 drill" \
      --clients 32 --duration 60 --outage-at 15 --outage-for 30 --out "$OUT/drill.json"
    echo "worker boots: $(grep -c 'Booting worker' "$OUT/serve-drill.log")"
    stop_server
    pg_dropcluster 15 drill --stop
    ;;
  *) echo "usage: bash bench/reliability.sh load|drill" >&2; exit 2 ;;
esac
