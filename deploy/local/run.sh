#!/usr/bin/env bash
# Starts the whole system locally on embedded defaults: PostgreSQL 17 (embedded, data kept in
# .local/postgres), Keycloak (realm imported with demo users), ingest-service :8081,
# stats-service :8082 and the gateway :8080, each with its management interface (health, metrics)
# on :9081, :9082 and :9080. On first start it loads and publishes the sample
# UNHCR releases, each with all five datasets: Mid-Year Trends 2023 (2023 up to 30 June), then
# Global Trends 2023, which revises it to the whole year. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source deploy/local/jdk.sh
STATE="${ASYLUM_STATS_STATE_DIR:-$ROOT/.local}"
mkdir -p "$STATE/logs"
PG_PORT="${ASYLUM_STATS_PG_PORT:-5432}"
KC_PORT=8180

for port in 8080 8081 8082 9080 9081 9082 "$KC_PORT" "$PG_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already taken: stop what listens there (or set ASYLUM_STATS_PG_PORT for PostgreSQL)." >&2
    exit 1
  fi
done

needs_build() { # a jar is missing, or a source changed since it was built
  local jar
  for jar in gateway/target/quarkus-app/quarkus-run.jar stats-service/target/quarkus-app/quarkus-run.jar \
             ingest-service/target/quarkus-app/quarkus-run.jar test-support/target/classpath.txt; do
    [ -f "$jar" ] || return 0
    [ -z "$(find pom.xml ./*/pom.xml ./*/src -newer "$jar" -type f -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}
if needs_build; then
  echo "Building (the first run downloads dependencies)…"
  ./mvnw -B -q install -DskipTests
  ./mvnw -B -q -pl test-support dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
fi
LAUNCHERS="$ROOT/test-support/target/classes:$(cat test-support/target/classpath.txt)"

PIDS=()
stop_all() {
  echo; echo "Stopping…"
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

wait_for() { # url name seconds
  for _ in $(seq 1 "$3"); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then echo "  $2 ready"; return 0; fi
    sleep 1
  done
  echo "$2 did not become ready; see $STATE/logs" >&2; exit 1
}

FIRST_START=false
[ -f "$STATE/postgres/PG_VERSION" ] || FIRST_START=true
echo "Starting PostgreSQL 17 on $PG_PORT (data in $STATE/postgres)…"
java -Dasylumstats.repo.root="$ROOT" -cp "$LAUNCHERS" org.asylumstats.testing.Postgres "$PG_PORT" "$STATE/postgres" > "$STATE/logs/postgres.log" 2>&1 &
PIDS+=($!)
echo "Starting Keycloak on $KC_PORT…"
java -Dasylumstats.repo.root="$ROOT" -cp "$LAUNCHERS" org.asylumstats.testing.Keycloak "$KC_PORT" "$STATE/keycloak" http://localhost:8080 > "$STATE/logs/keycloak.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do grep -q "ready on port" "$STATE/logs/postgres.log" 2>/dev/null && break; sleep 1; done

export ASYLUM_STATS_OIDC_URL="http://localhost:$KC_PORT/realms/asylum-stats"
DB_URL="jdbc:postgresql://localhost:$PG_PORT/asylum_stats"
QUARKUS_MANAGEMENT_PORT=9081 QUARKUS_DATASOURCE_JDBC_URL="$DB_URL" QUARKUS_DATASOURCE_USERNAME=asylum_owner QUARKUS_DATASOURCE_PASSWORD=asylum_owner \
  java -Xmx512m -jar ingest-service/target/quarkus-app/quarkus-run.jar > "$STATE/logs/ingest-service.log" 2>&1 &
PIDS+=($!)
wait_for http://localhost:9081/q/health/ready ingest-service 120
QUARKUS_MANAGEMENT_PORT=9082 QUARKUS_DATASOURCE_JDBC_URL="$DB_URL" QUARKUS_DATASOURCE_USERNAME=stats_service QUARKUS_DATASOURCE_PASSWORD=stats_service \
  java -Xmx512m -jar stats-service/target/quarkus-app/quarkus-run.jar > "$STATE/logs/stats-service.log" 2>&1 &
PIDS+=($!)
QUARKUS_MANAGEMENT_PORT=9080 ASYLUM_STATS_GATEWAY_CLIENT_SECRET=local-dev-gateway-secret java -Xmx256m -jar gateway/target/quarkus-app/quarkus-run.jar > "$STATE/logs/gateway.log" 2>&1 &
PIDS+=($!)
wait_for "$ASYLUM_STATS_OIDC_URL/.well-known/openid-configuration" Keycloak 180
wait_for http://localhost:9082/q/health/ready stats-service 120
wait_for http://localhost:9080/q/health/ready gateway 120

token() {
  curl -fsS -d grant_type=password -d client_id=asylum-stats-cli -d "username=$1" -d "password=$1" \
    "$ASYLUM_STATS_OIDC_URL/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

publish_sample() { # folder, create body: a draft with the folder's five files, submitted and published
  local analyst id pair
  analyst=$(token analyst)
  id=$(curl -fsS -H "Authorization: Bearer $analyst" -H 'Content-Type: application/json' -d "$2" \
    http://localhost:8080/api/releases | sed -E 's/^\{"id":([0-9]+).*/\1/')
  for pair in population:population asylum-applications:asylum_applications asylum-decisions:asylum_decisions \
              demographics:demographics solutions:solutions; do
    curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $analyst" -H 'Content-Type: application/gzip' \
      --data-binary "@deploy/sample-data/unhcr/$1/${pair#*:}.csv.gz" "http://localhost:8080/api/releases/$id/datasets/${pair%%:*}"
  done
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $analyst" "http://localhost:8080/api/releases/$id/submit"
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $(token reviewer)" "http://localhost:8080/api/releases/$id/publish"
  echo "  $1: release $id published"
}

if $FIRST_START; then
  echo "Loading the sample releases (UNHCR Refugee Data Finder, Mid-Year Trends 2023 and Global Trends 2023, CC BY 4.0)…"
  # the mid-year release covers 2023 only up to 30 June (stocks at 30 June, flows over January-June)
  publish_sample my2023 '{"title":"Mid-Year Trends 2023","source":"UNHCR Refugee Data Finder","publishedOn":"2023-10-25",
    "preliminaryYears":[2023],"referencePeriods":[{"year":2023,"end":"2023-06-30"}]}'
  publish_sample gt2023 '{"title":"Global Trends 2023","source":"UNHCR Refugee Data Finder","publishedOn":"2024-06-13",
    "preliminaryYears":[]}'
fi

cat <<INFO

asylum-stats is up.
  gateway (public entry)  http://localhost:8080      GraphQL: http://localhost:8080/graphql
  ingest-service          http://localhost:8081      stats-service: http://localhost:8082
  Keycloak                http://localhost:$KC_PORT  (admin console: keycloak-admin / keycloak-admin)
  logs                    $STATE/logs

Get a token (demo users: analyst, analyst2, reviewer, viewer, admin; password = user name):
  TOKEN=\$(curl -s -d grant_type=password -d client_id=asylum-stats-cli -d username=analyst -d password=analyst \\
    $ASYLUM_STATS_OIDC_URL/protocol/openid-connect/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  curl -H "Authorization: Bearer \$TOKEN" http://localhost:8080/api/releases

Ask a question:
  curl -s -H 'Content-Type: application/json' http://localhost:8080/graphql \\
    -d '{"query":"{ series(measure: ASYLUM_SEEKERS, filter: {origin: [\"CHN\"], years: {from: 2000, to: 2023}}) { year value status release { title } } }"}'
  curl -s -H 'Content-Type: application/json' http://localhost:8080/graphql \\
    -d '{"query":"{ figures(measure: DEMOGRAPHICS, groupBy: [SEX, AGE_GROUP], filter: {origin: [\"SDN\"], asylum: [\"TCD\"], populationType: [\"REF\"], years: {from: 2023, to: 2023}}) { total rows { sex ageGroup value } } }"}'

Dashboard: http://localhost:8080 (population pyramid under "Sex and age", resettlement, naturalisation and returns under "Solutions")

Ctrl-C stops everything.
INFO
wait
