#!/usr/bin/env bash
# Cold pull of a multi-layer image from a loopback registry: Gantry (download + verify +
# unpack into overlay snapshots) against skopeo copy to a dir (download only, the lower bound)
# and podman pull when installed. docker pull is not run: it would write into a dockerd this
# script did not start.
#
# Usage: bench/pull.sh [layers] [MiB-per-layer] [runs] [files-per-layer]
#        (default 4 57 3 4: ~240 MB compressed in 16 large files; many small files stress unpacking)
# Needs: root, JDK 25, docker-registry, skopeo, python3; gantry-image built (mvnw install).
set -euo pipefail
LAYERS=${1:-4}
MIB=${2:-57}
RUNS=${3:-3}
FILES=${4:-4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=$(mktemp -d /var/tmp/gantry-bench.XXXXXX)
REG_PID=""
cleanup() {
  if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  # podman may leave overlay mounts under its root; unmount before removing.
  grep -o " $WORK[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf "$WORK"
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

echo "== classpath"
CP_FILE="$WORK/cp.txt"
(cd "$ROOT" && ./mvnw -B -q -o -pl image dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null)
CP="$ROOT/image/target/test-classes:$ROOT/image/target/classes:$(cat "$CP_FILE")"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

echo "== skopeo copy (download only) x$RUNS"
for r in $(seq "$RUNS"); do
  rm -rf "$WORK/skopeo"
  t0=$(now); skopeo copy -q --src-tls-verify=false "docker://$REF" "dir:$WORK/skopeo"; t1=$(now)
  echo "$t1 - $t0" | bc
done | tee "$WORK/skopeo.times"
SKOPEO=$(median < "$WORK/skopeo.times")

echo "== gantry pull (download + verify + unpack, JVM start included, -Xmx128m) x$RUNS"
for r in $(seq "$RUNS"); do
  rm -rf "$WORK/gantry"
  t0=$(now)
  "$JAVA_HOME/bin/java" -Xmx128m ${GANTRY_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$CP" dev.gantry.image.PullBenchMain "$WORK/gantry" "$REF" >"$WORK/gantry.out"
  t1=$(now)
  echo "$t1 - $t0" | bc
  cat "$WORK/gantry.out" >&2
done 2> >(sed 's/^/   /' >&2) | tee "$WORK/gantry.times"
GANTRY=$(median < "$WORK/gantry.times")

PODMAN=""
if command -v podman >/dev/null; then
  echo "== podman pull x$RUNS (private --root)"
  for r in $(seq "$RUNS"); do
    rm -rf "$WORK/podman"
    t0=$(now)
    podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" pull -q --tls-verify=false "$REF" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc
    podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" rmi -a -f >/dev/null 2>&1 || true
  done | tee "$WORK/podman.times"
  PODMAN=$(median < "$WORK/podman.times")
fi

echo
echo "median seconds: skopeo=$SKOPEO gantry=$GANTRY${PODMAN:+ podman=$PODMAN}"
echo "gantry/skopeo = $(echo "scale=2; $GANTRY / $SKOPEO" | bc)${PODMAN:+   podman/gantry = $(echo "scale=2; $PODMAN / $GANTRY" | bc)}"
