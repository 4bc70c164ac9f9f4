#!/usr/bin/env bash
# Runs the Postman collection with newman against a fresh local server.
#
#   bash tests/newman.sh bin/local        (make test-api does this)
#
#   NEWMAN_CLOCK=2026-12-08T23:50:00-03:00 bash tests/newman.sh bin/local
#
# Starts SERVER_BINARY on a free loopback port with DynamoDB Local in memory,
# waits for GET /api/health, runs the collection with --bail and always stops
# the server again. Exits non-zero when the server does not come up or any
# assertion fails. Run from the repository root.
#
# NEWMAN_CLOCK (optional, an RFC 3339 instant) starts the server's clock there
# (-clock); it runs on at the real pace, and the seed is built for that day.
# Each run has its own port, server and log, so runs can go in parallel.
set -euo pipefail

readonly COLLECTION=tests/postman/bilhetagem.postman_collection.json
readonly ENVIRONMENT=tests/postman/local.postman_environment.json
readonly STARTUP_TIMEOUT=300 # seconds: DynamoDB Local and the seed, on a busy machine
# The HMAC key of the PSP's webhooks, for this test server only: the server
# reads it as PSP_WEBHOOK_SECRET and the collection signs webhooks with it.
readonly WEBHOOK_SECRET=segredo-de-teste-do-webhook-local
# The door opens a week before a showtime on this test server (60 minutes
# by default, 10080 at most): the collection buys a showtime hours or days
# ahead of the server's clock, which runs at the real pace, and checks its
# ticket in at once. The window itself is proved by the Go tests, which move
# the clock.
readonly CHECK_IN_WINDOW_MINUTES=10080

if [[ $# -ne 1 ]]; then
  echo "usage: $0 SERVER_BINARY" >&2
  exit 2
fi
server=$1
if [[ ! -x $server ]]; then
  echo "newman.sh: $server is not an executable (make build-local builds bin/local)" >&2
  exit 2
fi
clock=()
if [[ -n ${NEWMAN_CLOCK:-} ]]; then
  if [[ ! $NEWMAN_CLOCK =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]]; then
    echo "newman.sh: NEWMAN_CLOCK must be an RFC 3339 instant such as 2026-12-08T23:50:00-03:00, got '$NEWMAN_CLOCK'" >&2
    exit 2
  fi
  clock=(-clock "$NEWMAN_CLOCK")
fi
if [[ ! -f $COLLECTION ]]; then
  echo "newman.sh: $COLLECTION not found; run from the repository root" >&2
  exit 2
fi

# A port the kernel just handed out on loopback, then released for the server.
port=$(node -e '
  const s = require("net").createServer();
  s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
')
base_url="http://127.0.0.1:$port"
log=$(mktemp "${TMPDIR:-/tmp}/bilhetagem-newman.XXXXXX")
pid=

log_tail() {
  echo "--- last lines of the server log ($log) ---" >&2
  tail -n 40 "$log" >&2 || true
}

# Stops the server by its pid: SIGTERM lets it stop DynamoDB Local, SIGKILL if
# it is still there after 15 s. Keeps the log when the run failed.
stop_server() {
  local status=$?
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "newman.sh: server $pid ignored SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  if [[ $status -eq 0 ]]; then
    rm -f "$log"
  else
    echo "newman.sh: server log kept at $log" >&2
  fi
  exit "$status"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "newman.sh: starting $server on $base_url${NEWMAN_CLOCK:+ with its clock at $NEWMAN_CLOCK} (log: $log)"
PSP_WEBHOOK_SECRET=$WEBHOOK_SECRET CHECK_IN_OPENS_BEFORE_MINUTES=$CHECK_IN_WINDOW_MINUTES "$server" -in-memory -addr "127.0.0.1:$port" -web /nonexistent ${clock[@]+"${clock[@]}"} >"$log" 2>&1 &
pid=$!

deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base_url/api/health" || true) == 200 ]]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" && code=0 || code=$?
    pid=
    echo "newman.sh: the server exited (status $code) before GET /api/health answered 200" >&2
    log_tail
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "newman.sh: GET /api/health did not answer 200 within ${STARTUP_TIMEOUT}s" >&2
    log_tail
    exit 1
  fi
  sleep 1
done
echo "newman.sh: server is up (pid $pid)"

# No colour in CI (or with NO_COLOR). newman's failure table ignores
# --color off, hence FORCE_COLOR=0 as well.
color=()
if [[ -n ${CI:-} || -n ${NO_COLOR:-} ]]; then
  color=(--color off)
  export FORCE_COLOR=0
fi

status=0
npx --no-install newman run "$COLLECTION" \
  -e "$ENVIRONMENT" \
  --env-var "baseUrl=$base_url" \
  --env-var "pspWebhookSecret=$WEBHOOK_SECRET" \
  --bail \
  ${color[@]+"${color[@]}"} || status=$?
if [[ $status -ne 0 ]]; then
  echo "newman.sh: newman failed (status $status)" >&2
  log_tail
fi
exit "$status"
