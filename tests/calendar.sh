#!/usr/bin/env bash
# Runs the Postman collection as if it were each day of a week, and once just
# before midnight in São Paulo (make test-calendar does this).
#
#   bash tests/calendar.sh bin/local
#
# Eight runs of tests/newman.sh, each against its own fresh server whose clock
# starts at another instant (NEWMAN_CLOCK, passed to the server as -clock):
#   - 14:00 São Paulo time on each of the seven days from today on, so every
#     weekday, promotional or not, is met whatever day the check runs;
#   - 23:50 on the Monday of that week, so a buyer buys a showtime of the
#     promotional Tuesday after midnight.
# CALENDAR_JOBS runs that many at a time (default 2; each run starts its own
# DynamoDB Local and seeds it). Exits non-zero when any run fails, after all
# ran; each failing run's output is printed whole, the others as one line.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 SERVER_BINARY" >&2
  exit 2
fi
server=$1
jobs=${CALENDAR_JOBS:-2}
if [[ ! $jobs =~ ^[1-9][0-9]*$ ]]; then
  echo "calendar.sh: CALENDAR_JOBS must be a positive number, got '$jobs'" >&2
  exit 2
fi

# São Paulo is UTC-03:00 all year (no daylight saving time since 2019).
today=$(date -u -d "-3 hours" +%F)
clocks=()
monday=
for i in 0 1 2 3 4 5 6; do
  day=$(date -u -d "$today +$i day" +%F)
  clocks+=("${day}T14:00:00-03:00")
  if [[ $(date -u -d "$day" +%u) == 1 ]]; then
    monday=$day
  fi
done
clocks+=("${monday}T23:50:00-03:00")

outdir=$(mktemp -d "${TMPDIR:-/tmp}/bilhetagem-calendar.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$outdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_one() {
  local i=$1 clock=$2 start=$SECONDS status=0
  NEWMAN_CLOCK=$clock NO_COLOR=1 bash tests/newman.sh "$server" >"$outdir/$i.log" 2>&1 || status=$?
  echo "$status $((SECONDS - start))" >"$outdir/$i.status"
}

echo "calendar.sh: ${#clocks[@]} runs of the collection, $jobs at a time"
for i in "${!clocks[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do
    wait -n || true
  done
  run_one "$i" "${clocks[$i]}" &
  pids+=($!)
done
wait || true
pids=()

failed=0
for i in "${!clocks[@]}"; do
  read -r status secs <"$outdir/$i.status" || { status=1 secs=0; }
  weekday=$(date -u -d "${clocks[$i]%%T*}" +%a)
  if [[ $status == 0 ]]; then
    printf 'calendar.sh: ok   %s (%s) in %ss\n' "${clocks[$i]}" "$weekday" "$secs"
  else
    failed=$((failed + 1))
    printf 'calendar.sh: FAIL %s (%s) in %ss, status %s\n' "${clocks[$i]}" "$weekday" "$secs" "$status"
    sed 's/^/    /' "$outdir/$i.log"
  fi
done
if ((failed > 0)); then
  echo "calendar.sh: $failed of ${#clocks[@]} runs failed" >&2
  exit 1
fi
echo "calendar.sh: the collection passed on every day of the week and at 23:50 before a promotional day"
