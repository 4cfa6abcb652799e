#!/usr/bin/env bash
# Measures the API server's idle RSS and /_ping latency over its unix socket.
# Usage: api-docker/measure.sh   (after `./mvnw -pl api-docker test-compile`; JDK 25 via JAVA_HOME)
set -euo pipefail
cd "$(dirname "$0")"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
../mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
CP="target/classes:target/test-classes:$(cat target/cp.txt)"
WORK=$(mktemp -d)
SOCK="$WORK/api.sock"
exec 3> >("$JAVA" -cp "$CP" ${SERVER_JVM_OPTS:-} dev.gantry.api.docker.measure.ServeMain "$SOCK" > "$WORK/server.out" 2>&1)
cleanup() { exec 3>&-; sleep 1; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q ready "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
PID=$(awk '/ready/ {print $2}' "$WORK/server.out")
sleep 2
echo "server JVM options: ${SERVER_JVM_OPTS:-<defaults>}"
echo "idle RSS after start: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
"$JAVA" -cp "$CP" dev.gantry.api.docker.measure.PingMain "$SOCK" 1000
sleep 2
echo "RSS after pings: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
