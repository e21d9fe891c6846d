"""The ``process`` backend: one warm bubblewrap sandbox that forks each solution into fresh
namespaces of its own. No daemon needed.

The backend starts one ``bwrap`` sandbox with every namespace unshared (user, pid, net, mount,
ipc, uts, cgroup), run as an unprivileged user, seeing only a read-only interpreter and its
libraries and an empty environment. Inside it a *zygote* (``zygote.py``) imports the runner
once and never runs solution code. Each session is a fork of it that, before any solution
code exists, enters a new user, mount, pid, IPC, UTS, network and cgroup namespace, mounts a
fresh size- and inode-capped tmpfs for ``/tmp``, the work folder and ``/dev/shm``, drops every
capability and applies the rlimits. So sessions share no files, processes, IPC or memory with
each other or with the zygote. The harness holds a pidfd of each session's pid-namespace init:
it enforces the wall clock from outside and kills the whole session (every process in its pid
namespace) with one signal. A zygote that looks wrong in any way is killed and replaced.
Sessions are spawned ahead of need: when a caller takes a spare, a background thread forks
its replacement and moves it into its cgroup at once, so the replacement gets ready on the
other core while the caller's run goes on, and a caller never waits for a fork, a cgroup or
the cgroup move (which waits for an RCU grace period on cgroup v1).

Each session also has a memory, CPU and pids cgroup of its own (``run_cgroup.py``), which its
init joins before it forks anything, and the whole sandbox runs under a seccomp filter
(``seccomp_filter.py``) that denies ptrace, cross-process memory access and kernel keyrings.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from rewardkit.verifiers.code.sandbox import (
    RUNNER_SOURCE,
    LimitHit,
    Limits,
    SandboxUnavailable,
    seccomp_filter,
)
from rewardkit.verifiers.code.sandbox.channel import Channel, write_all
from rewardkit.verifiers.code.sandbox.run_cgroup import RunCgroup, RunCgroups
from rewardkit.verifiers.code.sandbox.shared_folder import MOUNT, Files, SharedFolder

#: Source of the zygote the sandbox runs (``python3 -I -S -c ZYGOTE_SOURCE config runner``).
ZYGOTE_SOURCE = Path(__file__).with_name("zygote.py").read_text()
#: The unprivileged user that runs sandboxes when the caller is root (``nobody``).
SANDBOX_UID = 65534
#: Sessions spawned ahead of need: each costs the zygote one clone and a few mounts, and
#: holds two idle processes. Four: the two of an assert-style test, and the next test's.
SPARES = 4
#: Seconds a fresh sandbox (or session) may take to start before it is declared broken.
STARTUP_TIMEOUT = 10.0
#: Extra bytes a reply may carry besides the output it reports (base64 and JSON framing).
_REPLY_OVERHEAD = 64 * 1024
_WORKDIR = "/work"


class ProcessBackend:
    name = "process"

    def __init__(self, limits: Limits, python: str = "/usr/bin/python3",
                 cpus: float = 1.0, toolchains: tuple[str, ...] = ()) -> None:
        self.limits = limits
        #: host folders shown read-only at the same place (compilers, headers: languages.py)
        self._toolchains = toolchains
        #: compiled artefacts, shown read-only to every session (a backend for other
        #: languages only; made before the zygote, whose sandbox binds it). None where the
        #: temporary folder's file system forbids exec: artefacts are then sent per session.
        self._shared = SharedFolder() if toolchains else None
        if self._shared is not None and os.statvfs(self._shared.path).f_flag & os.ST_NOEXEC:
            self._shared.close()
            self._shared = None
        self._bwrap = shutil.which("bwrap")
        if self._bwrap is None:
            raise SandboxUnavailable(
                "the process backend needs bubblewrap (`bwrap`), which is not installed; "
                "install it (apt-get install bubblewrap) or use backend='docker'. "
                "Code is never run unsandboxed.")
        self._python = os.path.realpath(python)
        if not os.access(self._python, os.X_OK):
            raise SandboxUnavailable(f"no interpreter at {python} for the sandbox")
        self._cgroups = RunCgroups(limits, cpus)
        self._seccomp = seccomp_filter.program()
        # cgroups of closed sessions whose processes may not all have died yet
        self._doomed: list[RunCgroup] = []
        self._doomed_lock = threading.Lock()
        self._zygote: Zygote | None = None
        self._spares: list[ProcessSession] = []
        self._lock = threading.Lock()
        # The zygote is started from one long-lived thread: --die-with-parent follows the
        # thread that forked bwrap, so it must not be a short-lived one.
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rk-bwrap")
        # Spares are made on another: it may wait for the lock, which a caller holds while it
        # waits for the starter. Cgroups of closed runs are removed on a third.
        self._filler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rk-spares")
        self._cleaner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rk-cgroups")
        self._finalizer = weakref.finalize(self, _close_quietly, self)

    def command(self, control_fd: int, seccomp_fd: int | None = None) -> list[str]:
        """The ``bwrap`` command line of the zygote's sandbox."""
        mounts: list[str] = []
        for path in ("/usr/lib", "/usr/lib64", "/usr/lib32"):
            if os.path.isdir(path):
                mounts += ["--ro-bind", path, path]
        for link in ("lib", "lib64", "lib32"):
            if os.path.islink(f"/{link}"):
                mounts += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
        for path in self._toolchains:
            mounts += ["--ro-bind", path, path]
        if self._shared is not None:
            self._shared.ensure()
            mounts += ["--ro-bind", self._shared.path, MOUNT]
        prefix = Path(self._python).parent.parent
        if not str(prefix).startswith("/usr"):  # an interpreter outside /usr brings its prefix
            mounts += ["--ro-bind", str(prefix), str(prefix)]
        config = self.limits.runner_config(workdir=_WORKDIR, control_fd=control_fd)
        return [
            self._bwrap or "bwrap", "--unshare-all", "--unshare-user", "--die-with-parent",
            "--new-session", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
            "--hostname", "sandbox", *mounts,
            "--ro-bind", self._python, "/usr/bin/python3",
            "--proc", "/proc", "--dev", "/dev",
            # read-only and empty: each session mounts its own tmpfs over them
            "--dir", "/tmp", "--dir", _WORKDIR,
            "--remount-ro", "/", "--chdir", "/", "--clearenv", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "HOME", _WORKDIR, "--setenv", "PATH", "/usr/bin",
            *(["--seccomp", str(seccomp_fd)] if seccomp_fd is not None else []),
            "/usr/bin/python3", "-I", "-S", "-c", ZYGOTE_SOURCE, json.dumps(config),
            RUNNER_SOURCE,
        ]

    def share(self, name: str, files: Files) -> contextlib.AbstractContextManager[str | None]:
        """Show ``files`` read-only to every session, in a folder named ``name`` (a hash of
        them), while the block lasts: ``with backend.share(name, files) as folder:`` (the
        folder's path inside a session, or None where this backend has no shared folder).
        Written once per artefact, not once per run."""
        if self._shared is None:
            return contextlib.nullcontext()
        return self._shared.holding(name, files)

    def open_session(self) -> ProcessSession:
        for attempt in (1, 2):
            with self._lock:
                if attempt == 2 or self._zygote is None or self._zygote.dead():
                    # Spares of a dead zygote may still read as ready (their "ready" line and
                    # pidfd were sent before it died): start over with a new zygote.
                    self._replace_zygote()
                # a spare whose preparation failed has closed itself: pass it over
                self._spares = [spare for spare in self._spares if not spare.closed]
                session = self._spares.pop(0) if self._spares else self._spawn()
            # Its replacement starts now, off this thread: it gets ready while this one runs.
            self._top_up()
            try:
                # Without the lock: a concurrent caller takes another spare meanwhile.
                session.wait_ready(time.monotonic() + STARTUP_TIMEOUT)
                return session
            except SandboxUnavailable:
                # The zygote looks wrong (or never started): replace it once, and try again.
                session.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _top_up(self) -> None:
        try:
            self._filler.submit(self._fill)
        except RuntimeError:
            pass  # the interpreter is shutting down: no more spares

    def _fill(self) -> None:
        """On the filler thread: spawn spares up to :data:`SPARES` and put each in its cgroup
        (the moves in one burst: on cgroup v1 only the first waits for a grace period)."""
        fresh: list[ProcessSession] = []
        with self._lock:
            try:
                while (len(self._spares) < SPARES and self._zygote is not None
                       and not self._zygote.dead()):
                    spare = self._spawn()
                    self._spares.append(spare)
                    fresh.append(spare)
            except SandboxUnavailable:
                pass  # the next open_session replaces the zygote, or refuses
        # Without the lock: a caller that takes one of these meanwhile waits for it only.
        for spare in fresh:
            try:
                spare.prepare(time.monotonic() + STARTUP_TIMEOUT)
            except SandboxUnavailable:
                pass  # it closed itself; open_session passes it over

    def _release_cgroup(self, cgroup: RunCgroup, pidfd: int | None = None) -> None:
        # Killed now (cgroup v2; the caller has killed the run's init), kept for a later run
        # or removed on the cleaner thread once its processes are gone: the caller waits for
        # neither.
        cgroup.kill()
        try:
            self._cleaner.submit(self._remove_when_dead, cgroup, pidfd)
        except RuntimeError:  # the interpreter is shutting down
            if pidfd is not None:
                os.close(pidfd)
            with self._doomed_lock:
                self._doomed.append(cgroup)

    def _remove_when_dead(self, cgroup: RunCgroup, pidfd: int | None) -> None:
        if pidfd is not None:  # the run's init ends last: its pid namespace is empty then
            select.select([pidfd], [], [], STARTUP_TIMEOUT)
            os.close(pidfd)
        with self._doomed_lock:
            self._doomed.append(cgroup)
        self._remove_doomed(wait=1.0)

    def _remove_doomed(self, wait: float = 0.0, keep: bool = True) -> None:
        """Release (``keep``: for a later run) or remove the cgroups of closed sessions once
        their processes are gone; retried for ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            with self._doomed_lock:
                doomed, self._doomed = self._doomed, []
            # without the lock: a closing session does not wait for it
            left = [cgroup for cgroup in doomed
                    if not (self._cgroups.release(cgroup) if keep else cgroup.remove())]
            with self._doomed_lock:
                self._doomed += left
            if not left or time.monotonic() >= deadline:
                return
            time.sleep(0.005)

    def _spawn(self) -> ProcessSession:
        for attempt in (1, 2):
            if self._zygote is None or self._zygote.dead():
                self._replace_zygote()
            assert self._zygote is not None
            cgroup = self._cgroups.create()  # before the run exists: it never runs unlimited
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self._zygote.spawn(theirs)
                return ProcessSession(ours, self._zygote, self.limits, cgroup,
                                      self._release_cgroup)
            except OSError:
                ours.close()
                self._release_cgroup(cgroup)
                self._zygote.close()
                if attempt == 2:
                    raise SandboxUnavailable(
                        "the bubblewrap sandbox did not start "
                        f"({self._zygote.stderr() or 'its zygote ended'}); namespaces may be "
                        "unavailable here. Code is never run unsandboxed.") from None
            finally:
                theirs.close()
        raise AssertionError("unreachable")

    def _replace_zygote(self) -> None:
        for spare in self._spares:
            spare.close()
        self._spares = []
        if self._zygote is not None:
            self._zygote.close()
        starting = self._starter.submit(Zygote.start, self.command, self._seccomp)
        try:
            self._zygote = starting.result(timeout=2 * STARTUP_TIMEOUT)
        except FutureTimeout:
            self._zygote = None
            raise SandboxUnavailable("the bubblewrap sandbox did not start in time") from None

    def close(self) -> None:
        with self._lock:
            spares, self._spares = self._spares, []
            for spare in spares:
                spare.close()
            if self._zygote is not None:
                self._zygote.close()
                self._zygote = None
        try:  # after the cgroups of the sessions closed so far are handled
            self._cleaner.submit(lambda: None).result(timeout=2 * STARTUP_TIMEOUT)
        except (RuntimeError, FutureTimeout):
            pass
        self._remove_doomed(wait=2.0, keep=False)
        self._cgroups.close()
        if self._shared is not None:
            self._shared.close()


class Zygote:
    """The running bubblewrap sandbox and the control socket to its zygote."""

    def __init__(self, process: subprocess.Popen[bytes], control: socket.socket) -> None:
        self.process = process
        self._control = control
        self._closed = False

    @classmethod
    def start(cls, command: Callable[[int, int | None], list[str]],
              seccomp: bytes | None = None) -> Zygote:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        as_root = os.geteuid() == 0
        filter_fd = None
        if seccomp is not None:  # bwrap reads the filter from a descriptor, to its end
            filter_fd = os.memfd_create("rk-seccomp", 0)
            os.write(filter_fd, seccomp)
            os.lseek(filter_fd, 0, os.SEEK_SET)
        passed = (theirs.fileno(),) if filter_fd is None else (theirs.fileno(), filter_fd)
        try:
            process = subprocess.Popen(
                command(theirs.fileno(), filter_fd), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/", env={},
                start_new_session=True, close_fds=True, pass_fds=passed,
                # root must not own the sandbox: rlimits such as RLIMIT_NPROC do not bind root
                user=SANDBOX_UID if as_root else None,
                group=SANDBOX_UID if as_root else None,
                extra_groups=[] if as_root else None)
        except OSError as exc:
            ours.close()
            raise SandboxUnavailable(f"cannot start bubblewrap: {exc}") from exc
        finally:
            theirs.close()
            if filter_fd is not None:
                os.close(filter_fd)
        return cls(process, ours)

    def dead(self) -> bool:
        return self._closed or self.process.poll() is not None

    def spawn(self, channel: socket.socket) -> None:
        """Ask for one session whose channel is ``channel`` (the zygote's end)."""
        socket.send_fds(self._control, [b"S"], [channel.fileno()])

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read(2000).decode("utf-8", "replace").strip()

    def close(self) -> None:
        # bwrap leads its own session; killing it takes its pid namespace (the zygote and
        # every session in it) down through --die-with-parent.
        self._closed = True
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self._control.close()
        self.process.poll()  # not waited for: SIGKILL is certain; subprocess reaps later


class ProcessSession:
    """One solution's namespaces inside the zygote's sandbox, and the channel to its runner."""

    def __init__(self, sock: socket.socket, zygote: Zygote, limits: Limits,
                 cgroup: RunCgroup, release: Callable[[RunCgroup, int | None], None]) -> None:
        self._sock = sock
        self._zygote = zygote
        self.cgroup = cgroup
        self._release = release
        sock.setblocking(False)
        self._channel = Channel(self._read, self._write,
                                max_line=2 * limits.output_limit + _REPLY_OVERHEAD)
        self._pidfd: int | None = None
        self._proc: int | None = None  # /proc/<pid> of the session's init, held open
        self._ready = False
        self._prepared = False
        self._closed = False
        # prepare() may run on the backend's thread while a caller takes the session
        self._setup_lock = threading.Lock()
        self._max_files = limits.max_files
        self._oom_kills = cgroup.oom_kills()  # kills of earlier runs in a reused cgroup

    def dead(self) -> bool:
        if self._pidfd is None:
            return self._closed
        return bool(select.select([self._pidfd], [], [], 0)[0])

    def prepare(self, deadline: float) -> None:
        """Take the run's init and put it in the run's cgroup; it waits for this (one byte
        on the channel) before it forks anything. Raises :class:`SandboxUnavailable`."""
        with self._setup_lock:
            self._prepare(deadline)

    @property
    def closed(self) -> bool:
        return self._closed

    def _prepare(self, deadline: float) -> None:
        if self._prepared:
            return
        if self._closed:
            raise SandboxUnavailable("the sandbox is closed")
        try:
            self._take_pidfd(deadline)
            assert self._pidfd is not None
            self.cgroup.add(_pid_of(self._pidfd))
            self._sock.send(b"G")
        except LimitHit as exc:
            self._close()
            raise _not_started(self._zygote.stderr() or str(exc)) from None
        except OSError as exc:
            self._close()
            raise SandboxUnavailable(
                f"cannot put the run in its cgroup ({exc}); code is never run without its "
                "per-run limits") from None
        self._prepared = True

    def wait_ready(self, deadline: float) -> None:
        if self._ready:
            return
        self.prepare(deadline)
        try:
            message = self._channel.receive(deadline)
        except LimitHit as exc:
            self.close()
            raise _not_started(self._zygote.stderr() or str(exc)) from None
        if not message.get("ready"):
            self.close()
            raise _not_started(str(message.get("error", ""))[:300])
        self._ready = True

    def _take_pidfd(self, deadline: float) -> None:
        # The zygote (trusted: no solution code yet) sends one byte with the pidfd of the
        # session's init, before the runner can send anything.
        left = max(0.0, deadline - time.monotonic())
        if not select.select([self._sock], [], [], left)[0]:
            raise LimitHit("timeout", "no answer from the zygote")
        message, fds, _, _ = socket.recv_fds(self._sock, 1, 1)
        if message != b"P" or len(fds) != 1 or not _is_pidfd(fds[0]):
            for fd in fds:
                os.close(fd)
            raise LimitHit("crash", "the zygote did not hand over a run")
        self._pidfd = fds[0]
        pid = _pid_of(self._pidfd)  # -1 once the init has ended (its zygote killed, say)
        try:
            if pid <= 0:
                raise FileNotFoundError(pid)
            self._proc = os.open(f"/proc/{pid}", os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            raise LimitHit("crash", "the session ended as it started") from None
        if self.dead():  # the directory must be the live init's, not a reused pid
            raise LimitHit("crash", "the session ended as it started")

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        if self._closed:
            raise LimitHit("crash", "the sandbox is closed")
        self.wait_ready(max(deadline, time.monotonic() + STARTUP_TIMEOUT))
        try:
            self._channel.send(message, deadline)
            reply = self._channel.receive(deadline)
            self._check_files()
        except LimitHit:
            self._check_memory()
            raise
        self._check_memory()
        return reply

    def _check_memory(self) -> None:
        # The kernel killed a process of the run (the runner, or a child) when the run's
        # processes together passed the memory limit: that is the memory limit, whatever
        # the runner managed to say.
        killed = self.cgroup.oom_kills()
        if killed > self._oom_kills:
            self._oom_kills = killed
            raise LimitHit("memory", "memory limit hit (the run's processes together)")

    def _check_files(self) -> None:
        # The tmpfs inode cap stops creation one past the limit; counted from outside, in the
        # session's own mount namespace (through /proc/<pid>/root of its init).
        for folder in ("tmp", _WORKDIR.strip("/")):
            try:
                stat = os.statvfs(f"/proc/self/fd/{self._proc}/root/{folder}")
            except OSError:
                raise LimitHit("crash", "the sandbox ended") from None
            used = stat.f_files - stat.f_ffree - 1
            if used > self._max_files:
                raise LimitHit("output", f"{used} files in /{folder} (limit {self._max_files})")

    def _read(self, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._sock], [], [], left)[0]:
                raise TimeoutError
            try:
                return self._sock.recv(1 << 16)  # descriptors a runner attaches are dropped
            except BlockingIOError:
                continue

    def _write(self, data: bytes, timeout: float) -> None:
        write_all(self._sock, self._sock.send, data, timeout)

    def close(self) -> None:
        with self._setup_lock:
            self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._pidfd is not None:
            # SIGKILL to the init of the session's pid namespace: the kernel kills every
            # process in it (double-forked daemons included).
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except OSError:
                pass
        if self._proc is not None:
            os.close(self._proc)
        self._sock.close()
        self._release(self.cgroup, self._pidfd)  # it closes the pidfd


def _not_started(why: str) -> SandboxUnavailable:
    return SandboxUnavailable(f"the bubblewrap sandbox did not start ({why}); namespaces may "
                              "be unavailable here. Code is never run unsandboxed.")


def _is_pidfd(fd: int) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}") == "anon_inode:[pidfd]"
    except OSError:
        return False


def _pid_of(pidfd: int) -> int:
    """The pid (in our namespace) of the process a pidfd refers to."""
    with open(f"/proc/self/fdinfo/{pidfd}") as info:
        for line in info:
            if line.startswith("Pid:"):
                return int(line.split()[1])
    return -1


def _close_quietly(backend: ProcessBackend) -> None:
    try:
        backend.close()
    except Exception:
        pass
