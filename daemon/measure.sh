#!/usr/bin/env bash
# Measures gantryd built by `./mvnw -pl daemon install`: idle RSS after start, the median of
# 20 `docker run --rm --network none busybox true` through the docker CLI, and RSS after them.
# Runs a private gantryd on temporary roots and a temporary socket; removes everything after.
# Needs root, hyperfine, busybox-static and a docker CLI (DOCKER=..., default docker).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
docker=${DOCKER:-docker}
dir=$(mktemp -d /tmp/gantryd-measure.XXXX)
sock="unix://$dir/gantry.sock"
cleanup() {
  if [ -f "$dir/run/gantryd.pid" ]; then
    pid=$(cat "$dir/run/gantryd.pid")
    "$docker" -H "$sock" ps -aq | xargs -r "$docker" -H "$sock" rm -f >/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  grep -o " $dir[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l || true
  rm -rf "$dir"
}
trap cleanup EXIT
"$here/target/gantryd" --root "$dir/root" --exec-root "$dir/run" -H "$sock" >"$dir/gantryd.log" 2>&1 &
for _ in $(seq 300); do [ -f "$dir/run/gantryd.pid" ] && break; sleep 0.1; done
pid=$(cat "$dir/run/gantryd.pid")
rootfs=$dir/rootfs
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,root}
cp /bin/busybox "$rootfs/bin/"
chroot "$rootfs" /bin/busybox --install -s
tar --numeric-owner -C "$rootfs" -cf "$dir/rootfs.tar" .
"$docker" -H "$sock" import "$dir/rootfs.tar" busybox >/dev/null
sleep 2
echo "gantryd idle RSS after start: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
hyperfine -N -w 5 -r 20 --export-json "$dir/run.json" "$docker -H $sock run --rm --network none busybox true" >/dev/null
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('docker run --rm --network none busybox true: median %.1f ms, mean %.1f ms, min %.1f ms' % (r['median']*1e3, r['mean']*1e3, r['min']*1e3))" "$dir/run.json"
sleep 2
echo "gantryd idle RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
