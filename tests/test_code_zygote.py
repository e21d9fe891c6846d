"""The process backend's warm zygote: every session it forks is isolated from every other
session and from the zygote itself, even while both run at once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import sandbox_missing

from rewardkit.verifiers.code.sandbox import Limits, SandboxUnavailable
from rewardkit.verifiers.code.sandbox.process_backend import ProcessBackend, ProcessSession
from rewardkit.verifiers.code.sandbox.runner import decode, encode

LIMITS = Limits(time_limit=5.0, max_files=200)


@pytest.fixture
def backend() -> Iterator[ProcessBackend]:
    try:
        b = ProcessBackend(LIMITS)
        b.open_session().close()
    except SandboxUnavailable as exc:
        sandbox_missing("process", exc)
    try:
        yield b
    finally:
        b.close()


def load(session: ProcessSession, code: str) -> None:
    reply = session.request({"op": "load", "code": code}, time.monotonic() + 5)
    assert reply.get("ok"), reply


def call(session: ProcessSession, name: str) -> Any:
    reply = session.request({"op": "call", "name": name, "args": encode([]),
                             "kwargs": encode({})}, time.monotonic() + 5)
    assert reply.get("ok"), reply
    return decode(reply["value"])


PLANT = r"""
import ctypes, os, socket, time
libc = ctypes.CDLL(None, use_errno=True)
for path in ('/tmp/rk-plant', '/work/rk-plant', '/dev/shm/rk-plant', '/dev/rk-plant'):
    try:
        open(path, 'w').write('x')
    except OSError:
        pass
SHM_ID = libc.shmget(4711, 4096, 0o1000 | 0o666)          # System V shared memory
listener = socket.socket(socket.AF_UNIX)
listener.bind('\0rk-plant')                                # abstract socket: net namespace
listener.listen()
if os.fork() == 0:                                         # a daemon that outlives the call
    os.setsid()
    if os.fork() == 0:
        time.sleep(60)
    os._exit(0)
def planted():
    return [SHM_ID >= 0, os.path.exists('/tmp/rk-plant')]
"""

PROBE = r"""
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
def seen():
    found = [p for p in ('/tmp/rk-plant', '/work/rk-plant', '/dev/shm/rk-plant',
                         '/dev/rk-plant') if os.path.exists(p)]
    if libc.shmget(4711, 0, 0) >= 0:
        found.append('sysv-shm')
    try:
        socket.socket(socket.AF_UNIX).connect('\0rk-plant')
        found.append('abstract-socket')
    except OSError:
        pass
    found += [f'pid {p}' for p in os.listdir('/proc') if p.isdigit() and int(p) > 2
              and int(p) != os.getpid()]
    return found
def attack():
    # kill every process in sight, init included, and try to ptrace init
    hits = []
    for p in os.listdir('/proc'):
        if p.isdigit() and int(p) != os.getpid():
            try:
                os.kill(int(p), 9)
            except OSError:
                pass
    if libc.ptrace(16, 1, 0, 0) == 0:
        hits.append('ptrace init')
    return hits
def privileges():
    status = dict(line.split(':\t', 1) for line in open('/proc/self/status').read().splitlines()
                  if ':\t' in line)
    return {name: status[name].strip() for name in ('CapEff', 'CapPrm', 'CapBnd', 'NoNewPrivs')}
def new_user_namespace():
    return libc.unshare(0x10000000) == 0
