"""The ``process`` backend: one bubblewrap sandbox per solution, no daemon needed.

Each sandbox is ``bwrap`` with every namespace unshared (user, pid, net, mount, ipc, uts,
cgroup), run as an unprivileged user, seeing only a read-only interpreter and its libraries, a
fresh size-capped tmpfs for ``/tmp`` and the work folder, and an empty environment. The runner
inside applies the rlimits before the solution runs; the harness enforces the wall clock from
outside and kills the sandbox's whole process tree (``--die-with-parent`` and the pid namespace
take every descendant with it). Sandboxes are kept booted ahead of need (spares that have never
seen solution code), which hides the interpreter's start-up without sharing anything between
solutions.
"""

from __future__ import annotations

import functools
import json
import os
import select
import shutil
import signal
import subprocess
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rewardkit.verifiers.code.sandbox import (
    RUNNER_SOURCE,
    LimitHit,
    Limits,
    SandboxUnavailable,
)
from rewardkit.verifiers.code.sandbox.channel import Channel, write_all

#: The unprivileged user that runs sandboxes when the caller is root (``nobody``).
SANDBOX_UID = 65534
#: Sandboxes kept booted ahead of need: two boot in parallel on two cores, so back-to-back
#: samples rarely wait for one.
SPARES = 2
#: Seconds a fresh sandbox may take to boot before it is declared broken.
STARTUP_TIMEOUT = 10.0
#: Extra bytes a reply may carry besides the output it reports (base64 and JSON framing).
_REPLY_OVERHEAD = 64 * 1024


class ProcessBackend:
    name = "process"

    def __init__(self, limits: Limits, python: str = "/usr/bin/python3") -> None:
        self.limits = limits
        self._bwrap = shutil.which("bwrap")
        if self._bwrap is None:
            raise SandboxUnavailable(
                "the process backend needs bubblewrap (`bwrap`), which is not installed; "
                "install it (apt-get install bubblewrap) or use backend='docker'. "
                "Code is never run unsandboxed.")
        self._python = os.path.realpath(python)
        if not os.access(self._python, os.X_OK):
            raise SandboxUnavailable(f"no interpreter at {python} for the sandbox")
        self._command = self._build_command()
        self._spares: list[Future[ProcessSession]] = []
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rk-bwrap")
        self._checked = False
        self._finalizer = weakref.finalize(self, _close_quietly, self)

    def _build_command(self) -> list[str]:
        mounts: list[str] = []
        for path in ("/usr/lib", "/usr/lib64", "/usr/lib32"):
            if os.path.isdir(path):
                mounts += ["--ro-bind", path, path]
        for link in ("lib", "lib64", "lib32"):
            if os.path.islink(f"/{link}"):
                mounts += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
        prefix = Path(self._python).parent.parent
        if not str(prefix).startswith("/usr"):  # an interpreter outside /usr brings its prefix
            mounts += ["--ro-bind", str(prefix), str(prefix)]
        size = str(self.limits.tmpfs_size)
        config = self.limits.runner_config(workdir="/work")
        return [
            self._bwrap or "bwrap", "--unshare-all", "--unshare-user", "--die-with-parent",
            "--new-session", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
            "--hostname", "sandbox", *mounts,
            "--ro-bind", self._python, "/usr/bin/python3",
            "--proc", "/proc", "--dev", "/dev",
            "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/work",
            "--remount-ro", "/", "--chdir", "/work", "--clearenv", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "HOME", "/work", "--setenv", "PATH", "/usr/bin",
            "/usr/bin/python3", "-I", "-S", "-c", RUNNER_SOURCE, json.dumps(config),
        ]

    def open_session(self) -> ProcessSession:
        session = self._spares.pop(0).result() if self._spares else None
        if session is None or session.dead():
            if session is not None:
                session.close()
            session = self._start()
        if not self._checked:  # the first sandbox proves the isolation works, or we refuse
            session.wait_ready(time.monotonic() + STARTUP_TIMEOUT)
            self._checked = True
        while len(self._spares) < SPARES:
            # Started from one long-lived thread: --die-with-parent follows the thread that
            # forked bwrap, so it must not be a short-lived one.
            self._spares.append(self._starter.submit(self._start))
        return session

    def _start(self) -> ProcessSession:
        as_root = os.geteuid() == 0
        try:
            process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, cwd="/", env={}, start_new_session=True,
                close_fds=True, bufsize=0,
                # root must not own the sandbox: rlimits such as RLIMIT_NPROC do not bind root
                user=SANDBOX_UID if as_root else None,
                group=SANDBOX_UID if as_root else None,
                extra_groups=[] if as_root else None)
        except OSError as exc:
            raise SandboxUnavailable(f"cannot start bubblewrap: {exc}") from exc
        return ProcessSession(process, self.limits)

    def close(self) -> None:
        spares, self._spares = self._spares, []
        for spare in spares:
            try:
                spare.result(timeout=STARTUP_TIMEOUT).close()
            except Exception:
                pass


