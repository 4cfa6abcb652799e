#!/usr/bin/env bash
# When does gantryd's idle collection run? A private gantryd with its GC log on: a burst of 40
# containers (8 at a time) grows the heap, then a 45 s attached `docker run` (a hijacked
# stream), a second burst, and a 45 s `docker logs -f` (a chunked stream), then 25 s of nothing.
# Prints a timeline with each full collection: the idle one ("System.gc()") must come only after
# the streams, as a request in flight keeps the daemon from counting as idle.
#   usage: sudo bench/idle-gc.sh [--gantryd PATH]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

gantryd_bin=$repo/daemon/target/gantryd
case ${1:-} in
    --gantryd) gantryd_bin=$2 ;;
    "") ;;
    *) gantry_die "unknown argument $1 (usage: $0 [--gantryd PATH])" ;;
esac
gantry_require_root
gantry_require_tools docker
[ -x "$gantryd_bin" ] || gantry_die "no gantryd at $gantryd_bin: build it (./mvnw package) or pass --gantryd PATH"

# Short: unix socket paths are limited to 108 bytes.
work=$(mktemp -d /tmp/gig.XXXXXX)
G="docker -H unix://$work/g.sock"
IMAGE=busybox:bench
trap 'gantry_stop_private_gantryd "$work"' EXIT

GANTRYD_JAVA_OPTS="-Xlog:gc:file=$work/gc.log:utctime" gantry_start_private_gantryd "$gantryd_bin" "$work" "$IMAGE"

stamp() { echo "$(date -u +%H:%M:%S.%3N) $*" >> "$work/timeline"; }
ticker='i=0; while [ $i -lt 45 ]; do echo tick $i; i=$((i+1)); sleep 1; done'
seq 40 | xargs -P8 -I{} $G run --rm --network none "$IMAGE" true
stamp "burst over; attached run (45 s of output) begins"
$G run --rm --network none "$IMAGE" sh -c "$ticker" > /dev/null
stamp "attached run over"
$G run -d --name ticker --network none "$IMAGE" sh -c "$ticker" > /dev/null
seq 40 | xargs -P8 -I{} $G run --rm --network none "$IMAGE" true
stamp "second burst over; logs -f begins"
$G logs -f ticker > /dev/null
stamp "logs -f over"
sleep 25
stamp "25 s idle"
# "[2026-11-23T06:03:05.807+0000] GC(3) Pause Full (System.gc()) 24M->12M(21M) 49.655ms"
sed -n 's/^\[[0-9-]*T\([0-9:.]*\)+[0-9]*\] GC([0-9]*) \(Pause Full.*\)/\1 \2/p' "$work/gc.log" >> "$work/timeline"
sort "$work/timeline"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
