#!/usr/bin/env bash
# Builds the three services as native executables and runs each one's @QuarkusIntegrationTest suite
# against its binary (real PostgreSQL, real Keycloak), then starts each binary and its JVM jar side by
# side on the same database and prints build time, binary size, time to ready and resident memory.
#
# Needs a native-image: GRAALVM_HOME (Mandrel/GraalVM), or on the project's machines the toolchain
# assembled from Maven Central by ../shared/native-toolchain/setup.sh (done here when missing).
# Takes ~15 minutes and ~5 GB of memory per build; one build at a time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source deploy/local/jdk.sh
OUT="$ROOT/deploy/native/target"
mkdir -p "$OUT"
SERVICES=(${SERVICES:-stats-service ingest-service gateway})

if [ -z "${GRAALVM_HOME:-}" ]; then
  GRAALVM_HOME="${NATIVE_TOOLCHAIN_HOME:-/tmp/graal-tc}"
  if [ ! -x "$GRAALVM_HOME/bin/native-image" ]; then
    [ -x ../shared/native-toolchain/setup.sh ] || { echo "No GRAALVM_HOME and no ../shared/native-toolchain" >&2; exit 1; }
    ../shared/native-toolchain/setup.sh "$GRAALVM_HOME"
  fi
fi
echo "native-image from $GRAALVM_HOME"

./mvnw -B -q install -DskipTests -pl test-support,ingest-core -am
: > "$OUT/build.tsv"
for service in "${SERVICES[@]}"; do
  echo "== $service: native build and integration tests"
  start=$(date +%s)
  ./mvnw -B -pl "$service" verify -Pnative -Dquarkus.native.graalvm-home="$GRAALVM_HOME" \
    -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false > "$OUT/$service-native.log" 2>&1 \
    || { echo "$service failed; see $OUT/$service-native.log" >&2; tail -40 "$OUT/$service-native.log" >&2; exit 1; }
  end=$(date +%s)
  binary=$(ls "$service"/target/*-runner)
  built=$(grep -oE "Finished generating '[^']+' in [^.]+\.[0-9]+s|in [0-9]+m [0-9]+s" "$OUT/$service-native.log" | tail -1 || true)
  tests=$(grep -E "Tests run: [0-9]+, Failures" "$OUT/$service-native.log" | tail -1 | sed 's/\[INFO\] //')
  printf '%s\t%s\t%s\t%s\t%s\n' "$service" "$((end - start))" "$(du -m "$binary" | cut -f1)" "$built" "$tests" >> "$OUT/build.tsv"
  cp "$binary" "$OUT/"
  echo "   $((end - start)) s, $(du -m "$binary" | cut -f1) MB, $tests"
done

echo "== start-up and memory, native next to JVM, on one PostgreSQL and Keycloak"
LAUNCHERS="$ROOT/test-support/target/classes:$(./mvnw -B -q -pl test-support dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"
STATE=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
PG=$(free_port); KC=$(free_port)
java -Dasylumstats.repo.root="$ROOT" -cp "$LAUNCHERS" org.asylumstats.testing.Postgres "$PG" "$STATE/pg" > "$STATE/pg.log" 2>&1 & PIDS+=($!)
java -Dasylumstats.repo.root="$ROOT" -cp "$LAUNCHERS" org.asylumstats.testing.Keycloak "$KC" "$STATE/kc" http://localhost:8080 > "$STATE/kc.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 120); do grep -q "ready on port" "$STATE/pg.log" 2>/dev/null && curl -fs -o /dev/null "http://localhost:$KC/realms/asylum-stats" && break; sleep 1; done

measure() { # label command... ; prints ms-to-ready and RSS MB
  local port; port=$(free_port)
  local management; management=$(free_port)
  local t0; t0=$(date +%s%N)
  QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management "$@" > "$STATE/run-$port.log" 2>&1 & local pid=$!
  for _ in $(seq 1 600); do curl -fs -o /dev/null "http://localhost:$management/q/health/started" && break; sleep 0.05; done
  local t1; t1=$(date +%s%N)
  sleep 2
  local rss; rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 ))	$rss"
}
export ASYLUM_STATS_OIDC_URL="http://localhost:$KC/realms/asylum-stats" ASYLUM_STATS_GATEWAY_CLIENT_SECRET=local-dev-gateway-secret
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PG/asylum_stats"
printf 'service\tbuild s\tbinary MB\tnative started ms\tnative RSS MB\tJVM started ms\tJVM RSS MB\tintegration tests\n' > "$OUT/figures.tsv"
for service in ingest-service stats-service gateway; do
  grep -q "^$service	" "$OUT/build.tsv" || continue
  case $service in
    ingest-service) export QUARKUS_DATASOURCE_USERNAME=asylum_owner QUARKUS_DATASOURCE_PASSWORD=asylum_owner ;;
    *) export QUARKUS_DATASOURCE_USERNAME=stats_service QUARKUS_DATASOURCE_PASSWORD=stats_service ;;
  esac
  native=$(measure "$OUT/$(basename "$(ls "$service"/target/*-runner)")")
  ./mvnw -B -q -pl "$service" package -DskipTests > /dev/null 2>&1
  jvm=$(measure java -Xmx384m -jar "$service/target/quarkus-app/quarkus-run.jar")
  IFS=$'\t' read -r _ secs mb _ tests < <(grep "^$service	" "$OUT/build.tsv")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$service" "$secs" "$mb" "$native" "$jvm" "$tests" >> "$OUT/figures.tsv"
done
column -t -s $'\t' "$OUT/figures.tsv"
