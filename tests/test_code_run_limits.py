"""Per-run limits of the process backend (issue 12, findings 6 and 7, and "nothing persists").

Each attack here is written to earn reward, or leave a trace on the host, if it works. Before
per-run cgroups every limit but the wall clock was an rlimit of one process (or of the sandbox
user), so a run's processes together could hold many times its memory limit and take every
CPU of the host; and nothing but the pid namespaces kept a run away from ptrace.
"""

from __future__ import annotations

import os
import platform
import struct
import threading
import time
from pathlib import Path

import pytest
from conftest import code_verifier_on, sandbox_missing

from rewardkit import Result, Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.sandbox import (
    Limits,
    SandboxUnavailable,
    run_cgroup,
    seccomp_filter,
)
from rewardkit.verifiers.code.sandbox import process_backend as process_backend_module
from rewardkit.verifiers.code.sandbox.process_backend import ProcessBackend

LIMITS = {"time_limit": 5.0, "memory_limit": 256, "max_files": 200}


@pytest.fixture(scope="module")
def verifier():  # type: ignore[no-untyped-def]
    yield from code_verifier_on("process", LIMITS)


def asserts(verifier: CodeVerifier, program: str, tests: str) -> Result:
    return verifier.verify(Sample(completion=program, reference={"tests": tests}))


def io(verifier: CodeVerifier, program: str, stdout: str = "pwned") -> Result:
    return verifier.verify(Sample(completion=program,
                                  reference={"cases": [{"stdin": "", "stdout": stdout}]}))


def memory_hit(result: Result) -> None:
    assert result.reward == 0.0 and not result.passed, result
    assert result.details.get("limit") == "memory", result
    assert result.status is Status.OK, result  # the solution is wrong, not the verifier


# --- finding 6: memory is per run, not per process ----------------------------------------

HOLDERS = r"""
import os, time
def held(count, megabytes, daemon=False):
    # fork `count` processes that each touch `megabytes` and say so, then hold it a while
    r, w = os.pipe()
    for _ in range(count):
        if os.fork() == 0:
            if daemon:            # a setsid'd, double-forked grandchild
                os.setsid()
                if os.fork():
                    os._exit(0)
            block = b'x' * (megabytes << 20)
            os.write(w, b'1')
            time.sleep(1.5)
            os._exit(len(block) and 0)
    os.close(w)
    got = b''
    while len(got) < count:
        chunk = os.read(r, count)
        if not chunk:
            break
        got += chunk
    return len(got)
"""


def test_processes_together_stay_within_the_memory_limit(verifier):  # type: ignore[no-untyped-def]
    """Finding 6: RLIMIT_AS binds each process alone, so six children each held 400 MB at
    once under a 512 MiB limit (2.4 GB; 31 x 512 MiB was possible) and the test passed."""
    memory_hit(asserts(verifier, HOLDERS, "assert held(6, 100) == 6"))


def test_memory_held_by_a_setsid_grandchild_counts(verifier):  # type: ignore[no-untyped-def]
    """A daemon (setsid, double fork) that holds memory while the caller allocates as much
    again: each process stayed under its own RLIMIT_AS and the run held 300 MB of 256."""
    program = HOLDERS + "def both():\n    kept = held(1, 150, daemon=True)\n" \
                        "    mine = b'y' * (150 << 20)\n    return kept + (len(mine) > 0)\n"
    memory_hit(asserts(verifier, program, "assert both() == 2"))


def test_fork_bomb_with_memory(verifier):  # type: ignore[no-untyped-def]
    """Twenty forked children of 25 MB each (I/O style): under the old per-process limit all
    twenty held their memory at once (500 MB under 256 MiB) and the program printed."""
    program = HOLDERS + "if held(20, 25) == 20:\n    print('pwned')\n"
    memory_hit(io(verifier, program))


def test_system_v_shared_memory_counts(verifier):  # type: ignore[no-untyped-def]
    """System V segments outlive their mapping: a run made and touched four of 100 MB and
    detached each. Detached, they count in no process's address space, so RLIMIT_AS never
    saw the 400 MB; they are charged to the run's cgroup now."""
    program = r"""
import ctypes, mmap
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmdt.argtypes = [ctypes.c_void_p]
def segments():
    made = 0
    for key in range(4):
        shm = libc.shmget(0x5200 + key, 100 << 20, 0o1000 | 0o600)
        if shm < 0:
            break
        address = libc.shmat(shm, None, 0)
        ctypes.memset(address, 1, 100 << 20)
        libc.shmdt(ctypes.c_void_p(address))
        made += 1
    return made
"""
    memory_hit(asserts(verifier, program, "assert segments() == 4"))


