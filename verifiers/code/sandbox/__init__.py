"""Sandbox backends of the ``code`` verifier: where untrusted programs run.

A backend opens :class:`Session` objects; a session is one sandbox holding one solution, in
which the harness loads the program and sends requests (see ``runner.py`` for the protocol).
Every backend enforces the same :class:`Limits` and reports a limit that was hit by raising
:class:`LimitHit` with its kind. A backend that cannot isolate raises
:class:`SandboxUnavailable`: nothing ever runs unsandboxed.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

LimitKind = Literal["timeout", "memory", "output", "crash"]

#: Source of the program every sandbox runs (``python3 -I -S -c RUNNER_SOURCE``).
RUNNER_SOURCE = (Path(__file__).with_name("runner.py")).read_text()


@dataclass(frozen=True)
class Limits:
    """What one run may use. A run is one I/O test case, or a whole assert-style test."""

    time_limit: float = 5.0  #: wall-clock seconds
    memory_limit: int = 512  #: MiB for all of a run's processes together (and per process)
    output_limit: int = 1 << 20  #: bytes of stdout, or of one encoded return value
    file_size_limit: int = 16 << 20  #: bytes, largest file the program may write
    max_processes: int = 32
    max_open_files: int = 64
    tmpfs_size: int = 64 << 20  #: bytes of /tmp and of the work folder, each
    max_files: int = 1000  #: files and folders in /tmp and the work folder, each
    #: False: no address-space rlimit per process (JVM, V8 and Go reserve far more than they
    #: use); memory is then bounded by the run's cgroup or container only.
    address_space: bool = True

    def runner_config(self, **extra: Any) -> dict[str, Any]:
        return {**asdict(self), **extra}


class SandboxUnavailable(RuntimeError):
    """The backend cannot provide the isolation it promises; the code was not run."""


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host: the owners of leftover cgroups,
    artefact folders and containers are named by their pid, and only a dead one's are
    removed."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LimitHit(Exception):
    """A run hit a limit; ``kind`` is one of timeout, memory, output, crash."""

    def __init__(self, kind: LimitKind, message: str) -> None:
        super().__init__(message)
        self.kind: LimitKind = kind


class Session(Protocol):
    """One sandbox holding one solution."""

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send one request and return the reply; raise :class:`LimitHit` when the sandbox
        passes ``deadline`` (monotonic), sends too much, or dies."""

    def close(self) -> None:
        """Kill everything the sandbox runs and free it. Idempotent."""


class Backend(Protocol):
    name: str

    def open_session(self) -> Session:
        """A fresh sandbox; raises :class:`SandboxUnavailable` when isolation is missing."""

    def close(self) -> None:
        """Free every sandbox (idle ones and warm spares)."""
