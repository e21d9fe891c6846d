#!/usr/bin/env bash
# Starts what the code-sandbox tests need; safe to run again (every step is idempotent).
#  1. bubblewrap and docker.io from apt, when missing;
#  2. a private dockerd on $REWARDKIT_DOCKER_SOCK (its own data root, log file), when not answering;
#  3. the local sandbox image $REWARDKIT_SANDBOX_IMAGE, built from Debian's python3 (no registry);
#  4. the compilers and runtimes of the code verifier's other languages (gcc, g++, a JDK, node,
#     go, rustc) from apt, and the image $REWARDKIT_LANGUAGE_IMAGE holding them (no registry);
#     Go and Rust at versions that compile today's programs (see ensure_recent below), and
#     Go's standard library and C++'s <bits/stdc++.h> compiled once (build_go_cache, build_pch).
# A step that fails is reported; with REWARDKIT_REQUIRE_SANDBOXES=1 (as `make test` runs it) the
# script then exits non-zero, so a run can never go green without the sandboxes it tests.
set -uo pipefail

SOCK="${REWARDKIT_DOCKER_SOCK:-/run/rewardkit-docker.sock}"
DATA_ROOT="${REWARDKIT_DOCKER_DATA:-/var/lib/rewardkit-docker}"
LOG="${REWARDKIT_DOCKER_LOG:-/var/log/rewardkit-dockerd.log}"
IMAGE="${REWARDKIT_SANDBOX_IMAGE:-rewardkit-sandbox:py311}"
PYTHON_BIN="${REWARDKIT_SANDBOX_PYTHON:-/usr/bin/python3.11}"
LANGUAGE_IMAGE="${REWARDKIT_LANGUAGE_IMAGE:-rewardkit-sandbox:multi}"
export DOCKER_HOST="unix://$SOCK"

say() { echo "start-services: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

apt_updated=0
apt_update() {
    [ "$apt_updated" = 1 ] || as_root apt-get update -qq >/dev/null 2>&1
    apt_updated=1
}

install_packages() {
    local missing=()
    command -v bwrap >/dev/null || missing+=(bubblewrap)
    command -v dockerd >/dev/null || missing+=(docker.io)
    [ -x "$PYTHON_BIN" ] || missing+=(python3)
    [ -x /usr/bin/gcc ] || missing+=(gcc)
    [ -x /usr/bin/g++ ] || missing+=(g++)
    [ -x /usr/bin/javac ] || missing+=(default-jdk-headless)
    [ -x /usr/bin/node ] || missing+=(nodejs)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    apt_update
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || say "WARNING: apt-get install ${missing[*]} failed"
}

# at_least MIN COMMAND...: the first x.y[.z] that COMMAND prints is MIN or newer.
at_least() {
    local min=$1 have; shift
    have="$("$@" 2>&1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -1)"
    [ -n "$have" ] && printf '%s\n%s\n' "$min" "$have" | sort -V -C
}

# Go >= 1.21 and Rust >= 1.80: correct programs written today use Go's min/max builtins and
# slices/maps/cmp packages, and Rust's let-else, is_some_and and div_ceil. Debian 12 ships Go
# 1.19 and rustc 1.63, which reject them: wrong verdicts on right answers. Its rustc-web
# (main archive, kept current for its browsers) replaces rustc; Go comes from bookworm-backports.
ensure_recent() {
    local codename
    codename="$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-}")"
    if ! at_least 1.80 /usr/bin/rustc --version; then
        local rust=rustc
        apt_update
        apt-cache show rustc-web >/dev/null 2>&1 && rust=rustc-web
        say "installing $rust (Rust >= 1.80)"
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$rust" >/dev/null 2>&1 \
            || say "WARNING: apt-get install $rust failed"
    fi
    if ! at_least 1.21 /usr/bin/go version; then
        local from=()
        if [ "$codename" = bookworm ]; then
            local list=/etc/apt/sources.list.d/rewardkit-backports.list
            [ -e "$list" ] || { echo "deb http://deb.debian.org/debian bookworm-backports main" \
                | as_root tee "$list" >/dev/null; apt_updated=0; }
            apt_update
            from=(-t bookworm-backports)
        fi
        say "installing golang-go ${from[*]} (Go >= 1.21)"
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${from[@]}" golang-go \
            >/dev/null 2>&1 || say "WARNING: apt-get install golang-go failed"
    fi
    at_least 1.80 /usr/bin/rustc --version || say "WARNING: /usr/bin/rustc is older than 1.80"
    at_least 1.21 /usr/bin/go version || say "WARNING: /usr/bin/go is older than 1.21"
}