def test_honest_memory_use_still_passes(verifier):  # type: ignore[no-untyped-def]
    """The honest twin: a few processes well within the limit together."""
    result = asserts(verifier, HOLDERS, "assert held(3, 30) == 3")
    assert result.passed, result


# --- finding 7: one run cannot starve another ---------------------------------------------

BUSY = r"""
import os, time
def busy(count):
    # `count` busy processes, each in a session of its own (out of the caller's autogroup)
    for _ in range(count):
        if os.fork() == 0:
            os.setsid()
            while True:
                pass
"""


SHARES = BUSY + r"""
def attack(count, settle, window):
    # the CPU seconds per second of wall time that `count` busy setsid'd children get
    busy(count)
    def used():
        total = 0
        for pid in os.listdir('/proc'):
            if pid.isdigit() and int(pid) > 2 and int(pid) != os.getpid():
                try:
                    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
                    total += int(fields[11]) + int(fields[12])
                except (OSError, IndexError, ValueError):
                    pass
        return total / os.sysconf('SC_CLK_TCK')
    time.sleep(settle)
    start, before = time.monotonic(), used()
    time.sleep(window)
    return (used() - before) / (time.monotonic() - start)
def spin(window):
    # the CPU seconds per second of wall time that one honest busy process gets
    start, cpu = time.monotonic(), time.process_time()
    while time.monotonic() - start < window:
        pass
    return (time.process_time() - cpu) / (time.monotonic() - start)
"""


def test_a_run_gets_at_most_its_cpu_quota(verifier):  # type: ignore[no-untyped-def]
    """Finding 7: 32 busy processes, each calling setsid() to leave its autogroup, took every
    CPU of the host. Here a run measures the CPU time its own busy children got in one second
    of wall time, and passes if it got more than 1.25 CPUs: its cgroup grants one."""
    result = asserts(verifier, SHARES, "assert attack(16, 0.3, 1.0) > 1.25")
    assert result.reward == 0.0 and not result.passed, result
    assert "assertion failed" in result.reason, result  # it ran, and got no more than its share


def test_a_busy_run_does_not_starve_a_concurrent_one(verifier):  # type: ignore[no-untyped-def]
    """Finding 7: a concurrent honest sample that needs 0.84 s alone timed out (limits of 3 s
    and 5 s) next to 32 busy setsid'd processes. Its twin here needs a fraction of a second
    of CPU, and must pass with a 5 s limit while another run keeps 30 processes busy."""
    hostile = BUSY + "busy(28)\nimport time\ntime.sleep(60)\n"  # 28: the rlimit's most
    results: list[Result] = []
    attacker = threading.Thread(target=lambda: results.append(io(verifier, hostile)))
    attacker.start()
    other_worker = CodeVerifier({**LIMITS, "backend": "process"})  # its own zygote
    try:
        time.sleep(0.5)  # the busy processes are running
        honest = "print(sum(i * i for i in range(1_500_000)) % 7)"
        expected = str(sum(i * i for i in range(1_500_000)) % 7)
        result = io(other_worker, honest, expected)
    finally:
        other_worker.close()
        attacker.join()
    assert result.passed, result
    assert results and results[0].status is Status.TIMEOUT, results




