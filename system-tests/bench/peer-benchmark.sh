#!/usr/bin/env bash
# The query benchmark against peers, in one run on the same data (gt2023 published by the local
# stack): the dashboard mix through the gateway, on stats-service directly, on PostGraphile 4 with
# pg-aggregates (the tool people would pick instead) over the same tables, and as plain SQL with
# pgbench (the floor). Prints one table and the answer comparison; asserts nothing.
# Needs wrk and pgbench (Debian packages wrk, postgresql-client), Node.js and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
BENCH="$ROOT/system-tests/bench"
DURATION="${BENCH_DURATION:-10}"
for tool in wrk pgbench node npm python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk postgresql-client nodejs npm)" >&2; exit 1; }
done
(cd "$BENCH/postgraphile" && npm ci --no-audit --no-fund --silent)

mkdir -p "$ROOT/.local/logs"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# the benchmark raises the gateway's per-address budget, as the SPEC allows
ASYLUMSTATS_GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE=100000000 setsid deploy/local/run.sh > "$ROOT/.local/logs/bench-stack.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q "asylum-stats is up" "$ROOT/.local/logs/bench-stack.log" && break; sleep 1; done
grep -q "asylum-stats is up" "$ROOT/.local/logs/bench-stack.log" || { echo "the local stack did not start; see .local/logs" >&2; exit 1; }

"$BENCH/postgraphile/node_modules/.bin/postgraphile" -c postgres://stats_service:stats_service@localhost:5432/asylum_stats \
  -s stats --append-plugins @graphile/pg-aggregates,postgraphile-plugin-connection-filter \
  --disable-default-mutations --host 127.0.0.1 --port 5055 --disable-query-log > "$ROOT/.local/logs/postgraphile.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' http://127.0.0.1:5055/graphql 2>/dev/null && break; sleep 1; done

run_wrk() { # api url clients -> "rps p50 p99 requests errors cpu%"
  local out
  out=$( { BENCH_API="$1" /usr/bin/time -f "CPU %P" wrk -t2 -c"$3" -d"${DURATION}s" -s "$BENCH/mix.lua" "$2"; } 2>&1 )
  echo "$(echo "$out" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}') $(echo "$out" | awk '/^CPU/ {print $2}')"
}
run_floor() { # clients -> "tps avg_ms"
  PGPASSWORD=stats_service pgbench -n -h localhost -p 5432 -U stats_service -c "$1" -j 2 -T "$DURATION" -f "$BENCH/floor.sql" asylum_stats 2>/dev/null \
    | awk '/latency average/ {lat=$4} /^tps/ {tps=$3} END {print tps, lat}'
}

for api_url in "ours http://localhost:8080/graphql" "ours http://localhost:8082/graphql" "peer http://127.0.0.1:5055/graphql"; do
  set -- $api_url
  run_wrk "$1" "$2" 16 > /dev/null   # warm-up: JIT, caches, connection pools
done

printf '\n%-34s %7s %9s %9s %9s %9s %7s %9s\n' "path (dashboard mix, ${DURATION}s)" clients "req/s" "p50 ms" "p99 ms" requests errors "wrk CPU"
declare -A RPS
for clients in 16 64; do
  for row in "gateway ours http://localhost:8080/graphql" "stats-service ours http://localhost:8082/graphql" "PostGraphile peer http://127.0.0.1:5055/graphql"; do
    set -- $row
    read -r rps p50 p99 requests errors cpu <<< "$(run_wrk "$2" "$3" "$clients")"
    RPS["$1-$clients"]=$rps
    printf '%-34s %7s %9s %9s %9s %9s %7s %9s\n' "$1" "$clients" "$rps" "$p50" "$p99" "$requests" "$errors" "$cpu"
  done
  read -r tps lat <<< "$(run_floor "$clients")"
  RPS["floor-$clients"]=${tps%.*}
  printf '%-34s %7s %9.0f %9s %9s %9s %7s %9s\n' "plain SQL (pgbench; avg latency)" "$clients" "$tps" "$lat" "-" "-" "-" "-"
done
echo
for clients in 16 64; do
  awk -v g="${RPS[gateway-$clients]}" -v p="${RPS[PostGraphile-$clients]}" -v f="${RPS[floor-$clients]}" -v c="$clients" \
    'BEGIN { printf "%d clients: gateway / PostGraphile throughput = %.2f; plain SQL / gateway = %.2f\n", c, g / p, f / g }'
done
echo "(PostGraphile's grouped aggregates have no server-side order or limit: its top-destinations answer carries every destination.)"
echo
python3 "$BENCH/compare_answers.py" http://localhost:8082/graphql http://127.0.0.1:5055/graphql