# Go's standard library compiled once into GO_CACHE, which sandboxes see read-only: Go >= 1.20
# ships none, and a build with an empty cache compiles runtime, fmt and the rest (~10 s) before
# the program. The environment is the Go entry's in verifiers/code/languages.py (the cache
# keys depend on it); a new Go builds it again.
CACHE=/var/cache/rewardkit
GO_CACHE=$CACHE/go-std
build_go_cache() {
    [ -x /usr/bin/go ] || return 0
    local version; version="$(/usr/bin/go version)"
    [ "$(cat "$GO_CACHE.version" 2>/dev/null)" = "$version" ] && return 0
    say "compiling Go's standard library into $GO_CACHE ($version)"
    as_root rm -rf "$GO_CACHE" "$GO_CACHE.version"
    as_root mkdir -p "$GO_CACHE"
    if (cd / && as_root env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/tmp TMPDIR=/tmp \
            GOCACHE="$GO_CACHE" GOPATH=/tmp/gopath GO111MODULE=off GOFLAGS=-buildvcs=false \
            CGO_ENABLED=0 GOTOOLCHAIN=local /usr/bin/go build std); then
        as_root chmod -R a+rX "$GO_CACHE"
        echo "$version" | as_root tee "$GO_CACHE.version" >/dev/null
    else
        say "WARNING: go build std failed; each Go compile will build its standard packages"
        as_root rm -rf "$GO_CACHE"
    fi
}

# <bits/stdc++.h> precompiled with the C++ compile's default flags (the cpp entry in
# verifiers/code/languages.py: -std=gnu++20 -O2 -DONLINE_JUDGE), where its -I finds it: 2-3 s
# of every compile that includes it. g++ falls back to the header where the flags differ.
PCH_FLAGS=(-std=gnu++20 -O2 -DONLINE_JUDGE)
PCH_DIR=$CACHE/pch/gnu++20-O2/bits
build_pch() {
    [ -x /usr/bin/g++ ] || return 0
    local version header
    version="$(/usr/bin/g++ --version | head -1) ${PCH_FLAGS[*]}"
    [ "$(cat "$PCH_DIR/version" 2>/dev/null)" = "$version" ] && return 0
    header="$(echo '#include <bits/stdc++.h>' | /usr/bin/g++ "${PCH_FLAGS[@]}" -x c++ -H \
        -fsyntax-only - 2>&1 | grep -m1 -oE '/[^ ]*/bits/stdc\+\+\.h$')"
    [ -n "$header" ] || { say "WARNING: no <bits/stdc++.h> found; C++ compiles it each time"; return 0; }
    say "precompiling $header into $PCH_DIR"
    as_root rm -rf "$PCH_DIR" && as_root mkdir -p "$PCH_DIR"
    if as_root /usr/bin/g++ "${PCH_FLAGS[@]}" -x c++-header "$header" -o "$PCH_DIR/stdc++.h.gch"; then
        as_root chmod -R a+rX "$CACHE/pch"
        echo "$version" | as_root tee "$PCH_DIR/version" >/dev/null
    else
        say "WARNING: precompiling <bits/stdc++.h> failed; C++ compiles it each time"
        as_root rm -rf "$PCH_DIR"
    fi
}

docker_up() { timeout 5 docker info >/dev/null 2>&1; }

