#!/usr/bin/env bash
# Cold pull of a multi-layer image from a loopback registry: Gantry (download + verify +
# unpack into overlay snapshots) against skopeo copy to a dir (download only, the lower bound),
# podman pull when installed, and docker pull through a private dockerd + containerd that this
# script starts (own data root, sockets and config; stopped by pid; no other daemon touched).
#
# Every run writes into a directory of its own and nothing is deleted before the end: this
# machine's ext4 has no journal, and then every inode allocation rescans the group's free
# inodes from the start, skipping those freed in the last 60 s, or 360 s while their inode
# table block is still dirty (recently_deleted() in fs/ext4/ialloc.c); removing a previous
# run's files just before the next run would charge that scan to every file created, whichever
# tool creates it. The same holds between two invocations of this script, whose cleanup
# deletes every store (300,000 inodes for 5000 files per layer): leave 6 minutes in between.
#
# Usage: bench/pull.sh [layers] [MiB-per-layer] [runs] [files-per-layer]
#        (default 4 57 3 4: ~240 MB compressed in 16 large files; many small files stress unpacking)
# Env:   BENCH_DOCKER=0 skips the docker column; GANTRY_JAVA_OPTS adds JVM options.
# Gantry is timed three ways: a whole JVM per pull (start-up included, with an AOT cache
# trained on one untimed pull), that pull's in-process time, and a pull in a JVM that already
# pulled once (gantryd's case: dockerd, too, is running before docker pull is timed).
# Needs: root, JDK 25, docker-registry, skopeo, python3, bc; gantry-image built (mvnw install);
#        podman, docker.io (dockerd, containerd, docker CLI) for their columns.
set -euo pipefail
LAYERS=${1:-4}
MIB=${2:-57}
RUNS=${3:-3}
FILES=${4:-4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/common.sh
. "$ROOT/scripts/common.sh"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=$(mktemp -d /var/tmp/gantry-bench.XXXXXX)
REG_PID=""
DAEMON_PIDS=()
RUN_CONTAINERD_EXISTED=$([ -e /run/containerd ] && echo 1 || echo 0)
# Stops the daemons this script started (by pid, newest first), waiting up to 30 s each.
stop_daemons() {
  local i pid
  for ((i = ${#DAEMON_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${DAEMON_PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  DAEMON_PIDS=()
}
cleanup() {
  # Everything below runs whatever fails (with -e, a grep finding no mount would end it early).
  set +e
  stop_daemons
  if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  # podman and dockerd may leave overlay mounts under their roots; unmount before removing.
  grep -o " $WORK[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$WORK"
  # containerd creates /run/containerd even with its state elsewhere; leave /run as found.
  if [ "$RUN_CONTAINERD_EXISTED" = 0 ]; then rmdir /run/containerd/s /run/containerd 2>/dev/null || true; fi
}
trap cleanup EXIT

echo "== building a $LAYERS x $MIB MiB image ($FILES files per layer, random data, gzip) in $WORK"
python3 - "$WORK/layout" "$LAYERS" "$MIB" "$FILES" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile, time
out, layers, mib, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(f"{out}/blobs/sha256", exist_ok=True)
def put(data):
    d = hashlib.sha256(data).hexdigest()
    open(f"{out}/blobs/sha256/{d}", "wb").write(data)
    return "sha256:" + d
descs, diffs = [], []
for i in range(layers):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for j in range(files):
            data = os.urandom(mib * 1048576 // files)
            info = tarfile.TarInfo(f"layer{i}/d{j % 64}/file{j}.bin"); info.size = len(data); info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    diffs.append("sha256:" + hashlib.sha256(raw).hexdigest())
    gz = gzip.compress(raw, compresslevel=1, mtime=0)
    descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": put(gz), "size": len(gz)})
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
                     "rootfs": {"type": "layers", "diff_ids": diffs}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": put(config), "size": len(config)},
                       "layers": descs}).encode()
md = put(manifest)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md,
           "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}, open(f"{out}/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(f"{out}/oci-layout", "w"))
print("compressed MB:", round(sum(d["size"] for d in descs) / 1e6, 1))
PY

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/registry"
cat > "$WORK/registry/config.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $WORK/registry/data}}
http: {addr: 127.0.0.1:$PORT}
YML
/usr/bin/docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.1; done
REF="127.0.0.1:$PORT/bench/big:1"
skopeo copy -q --dest-tls-verify=false "oci:$WORK/layout:latest" "docker://$REF"

echo "== classpath and AOT cache"
CP_FILE="$WORK/cp.txt"
(cd "$ROOT" && ./mvnw -B -q -o -pl image dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null)
# An AOT cache (JDK 25, JEP 483/514/515: classes loaded, linked and profiled ahead) takes
# jars only, so the image module's classes and the bench main are jarred here.
"$JAVA_HOME/bin/jar" cf "$WORK/image.jar" -C "$ROOT/image/target/classes" .
"$JAVA_HOME/bin/jar" cf "$WORK/image-tests.jar" -C "$ROOT/image/target/test-classes" .
CP="$WORK/image-tests.jar:$WORK/image.jar:$(cat "$CP_FILE")"
JAVA=("$JAVA_HOME/bin/java" -Xmx128m ${GANTRY_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$CP")
# The training run: one untimed pull of the same image into a store of its own, as a
# packaged gantry would ship a cache trained on pulls.
# Its output is shown only on failure (the JVM that assembles the cache echoes its whole
# command line on stderr).
if ! "${JAVA[@]}" -XX:AOTCacheOutput="$WORK/gantry.aot" -Xlog:aot=error dev.gantry.image.PullBenchMain \
    "$WORK/gantry.train" "$REF" >"$WORK/train.out" 2>"$WORK/train.err"; then
  cat "$WORK/train.out" "$WORK/train.err" >&2
  exit 1
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

echo "== skopeo copy (download only) x$RUNS"
for r in $(seq "$RUNS"); do
  t0=$(now); skopeo copy -q --src-tls-verify=false "docker://$REF" "dir:$WORK/skopeo.$r"; t1=$(now)
  echo "$t1 - $t0" | bc
done | tee "$WORK/skopeo.times"
SKOPEO=$(median < "$WORK/skopeo.times")

echo "== gantry pull (download + verify + unpack; JVM start with the AOT cache included, -Xmx128m) x$RUNS"
for r in $(seq "$RUNS"); do
  t0=$(now)
  "${JAVA[@]}" -XX:AOTCache="$WORK/gantry.aot" dev.gantry.image.PullBenchMain "$WORK/gantry.$r" "$REF" >"$WORK/gantry.out"
  t1=$(now)
  echo "$t1 - $t0" | bc
  cat "$WORK/gantry.out" >&2
  grep -o 'pull_seconds=[0-9.]*' "$WORK/gantry.out" | cut -d= -f2 >>"$WORK/gantry-inproc.times"
done 2> >(sed 's/^/   /' >&2) | tee "$WORK/gantry.times"
GANTRY=$(median < "$WORK/gantry.times")
GANTRY_IN=$(median < "$WORK/gantry-inproc.times")

# gantryd's case: the JVM is already running and has pulled before. One untimed pull into a
# store of its own warms it up, then the same image is pulled into a fresh store and timed.
echo "== gantry pull in a warm JVM (in-process time of the second pull, into a fresh store) x$RUNS"
for r in $(seq "$RUNS"); do
  "${JAVA[@]}" -XX:AOTCache="$WORK/gantry.aot" dev.gantry.image.PullBenchMain "$WORK/gantry-warm.$r" "$REF" \
    "$WORK/gantry-warmup.$r" >"$WORK/gantry.out"
  grep -o 'pull_seconds=[0-9.]*' "$WORK/gantry.out" | cut -d= -f2
  sed 's/^/   /' "$WORK/gantry.out" >&2
done | tee "$WORK/gantry-warm.times"
GANTRY_WARM=$(median < "$WORK/gantry-warm.times")

PODMAN=""
if command -v podman >/dev/null; then
  echo "== podman pull x$RUNS (private --root per run)"
  for r in $(seq "$RUNS"); do
    t0=$(now)
    podman --root "$WORK/podman.$r/root" --runroot "$WORK/podman.$r/run" pull -q --tls-verify=false "$REF" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc
  done | tee "$WORK/podman.times"
  PODMAN=$(median < "$WORK/podman.times")
fi

# A private dockerd + containerd rooted in $1 (gantry_start_private_docker), trusting the
# loopback registry; returns once dockerd answers.
start_docker() {
  local d=$1
  # No bridge, no iptables: a pull needs no networking of the host's changed.
  gantry_start_private_docker DAEMON_PIDS "$d" --bridge none --iptables=false --ip6tables=false --ip-masq=false \
    --storage-driver overlay2 --insecure-registry "127.0.0.1:$PORT"
  for _ in $(seq 600); do
    DOCKER_CONFIG="$d/cli" docker --host "unix://$d/docker.sock" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "private dockerd did not start:" >&2; tail -20 "$d/dockerd.log" >&2; return 1
}

DOCKER=""
if [ "${BENCH_DOCKER:-1}" = 1 ] && command -v dockerd >/dev/null && command -v containerd >/dev/null \
   && command -v docker >/dev/null; then
  echo "== docker pull x$RUNS (private dockerd + containerd per run, overlay2)"
  # No pipeline around the loop: the daemons' pids must stay in this shell for cleanup.
  : > "$WORK/docker.times"
  for r in $(seq "$RUNS"); do
    D="$WORK/d$r"
    start_docker "$D"
    t0=$(now)
    DOCKER_CONFIG="$D/cli" docker --host "unix://$D/docker.sock" pull -q "$REF" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc | tee -a "$WORK/docker.times"
    stop_daemons
  done
  DOCKER=$(median < "$WORK/docker.times")
fi

ratio() { echo "scale=2; $1 / $2" | bc; }
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median seconds: skopeo=$SKOPEO gantry=$GANTRY (in-process $GANTRY_IN, warm JVM $GANTRY_WARM)${PODMAN:+ podman=$PODMAN}${DOCKER:+ docker=$DOCKER}"
for g in "$GANTRY" "$GANTRY_IN" "$GANTRY_WARM"; do
  echo "gantry $g s: gantry/skopeo = $(ratio "$g" "$SKOPEO")${PODMAN:+   podman/gantry = $(ratio "$PODMAN" "$g")}${DOCKER:+   docker/gantry = $(ratio "$DOCKER" "$g")}"
done