def test_a_run_of_many_processes_gets_no_more_cpu_than_a_run_of_one() -> None:
    """Finding 7, measured so that the machine's other load cannot decide it: 28 busy
    processes, each calling setsid() to get an autogroup of its own, and one honest busy
    process in a concurrent run. Without a cgroup per run the scheduler weighs the 29
    autogroups alike: the honest run got 1/29 of what the attacker's got (0.036 against a
    cgroup-less backend, measured), and a sample that needs 0.84 s alone timed out. With one,
    both runs weigh the same (the attacker's weight is spread over both cores, and it gets
    at most one: 0.5-1 measured): the honest run must get at least a sixth of the attacker's
    share, whatever else the host runs (both shares shrink together under load)."""
    try:
        backend = ProcessBackend(Limits(time_limit=10.0))
    except SandboxUnavailable as exc:
        sandbox_missing("process", exc)
    shares: dict[str, float] = {}

    def run(name: str, call: str, args: list[float]) -> None:
        session = backend.open_session()
        try:
            reply = session.request({"op": "load", "code": SHARES}, time.monotonic() + 10)
            assert reply.get("ok"), reply
            reply = session.request({"op": "call", "name": call, "args": args,
                                     "kwargs": {"$d": []}}, time.monotonic() + 10)
            assert reply.get("ok"), reply
            shares[name] = reply["value"]
        finally:
            session.close()

    try:
        attacker = threading.Thread(target=run, args=("attacker", "attack", [28, 0.5, 1.5]))
        attacker.start()
        time.sleep(0.6)  # the busy processes run, and the attacker's window has begun
        run("honest", "spin", [1.2])
        attacker.join()
    finally:
        backend.close()
    assert shares["attacker"] > 0, shares  # the attack ran
    assert shares["honest"] > shares["attacker"] / 6, shares


# --- nothing persists, nothing reaches another process -----------------------------------

ATTACKS = r"""
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
class iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]
def reach():
    # Every way to read, write or take over another process, or leave a key in the kernel
    hits = []
    remote = iovec(id(os), 64)  # the os module: the same address in every process of the run
    child = os.fork()
    if child == 0:
        time.sleep(30)
        os._exit(0)
    for target in (1, child):                                   # the run's init, a sibling
        if libc.ptrace(0x4206, target, 0, 0) == 0:              # PTRACE_SEIZE
            hits.append(f'seize {target}')
        if libc.ptrace(16, target, 0, 0) == 0:                  # PTRACE_ATTACH
            hits.append(f'attach {target}')
        buf = ctypes.create_string_buffer(64)
        local = iovec(ctypes.cast(buf, ctypes.c_void_p), 64)
        if libc.process_vm_readv(target, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0:
            hits.append(f'vm_readv {target}')
        if libc.process_vm_writev(target, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0:
            hits.append(f'vm_writev {target}')
    pidfd = libc.syscall(434, child, 0)                          # pidfd_open, then getfd
    if pidfd >= 0 and libc.syscall(438, pidfd, 0, 0) >= 0:
        hits.append('pidfd_getfd')
    if libc.syscall(248 if os.uname().machine == 'x86_64' else 217, b'user', b'rk-plant',
                    b'x', 1, -4) >= 0:                          # add_key to the user keyring
        hits.append('add_key')
    os.kill(child, 9)
    return hits
"""


def test_a_run_cannot_trace_or_read_another_process(verifier):  # type: ignore[no-untyped-def]
    """The Docker red team took over pid 1 with PTRACE_SEIZE. On the process backend the run's
    own init was already non-dumpable, but a run could still PTRACE_SEIZE and
    process_vm_writev any other process of its own run (the runner serving the harness, a
    sibling), and add keys to a keyring that outlives it. The tests pass if any of it works."""
    program = ATTACKS
    result = asserts(verifier, program, "assert reach() != []")
    assert result.reward == 0.0 and not result.passed, result
    assert "assertion failed" in result.reason, result  # reach() ran and found nothing


def test_a_test_case_cannot_seize_its_runner(verifier):  # type: ignore[no-untyped-def]
    """I/O style: each case's program is a child of the runner (pid 2), which serves every
    case of the solution and, being the sandbox user's and dumpable, could be seized with
    PTRACE_SEIZE and rewritten by a case, then answer later cases as the program liked."""
    program = ("import ctypes, os\nlibc = ctypes.CDLL(None)\n"
               "if libc.ptrace(0x4206, os.getppid(), 0, 0) == 0:\n    print('pwned')\n")
    result = io(verifier, program)
    assert result.reward == 0.0 and not result.passed, result


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the 32-bit ABI is an x86-64 matter")
def test_32_bit_system_calls_are_closed(verifier):  # type: ignore[no-untyped-def]
    """x86-64 kernels also take i386 system calls (``int 0x80``), with other numbers: a
    filter keyed on the 64-bit numbers alone would let a 32-bit ptrace (26) through. Here
    the 32-bit getpid earns the pass if it answers."""
    program = r"""
import ctypes, mmap
def getpid32():
    code = bytes([0x53, 0xb8, 20, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80, 0x5b, 0xc3])
    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    return ctypes.CFUNCTYPE(ctypes.c_int)(address)()
"""
    result = asserts(verifier, program, "assert getpid32() > 0")
    assert result.reward == 0.0 and "assertion failed" in result.reason, result


