#!/usr/bin/env bash
# A/B of two gantryd builds on `docker run --rm --network none busybox true`, interleaved run by
# run so that the load of a shared machine falls on both alike (hyperfine runs one command's runs
# before the other's). Each build gets a private root, exec root and socket; removed at the end.
# Also the RSS of each: fresh (after start and the import), loaded (2 s after the runs and a burst
# of 40 containers, 8 at a time) and idle (30 s later, after gantryd's idle collection).
# usage: sudo bench/gantryd-ab.sh OLD/gantryd NEW/gantryd [RUNS, default 60]
# (cp -a daemon/target/gantryd and daemon/target/lib of each build to its own directory first: -a keeps
# the jar times that the class-data archive checks)
# Needs root, busybox-static and a docker CLI (DOCKER=..., default docker).
set -euo pipefail
a=$(readlink -f "$1"); b=$(readlink -f "$2"); runs=${3:-60}
docker=${DOCKER:-docker}
dir=$(mktemp -d /tmp/gantryd-ab.XXXX)
cleanup() {
  for v in a b; do
    if [ -f "$dir/$v/run/gantryd.pid" ]; then
      pid=$(cat "$dir/$v/run/gantryd.pid")
      "$docker" -H "unix://$dir/$v/g.sock" ps -aq | xargs -r "$docker" -H "unix://$dir/$v/g.sock" rm -f >/dev/null || true
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  grep -o " $dir[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l || true
  rm -rf "$dir"
}
trap cleanup EXIT
rootfs=$dir/rootfs
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,root}
cp /bin/busybox "$rootfs/bin/"
chroot "$rootfs" /bin/busybox --install -s
tar --numeric-owner -C "$rootfs" -cf "$dir/rootfs.tar" .
for v in a b; do
  bin=$a; [ $v = b ] && bin=$b
  mkdir -p "$dir/$v"
  "$bin" --root "$dir/$v/root" --exec-root "$dir/$v/run" -H "unix://$dir/$v/g.sock" >"$dir/$v/gantryd.log" 2>&1 &
  for _ in $(seq 300); do [ -f "$dir/$v/run/gantryd.pid" ] && break; sleep 0.1; done
  "$docker" -H "unix://$dir/$v/g.sock" import "$dir/rootfs.tar" busybox >/dev/null
done
sleep 1
rss() { awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$(cat "$dir/$1/run/gantryd.pid")/status"; }
declare -A fresh loaded idle
for v in a b; do fresh[$v]=$(rss $v); done
run() { "$docker" -H "unix://$dir/$1/g.sock" run --rm --network none busybox true; }
for _ in $(seq 5); do run a; run b; done
for i in $(seq "$runs"); do
  for v in a b; do
    t0=$(date +%s%N); run $v; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >> "$dir/$v.us"
  done
done
for v in a b; do seq 40 | xargs -P8 -I{} "$docker" -H "unix://$dir/$v/g.sock" run --rm --network none busybox true; done
sleep 2
for v in a b; do loaded[$v]=$(rss $v); done
sleep 30
for v in a b; do idle[$v]=$(rss $v); done
python3 - "$dir" "$1" "$2" <<'PY'
import statistics, sys
d, names = sys.argv[1], sys.argv[2:]
for v, name in zip("ab", names):
    t = sorted(int(x) / 1000 for x in open(f"{d}/{v}.us"))
    print(f"{name}: median {statistics.median(t):.1f} ms, p25 {t[len(t)//4]:.1f} ms, min {t[0]:.1f} ms (n={len(t)})")
PY
echo "RSS fresh / loaded / idle (MB): $1 ${fresh[a]} / ${loaded[a]} / ${idle[a]}; $2 ${fresh[b]} / ${loaded[b]} / ${idle[b]}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