"""


def test_concurrent_sessions_see_nothing_of_each_other(backend: ProcessBackend) -> None:
    first, second = backend.open_session(), backend.open_session()
    try:
        load(first, PLANT)
        assert call(first, "planted") == [True, True]  # the plant really happened
        load(second, PROBE)
        assert call(second, "seen") == []
        assert call(second, "attack") == []
        assert call(first, "planted") == [True, True]  # the other session lived on
    finally:
        first.close()
        second.close()


def test_the_next_session_sees_nothing_of_the_last(backend: ProcessBackend) -> None:
    first = backend.open_session()
    load(first, PLANT)
    first.close()
    second = backend.open_session()
    try:
        load(second, PROBE)
        assert call(second, "seen") == []
    finally:
        second.close()


def test_a_session_cannot_reach_the_zygote(backend: ProcessBackend) -> None:
    zygote = backend._zygote
    assert zygote is not None
    session = backend.open_session()
    try:
        load(session, PROBE)
        assert call(session, "attack") == []
    finally:
        session.close()
    time.sleep(0.2)
    assert backend._zygote is zygote and not zygote.dead()
    session = backend.open_session()
    try:
        load(session, PROBE)
        assert call(session, "seen") == []
    finally:
        session.close()


def test_sessions_hold_no_privileges(backend: ProcessBackend) -> None:
    session = backend.open_session()
    try:
        load(session, PROBE)
        assert call(session, "privileges") == {
            "CapEff": "0" * 16, "CapPrm": "0" * 16, "CapBnd": "0" * 16, "NoNewPrivs": "1"}
        assert call(session, "new_user_namespace") is False
    finally:
        session.close()


def test_closing_a_session_kills_all_it_started(backend: ProcessBackend) -> None:
    session = backend.open_session()
    load(session, PLANT)  # leaves a double-forked daemon behind
    pidfd = session._pidfd
    assert pidfd is not None
    fdinfo = Path(f"/proc/self/fdinfo/{pidfd}").read_text()
    init_pid = int(fdinfo.split("Pid:")[1].split()[0])
    namespace = os.readlink(f"/proc/{init_pid}/ns/pid")
    assert len(in_pid_namespace(namespace)) >= 3  # init, runner, daemon
    session.close()
    deadline = time.monotonic() + 3  # killed at once; on a busy host dying takes a moment
    while in_pid_namespace(namespace) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert in_pid_namespace(namespace) == []


def in_pid_namespace(namespace: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and os.readlink(f"/proc/{entry}/ns/pid") == namespace:
                found.append(entry)
        except OSError:
            pass
    return found


def test_a_dead_zygote_is_replaced(backend: ProcessBackend) -> None:
    zygote = backend._zygote
    assert zygote is not None
    os.killpg(zygote.process.pid, signal.SIGKILL)
    zygote.process.wait()
    session = backend.open_session()
    try:
        load(session, "def f():\n    return 42")
        assert call(session, "f") == 42
    finally:
        session.close()
    assert backend._zygote is not zygote


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return found


def _descendants(pid: int) -> list[int]:
    todo, found = [pid], []
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines)}


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""  # it ended meanwhile: a spare's run being cleaned up on the backend's thread


def test_the_zygote_is_non_dumpable_and_filtered(backend: ProcessBackend) -> None:
    """The Docker red team took over pid 1 with PTRACE_SEIZE. The zygote is in no run's pid
    namespace; besides, it is non-dumpable (its /proc entries belong to root, not to the
    sandbox user) and it and everything it forks run under the seccomp filter."""
    zygote = backend._zygote
    assert zygote is not None
    session = backend.open_session()
    try:
        load(session, "def f():\n    return 1")
        processes = _descendants(zygote.process.pid)
        pythons = [p for p in processes if _cmdline(p).startswith(b"/usr/bin/python3")]
        inner = _children(zygote.process.pid)[0]  # bwrap, as pid 1 of the sandbox
        zygotes = [p for p in _children(inner) if p in pythons
                   and os.readlink(f"/proc/{p}/ns/pid") == os.readlink(f"/proc/{inner}/ns/pid")]
        assert len(zygotes) == 1 and len(pythons) >= 3  # the zygote, a run's init and runner
        # /proc/<pid>/environ of a non-dumpable process belongs to root, not to its user
        owner = os.stat(f"/proc/{zygotes[0]}/environ").st_uid
        assert owner == 0 and _status(zygotes[0])["Uid"].split()[0] != "0"
        checked = 0
        for pid in pythons:
            try:
                seccomp = _status(pid)["Seccomp"]
            except OSError:
                continue  # ended since it was listed
            assert seccomp == "2", pid
            checked += 1
        assert checked >= 3
    finally:
        session.close()


def test_every_process_of_a_run_is_in_its_cgroup(backend: ProcessBackend) -> None:
    """A daemon that calls setsid() and forks twice stays in its run's cgroup (every
    hierarchy on cgroup v1), which carries the run's limits; the cgroup is emptied with the
    run (and kept for a later one), and removed with the backend."""
    session = backend.open_session()
    load(session, PLANT)  # leaves a double-forked daemon behind
    try:
        assert session._pidfd is not None
        init_pid = int(Path(f"/proc/self/fdinfo/{session._pidfd}").read_text()
                       .split("Pid:")[1].split()[0])
        namespace = os.readlink(f"/proc/{init_pid}/ns/pid")
        cgroup = session.cgroup
        deadline = time.monotonic() + 3
        while True:  # the daemon's double fork may still be under way: compare once settled
            members = _alive(in_pid_namespace(namespace))
            listed = [_alive((f / "cgroup.procs").read_text().split()) for f in cgroup.folders]
            if len(members) >= 3 and all(m == members for m in listed):
                break
            assert time.monotonic() < deadline, (members, listed)
            time.sleep(0.05)
        memory = cgroup.paths["memory"]
        limit = "memory.max" if cgroup.version == 2 else "memory.limit_in_bytes"
        assert int((memory / limit).read_text()) == LIMITS.memory_limit << 20
        assert int((cgroup.paths["pids"] / "pids.max").read_text()) == LIMITS.max_processes + 2
        if cgroup.version == 2:
            assert (cgroup.paths["cpu"] / "cpu.max").read_text().split() == ["100000", "100000"]
        else:
            assert (cgroup.paths["cpu"] / "cpu.cfs_quota_us").read_text().strip() == "100000"
    finally:
        session.close()
    deadline = time.monotonic() + 3
    while not cgroup.empty() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any((f / "cgroup.procs").read_text().split() for f in cgroup.folders)
    backend.close()
    assert not any(f.exists() for f in cgroup.folders)


def _alive(pids: list[str]) -> set[str]:
    """The pids that are neither gone nor zombies."""
    alive = set()
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX":
                alive.add(pid)
        except (OSError, IndexError):
            pass
    return alive
