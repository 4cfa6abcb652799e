#!/usr/bin/env bash
# Makes daemon/src/main/cds/gantryd.classlist anew: the classes a private gantryd loads while it
# starts, imports an image and runs the everyday commands (run --rm one at a time and 8 at a time,
# run -d, exec, logs, inspect, ps, images, info, volume and network ls, rm -f). make-launcher
# archives them (class data sharing) when it packages gantryd. Run it after changes that load
# many new classes; stale entries only cost a warning in daemon/target/cds.log.
#   usage: sudo scripts/gantryd-classlist.sh [--gantryd PATH]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=scripts/common.sh
. "$here/common.sh"

gantryd_bin=$repo/daemon/target/gantryd
case ${1:-} in
    --gantryd) gantryd_bin=$2 ;;
    "") ;;
    *) gantry_die "unknown argument $1 (usage: $0 [--gantryd PATH])" ;;
esac
gantry_require_root
gantry_require_tools docker
[ -x "$gantryd_bin" ] || gantry_die "no gantryd at $gantryd_bin: build it (./mvnw package) or pass --gantryd PATH"
out=$repo/daemon/src/main/cds/gantryd.classlist

# Short: unix socket paths are limited to 108 bytes.
work=$(mktemp -d /tmp/gcl.XXXXXX)
G="docker -H unix://$work/g.sock"
trap 'gantry_stop_private_gantryd "$work"' EXIT

# GANTRY_JAVA: the launcher's JVM without the current archive, so that the list is the code's own.
GANTRY_JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java GANTRYD_JAVA_OPTS="-XX:DumpLoadedClassList=$work/classlist" \
    gantry_start_private_gantryd "$gantryd_bin" "$work" busybox:classlist
for _ in $(seq 10); do $G run --rm --network none busybox:classlist true; done
seq 16 | xargs -P8 -I{} $G run --rm --network none busybox:classlist true
$G run -d --name classlist busybox:classlist sh -c 'echo started; sleep 60' >/dev/null
$G exec classlist true
$G logs classlist >/dev/null
$G inspect classlist >/dev/null
$G ps -a >/dev/null
$G images >/dev/null
$G info >/dev/null
$G volume ls >/dev/null
$G network ls >/dev/null
$G rm -f classlist >/dev/null
# The JVM writes the list as it exits.
kill "$gantryd_pid"
for _ in $(seq 100); do kill -0 "$gantryd_pid" 2>/dev/null || break; sleep 0.1; done
gantryd_pid=
# @cp lines name constant-pool indexes of one build of each class: the next build may shift them.
# The ids only matter to classes of other loaders (none here); without them a new list differs
# from the old one by the classes that changed, not by every line.
grep -v '^@cp ' "$work/classlist" | sed 's/ id: [0-9]*$//' > "$out"
gantry_log "$(grep -c '^[a-z]' "$out") classes and $(grep -c '^@' "$out") lambda entries in $out"
