# Sourced by scripts/setup, scripts/test, scripts/demo and the bench/ scripts: the one list of
# Debian packages the project needs, the JDK lookup, the package installation, and the option
# parsing and private daemons the benchmarks share.

# gcc + libc6-dev:        build the static C helper (native module)
# busybox-static:         the rootfs of every test container
# runc:                   reference runtime for the interop tier and the benchmark
# podman, conmon:         interop peer (podman --runtime gantry-runc)
# docker.io, containerd:  interop peer (a private dockerd with gantry-runc registered)
# skopeo, docker-registry: image interop (OCI layouts, a registry on 127.0.0.1)
# containernetworking-plugins: CNI plugins under /usr/lib/cni
# uidmap:                 newuidmap/newgidmap for user-namespace tests
# iptables, iproute2:     CNI bridge/portmap and network-namespace tests
# hyperfine, jq:          bench/runtime.sh and the demo's config.json edit
# util-linux, tar:        unshare(1) for the private mount namespace; image tarballs
# libseccomp-dev:         the seccomp compiler's differential test against libseccomp
# apache2-utils, openssl: htpasswd and keys for the registry auth interop tests
# curl, bc, python3:      bench/pull.sh
GANTRY_DEBIAN_PACKAGES=(
    gcc libc6-dev
    busybox-static
    runc
    podman conmon
    docker.io containerd
    skopeo docker-registry
    containernetworking-plugins
    docker-compose
    uidmap
    iptables iproute2
    hyperfine jq
    util-linux tar
    libseccomp-dev
    apache2-utils openssl
    curl bc python3
)

GANTRY_MIN_JAVA=25

gantry_log() {
    printf '==> %s\n' "$*" >&2
}

gantry_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

gantry_require_root() {
    [ "$(id -u)" -eq 0 ] || gantry_die "run as root (sudo $0): the project installs packages, mounts and starts containers"
}

# Dies naming the first of the given commands (each also its Debian package) that is not on PATH.
gantry_require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || gantry_die "$tool is missing: apt-get install $tool"
    done
}

