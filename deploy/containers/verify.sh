#!/usr/bin/env bash
# Runs the three services as containers the way Kubernetes runs them, on this machine, and drives the
# analyst -> reviewer -> front-end journey through the containerised gateway with real Keycloak tokens.
#
#  1. installs podman, runc, catatonit and mmdebstrap when missing (Debian packages; needs root);
#  2. builds a base image from Debian packages (no registry is reachable here), the three native
#     executables, and each service's image from its standard src/main/docker/Dockerfile.native-micro
#     with that base as BASE_IMAGE (plus, with the Maven Central toolchain, the verification-only layer
#     Dockerfile.toolchain-libs);
#  3. starts Keycloak (realm imported) and an OTLP receiver on the host, then, each time on a fresh
#     embedded PostgreSQL 17: the JVM jars; the images with `podman run` under exactly the manifests'
#     security context (user 1001, read-only root, all capabilities dropped, no privilege escalation,
#     /tmp a writable volume); the rendered dev overlay's Deployments, ConfigMaps and Secrets with
#     `podman kube play` (kube_play.py says what it substituted and what kube play cannot represent);
#  4. waits for the probes the manifests declare, runs journey.py (answers checked against the raw
#     files), and prints image size, time to ready, resident memory and the journey's result.
#
# Not part of the default test command: it takes ~25 minutes (three native builds) and root.
# REUSE_NATIVE=1 keeps executables that are newer than their module's sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source deploy/local/jdk.sh
HERE="$ROOT/deploy/containers"
OUT="$HERE/target"
mkdir -p "$OUT/logs"
exec > >(tee "$OUT/verify.log") 2>&1
export CONTAINERS_CONF="$HERE/containers.conf"
SERVICES=(ingest-service stats-service gateway)   # the order they start in: ingest-service migrates the schema
declare -A HTTP_PORT=([gateway]=18080 [ingest-service]=18081 [stats-service]=18082)
declare -A MANAGEMENT_PORT=([gateway]=19080 [ingest-service]=19081 [stats-service]=19082)
PG_PORT=15432 KC_PORT=18180 OTLP_PORT=14317
PYTHON=/usr/bin/python3   # Debian's, with the python3-yaml and python3-grpcio packages installed below
OIDC_URL="http://localhost:$KC_PORT/realms/asylum-stats"
BASE_IMAGE=localhost/asylum-stats/base:bookworm

ports_free() { # so that nothing left over answers the probes of the next run
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "Port $port is taken; stop what listens there." >&2; return 1; fi
  done
}
ports_free "${HTTP_PORT[@]}" "${MANAGEMENT_PORT[@]}" $PG_PORT $KC_PORT $OTLP_PORT

echo "== 1. tools"
missing=()
for package in podman runc catatonit mmdebstrap python3-yaml python3-grpcio; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "Install first (as root): apt-get install -y --no-install-recommends ${missing[*]}" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" > "$OUT/logs/apt.log" 2>&1
fi
podman --version

