#!/usr/bin/env bash
# Starts what the code-sandbox tests need; safe to run again (every step is idempotent).
#  1. bubblewrap and docker.io from apt, when missing;
#  2. a private dockerd on $REWARDKIT_DOCKER_SOCK (its own data root, log file), when not answering;
#  3. the local sandbox image $REWARDKIT_SANDBOX_IMAGE, built from Debian's python3 (no registry);
#  4. the compilers and runtimes of the code verifier's other languages (gcc, g++, a JDK, node,
#     go, rustc) from apt, and the image $REWARDKIT_LANGUAGE_IMAGE holding them (no registry).
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

install_packages() {
    local missing=()
    command -v bwrap >/dev/null || missing+=(bubblewrap)
    command -v dockerd >/dev/null || missing+=(docker.io)
    [ -x "$PYTHON_BIN" ] || missing+=(python3)
    [ -x /usr/bin/gcc ] || missing+=(gcc)
    [ -x /usr/bin/g++ ] || missing+=(g++)
    [ -x /usr/bin/javac ] || missing+=(default-jdk-headless)
    [ -x /usr/bin/node ] || missing+=(nodejs)
    [ -x /usr/bin/go ] || missing+=(golang-go)
    [ -x /usr/bin/rustc ] || missing+=(rustc)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    as_root apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || say "WARNING: apt-get install ${missing[*]} failed"
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

# import_root ROOT IMAGE CONSEQUENCE: the sandbox user, a writable /tmp and /work, no
# setuid/setgid file, then `docker import` of ROOT as IMAGE; ROOT is removed either way.
import_root() {
    local root=$1 image=$2
    printf 'root:x:0:0:root:/root:/nonexistent\nsandbox:x:65534:65534:sandbox:/work:/nonexistent\n' \
        >"$root/etc/passwd"
    printf 'root:x:0:\nsandbox:x:65534:\n' >"$root/etc/group"
    chmod 1777 "$root/tmp" "$root/work"
    # No setuid/setgid file: with no-new-privileges they would not work anyway, and none is needed.
    find "$root" -perm /6000 -type f -exec chmod ug-s {} +
    if tar -C "$root" -cf - . | docker import --change 'USER 65534:65534' --change 'WORKDIR /work' \
            --change 'CMD ["/usr/bin/python3", "-I", "-S", "-c", "import time; time.sleep(1e9)"]' \
            - "$image" >/dev/null; then
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
build_language_image() {
    if docker image inspect "$LANGUAGE_IMAGE" >/dev/null 2>&1; then say "image $LANGUAGE_IMAGE present"; return 0; fi
    local roots=() tool pkg
    for tool in /usr/bin/gcc /usr/bin/g++ /usr/bin/node /usr/bin/javac /usr/bin/java /usr/bin/go \
            /usr/bin/rustc "$PYTHON_BIN"; do
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
    import_root "$root" "$LANGUAGE_IMAGE" "Docker tests of other languages will fail"
}

install_packages
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