# Prints the feature release (25 for "25.0.1") of the JDK at $1, or nothing if it is not a JDK.
gantry_jdk_release() {
    local home=$1 version
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    if [ -r "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "${version:-}" ]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
    fi
    version=${version#1.}
    printf '%s\n' "${version%%[.+-]*}"
}

# Sets and exports JAVA_HOME to a JDK >= 25: JAVA_HOME first, then the newest under /usr/lib/jvm.
gantry_find_jdk() {
    local candidate release best="" best_release=0
    if [ -n "${JAVA_HOME:-}" ]; then
        release=$(gantry_jdk_release "$JAVA_HOME")
        if [ -n "$release" ] && [ "$release" -ge "$GANTRY_MIN_JAVA" ]; then
            export JAVA_HOME
            return 0
        fi
        gantry_log "JAVA_HOME=$JAVA_HOME is not a JDK >= $GANTRY_MIN_JAVA; looking under /usr/lib/jvm"
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -d "$candidate" ] && [ ! -L "$candidate" ] || continue
        release=$(gantry_jdk_release "$candidate")
        if [ -n "$release" ] && [ "$release" -ge "$GANTRY_MIN_JAVA" ] && [ "$release" -gt "$best_release" ]; then
            best=$candidate
            best_release=$release
        fi
    done
    if [ -z "$best" ]; then
        cat >&2 <<MSG
error: no JDK $GANTRY_MIN_JAVA or newer found (looked at JAVA_HOME and /usr/lib/jvm/*).
Gantry needs Java $GANTRY_MIN_JAVA (FFM, AOT cache). Install a full JDK, for example Eclipse Temurin 25
(package temurin-25-jdk from the Adoptium apt repository, which installs /usr/lib/jvm/temurin-25-jdk-amd64),
then run this again, or point JAVA_HOME at it: sudo JAVA_HOME=/path/to/jdk-25 $0
MSG
        exit 1
    fi
    export JAVA_HOME=$best
}

# Prints the packages of GANTRY_DEBIAN_PACKAGES that dpkg does not report as installed.
gantry_missing_packages() {
    local pkg
    for pkg in "${GANTRY_DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$pkg"
    done
}

# apt-get update + install of the package list. Package scripts must not start docker or
# containerd as system services: the tests start private daemons of their own and a system
# daemon would be left running, so policy-rc.d(8) refuses every start during the install.
gantry_install_packages() {
    local policy=/usr/sbin/policy-rc.d made_policy=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# Written by gantry scripts/common.sh for the duration of an install.\nexit 101\n' > "$policy"
        chmod 755 "$policy"
        made_policy=$policy
    fi
    # shellcheck disable=SC2064 # expand now: the trap must remove exactly the file made here
    trap "rm -f $made_policy" EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${GANTRY_DEBIAN_PACKAGES[@]}"
    [ -z "$made_policy" ] || rm -f "$made_policy"
    trap - EXIT
}

# Installs only when something is missing: a run on a prepared machine does not need the network.
gantry_install_missing_packages() {
    local missing
    missing=$(gantry_missing_packages | tr '\n' ' ')
    if [ -n "${missing// /}" ]; then
        gantry_log "installing missing Debian packages: $missing"
        gantry_install_packages
    else
        gantry_log "Debian packages: all ${#GANTRY_DEBIAN_PACKAGES[@]} present"
    fi
}

# Fills $1 with a busybox root filesystem: Debian's static busybox and one symlink per applet.
gantry_busybox_rootfs() {
    local rootfs=$1 applet
    [ -x /bin/busybox ] || gantry_die "/bin/busybox is missing: apt-get install busybox-static"
    mkdir -p "$rootfs"/{bin,dev,etc,proc,root,sys,tmp}
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -sfn busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
}

# Prints the comment block at the top of the running script ($0, from line 2): its usage.
gantry_usage() {
    sed -n '2,/^[^#]/{/^#/p}' "$0"
}

# The defaults of the options every bench script takes (gantry_bench_option): 30 timed runs
# after 5 warm-up runs, hyperfine's JSON under $TMPDIR/gantry-bench.
# shellcheck disable=SC2034 # runs, warmup and out are the calling script's variables
gantry_bench_defaults() {
    runs=30
    warmup=5
    out=${TMPDIR:-/tmp}/gantry-bench
}

# The options every bench script takes, for the catch-all branch of its own option loop, which
# then shifts 2: --runs N, --warmup N and --out DIR set runs, warmup and out; -h/--help prints
# the script's usage and exits; anything else is an error.
# shellcheck disable=SC2034 # runs, warmup and out are the calling script's variables
gantry_bench_option() {
    case $1 in
        --runs) runs=$2 ;;
        --warmup) warmup=$2 ;;
        --out) out=$2 ;;
        -h|--help) gantry_usage; exit 0 ;;
        *) gantry_die "unknown argument $1 (see --help)" ;;
    esac
}

# Prints the median in milliseconds of the command named $2 in hyperfine's JSON export $1.
gantry_median_ms() {
    jq -r --arg name "$2" '.results[] | select(.command == $name) | .median * 1000' "$1"
}

# Starts a containerd and a dockerd of their own rooted in directory $2 (keep it short: unix
# socket paths are limited to 108 bytes): own configs, sockets ($2/containerd.sock,
# $2/docker.sock), logs and data, so neither the system's daemons nor /etc/docker are used. The
# arguments after $2 go to dockerd. Each pid is appended to the array named $1 as soon as its
# daemon starts, so that the caller's cleanup stops both whatever happens next. Waits up to 30 s
# for containerd's socket; waiting for dockerd is the caller's (how depends on its docker CLI).
gantry_start_private_docker() {
    local -n gantry_pids_=$1
    local d=$2
    shift 2
    mkdir -p "$d"
    cat > "$d/containerd.toml" <<TOML
version = 2
root = "$d/containerd/root"
state = "$d/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$d/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/containerd/opt"
TOML
    containerd --config "$d/containerd.toml" > "$d/containerd.log" 2>&1 &
    gantry_pids_+=($!)
    for _ in $(seq 300); do [ -S "$d/containerd.sock" ] && break; sleep 0.1; done
    echo '{}' > "$d/daemon.json"
    dockerd --config-file "$d/daemon.json" --containerd "$d/containerd.sock" --data-root "$d/data" \
        --exec-root "$d/exec" --pidfile "$d/dockerd.pid" --host "unix://$d/docker.sock" "$@" > "$d/dockerd.log" 2>&1 &
    gantry_pids_+=($!)
}

# Starts a private gantryd, launcher $1, in the short directory $2 (unix socket paths are limited
# to 108 bytes): socket g.sock, roots root/ and run/, its output in gantryd.log, busybox imported as
# $3. Sets gantryd_pid. GANTRY_JAVA and GANTRYD_JAVA_OPTS given to the call reach the launcher.
gantry_start_private_gantryd() {
    local bin=$1 dir=$2 image=$3
    gantry_busybox_rootfs "$dir/rootfs"
    tar --numeric-owner -C "$dir/rootfs" -cf "$dir/rootfs.tar" .
    "$bin" --root "$dir/root" --exec-root "$dir/run" -H "unix://$dir/g.sock" > "$dir/gantryd.log" 2>&1 &
    for _ in $(seq 300); do [ -s "$dir/run/gantryd.pid" ] && break; sleep 0.1; done
    [ -s "$dir/run/gantryd.pid" ] || gantry_die "gantryd did not start: $(cat "$dir/gantryd.log")"
    gantryd_pid=$(cat "$dir/run/gantryd.pid")
    docker -H "unix://$dir/g.sock" import "$dir/rootfs.tar" "$image" >/dev/null
}

# Undoes gantry_start_private_gantryd in directory $1: its containers, the daemon (gantryd_pid,
# when set), any mount left below the directory, the directory. For an EXIT trap.
gantry_stop_private_gantryd() {
    local dir=$1 g="docker -H unix://$1/g.sock"
    # Best effort, every step: the script is ending anyway (an EXIT trap), maybe from a failure.
    set +e
    if [ -n "${gantryd_pid:-}" ]; then
        # shellcheck disable=SC2046 # one argument per container id
        $g rm -f $($g ps -aq) >/dev/null 2>&1
        kill "$gantryd_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$gantryd_pid" 2>/dev/null || break; sleep 0.1; done
        gantryd_pid=
    fi
    grep " $dir" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$dir"
}