def test_no_process_or_cgroup_of_a_run_outlives_it() -> None:
    """A setsid'd, double-forked daemon that renames itself and would keep running after its
    run: it would be a trace on the host. So would a run's cgroup left behind: an ended run's
    cgroup is kept, empty, for a later run of the backend, and removed when the backend
    closes."""
    token = f"rkp{os.getpid() % 100000}"
    program = f"""
import ctypes, os, time
def leave():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, b'{token}', 0, 0, 0)   # PR_SET_NAME
            time.sleep(120)
        os._exit(0)
    time.sleep(0.2)
    return True
"""
    try:
        backend = ProcessBackend(Limits())
    except SandboxUnavailable as exc:
        sandbox_missing("process", exc)
    try:
        session = backend.open_session()
        reply = session.request({"op": "load", "code": program}, time.monotonic() + 5)
        assert reply.get("ok"), reply
        reply = session.request({"op": "call", "name": "leave", "args": [], "kwargs": {"$d": []}},
                                time.monotonic() + 5)
        assert reply.get("value") is True, reply
        assert len(_named(token)) == 1  # the daemon runs, and would outlive a naive sweep
        folders = session.cgroup.folders
        assert all((folder / "cgroup.procs").read_text().split() for folder in folders)
        session.close()
        deadline = time.monotonic() + 3
        while (_named(token) or not session.cgroup.empty()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _named(token) == []
        assert not any((folder / "cgroup.procs").read_text().split() for folder in folders)
    finally:
        backend.close()
    assert not any(folder.exists() for folder in folders)


IPC_PLANT = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def plant():
    made = [libc.shmget(0x5301, 4096, 0o1000 | 0o666) >= 0,       # System V shared memory
            libc.msgget(0x5302, 0o1000 | 0o666) >= 0,             # a System V message queue
            libc.semget(0x5303, 1, 0o1000 | 0o666) >= 0,          # a System V semaphore set
            libc.mq_open(b'/rk-plant', os.O_CREAT | os.O_RDWR, 0o666, None) >= 0]  # POSIX
    return made
def found():
    return [libc.shmget(0x5301, 0, 0) >= 0, libc.msgget(0x5302, 0) >= 0,
            libc.semget(0x5303, 0, 0) >= 0, libc.mq_open(b'/rk-plant', os.O_RDWR) >= 0]
"""


def test_ipc_objects_do_not_outlive_their_run(verifier):  # type: ignore[no-untyped-def]
    """IPC objects persist until removed, not until their maker exits: a run that plants
    System V and POSIX IPC objects for a later run (to hand it answers, say) must find that
    they were made in its own IPC namespace, gone with it."""
    assert asserts(verifier, IPC_PLANT, "assert plant() == [True, True, True, True]").passed
    result = asserts(verifier, IPC_PLANT, "assert any(found())")
    assert result.reward == 0.0 and "assertion failed" in result.reason, result


def _named(name: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                found.append(entry.name)
        except OSError:
            pass
    return found


# --- without cgroups, the backend refuses -------------------------------------------------


def test_without_cgroups_the_backend_refuses(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """Never silently unlimited: a host where no cgroup can be made gets an error result."""
    mounts = tmp_path / "mounts"
    mounts.write_text("proc /proc proc rw 0 0\n")

    class NoCgroups(run_cgroup.RunCgroups):
        def __init__(self, limits: Limits, cpus: float = 1.0) -> None:
            super().__init__(limits, cpus, mounts=str(mounts))

    monkeypatch.setattr(process_backend_module, "RunCgroups", NoCgroups)
    verifier = CodeVerifier({"backend": "process"})
    try:
        result = verifier.verify(Sample(completion="def f():\n    return 1",
                                        reference={"tests": "assert f() == 1"}))
    finally:
        verifier.close()
    assert result.status is Status.ERROR and result.reward == 0, result
    assert "cgroup" in result.reason, result


def test_a_run_that_cannot_join_its_cgroup_never_runs(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """If the move into the run's cgroup fails, the session is refused and its init killed
    before it forks: no run is left waiting in the sandbox to be started unlimited."""
    try:
        backend = ProcessBackend(Limits())
    except SandboxUnavailable as exc:
        sandbox_missing("process", exc)

    def refuse(self, pid):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", "cgroup.procs")

    monkeypatch.setattr(run_cgroup.RunCgroup, "add", refuse)
    try:
        with pytest.raises(SandboxUnavailable, match="cgroup"):
            backend.open_session()
        zygote = backend._zygote
        assert zygote is not None
        sandbox = zygote.process.pid
        deadline = time.monotonic() + 3
        while _runs_below(sandbox) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _runs_below(sandbox) == []
    finally:
        backend.close()


def _runs_below(sandbox: int) -> list[int]:
    """Processes under a sandbox's bwrap that are in the pid namespace of a run."""
    inner = _children(sandbox)[0]  # bwrap as pid 1 of the sandbox: the zygote's namespace
    zygote_namespace = os.readlink(f"/proc/{inner}/ns/pid")
    found, todo = [], [inner]
    while todo:
        for child in _children(todo.pop()):
            todo.append(child)
            try:
                if os.readlink(f"/proc/{child}/ns/pid") != zygote_namespace:
                    found.append(child)
            except OSError:
                pass
    return found


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# --- where the cgroups are made (a fake cgroup2 tree: the kernel's part is tested above) --


def _fake_v2(root: Path, *paths: str, offered: str = "memory cpu pids") -> None:
    """Folders with the files the kernel would show (it makes them in a new cgroup too)."""
    for path in paths:
        folder = root
        for part in ["", *path.strip("/").split("/")]:
            folder = folder / part if part else folder
            folder.mkdir(exist_ok=True)
            (folder / "cgroup.controllers").write_text(offered + "\n")
            if not (folder / "cgroup.subtree_control").exists():
                (folder / "cgroup.subtree_control").write_text("")


def test_cgroup_v2_root_gets_a_rewardkit_base(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv(run_cgroup.ENV_BASE, raising=False)
    _fake_v2(tmp_path, "/rewardkit")
    mounts = tmp_path / "mounts"
    mounts.write_text(f"cgroup2 {tmp_path} cgroup2 rw 0 0\n")
    own = tmp_path / "own"
    own.write_text("0::/\n")
    cgroups = run_cgroup.RunCgroups(Limits(memory_limit=256, max_processes=32), cpus=0.5,
                                    mounts=str(mounts), own=str(own))
    assert cgroups.version == 2 and set(cgroups.bases.values()) == {tmp_path / "rewardkit"}
    for folder in (tmp_path, tmp_path / "rewardkit"):  # controllers on for the runs
        assert (folder / "cgroup.subtree_control").read_text() == "+memory +cpu +pids"
    run = cgroups.create()
    folder = run.folders[0]
    assert folder.parent == tmp_path / "rewardkit"
    assert (folder / "memory.max").read_text() == str(256 << 20)
    assert (folder / "pids.max").read_text() == "34"
    assert (folder / "cpu.max").read_text() == "50000 100000"


def test_cgroup_v2_delegated_subtree(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A worker in a leaf of a delegated subtree (a systemd user session, or a service with
    DelegateSubgroup=) makes its runs beside its own cgroup; REWARDKIT_CGROUP overrides."""
    monkeypatch.delenv(run_cgroup.ENV_BASE, raising=False)
    _fake_v2(tmp_path, "/user.slice/app.slice/worker.scope", "/user.slice/app.slice/rewardkit",
             "/user.slice/runs")
    mounts = tmp_path / "mounts"
    mounts.write_text(f"cgroup2 {tmp_path} cgroup2 rw,nosuid 0 0\n")
    own = tmp_path / "own"
    own.write_text("0::/user.slice/app.slice/worker.scope\n")
    cgroups = run_cgroup.RunCgroups(Limits(), mounts=str(mounts), own=str(own))
    assert cgroups.bases["memory"] == tmp_path / "user.slice/app.slice/rewardkit"
    monkeypatch.setenv(run_cgroup.ENV_BASE, "/user.slice/runs")
    cgroups = run_cgroup.RunCgroups(Limits(), mounts=str(mounts), own=str(own))
    assert cgroups.bases["pids"] == tmp_path / "user.slice/runs"


def test_cgroup_v2_root_in_a_session_scope(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Root in a systemd session scope whose slice lacks the cpu controller: the runs go to
    /rewardkit at the root, where root can enable every controller."""
    monkeypatch.delenv(run_cgroup.ENV_BASE, raising=False)
    monkeypatch.setattr(run_cgroup.os, "geteuid", lambda: 0)
    _fake_v2(tmp_path, "/user.slice/user-0.slice/session-1.scope", offered="memory pids")
    _fake_v2(tmp_path, "/rewardkit")
    mounts = tmp_path / "mounts"
    mounts.write_text(f"cgroup2 {tmp_path} cgroup2 rw 0 0\n")
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    own = tmp_path / "own"
    own.write_text("0::/user.slice/user-0.slice/session-1.scope\n")
    cgroups = run_cgroup.RunCgroups(Limits(), mounts=str(mounts), own=str(own))
    assert cgroups.bases["cpu"] == tmp_path / "rewardkit"


def test_cgroup_v2_without_delegated_controllers_refuses(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv(run_cgroup.ENV_BASE, raising=False)
    monkeypatch.setattr(run_cgroup.os, "geteuid", lambda: 1000)
    _fake_v2(tmp_path, "/user.slice/worker.scope", "/user.slice/rewardkit", offered="memory pids")
    mounts = tmp_path / "mounts"
    mounts.write_text(f"cgroup2 {tmp_path} cgroup2 rw 0 0\n")
    own = tmp_path / "own"
    own.write_text("0::/user.slice/worker.scope\n")
    with pytest.raises(SandboxUnavailable, match="memory, cpu and pids"):
        run_cgroup.RunCgroups(Limits(), mounts=str(mounts), own=str(own))


# --- the seccomp program, run by a small classic-BPF interpreter (every architecture) -----


def _verdict(program: bytes, arch: int, nr: int) -> int:
    """What the filter returns for one system call (the few opcodes the filter uses)."""
    ops = [struct.unpack("=HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    data, accumulator, pc = {0: nr, 4: arch}, 0, 0
    while True:
        code, jt, jf, k = ops[pc]
        if code == 0x20:  # ld [k]
            accumulator = data[k]
        elif code in (0x15, 0x35):  # jeq / jge k
            hit = accumulator == k if code == 0x15 else accumulator >= k
            pc += jt if hit else jf
        elif code == 0x06:  # ret k
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x}")
        pc += 1


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_seccomp_filter_denies_exactly_its_list(machine: str) -> None:
    program = seccomp_filter.program(machine)
    assert program is not None
    arch = seccomp_filter._AUDIT_ARCH[machine]
    denied = seccomp_filter._SYSCALLS[machine]
    for name, number in denied.items():
        assert _verdict(program, arch, number) == 0x00050000 | 1, name  # EPERM
    allowed = set(range(460)) - set(denied.values())
    assert all(_verdict(program, arch, nr) == 0x7FFF0000 for nr in allowed)
    assert _verdict(program, 0x40000003, 26) == 0x00050000 | 38  # i386: ENOSYS
    if machine == "x86_64":
        assert _verdict(program, arch, 0x40000000 + 101) == 0x00050000 | 38  # x32: ENOSYS
    assert seccomp_filter.program("riscv64") is None  # unknown: the other walls only


def test_an_output_limit_above_four_mib_is_the_limit() -> None:
    """Before, the runner kept at most 4 MiB of a program's output and dropped the rest,
    whatever ``output_limit`` said: a right program printing 6 MiB failed, and endless output
    became a timeout instead of the output limit."""
    big = CodeVerifier({"backend": "process", "output_limit": 8 << 20, "time_limit": 10.0})
    try:
        lines = 3 << 20  # "1\n" each: 6 MiB
        result = big.verify(Sample(completion=f"import sys\nsys.stdout.write('1\\n' * {lines})",
                                   reference={"cases": [{"stdin": "", "stdout": "1\n" * lines}]}))
        assert result.passed, result
        endless = big.verify(Sample(completion="while True:\n    print('1' * 1000)",
                                    reference={"cases": [{"stdin": "", "stdout": "1"}]}))
        assert endless.details.get("limit") == "output", endless
        value = big.verify(Sample(completion="def f():\n    return 'x' * (5 << 20)",
                                  reference={"tests": "assert len(f()) == 5 << 20"}))
        assert value.passed, value
    finally:
        big.close()
