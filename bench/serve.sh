# Sourced by bench/load.sh and bench/reliability.sh: `make serve` of SERVE_DIR (default: this
# checkout) in the background on PORT, ready once /healthz answers; stopped at exit.

SERVER=""
start_server() {  # $1: log file; the rest: environment for `make serve`
  local log=$1
  shift
  (cd "${SERVE_DIR:-.}" && env "$@" BIND="127.0.0.1:$PORT" setsid make serve) > "$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 240); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    sleep 0.5
  done
  echo "the server did not start; see $log" >&2
  return 1
}

stop_server() {
  if [ -n "$SERVER" ]; then kill -TERM -- "-$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  SERVER=""
}
trap stop_server EXIT
