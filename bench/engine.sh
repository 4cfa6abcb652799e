#!/usr/bin/env bash
# The container engines side by side in one run, through their own CLIs on the same busybox
# image: gantryd (the docker CLI against it), a private dockerd + containerd (the docker CLI),
# and podman (no daemon; conmon per container). Measures
#   1. `run --rm --network none busybox true`, one at a time (hyperfine, median);
#   2. 40 of those, 8 at a time (xargs -P8; hyperfine, median of the whole batch);
#   3. the daemon's idle memory, fresh (after start and an import) and loaded (after 1 and 2): RSS of
#      gantryd; of dockerd + containerd;
#   4. what each engine adds per running container beyond the container's own processes: PSS of
#      the engine's processes with N idle containers minus with none, divided by N (gantryd; dockerd +
#      containerd + every containerd-shim; podman's conmons).
#   usage: sudo bench/engine.sh [--gantryd PATH] [--runs N] [--warmup N] [--idle N] [--no-podman] [--no-dockerd] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

gantryd_bin=$repo/daemon/target/gantryd
gantry_bench_defaults
# gantryd is a JVM: its JIT compiles the per-container code over the first ~10-20 containers
# (see the launcher); every engine gets the same warm-up runs.
warmup=20
idle=20
use_podman=1
use_dockerd=1

while [ $# -gt 0 ]; do
    case $1 in
        --gantryd) gantryd_bin=$2; shift 2 ;;
        --idle) idle=$2; shift 2 ;;
        --no-podman) use_podman=0; shift ;;
        --no-dockerd) use_dockerd=0; shift ;;
        *) gantry_bench_option "$@"; shift 2 ;;
    esac
done

gantry_require_root
gantry_require_tools hyperfine jq docker
[ -x "$gantryd_bin" ] || gantry_die "no gantryd at $gantryd_bin: build it (./mvnw package) or pass --gantryd PATH"
[ "$use_dockerd" = 0 ] || command -v dockerd >/dev/null || gantry_die "dockerd is missing: apt-get install docker.io containerd (or --no-dockerd)"
[ "$use_podman" = 0 ] || command -v podman >/dev/null || use_podman=0
mkdir -p "$out"

# Short: unix socket paths are limited to 108 bytes.
work=$(mktemp -d /tmp/gbe.XXXXXX)
gantryd_pid=
dockerd_pid=
containerd_pid=
export DOCKER_CONFIG=$work/cli
export CONTAINERS_CONF=$work/containers.conf
G="docker -H unix://$work/g.sock"
D="docker -H unix://$work/d.sock"
P="podman --root $work/podman/root --runroot $work/podman/run --tmpdir $work/podman/tmp --cgroup-manager cgroupfs --events-backend file --runtime runc"
IMAGE=busybox:bench

stop_pid() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    set +e
    [ -z "$gantryd_pid" ] || $G rm -f $($G ps -aq) >/dev/null 2>&1
    [ -z "$dockerd_pid" ] || $D rm -f $($D ps -aq) >/dev/null 2>&1
    [ "$use_podman" = 0 ] || { $P rm -af -t 0 >/dev/null 2>&1; $P system reset -f >/dev/null 2>&1; }
    stop_pid "$gantryd_pid"
    stop_pid "$dockerd_pid"
    stop_pid "$containerd_pid"
    grep " $work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

await_socket() {
    local sock=$1 name=$2
    for _ in $(seq 300); do [ -S "$sock" ] && return 0; sleep 0.1; done
    gantry_die "$name did not create $sock"
}

# kB of a process: "rss" (VmRSS) or "pss" (smaps_rollup), summed over the given pids.
mem_kb() {
    local kind=$1 sum=0 pid v
    shift
    for pid in "$@"; do
        if [ "$kind" = rss ]; then
            v=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        else
            v=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
        fi
        sum=$((sum + ${v:-0}))
    done
    echo "$sum"
}

# Our own processes of that name only: other engines on the machine may run the same programs.
pids_of() { pgrep -f "^[^ ]*$1 .*$work" || true; }

# podman reads registry credentials from DOCKER_CONFIG too, and insists the file exists.
mkdir -p "$DOCKER_CONFIG" && echo '{}' > "$DOCKER_CONFIG/config.json"
gantry_log "busybox image"
gantry_busybox_rootfs "$work/rootfs"
tar --numeric-owner -C "$work/rootfs" -cf "$work/rootfs.tar" .
printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$CONTAINERS_CONF"

gantry_log "gantryd"
"$gantryd_bin" --root "$work/g/root" --exec-root "$work/g/run" -H "unix://$work/g.sock" > "$work/gantryd.log" 2>&1 &
await_socket "$work/g.sock" gantryd
# The socket is bound a moment before the pid file is written.
for _ in $(seq 100); do [ -s "$work/g/run/gantryd.pid" ] && break; sleep 0.1; done
gantryd_pid=$(cat "$work/g/run/gantryd.pid")
$G import "$work/rootfs.tar" "$IMAGE" >/dev/null
sleep 1
g_fresh_rss=$(mem_kb rss "$gantryd_pid")