STATE=$(mktemp -d)
PIDS=()
cleanup() {
  for service in "${SERVICES[@]}"; do
    podman rm -f -t 5 "asylum-$service" > /dev/null 2>&1 || true
    [ -f "$STATE/play/$service.yaml" ] && podman kube down "$STATE/play/$service.yaml" > /dev/null 2>&1 || true
  done
  for file in "$STATE"/play/secrets/*.json; do podman secret rm "$(basename "$file" .json)" > /dev/null 2>&1 || true; done
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$STATE"
}
trap cleanup EXIT

echo "== 2. base image, native executables, images"
if ! podman image exists "$BASE_IMAGE"; then
  # glibc, zlib and CA certificates are what a Quarkus native executable needs; the shell and coreutils
  # are there because Dockerfile.native-micro runs chown/chmod, as on the ubi9 micro image
  mmdebstrap --variant=essential --include=ca-certificates,zlib1g \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "$STATE/base.tar" > "$OUT/logs/mmdebstrap.log" 2>&1
  podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$STATE/base.tar" "$BASE_IMAGE" > /dev/null
  rm -f "$STATE/base.tar"
fi
echo "   base $BASE_IMAGE: $(( $(podman image inspect -f '{{.Size}}' "$BASE_IMAGE") / 1000000 )) MB"

if [ -z "${GRAALVM_HOME:-}" ]; then
  GRAALVM_HOME="${NATIVE_TOOLCHAIN_HOME:-/tmp/graal-tc}"
  if [ ! -x "$GRAALVM_HOME/bin/native-image" ]; then
    [ -x ../shared/native-toolchain/setup.sh ] || { echo "No GRAALVM_HOME and no ../shared/native-toolchain" >&2; exit 1; }
    ../shared/native-toolchain/setup.sh "$GRAALVM_HOME"
  fi
fi
./mvnw -B -q install -DskipTests -pl test-support,ingest-core -am
up_to_date() { # the executable exists and no source of the module (or of ingest-core) is newer
  local runner; runner=$(ls "$1"/target/*-runner 2>/dev/null | head -1)
  [ -n "$runner" ] && [ -z "$(find pom.xml "$1/pom.xml" "$1/src" ingest-core/pom.xml ingest-core/src -newer "$runner" -type f -print -quit)" ]
}
for service in "${SERVICES[@]}"; do
  if [ "${REUSE_NATIVE:-}" = 1 ] && up_to_date "$service"; then
    echo "   $service: native executable up to date"
  else
    start=$(date +%s)
    ./mvnw -B -pl "$service" package -Pnative -DskipTests -Dquarkus.native.graalvm-home="$GRAALVM_HOME" \
      > "$OUT/logs/$service-native.log" 2>&1 \
      || { tail -40 "$OUT/logs/$service-native.log" >&2; echo "$service: native build failed" >&2; exit 1; }
    echo "   $service: native executable built in $(( $(date +%s) - start )) s"
  fi
done
# the JVM jars, for the first row of each service (the native builds above replace them)
./mvnw -B -q install -DskipTests

declare -A IMAGE_MB
for service in "${SERVICES[@]}"; do
  podman build -q -f "$service/src/main/docker/Dockerfile.native-micro" --build-arg BASE_IMAGE="$BASE_IMAGE" \
    -t "localhost/asylum-stats/$service:native-micro" "$service" > /dev/null
  # the dev overlay's image name, so the played Deployments find it without a registry
  if [ -f "$GRAALVM_HOME/jdklibs/libjava.so" ]; then
    podman build -q -f "$HERE/Dockerfile.toolchain-libs" --build-arg APP_IMAGE="localhost/asylum-stats/$service:native-micro" \
      -t "localhost:5000/asylum-stats/$service:dev" "$GRAALVM_HOME/jdklibs" > /dev/null
  else
    podman tag "localhost/asylum-stats/$service:native-micro" "localhost:5000/asylum-stats/$service:dev"
  fi
  IMAGE_MB[$service]="$(( $(podman image inspect -f '{{.Size}}' "localhost/asylum-stats/$service:native-micro") / 1000000 ))"
  IMAGE_MB[$service]+="/$(( $(podman image inspect -f '{{.Size}}' "localhost:5000/asylum-stats/$service:dev") / 1000000 ))"
  echo "   $service image: ${IMAGE_MB[$service]} MB (Dockerfile.native-micro / with the toolchain layer)"
done

echo "== 3. Keycloak, OTLP receiver, rendered dev overlay"
LAUNCHERS="$ROOT/test-support/target/classes:$(./mvnw -B -q -pl test-support dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"
java -Dasylumstats.repo.root="$ROOT" -cp "$LAUNCHERS" org.asylumstats.testing.Keycloak "$KC_PORT" "$STATE/keycloak" \
  "http://localhost:${HTTP_PORT[gateway]}" > "$OUT/logs/keycloak.log" 2>&1 & PIDS+=($!)
$PYTHON "$HERE/otlp_sink.py" "$OTLP_PORT" "$STATE/spans" & PIDS+=($!)
./mvnw -B -q -pl deploy/k8s/check compile
java -cp deploy/k8s/check/target/classes org.asylumstats.deploy.Kubectl deploy/k8s/overlays/dev > "$STATE/dev.yaml"
mkdir -p "$STATE/play"
$PYTHON "$HERE/kube_play.py" "$STATE/dev.yaml" "$STATE/play" "$(cat <<JSON
{"postgres": $PG_PORT, "keycloak": "$OIDC_URL", "otlp": "http://localhost:$OTLP_PORT",
 "services": {"gateway": [${HTTP_PORT[gateway]}, ${MANAGEMENT_PORT[gateway]}],
              "ingest-service": [${HTTP_PORT[ingest-service]}, ${MANAGEMENT_PORT[ingest-service]}],
              "stats-service": [${HTTP_PORT[stats-service]}, ${MANAGEMENT_PORT[stats-service]}]}}
JSON
)" | tee "$OUT/kube-play-substitutions.txt"
wait_for() { # url seconds
  local _
  for _ in $(seq 1 "$2"); do curl -fs --max-time 2 -o /dev/null "$1" && return 0; sleep 1; done
  echo "$1 did not answer in $2 s" >&2; return 1
}
wait_for "$OIDC_URL/.well-known/openid-configuration" 180

# The JVM jars and `podman run` get the environment the rendered Deployment gives the container (kube_play.py)
launch_jvm() {
  local variables=()
  mapfile -t variables < "$STATE/play/$1.env"
  env "${variables[@]}" java -Xmx384m -jar "$1/target/quarkus-app/quarkus-run.jar" > "$OUT/logs/jvm-$1.log" 2>&1 &
  PID[$1]=$!
  PIDS+=($!)
}
stop_jvm() { kill "${PID[$1]}" 2>/dev/null; wait "${PID[$1]}" 2>/dev/null || true; }
launch_container() { # the manifests' security context and limits; /tmp a disk-backed volume like the emptyDir
  local memory cpus
  read -r memory cpus < "$STATE/play/$1.limits"
  mkdir -p "$STATE/tmp-$1" && chown 1001:1001 "$STATE/tmp-$1"
  podman run -d --name "asylum-$1" --network host --user 1001:1001 --read-only --read-only-tmpfs=false \
    --cap-drop=ALL --security-opt no-new-privileges -v "$STATE/tmp-$1:/tmp:rw" --memory "$memory" --cpus "$cpus" \
    --env-file "$STATE/play/$1.env" "localhost:5000/asylum-stats/$1:dev" > /dev/null
  PID[$1]=$(podman inspect -f '{{.State.Pid}}' "asylum-$1")
  applied "asylum-$1"
}
applied() { # what the kernel and the engine really set, not what was asked for
  local pid status writable=no
  pid=$(podman inspect -f '{{.State.Pid}}' "$1")
  status=$(awk '/^(Uid|Gid|CapEff|NoNewPrivs|Seccomp):/ {printf "%s %s, ", $1, $2}' "/proc/$pid/status")
  podman exec "$1" sh -c 'touch /written-by-verify' 2> /dev/null && writable=YES
  echo "   $1: ${status}root filesystem writable: $writable, /tmp writable: $(podman exec "$1" sh -c 'touch /tmp/w && echo yes' 2>/dev/null || echo NO), \
$(podman inspect -f 'memory limit {{.HostConfig.Memory}} B, {{.HostConfig.NanoCpus}} nano-CPUs' "$1")"
}
stop_container() { podman logs "asylum-$1" > "$OUT/logs/podman-run-$1.log" 2>&1; podman rm -f -t 40 "asylum-$1" > /dev/null; }
launch_kube() {
  local file
  if [ -z "${SECRETS_CREATED:-}" ]; then # the Deployments' Secrets, as podman secrets (see kube_play.py)
    for file in "$STATE"/play/secrets/*.json; do
      podman secret rm "$(basename "$file" .json)" > /dev/null 2>&1 || true
      podman secret create "$(basename "$file" .json)" "$file" > /dev/null
    done
    SECRETS_CREATED=1
  fi
  podman kube play --network host "$STATE/play/$1.yaml" > "$OUT/logs/kube-play-$1.out" 2>&1
  PID[$1]=$(podman inspect -f '{{.State.Pid}}' "$1-pod-0-$1")
  applied "$1-pod-0-$1"
}
stop_kube() { podman logs "$1-pod-0-$1" > "$OUT/logs/kube-play-$1.log" 2>&1; podman kube down "$STATE/play/$1.yaml" > /dev/null; }

wait_probes() { # service: the startup probe, then readiness, then liveness, as the manifest declares them
  local probe url _
  grep -q "^$1	" "$STATE/play/probes.tsv" || { echo "$1 declares no probe" >&2; return 1; }
  while IFS=$'\t' read -r _ probe url; do
    for _ in $(seq 1 600); do curl -fs --max-time 1 -o /dev/null "$url" && continue 2; sleep 0.1; done
    echo "$1: $probe $url never answered 200" >&2; return 1
  done < <(grep "^$1	" "$STATE/play/probes.tsv")
}

printf 'run\tservice\tartifact MB\tready ms\tRSS MB after journey\tspans (traces) exported\tjourney\n' > "$OUT/figures.tsv"
exported() { # service: "spans traces" received so far by the OTLP receiver
  awk -v s="$1" '$1 == s {n = $2; t = $3} END {print n + 0, t + 0}' "$STATE/spans" 2>/dev/null || echo 0 0
}
phase() { # name launch stop artifact-size-function
  local name=$1 launch=$2 stop=$3 sizes=$4 service t0 journey=passed _
  echo "== 4. $name"
  ports_free "${HTTP_PORT[@]}" "${MANAGEMENT_PORT[@]}" $PG_PORT || return 1
  java -Dasylumstats.repo.root="$ROOT" -cp "$LAUNCHERS" org.asylumstats.testing.Postgres "$PG_PORT" "$STATE/pg-$name" \
    > "$OUT/logs/postgres-$name.log" 2>&1 & local pg=$!
  PIDS+=($pg)
  for _ in $(seq 1 120); do grep -q "ready on port" "$OUT/logs/postgres-$name.log" && break; sleep 0.5; done
  grep -q "ready on port" "$OUT/logs/postgres-$name.log" || { echo "PostgreSQL did not start" >&2; return 1; }
  declare -gA READY_MS=() PID=()
  local -A spans_before=()
  for service in "${SERVICES[@]}"; do spans_before[$service]=$(exported "$service"); done
  for service in "${SERVICES[@]}"; do
    t0=$(date +%s%N)
    $launch "$service"
    wait_probes "$service" || { journey=failed; break; }
    READY_MS[$service]=$(( ($(date +%s%N) - t0) / 1000000 ))
    echo "   $service ready in ${READY_MS[$service]} ms"
  done
  if [ $journey = passed ]; then
    $PYTHON "$HERE/journey.py" "http://localhost:${HTTP_PORT[gateway]}" "$OIDC_URL" deploy/sample-data/unhcr \
      2>&1 | tee "$OUT/logs/journey-$name.log" | sed 's/^/   /' || journey=failed
  fi
  local -A rss=()
  for service in "${SERVICES[@]}"; do
    rss[$service]=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/${PID[$service]:-0}/status" 2>/dev/null || echo -)
    $stop "$service" || true   # a graceful stop also flushes the last spans
  done
  sleep 2
  local spans traces spans0 traces0
  for service in "${SERVICES[@]}"; do
    read -r spans traces < <(exported "$service")
    read -r spans0 traces0 <<< "${spans_before[$service]}"
    # tracing is on in the dev overlay: a service that exported nothing fails the run
    [ $((spans - spans0)) -gt 0 ] || { echo "   $service exported no span" >&2; journey="$journey, no spans"; }
  done
  for service in "${SERVICES[@]}"; do
    read -r spans traces < <(exported "$service")
    read -r spans0 traces0 <<< "${spans_before[$service]}"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$service" "$($sizes "$service")" "${READY_MS[$service]:--}" \
      "${rss[$service]:--}" "$((spans - spans0)) ($((traces - traces0)))" "$journey" >> "$OUT/figures.tsv"
  done
  kill $pg; wait $pg 2>/dev/null || true
  [ "$journey" = passed ]
}
jar_mb() { du -sm "$1/target/quarkus-app" | cut -f1; }
image_mb() { echo "${IMAGE_MB[$1]}"; }

result=0
phase "JVM jars" launch_jvm stop_jvm jar_mb || result=1
phase "podman run" launch_container stop_container image_mb || result=1
phase "kube play" launch_kube stop_kube image_mb || result=1

column -t -s $'\t' "$OUT/figures.tsv"
{
  echo "# deploy/containers/verify.sh on $(date -u +%F) ($(nproc) cores; $(podman --version); native-image from $GRAALVM_HOME)"
  echo "# artifact MB: the JVM row is target/quarkus-app without the JDK; an image row is Dockerfile.native-micro"
  echo "# on the Debian base / with the verification-only toolchain layer. ready ms: launch to the readiness probe."
  column -t -s $'\t' "$OUT/figures.tsv"
  echo
  echo "security context and limits as the engine applied them:"
  grep -E '^   [^ ]+: Uid: ' "$OUT/verify.log"
  echo
  cat "$OUT/kube-play-substitutions.txt"
} > "$OUT/last-run.txt"
echo "Summary in $OUT/last-run.txt"
exit $result