start_dockerd() {
    if docker_up; then say "dockerd already answers on $SOCK"; return 0; fi
    command -v dockerd >/dev/null || { say "WARNING: no dockerd; Docker tests will be skipped"; return 1; }
    say "starting dockerd on $SOCK (data root $DATA_ROOT, log $LOG)"
    as_root mkdir -p "$DATA_ROOT"
    # Sandboxes use --network none only, so no bridge or iptables rules are needed.
    as_root setsid nohup dockerd --host "unix://$SOCK" --data-root "$DATA_ROOT" \
        --exec-root /run/rewardkit-docker-exec --pidfile /run/rewardkit-dockerd.pid \
        --bridge none --iptables=false --ip6tables=false --ip-masq=false \
        >>"$LOG" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
        docker_up && { say "dockerd is up"; return 0; }
        sleep 0.5
    done
    say "WARNING: dockerd did not answer within 30 s (see $LOG); Docker tests will be skipped"
    return 1
}

# import_root ROOT IMAGE CONSEQUENCE [CHANGE]: the sandbox user, a writable /tmp and /work, no
# setuid/setgid file, then `docker import` of ROOT as IMAGE (with one more Dockerfile CHANGE,
# if given); ROOT is removed either way.
import_root() {
    local root=$1 image=$2 extra=()
    [ -n "${4:-}" ] && extra=(--change "$4")
    printf 'root:x:0:0:root:/root:/nonexistent\nsandbox:x:65534:65534:sandbox:/work:/nonexistent\n' \
        >"$root/etc/passwd"
    printf 'root:x:0:\nsandbox:x:65534:\n' >"$root/etc/group"
    chmod 1777 "$root/tmp" "$root/work"
    # No setuid/setgid file: with no-new-privileges they would not work anyway, and none is needed.
    find "$root" -perm /6000 -type f -exec chmod ug-s {} +
    if tar -C "$root" -cf - . | docker import --change 'USER 65534:65534' --change 'WORKDIR /work' \
            --change 'CMD ["/usr/bin/python3", "-I", "-S", "-c", "import time; time.sleep(1e9)"]' \
            "${extra[@]}" - "$image" >/dev/null; then
        say "built $image ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
        rm -rf "$root"
    else
        say "WARNING: building $image failed; $3"
        rm -rf "$root"
        return 1
    fi
}

build_image() {
    if docker image inspect "$IMAGE" >/dev/null 2>&1; then say "image $IMAGE present"; return 0; fi
    [ -x "$PYTHON_BIN" ] || { say "WARNING: $PYTHON_BIN missing; cannot build $IMAGE"; return 1; }
    say "building $IMAGE from $PYTHON_BIN"
    local root; root="$(mktemp -d)"
    local stdlib; stdlib="$("$PYTHON_BIN" -I -S -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
    # The interpreter, its standard library (no tests, no third-party packages) and every shared
    # library they load: the image holds nothing else (no shell, no package manager).
    mkdir -p "$root/usr/bin" "$root/tmp" "$root/work" "$root/etc" "$root/proc" "$root/dev"
    cp -a "$PYTHON_BIN" "$root/usr/bin/"
    ln -sf "$(basename "$PYTHON_BIN")" "$root/usr/bin/python3"
    tar -C / --exclude='*/test' --exclude='*/tests' --exclude='*/idlelib' --exclude='*/tkinter' \
        --exclude='*/dist-packages' --exclude='*/site-packages' --exclude='*/ensurepip' \
        -cf - "${stdlib#/}" | tar -C "$root" -xf -
    local libs
    libs="$( { ldd "$PYTHON_BIN"; find "$stdlib/lib-dynload" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
        | grep -oE '/[^ ]+\.so[^ ]*' | sort -u)"
    for lib in $libs; do
        [ -e "$lib" ] || continue
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
    # Merged /usr: /lib and /lib64 are links, as on the host.
    if [ -d "$root/lib" ] && [ ! -L /lib ]; then :; else
        mkdir -p "$root/usr/lib" "$root/usr/lib64"
        cp -a "$root/lib/." "$root/usr/lib/" 2>/dev/null; rm -rf "$root/lib"
        cp -a "$root/lib64/." "$root/usr/lib64/" 2>/dev/null; rm -rf "$root/lib64"
        ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
    fi
    import_root "$root" "$IMAGE" "Docker tests will fail"
}

