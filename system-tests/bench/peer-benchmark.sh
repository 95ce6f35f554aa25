#!/usr/bin/env bash
# The query benchmark against peers, like with like, in one run on the same data (my2023 and gt2023
# published by the local stack) and the same 80 questions (questions.py: the dashboard mix of series,
# top destinations, period total and compare over 20 origins). Prints one table; compares every path's
# answers and exits non-zero on any difference. Asserts nothing about time.
#   computed rows: nothing cached anywhere, every answer computed by the database; a second
#     stats-service with its answer cache switched off (ASYLUMSTATS_STATS_ANSWER_CACHE_MAX_BYTES=0) and a
#     second gateway in front of it with its response cache off; next to PostGraphile 4.14 with
#     pg-aggregates (computes every answer) and the same aggregates as plain SQL (pgbench: the floor).
#   cached rows: the local stack as deployed (the gateway's response cache for public GET answers,
#     stats-service's answer cache), next to nginx serving the same answer bytes as static files (the
#     ceiling of a cached answer on this machine).
# Needs wrk, nginx, pgbench/psql (installed from Debian when missing and run as root), Node.js and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
BENCH="$ROOT/system-tests/bench"
DURATION="${BENCH_DURATION:-10}"
missing=()
for tool in wrk nginx pgbench psql; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q wrk nginx postgresql-client >/dev/null
  else
    echo "missing: ${missing[*]} (apt-get install wrk nginx postgresql-client)" >&2; exit 1
  fi
fi
for tool in node npm python3 bc; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
(cd "$BENCH/postgraphile" && npm ci --no-audit --no-fund --silent)

# every run starts from an empty database: the same data, whatever earlier runs published
export ASYLUM_STATS_STATE_DIR="$ROOT/.local/bench"
rm -rf "$ASYLUM_STATS_STATE_DIR"
mkdir -p "$ASYLUM_STATS_STATE_DIR/logs" "$ASYLUM_STATS_STATE_DIR/static/q" "$ASYLUM_STATS_STATE_DIR/nginx"
LOGS="$ASYLUM_STATS_STATE_DIR/logs"
python3 "$BENCH/questions.py" write "$ASYLUM_STATS_STATE_DIR"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# the benchmark raises the gateways' per-address budget, as the SPEC allows
export ASYLUMSTATS_GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE=100000000
setsid deploy/local/run.sh > "$LOGS/bench-stack.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 400); do grep -q "asylum-stats is up" "$LOGS/bench-stack.log" && break; sleep 1; done
grep -q "asylum-stats is up" "$LOGS/bench-stack.log" || { echo "the local stack did not start; see $LOGS" >&2; exit 1; }
source deploy/local/jdk.sh

# the computed path: a stats-service without its answer cache, and a gateway without its response cache in front of it
QUARKUS_HTTP_PORT=8083 QUARKUS_MANAGEMENT_PORT=9083 QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:5432/asylum_stats \
  QUARKUS_DATASOURCE_USERNAME=stats_service QUARKUS_DATASOURCE_PASSWORD=stats_service ASYLUMSTATS_STATS_ANSWER_CACHE_MAX_BYTES=0 \
  ASYLUM_STATS_OIDC_URL=http://localhost:8180/realms/asylum-stats \
  java -Xmx512m -jar stats-service/target/quarkus-app/quarkus-run.jar > "$LOGS/stats-service-uncached.log" 2>&1 &
PIDS+=($!)
QUARKUS_HTTP_PORT=8079 QUARKUS_MANAGEMENT_PORT=9079 ASYLUMSTATS_GATEWAY_STATS_URL=http://localhost:8083 \
  ASYLUMSTATS_GATEWAY_RESPONSE_CACHE_ENABLED=false ASYLUM_STATS_GATEWAY_CLIENT_SECRET=local-dev-gateway-secret \
  ASYLUM_STATS_OIDC_URL=http://localhost:8180/realms/asylum-stats \
  java -Xmx256m -jar gateway/target/quarkus-app/quarkus-run.jar > "$LOGS/gateway-uncached.log" 2>&1 &
PIDS+=($!)

"$BENCH/postgraphile/node_modules/.bin/postgraphile" -c postgres://stats_service:stats_service@localhost:5432/asylum_stats \
  -s stats --append-plugins @graphile/pg-aggregates,postgraphile-plugin-connection-filter \
  --disable-default-mutations --host 127.0.0.1 --port 5055 --disable-query-log > "$LOGS/postgraphile.log" 2>&1 &
PIDS+=($!)
for url in http://localhost:9083/q/health/ready http://localhost:9079/q/health/ready; do
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 1; done
done
for _ in $(seq 1 60); do curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' http://127.0.0.1:5055/graphql 2>/dev/null && break; sleep 1; done

# the static anchor: nginx from Debian serving the answers stats-service gives to GET, byte for byte
python3 "$BENCH/compare_answers.py" --write-static http://localhost:8082/graphql "$ASYLUM_STATS_STATE_DIR/static/q"
cat > "$ASYLUM_STATS_STATE_DIR/nginx/nginx.conf" <<CONF
worker_processes 2;
error_log $ASYLUM_STATS_STATE_DIR/nginx/error.log;
pid $ASYLUM_STATS_STATE_DIR/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path $ASYLUM_STATS_STATE_DIR/nginx/tmp;
  proxy_temp_path $ASYLUM_STATS_STATE_DIR/nginx/tmp;
  fastcgi_temp_path $ASYLUM_STATS_STATE_DIR/nginx/tmp;
  uwsgi_temp_path $ASYLUM_STATS_STATE_DIR/nginx/tmp;
  scgi_temp_path $ASYLUM_STATS_STATE_DIR/nginx/tmp;
  server { listen 127.0.0.1:8090; root $ASYLUM_STATS_STATE_DIR/static; add_header Cache-Control "public, max-age=60"; }
}
CONF
nginx -c "$ASYLUM_STATS_STATE_DIR/nginx/nginx.conf" -g 'daemon off;' 2> "$LOGS/nginx.log" &
PIDS+=($!)
for _ in $(seq 1 20); do curl -fsS -o /dev/null http://127.0.0.1:8090/q/1.json 2>/dev/null && break; sleep 0.5; done

