#!/usr/bin/env bash
# Times `docker run --rm busybox true` on the default bridge network (a veth, an address, NAT)
# through a private gantryd, a private dockerd + containerd and podman, side by side under
# hyperfine; prints each median and the ratios. Every daemon has its own root, socket, bridge
# and subnet; the host's iptables FORWARD policy, which dockerd sets to DROP, is put back.
#   usage: sudo bench/network.sh [--gantryd PATH] [--runs N] [--warmup N] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

gantryd=$repo/daemon/target/gantryd
[ -x "$gantryd" ] || gantryd=/usr/local/bin/gantryd
gantry_bench_defaults

while [ $# -gt 0 ]; do
    case $1 in
        --gantryd) gantryd=$2; shift 2 ;;
        *) gantry_bench_option "$@"; shift 2 ;;
    esac
done

gantry_require_root
gantry_require_tools hyperfine jq docker
[ -x "$gantryd" ] || gantry_die "no gantryd at $gantryd: build it (./mvnw package) or pass --gantryd PATH"
mkdir -p "$out"

work=$(mktemp -d /tmp/gnb.XXXXXX)
tag=$(printf '%04x' $((RANDOM % 65536)))
octet=$((200 + RANDOM % 50))
gbridge=gtbg$tag
dbridge=gtbd$tag
forward_policy=$(iptables -S FORWARD | awk '$1 == "-P" {print $3}')
docker_chains_before=$(iptables-save -t filter | grep -c '^:DOCKER' || true)
podman_bridge_before=$( (ip -o link show cni-podman0 2>/dev/null || true) | wc -l)
pids=()
cleanup() {
    set +e
    [ ! -S "$work/g.sock" ] || docker -H "unix://$work/g.sock" rm -f $(docker -H "unix://$work/g.sock" ps -aq) >/dev/null 2>&1
    # Last started first: dockerd before the containerd it uses.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; wait "${pids[i]}" 2>/dev/null; done
    [ -z "$forward_policy" ] || iptables -P FORWARD "$forward_policy"
    # dockerd's rules for its bridge and subnet (not all live in DOCKER chains).
    for t in filter nat; do
        iptables-save -t $t | awk -v b="$dbridge" -v n="10.$octet.1." 'index($0, b) || index($0, n) {sub(/^-A /, ""); print}' \
            | grep -v '^[:*]' | while read -r rule; do eval "iptables -t $t -D $rule" 2>/dev/null; done
    done
    if [ "$docker_chains_before" = 0 ]; then
        for t in filter nat; do
            iptables-save -t $t | awk '/^-A .*DOCKER/ {sub(/^-A /, ""); print}' | while read -r rule; do
                eval "iptables -t $t -D $rule" 2>/dev/null
            done
            for c in $(iptables-save -t $t | awk -F'[: ]' '/^:DOCKER/ {print $2}'); do iptables -t $t -X "$c" 2>/dev/null; done
        done
    fi
    ip link delete "$gbridge" 2>/dev/null
    # podman's default network leaves its bridge behind, as podman does everywhere.
    [ "$podman_bridge_before" != 0 ] || ip link delete cni-podman0 2>/dev/null
    ip link delete "$dbridge" 2>/dev/null
    grep -o " $work[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$work"
}
trap cleanup EXIT

gantry_busybox_rootfs "$work/rootfs"
tar --numeric-owner -C "$work/rootfs" -cf "$work/busybox.tar" .

gantry_log "private gantryd (bridge $gbridge, 10.$octet.0.0/24)"
"$gantryd" --root "$work/groot" --exec-root "$work/grun" -H "unix://$work/g.sock" --bridge "$gbridge" \
    --bip "10.$octet.0.0/24" > "$work/gantryd.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do [ -S "$work/g.sock" ] && break; sleep 0.1; done
[ -S "$work/g.sock" ] || gantry_die "gantryd did not start: $(cat "$work/gantryd.log")"
docker -H "unix://$work/g.sock" import "$work/busybox.tar" busybox:bench >/dev/null
commands=(-n gantryd "docker -H unix://$work/g.sock run --rm busybox:bench /bin/true")

if command -v dockerd >/dev/null && command -v containerd >/dev/null; then
    gantry_log "private dockerd + containerd (bridge $dbridge, 10.$octet.1.0/24)"
    d=$work/d
    mkdir -p "$d"
    ip link add "$dbridge" type bridge
    ip addr add "10.$octet.1.1/24" dev "$dbridge"
    ip link set "$dbridge" up
    gantry_start_private_docker pids "$d" --bridge "$dbridge" --storage-driver overlay2
    for _ in $(seq 600); do docker -H "unix://$d/docker.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
    docker -H "unix://$d/docker.sock" import "$work/busybox.tar" busybox:bench >/dev/null
    commands+=(-n dockerd "docker -H unix://$d/docker.sock run --rm busybox:bench /bin/true")
fi

if command -v podman >/dev/null; then
    p="--root $work/proot --runroot $work/prun"
    # shellcheck disable=SC2086
    podman $p import "$work/busybox.tar" busybox:bench >/dev/null
    # podman's default nofile and nproc are above this host's hard limits (CAP_SYS_RESOURCE is missing): ask for less.
    commands+=(-n podman "podman $p run --rm --network bridge --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 busybox:bench /bin/true")
fi

# gantryd runs the firewall plugin only when FORWARD may drop (a dockerd started on a host whose
# ip_forward was 0 sets the policy to DROP): say which case was measured.
policy_during=$(iptables -S FORWARD | awk '$1 == "-P" {print $3}')
hyperfine -N --runs "$runs" --warmup "$warmup" --export-json "$out/network.json" "${commands[@]}" >&2
# gantryd turns the kernel's rcu_expedited switch on at start (iptables runs wait for RCU grace
# periods; the switch is host-wide, so dockerd and podman run with it too): say which.
echo "docker run --rm busybox true on the default bridge, $runs runs ($(uname -r), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), FORWARD policy $policy_during, rcu_expedited $(cat /sys/kernel/rcu_expedited 2>/dev/null || echo -))"
jq -r '.results[] | "\(.command)\tmedian \(.median * 10000 | floor / 10) ms\tmin \(.min * 10000 | floor / 10) ms"' "$out/network.json"
jq -r '.results[0].median as $g | .results[1:][] | "\(.command) / gantryd = \(.median / $g * 100 | floor / 100)"' "$out/network.json"
