#!/usr/bin/env bash
# Times `gantry-runc run` against Debian's `runc run`, side by side in one run, on the same
# busybox bundle: whole processes under hyperfine, with and without a network namespace.
# Prints each median and the ratio gantry-runc / runc; hyperfine's JSON goes to --out.
#   usage: sudo bench/runtime.sh [--gantry PATH] [--runc PATH] [--runs N] [--warmup N] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

gantry=$repo/runtime-cli/target/gantry-runc
[ -x "$gantry" ] || gantry=/usr/local/bin/gantry-runc
runc=$(command -v runc || echo /usr/sbin/runc)
gantry_bench_defaults

while [ $# -gt 0 ]; do
    case $1 in
        --gantry) gantry=$2; shift 2 ;;
        --runc) runc=$2; shift 2 ;;
        *) gantry_bench_option "$@"; shift 2 ;;
    esac
done

gantry_require_root
gantry_require_tools hyperfine jq
[ -x "$gantry" ] || gantry_die "no gantry-runc at $gantry: build it (./mvnw package) or pass --gantry PATH"
[ -x "$runc" ] || gantry_die "no runc at $runc: apt-get install runc or pass --runc PATH"
mkdir -p "$out"

work=$(mktemp -d /tmp/gantry-bench.XXXXXX)
cleanup() {
    local rt
    for rt in gantry runc; do
        [ ! -d "$work/state-$rt" ] || "${!rt}" --root "$work/state-$rt" delete --force bench >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# One rootfs and one config.json (runc's own `spec`) for both runtimes: the same bundle.
gantry_busybox_rootfs "$work/rootfs"
(cd "$work" && "$runc" spec)
# root.path is absolute so that both variant bundles share the one rootfs (runc refuses a symlink).
jq --arg rootfs "$work/rootfs" '.process.terminal = false | .process.args = ["/bin/true"] | .root.path = $rootfs' \
    "$work/config.json" > "$work/netns.json"
jq '.linux.namespaces |= map(select(.type != "network"))' "$work/netns.json" > "$work/no-netns.json"
for variant in no-netns netns; do
    mkdir -p "$work/$variant"
    cp "$work/$variant.json" "$work/$variant/config.json"
done

declare -A medians
for variant in no-netns netns; do
    gantry_log "$variant: $runs runs each after $warmup warm-up runs"
    # -N: no intermediate shell, so only the runtime's own process tree is timed.
    hyperfine -N --warmup "$warmup" --runs "$runs" \
        --export-json "$out/runtime-$variant.json" \
        --command-name "runc" "$runc --root $work/state-runc run --bundle $work/$variant bench" \
        --command-name "gantry-runc" "$gantry --root $work/state-gantry run --bundle $work/$variant bench"
    medians[$variant,runc]=$(gantry_median_ms "$out/runtime-$variant.json" runc)
    medians[$variant,gantry]=$(gantry_median_ms "$out/runtime-$variant.json" gantry-runc)
done

echo
echo "runtime run of /bin/true in a busybox bundle, median of $runs runs ($(uname -r), $(nproc) cores)"
echo "  runc:        $runc"
echo "  gantry-runc: $gantry"
printf '%-10s %14s %18s %22s\n' variant "runc (ms)" "gantry-runc (ms)" "ratio gantry/runc"
for variant in no-netns netns; do
    r=${medians[$variant,runc]}
    g=${medians[$variant,gantry]}
    printf '%-10s %14.1f %18.1f %22.2f\n' "$variant" "$r" "$g" "$(jq -n "$g / $r")"
done
echo "hyperfine JSON: $out/runtime-no-netns.json $out/runtime-netns.json"
