"""Compiled artefacts kept on the host and shown read-only to every session of a process
backend, so that a run does not receive its program over the channel.

The folder is bound read-only (``--ro-bind``) into the backend's one bubblewrap sandbox when
its zygote starts; files added later appear in every session at once, so sharing an artefact
costs one write on the host, once per artefact, off any session's path. Each artefact lives in
a folder named by the SHA-256 of its files: a run reaches its own through a symbolic link in
its work folder. The root is never listable from a session (mode ``0311``: enter, not read), so
a program cannot find another program's artefacts (to run a sibling's correct binary, say)
without knowing that binary's hash. Nothing in it is writable from a session: the mount is
read-only, whoever owns the files.

Bounded: at most ``max_bytes`` of artefacts, least recently used out first, but never one a
run is using.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from rewardkit.verifiers.code.sandbox import pid_alive

#: Where sessions see the folder.
MOUNT = "/rk-artefacts"
#: Bytes of artefacts one backend keeps on the host.
MAX_BYTES = 512 << 20

_PREFIX = "rk-artefacts-"
#: An artefact's files: path relative to its folder, bytes, mode.
Files = tuple[tuple[str, bytes, int], ...]


class SharedFolder:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        _sweep_stale(tempfile.gettempdir())
        # The owner's pid in the name: a worker killed at its deadline never runs close(), and
        # the next backend removes what it left (as run_cgroup does with its cgroups).
        self.path = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
        self.ensure()
        self.max_bytes = max_bytes
        self._sizes: OrderedDict[str, int] = OrderedDict()  # name -> bytes, oldest use first
        self._users: dict[str, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self._owner = os.getpid()  # a forked worker never removes its parent's folder

    def ensure(self) -> None:
        """Make the folder again if :meth:`close` removed it (a backend used after close)."""
        try:
            os.mkdir(self.path, 0o700)
        except FileExistsError:
            pass
        # Enter, never list: a session reaches only a folder whose name it knows.
        os.chmod(self.path, 0o311)

    @contextmanager
    def holding(self, name: str, files: Files) -> Iterator[str]:
        """The sandbox path of the folder holding ``files`` (written now unless already
        there), kept until the block ends."""
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"bad artefact name {name!r}")
        with self._lock:
            if name not in self._sizes:
                self._write(name, files)
                self._sizes[name] = sum(len(data) for _, data, _ in files)
                self._bytes += self._sizes[name]
            self._sizes.move_to_end(name)
            self._users[name] = self._users.get(name, 0) + 1
            self._evict()
        try:
            yield f"{MOUNT}/{name}"
        finally:
            with self._lock:
                left = self._users.pop(name, 0) - 1
                if left > 0:
                    self._users[name] = left
                self._evict()

    def _write(self, name: str, files: Files) -> None:
        # Written in full under a dot-name, then renamed: a session never sees half a file.
        staging = tempfile.mkdtemp(prefix=".new-", dir=self.path)
        try:
            for path, data, mode in files:
                parts = path.split("/")
                if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
                    raise ValueError(f"bad artefact path {path!r}")
                target = os.path.join(staging, *parts)
                os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.chmod(target, (mode & 0o755) | 0o444)
            for folder, subfolders, _ in os.walk(staging):
                for sub in subfolders:
                    os.chmod(os.path.join(folder, sub), 0o755)
            os.chmod(staging, 0o755)
            os.rename(staging, os.path.join(self.path, name))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _evict(self) -> None:
        for name in list(self._sizes):
            if self._bytes <= self.max_bytes:
                return
            if name in self._users:
                continue  # a run holds it: it stays, however large the folder gets meanwhile
            self._bytes -= self._sizes.pop(name)
            shutil.rmtree(os.path.join(self.path, name), ignore_errors=True)

    def __len__(self) -> int:
        return len(self._sizes)

    def close(self) -> None:
        if os.getpid() != self._owner:
            return
        with self._lock:
            self._sizes.clear()
            self._users.clear()
            self._bytes = 0
        try:
            os.chmod(self.path, 0o700)
        except OSError:
            return  # already gone
        shutil.rmtree(self.path, ignore_errors=True)


def _sweep_stale(folder: str) -> None:
    """Remove the artefact folders of processes that died without closing them."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name[len(_PREFIX):].split("-")[0]
        if name.startswith(_PREFIX) and pid.isdigit() and not pid_alive(int(pid)):
            path = os.path.join(folder, name)
            try:
                os.chmod(path, 0o700)  # its mode lets nobody list it, its owner included
            except OSError:
                continue
            shutil.rmtree(path, ignore_errors=True)