# start-up time (from each service's own log) and resident memory, JVM mode
printf '\n%-16s %14s %10s\n' service "ready after s" "RSS MB"
for service in ingest-service stats-service gateway; do
  started=$(grep -o 'started in [0-9.]*s' "$LOGS/$service.log" | tail -1 | grep -o '[0-9.]*')
  rss=$(ps -o rss= -p "$(pgrep -f "$service/target/quarkus-app/quarkus-run.jar" | head -1)" | awk '{printf "%.0f", $1 / 1024}')
  printf '%-16s %14s %10s\n' "$service" "$started" "$rss"
done

run_wrk() { # mode questions url clients -> "rps p50 p99 requests errors"
  BENCH_MODE="$1" BENCH_QUESTIONS="$ASYLUM_STATS_STATE_DIR/$2.txt" wrk -t2 -c"$4" -d"${DURATION}s" -s "$BENCH/mix.lua" "$3" 2>&1 \
    | awk '/^RESULT/ {print $2, $3, $4, $5, $6}'
}
run_floor() { # clients -> "tps avg_ms"
  PGPASSWORD=stats_service pgbench -n -h localhost -p 5432 -U stats_service -c "$1" -j 2 -T "$DURATION" -f "$BENCH/floor.sql" asylum_stats 2>/dev/null \
    | awk '/latency average/ {lat=$4} /^tps/ {tps=$3} END {print tps, lat}'
}
# name | mode | questions | url
ROWS=(
  "computed: gateway, POST|post|ours|http://localhost:8079/graphql"
  "computed: gateway, GET|get|ours|http://localhost:8079/graphql"
  "computed: stats-service, POST|post|ours|http://localhost:8083/graphql"
  "computed: PostGraphile 4.14|post|peer|http://127.0.0.1:5055/graphql"
  "cached: gateway GET (its cache)|get|ours|http://localhost:8080/graphql"
  "cached: gateway POST (answer cache)|post|ours|http://localhost:8080/graphql"
  "cached: stats-service POST|post|ours|http://localhost:8082/graphql"
  "cached: stats-service GET|get|ours|http://localhost:8082/graphql"
  "cached: nginx, same bytes|static|ours|http://127.0.0.1:8090"
)

# warm-up, twice per path: one 10 s run leaves a JVM half-compiled (seen: 1,040 req/s on the second
# run, 2,460 on the third)
for round in 1 2; do
  for row in "${ROWS[@]}"; do
    IFS='|' read -r _ mode questions url <<< "$row"
    run_wrk "$mode" "$questions" "$url" 16 > /dev/null
  done
done

printf '\n%-38s %7s %9s %9s %9s %9s %7s\n' "path (80-question mix, ${DURATION}s each)" clients "req/s" "p50 ms" "p99 ms" requests errors
declare -A RPS
for clients in 16 64; do
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name mode questions url <<< "$row"
    read -r rps p50 p99 requests errors <<< "$(run_wrk "$mode" "$questions" "$url" "$clients")"
    RPS["$name-$clients"]=$rps
    printf '%-38s %7s %9s %9s %9s %9s %7s\n' "$name" "$clients" "$rps" "$p50" "$p99" "$requests" "$errors"
  done
  read -r tps lat <<< "$(run_floor "$clients")"
  RPS["floor-$clients"]=${tps%.*}
  printf '%-38s %7s %9.0f %9s %9s %9s %7s\n' "computed: plain SQL (pgbench; avg ms)" "$clients" "$tps" "$lat" "-" "-" "-"
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
for clients in 16 64; do
  echo "$clients clients:" \
    "computed gateway POST / PostGraphile = $(ratio "${RPS[computed: gateway, POST-$clients]}" "${RPS[computed: PostGraphile 4.14-$clients]}");" \
    "computed gateway POST / plain SQL = $(ratio "${RPS[computed: gateway, POST-$clients]}" "${RPS[floor-$clients]}");" \
    "cached gateway GET / nginx = $(ratio "${RPS[cached: gateway GET (its cache)-$clients]}" "${RPS[cached: nginx, same bytes-$clients]}");" \
    "gateway / direct: computed POST $(ratio "${RPS[computed: gateway, POST-$clients]}" "${RPS[computed: stats-service, POST-$clients]}")," \
    "cached POST $(ratio "${RPS[cached: gateway POST (answer cache)-$clients]}" "${RPS[cached: stats-service POST-$clients]}")"
done
echo "(PostGraphile's grouped aggregates have no server-side order or limit: its top-destinations answer carries every destination.)"
echo
python3 "$BENCH/compare_answers.py" http://127.0.0.1:5055/graphql http://127.0.0.1:8090 \
  http://localhost:8082/graphql http://localhost:8082/graphql,get http://localhost:8083/graphql \
  http://localhost:8079/graphql,get http://localhost:8080/graphql,get
