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
for tool in wrk pgbench psql bc node npm python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk postgresql-client nodejs npm)" >&2; exit 1; }
done
(cd "$BENCH/postgraphile" && npm ci --no-audit --no-fund --silent)

# every run starts from an empty database: the same data, whatever earlier runs published
export ASYLUM_STATS_STATE_DIR="$ROOT/.local/bench"
rm -rf "$ASYLUM_STATS_STATE_DIR"
mkdir -p "$ASYLUM_STATS_STATE_DIR/logs"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# the benchmark raises the gateway's per-address budget, as the SPEC allows
ASYLUMSTATS_GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE=100000000 setsid deploy/local/run.sh > "$ASYLUM_STATS_STATE_DIR/logs/bench-stack.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q "asylum-stats is up" "$ASYLUM_STATS_STATE_DIR/logs/bench-stack.log" && break; sleep 1; done
grep -q "asylum-stats is up" "$ASYLUM_STATS_STATE_DIR/logs/bench-stack.log" || { echo "the local stack did not start; see $ASYLUM_STATS_STATE_DIR/logs" >&2; exit 1; }

# start-up time (from each service's own log) and resident memory, JVM mode
printf '\n%-16s %14s %10s\n' service "ready after s" "RSS MB"
for service in ingest-service stats-service gateway; do
  started=$(grep -o 'started in [0-9.]*s' "$ASYLUM_STATS_STATE_DIR/logs/$service.log" | tail -1 | grep -o '[0-9.]*')
  rss=$(ps -o rss= -p "$(pgrep -f "$service/target/quarkus-app/quarkus-run.jar" | head -1)" | awk '{printf "%.0f", $1 / 1024}')
  printf '%-16s %14s %10s\n' "$service" "$started" "$rss"
done

# ingest: the full gt2023 release uploaded and published through the gateway, against plain COPY
token() {
  curl -fsS -d grant_type=password -d client_id=asylum-stats-cli -d "username=$1" -d "password=$1" \
    http://localhost:8180/realms/asylum-stats/protocol/openid-connect/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
ANALYST=$(token analyst)
REVIEWER=$(token reviewer)
START=$(date +%s.%N)
ID=$(curl -fsS -H "Authorization: Bearer $ANALYST" -H 'Content-Type: application/json' \
  -d '{"title":"Benchmark gt2023","publishedOn":"2024-06-13","preliminaryYears":[]}' http://localhost:8080/api/releases | sed -E 's/^\{"id":([0-9]+).*/\1/')
UPLOADS=0
for pair in population:population asylum-applications:asylum_applications asylum-decisions:asylum_decisions; do
  t=$(curl -fsS -o /dev/null -w '%{time_total}' -X PUT -H "Authorization: Bearer $ANALYST" -H 'Content-Type: application/gzip' \
    --data-binary "@deploy/sample-data/unhcr/gt2023/${pair#*:}.csv.gz" "http://localhost:8080/api/releases/$ID/datasets/${pair%%:*}")
  UPLOADS=$(echo "$UPLOADS + $t" | bc -l)
done
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $ANALYST" "http://localhost:8080/api/releases/$ID/submit"
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $REVIEWER" "http://localhost:8080/api/releases/$ID/publish"
END_TO_END=$(echo "$(date +%s.%N) - $START" | bc -l)
COPY_START=$(date +%s.%N)
for file in population asylum_applications asylum_decisions; do
  header=$( (gzip -dc "deploy/sample-data/unhcr/gt2023/$file.csv.gz" 2>/dev/null || true) | head -1 | tr -d '"')
  columns=$(echo "$header" | awk -F, '{for (i = 1; i <= NF; i++) printf "%s%s %s", (i > 1 ? ", " : ""), $i, ($i == "year" ? "int" : ($i ~ /^(coo|coa|procedure_type|app_type|dec_level|app_pc|dec_pc)/ ? "text" : "bigint"))}')
  PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=asylum_owner psql -q -h localhost -p 5432 -U asylum_owner asylum_stats -c "DROP TABLE IF EXISTS public.bench_$file; CREATE TABLE public.bench_$file ($columns)"
  gzip -dc "deploy/sample-data/unhcr/gt2023/$file.csv.gz" | PGPASSWORD=asylum_owner psql -q -h localhost -p 5432 -U asylum_owner asylum_stats \
    -c "\\copy public.bench_$file FROM PSTDIN WITH (FORMAT csv, HEADER true)"
  PGPASSWORD=asylum_owner psql -q -h localhost -p 5432 -U asylum_owner asylum_stats -c "DROP TABLE public.bench_$file"
done
COPY_TIME=$(echo "$(date +%s.%N) - $COPY_START" | bc -l)
awk -v u="$UPLOADS" -v e="$END_TO_END" -v c="$COPY_TIME" 'BEGIN {
  rows = 337932
  printf "\ningest of gt2023 (337,932 rows): uploads through the gateway %.2f s (%.0f rows/s), end to end with submit and publish %.2f s;\n", u, rows / u, e
  printf "plain COPY of the same files (gunzip | psql \\copy) %.2f s (%.0f rows/s); ratio uploads / COPY = %.2f\n", c, rows / c, u / c }'

"$BENCH/postgraphile/node_modules/.bin/postgraphile" -c postgres://stats_service:stats_service@localhost:5432/asylum_stats \
  -s stats --append-plugins @graphile/pg-aggregates,postgraphile-plugin-connection-filter \
  --disable-default-mutations --host 127.0.0.1 --port 5055 --disable-query-log > "$ASYLUM_STATS_STATE_DIR/logs/postgraphile.log" 2>&1 &
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

# warm-up, twice per path: one 10 s run leaves the gateway's JVM half-compiled (seen: 1,040 req/s on
# the second run, 2,460 on the third)
for round in 1 2; do
  for api_url in "ours http://localhost:8080/graphql" "ours http://localhost:8082/graphql" "peer http://127.0.0.1:5055/graphql"; do
    set -- $api_url
    run_wrk "$1" "$2" 16 > /dev/null
  done
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