# The language image: every file of the Debian packages that hold the toolchains and Python,
# and of the packages they depend on (no documentation), with /usr merged as on the host.
# The image is labelled with the host toolchains' versions and built again when they change,
# so both backends always compile with the same versions.
build_language_image() {
    local tools=(/usr/bin/gcc /usr/bin/g++ /usr/bin/node /usr/bin/javac /usr/bin/java /usr/bin/go
                 /usr/bin/rustc "$PYTHON_BIN") tool pkg roots=()
    local stamp
    stamp="$( { for tool in "${tools[@]}"; do readlink -f "$tool"; done | xargs dpkg -S 2>/dev/null \
        | sed 's/: .*//' | sort -u | xargs dpkg-query -W 2>/dev/null; cat "$GO_CACHE.version" \
        "$PCH_DIR/version" 2>/dev/null; } | sha256sum | cut -c1-16)"
    if [ "$(docker image inspect -f '{{index .Config.Labels "rewardkit.toolchains"}}' \
            "$LANGUAGE_IMAGE" 2>/dev/null)" = "$stamp" ]; then
        say "image $LANGUAGE_IMAGE present"; return 0
    fi
    docker image rm -f "$LANGUAGE_IMAGE" >/dev/null 2>&1
    for tool in "${tools[@]}"; do
        [ -e "$tool" ] || { say "WARNING: $tool missing; cannot build $LANGUAGE_IMAGE"; return 1; }
        # the package of the command (g++) and of the file it leads to (g++-12)
        for pkg in "$(dpkg -S "$tool" 2>/dev/null | head -1 | sed 's/: .*//')" \
                "$(dpkg -S "$(readlink -f "$tool")" 2>/dev/null | head -1 | sed 's/: .*//')"; do
            [ -n "$pkg" ] && roots+=("$pkg")
        done
    done
    say "building $LANGUAGE_IMAGE from ${roots[*]} and their dependencies"
    local root; root="$(mktemp -d)"
    local packages
    packages="$(apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances "${roots[@]}" 2>/dev/null | grep -v '^[ <]' | sort -u)"
    # Paths as the files really lie (/lib/x86_64-linux-gnu/libc.so.6 is /usr/lib/...).
    # shellcheck disable=SC2086
    dpkg -L $packages 2>/dev/null | "$PYTHON_BIN" -I -S -c '
import os, sys
skip = ("/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale", "/usr/share/lintian")
seen = set()
for line in sys.stdin:
    path = line.strip()
    if not path.startswith("/") or path.startswith(skip) or not os.path.lexists(path):
        continue
    if os.path.isdir(path) and not os.path.islink(path):
        continue
    real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
    if real not in seen:
        seen.add(real)
        print(real[1:])
' >"$root.list"
    find /etc/alternatives -maxdepth 1 -type l | sed 's|^/||' >>"$root.list"
    tar -C / --no-recursion -cf - -T "$root.list" 2>/dev/null | tar -C "$root" -xf -
    rm -f "$root.list"
    mkdir -p "$root/tmp" "$root/work" "$root/etc" "$root/proc" "$root/dev"
    for link in lib lib64 bin sbin; do
        [ -L "/$link" ] && [ ! -e "$root/$link" ] && ln -s "$(readlink "/$link")" "$root/$link"
    done
    ln -sf "$(basename "$PYTHON_BIN")" "$root/usr/bin/python3"
    [ -d "$CACHE" ] && mkdir -p "$root$(dirname "$CACHE")" && cp -a "$CACHE" "$root$CACHE"
    import_root "$root" "$LANGUAGE_IMAGE" "Docker tests of other languages will fail" \
        "LABEL rewardkit.toolchains=$stamp"
}

install_packages
ensure_recent
build_go_cache
build_pch
failed=0
command -v bwrap >/dev/null || { say "WARNING: no bwrap; process-backend tests cannot run"; failed=1; }
if start_dockerd; then
    build_image || failed=1
    build_language_image || failed=1
else
    failed=1
fi
if [ "$failed" = 1 ] && [ "${REWARDKIT_REQUIRE_SANDBOXES:-0}" = 1 ]; then
    say "ERROR: a sandbox component is missing and REWARDKIT_REQUIRE_SANDBOXES=1"
    exit 1
fi
exit 0