class ProcessSession:
    """One running bubblewrap sandbox and the channel to its runner."""

    def __init__(self, process: subprocess.Popen[bytes], limits: Limits) -> None:
        self._process = process
        assert process.stdin is not None and process.stdout is not None
        self._stdin = process.stdin.fileno()
        self._stdout = process.stdout.fileno()
        os.set_blocking(self._stdin, False)
        self._channel = Channel(self._read, self._write,
                                max_line=2 * limits.output_limit + _REPLY_OVERHEAD)
        self._ready = False
        self._closed = False
        self._root: str | None = None
        self._max_files = limits.max_files

    def dead(self) -> bool:
        return self._process.poll() is not None

    def wait_ready(self, deadline: float) -> None:
        if self._ready:
            return
        try:
            message = self._channel.receive(deadline)
        except LimitHit as exc:
            self._process.wait(timeout=1) if self.dead() else None
            why = self._stderr() or str(exc)
            self.close()
            raise SandboxUnavailable(
                f"the bubblewrap sandbox did not start ({why}); namespaces may "
                "be unavailable here. Code is never run unsandboxed.") from None
        if not message.get("ready"):
            self.close()
            raise SandboxUnavailable("the sandbox runner did not start")
        self._ready = True

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        if self._closed:
            raise LimitHit("crash", "the sandbox is closed")
        self.wait_ready(max(deadline, time.monotonic() + STARTUP_TIMEOUT))
        self._channel.send(message, deadline)
        reply = self._channel.receive(deadline)
        self._check_files()
        return reply

    def _check_files(self) -> None:
        # bwrap's tmpfs takes no inode cap, so the file count is checked from outside, in the
        # sandbox's own mount namespace (through /proc/<pid>/root of its init process).
        if self._root is None:
            pid = self._process.pid
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            if not children:
                raise LimitHit("crash", "the sandbox ended")
            self._root = f"/proc/{children[0]}/root"
        for folder in ("tmp", "work"):
            try:
                stat = os.statvfs(f"{self._root}/{folder}")
            except OSError:
                raise LimitHit("crash", "the sandbox ended") from None
            used = stat.f_files - stat.f_ffree - 1
            if used > self._max_files:
                raise LimitHit("output", f"{used} files in /{folder} (limit {self._max_files})")

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self._stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        return os.read(self._stdout, 1 << 16)

    def _write(self, data: bytes, timeout: float) -> None:
        write_all(self._stdin, functools.partial(os.write, self._stdin), data, timeout)

    def _stderr(self) -> str:
        if self._process.poll() is None or self._process.stderr is None:
            return ""
        return self._process.stderr.read(2000).decode("utf-8", "replace").strip()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # bwrap leads its own session; killing it takes the pid namespace (and every
        # process in it) down through --die-with-parent.
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except OSError:
            pass
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
        # Not waited for: SIGKILL is certain, and subprocess reaps the zombie later.
        self._process.poll()


def _close_quietly(backend: ProcessBackend) -> None:
    try:
        backend.close()
    except Exception:
        pass
