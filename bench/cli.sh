#!/usr/bin/env bash
# Times the gantry CLI against the docker CLI, side by side against one private gantryd:
# `ps` with 10 running containers, and `run --rm busybox true`. Whole processes under hyperfine
# (JVM start-up included); prints medians, the ratio gantry/docker and the difference in ms.
#   usage: sudo bench/cli.sh [--gantry PATH] [--gantryd PATH] [--docker PATH] [--runs N] [--warmup N] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

gantry=$repo/cli/target/gantry
[ -x "$gantry" ] || gantry=/usr/local/bin/gantry
gantryd=$repo/daemon/target/gantryd
[ -x "$gantryd" ] || gantryd=/usr/local/bin/gantryd
docker=$(command -v docker || echo /usr/bin/docker)
gantry_bench_defaults

while [ $# -gt 0 ]; do
    case $1 in
        --gantry) gantry=$2; shift 2 ;;
        --gantryd) gantryd=$2; shift 2 ;;
        --docker) docker=$2; shift 2 ;;
        *) gantry_bench_option "$@"; shift 2 ;;
    esac
done

gantry_require_root
gantry_require_tools hyperfine jq tar
[ -x "$gantry" ] || gantry_die "no gantry at $gantry: build it (./mvnw -pl cli package) or pass --gantry PATH"
[ -x "$gantryd" ] || gantry_die "no gantryd at $gantryd: build it or pass --gantryd PATH"
[ -x "$docker" ] || gantry_die "no docker CLI at $docker: apt-get install docker.io or pass --docker PATH"
mkdir -p "$out"

work=$(mktemp -d /tmp/gantry-cli-bench.XXXXXX)
sock=$work/gantry.sock
daemon_pid=
cleanup() {
    if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
        "$gantry" -H "unix://$sock" ps -aq 2>/dev/null | xargs -r "$gantry" -H "unix://$sock" rm -f >/dev/null 2>&1 || true
        kill "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$daemon_pid" 2>/dev/null || true
    fi
    grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

gantry_log "private gantryd on $sock"
"$gantryd" --root "$work/root" --exec-root "$work/run" -H "unix://$sock" > "$work/gantryd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || gantry_die "gantryd did not start: $(cat "$work/gantryd.log")"

gantry_busybox_rootfs "$work/rootfs"
tar --numeric-owner -C "$work/rootfs" -cf "$work/busybox.tar" .
"$gantry" -H "unix://$sock" import "$work/busybox.tar" busybox:latest >/dev/null
for i in $(seq 10); do
    "$gantry" -H "unix://$sock" run -d --name "bench$i" busybox sleep 100000 >/dev/null
done

declare -A medians
gantry_log "ps with 10 containers: $runs runs each after $warmup warm-up runs"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$out/cli-ps.json" \
    --command-name docker "$docker -H unix://$sock ps" \
    --command-name gantry "$gantry -H unix://$sock ps"
medians[ps,docker]=$(gantry_median_ms "$out/cli-ps.json" docker)
medians[ps,gantry]=$(gantry_median_ms "$out/cli-ps.json" gantry)

gantry_log "run --rm busybox true: $runs runs each after $warmup warm-up runs"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$out/cli-run.json" \
    --command-name docker "$docker -H unix://$sock run --rm busybox true" \
    --command-name gantry "$gantry -H unix://$sock run --rm busybox true"
medians[run,docker]=$(gantry_median_ms "$out/cli-run.json" docker)
medians[run,gantry]=$(gantry_median_ms "$out/cli-run.json" gantry)

echo
echo "gantry CLI against the docker CLI on one gantryd, median of $runs runs ($(uname -r), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo "  gantry: $gantry"
echo "  docker: $docker ($("$docker" --version))"
printf '%-26s %12s %12s %10s %12s\n' command "docker (ms)" "gantry (ms)" ratio "gantry-docker"
for cmd in ps run; do
    d=${medians[$cmd,docker]}
    g=${medians[$cmd,gantry]}
    label=$([ "$cmd" = ps ] && echo "ps (10 containers)" || echo "run --rm busybox true")
    printf '%-26s %12.1f %12.1f %10.2f %+12.1f\n' "$label" "$d" "$g" "$(jq -n "$g / $d")" "$(jq -n "$g - $d")"
done
echo "hyperfine JSON: $out/cli-ps.json $out/cli-run.json"
