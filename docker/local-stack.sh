#!/usr/bin/env bash
# The production stack of docker/compose.yaml, without containers, on this machine:
# a Prefect server on PostgreSQL, the one-shot job (migrate, import the plan, register the
# deployments on a process work pool), a Prefect worker, and the Duban API.
# Ctrl-C or SIGTERM stops all of them; the exit status is 0 after a clean stop.
#
#   DUBAN_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/duban \
#   PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://postgres@127.0.0.1/prefect \
#   docker/local-stack.sh
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
: "${DUBAN_DATABASE_URL:?set DUBAN_DATABASE_URL to Duban's PostgreSQL database}"
: "${PREFECT_API_DATABASE_CONNECTION_URL:?set it to Prefect's PostgreSQL database (postgresql+asyncpg://…)}"
PREFECT_PORT=${PREFECT_PORT:-4200}
API_PORT=${API_PORT:-8000}
POOL=${WORK_POOL:-duban}
PLAN=${PLAN:-examples/plan-2022.yaml}
export DUBAN_DATABASE_URL PREFECT_API_DATABASE_CONNECTION_URL
export PREFECT_API_URL="http://127.0.0.1:${PREFECT_PORT}/api"
export PREFECT_SERVER_ANALYTICS_ENABLED=false

pids=()
stop() {  # the last started first, each given 30 s: a worker must still reach the server
  trap - TERM INT
  echo "stopping: ${pids[*]:-nothing}"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null && echo "killed $pid: it did not stop within 30 s"
    wait "$pid" 2>/dev/null
  done
  echo "stopped"
  exit "${1:-0}"
}
trap 'stop 0' TERM INT

wait_for() {  # url, what
  for _ in $(seq 120); do
    "$BIN/python" -c "import httpx,sys; sys.exit(httpx.get('$1', timeout=2).status_code >= 500)" \
      2>/dev/null && return 0
    sleep 0.5
  done
  echo "$2 did not come up at $1" >&2
  stop 1
}

"$BIN/prefect" server start --host 127.0.0.1 --port "$PREFECT_PORT" &
pids+=($!)
wait_for "$PREFECT_API_URL/health" "the Prefect server"

# the one-shot job of compose.yaml
"$BIN/duban" db upgrade || stop 1
"$BIN/duban" plan import "$PLAN" ${DUBAN_NOW:+--now "$DUBAN_NOW"} || stop 1
"$BIN/duban" deploy --work-pool "$POOL" ${DUBAN_NOW:+--now "$DUBAN_NOW"} || stop 1

# a non-interactive shell starts background jobs with SIGINT ignored, and the worker stops
# on SIGTERM by sending itself SIGINT: give it the default SIGINT back
env --default-signal=INT "$BIN/prefect" worker start --pool "$POOL" --type process &
pids+=($!)
"$BIN/duban" api --host 127.0.0.1 --port "$API_PORT" &
pids+=($!)
wait_for "http://127.0.0.1:${API_PORT}/openapi.json" "the Duban API"
echo "ready: Prefect ${PREFECT_API_URL%/api}, API http://127.0.0.1:${API_PORT}, work pool ${POOL}"

wait -n "${pids[@]}"  # a service that dies takes the stack down, with a failure status
stop 1