engines=(gantryd)
if [ "$use_dockerd" = 1 ]; then
    gantry_log "private containerd + dockerd (overlay2, no bridge, no iptables)"
    mkdir -p "$work/ctd"
    printf 'version = 2\nroot = "%s/ctd/root"\nstate = "%s/ctd/state"\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "%s/ctd.sock"\n' \
        "$work" "$work" "$work" > "$work/ctd/config.toml"
    containerd --config "$work/ctd/config.toml" > "$work/containerd.log" 2>&1 &
    containerd_pid=$!
    await_socket "$work/ctd.sock" containerd
    dockerd --containerd "$work/ctd.sock" --data-root "$work/d/data" --exec-root "$work/d/exec" --pidfile "$work/d/dockerd.pid" \
        -H "unix://$work/d.sock" --bridge none --iptables=false --ip6tables=false --ip-masq=false --storage-driver overlay2 \
        > "$work/dockerd.log" 2>&1 &
    dockerd_pid=$!
    await_socket "$work/d.sock" dockerd
    for _ in $(seq 100); do $D version >/dev/null 2>&1 && break; sleep 0.2; done
    $D import "$work/rootfs.tar" "$IMAGE" >/dev/null
    sleep 1
    d_fresh_rss=$(mem_kb rss "$dockerd_pid" "$containerd_pid")
    engines+=(dockerd)
fi
if [ "$use_podman" = 1 ]; then
    gantry_log "podman (runc, cgroupfs, overlay)"
    $P import "$work/rootfs.tar" "$IMAGE" >/dev/null
    engines+=(podman)
fi

cli_of() {
    case $1 in
        gantryd) echo "$G" ;;
        dockerd) echo "$D" ;;
        podman) echo "$P" ;;
    esac
}

for e in "${engines[@]}"; do
    $(cli_of "$e") run --rm --network none $IMAGE true || gantry_die "$e cannot run $IMAGE (its logs are in $work)"
done

gantry_log "1. run --rm --network none $IMAGE true: $runs runs after $warmup warm-up runs each"
cmds=()
for e in "${engines[@]}"; do cmds+=(-n "$e" "$(cli_of "$e") run --rm --network none $IMAGE true"); done
hyperfine -N --runs "$runs" --warmup "$warmup" --export-json "$out/engine-run.json" "${cmds[@]}" >/dev/null

gantry_log "2. 40 containers, 8 at a time: 5 batches each"
cmds=()
for e in "${engines[@]}"; do
    cmds+=(-n "$e" "seq 40 | xargs -P8 -I{} $(cli_of "$e") run --rm --network none $IMAGE true")
done
hyperfine --runs 5 --warmup 1 --export-json "$out/engine-burst.json" "${cmds[@]}" >/dev/null

gantry_log "3. idle daemon memory"
sleep 2
g_idle_rss=$(mem_kb rss "$gantryd_pid")
g_idle_pss=$(mem_kb pss "$gantryd_pid")
if [ "$use_dockerd" = 1 ]; then
    d_idle_rss=$(mem_kb rss "$dockerd_pid" "$containerd_pid")
    d_idle_pss=$(mem_kb pss "$dockerd_pid" "$containerd_pid")
fi

gantry_log "4. $idle idle containers (sleep) per engine"
per_container() {
    local e=$1 cli before after i
    cli=$(cli_of "$e")
    case $e in
        gantryd) before=$(mem_kb pss "$gantryd_pid") ;;
        dockerd) before=$(mem_kb pss "$dockerd_pid" "$containerd_pid" $(pids_of containerd-shim-runc-v2)) ;;
        podman) before=$(mem_kb pss $(pids_of conmon)) ;;
    esac
    for i in $(seq "$idle"); do $cli run -d --network none --name "idle$i" "$IMAGE" sleep 3600 >/dev/null; done
    sleep 2
    case $e in
        gantryd) after=$(mem_kb pss "$gantryd_pid") ;;
        dockerd) after=$(mem_kb pss "$dockerd_pid" "$containerd_pid" $(pids_of containerd-shim-runc-v2)) ;;
        podman) after=$(mem_kb pss $(pids_of conmon)) ;;
    esac
    # podman's rm -f stops with the stop timeout first (sleep as PID 1 ignores SIGTERM): kill at once, as docker's does.
    if [ "$e" = podman ]; then $cli rm -f -t 0 $(for i in $(seq "$idle"); do echo "idle$i"; done) >/dev/null
    else $cli rm -f $(for i in $(seq "$idle"); do echo "idle$i"; done) >/dev/null; fi
    echo $(( (after - before) / idle ))
}
declare -A per
for e in "${engines[@]}"; do per[$e]=$(per_container "$e"); done

median_ms() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .median * 1000 | floor' "$1"; }
printf '\n%-8s %14s %16s %22s %19s\n' engine "run --rm (ms)" "40 by 8 (ms)" "RSS fresh/loaded (MB)" "per container (kB)"
for e in "${engines[@]}"; do
    case $e in
        gantryd) rss="$((g_fresh_rss / 1024)) / $((g_idle_rss / 1024))" ;;
        dockerd) rss="$((d_fresh_rss / 1024)) / $((d_idle_rss / 1024))" ;;
        podman) rss=- ;;
    esac
    printf '%-8s %14s %16s %22s %19s\n' "$e" "$(median_ms "$out/engine-run.json" "$e")" "$(median_ms "$out/engine-burst.json" "$e")" \
        "$rss" "${per[$e]}"
done
g_run=$(median_ms "$out/engine-run.json" gantryd)
for e in "${engines[@]}"; do
    [ "$e" = gantryd ] || printf '%s / gantryd: run --rm %.1fx, 40 by 8 %.1fx\n' "$e" \
        "$(echo "$(median_ms "$out/engine-run.json" "$e") / $g_run" | bc -l)" \
        "$(echo "$(median_ms "$out/engine-burst.json" "$e") / $(median_ms "$out/engine-burst.json" gantryd)" | bc -l)"
done
printf 'idle PSS: gantryd %d MB' $((g_idle_pss / 1024))
[ "$use_dockerd" = 0 ] || printf ', dockerd + containerd %d MB' $((d_idle_pss / 1024))
printf '\nhyperfine JSON: %s/engine-run.json, %s/engine-burst.json\n' "$out" "$out"
