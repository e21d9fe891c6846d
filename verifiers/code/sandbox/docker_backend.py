"""The ``docker`` backend: a warm pool of locked-down containers, one solution at a time each.

Containers run with no network, a read-only root, a non-root user, every capability dropped,
``no-new-privileges``, memory / pids / CPU limits and size- and inode-capped tmpfs mounts for
``/tmp`` and ``/work``. A run is a ``docker exec`` of the runner (the same program as in the
process backend) in a fresh work folder; its stdin/stdout carry the channel. After a run the
container is swept (every process of the sandbox user killed, every tmpfs emptied, System V IPC
removed) before it serves again; a container whose run hit a limit, or whose sweep fails, is
removed and replaced instead. All containers are removed when the process exits; containers a
killed process left behind are removed by the next pool (and stop by themselves after
:data:`CONTAINER_LIFETIME`).
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import select
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import util as mp_util
from typing import Any

from rewardkit.verifiers.code.sandbox import RUNNER_SOURCE, LimitHit, Limits, SandboxUnavailable
from rewardkit.verifiers.code.sandbox.channel import Channel, write_all

SANDBOX_USER = "65534:65534"
LABEL = "rewardkit.sandbox"
#: Seconds a container lives at most (its main process is a sleep of this length).
CONTAINER_LIFETIME = 3600
_REPLY_OVERHEAD = 64 * 1024
_PYTHON = "/usr/bin/python3"

#: Run as the sandbox user after each run: same user, so no capability is needed.
_SWEEP = r"""
import ctypes, os, shutil
for _ in range(3):
    try:
        os.kill(-1, 9)
    except OSError:
        break
for top in ("/tmp", "/work", "/dev/shm", "/dev/mqueue"):
    try:
        names = os.listdir(top)
    except OSError:
        continue
    for name in names:
        path = os.path.join(top, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
libc = ctypes.CDLL(None)
for kind, ctl in (("shm", libc.shmctl), ("msg", libc.msgctl), ("sem", libc.semctl)):
    try:
        lines = open("/proc/sysvipc/" + kind).read().splitlines()[1:]
    except OSError:
        continue
    for line in lines:
        ident = int(line.split()[1])
        ctl(ident, 0, 0, None) if kind == "sem" else ctl(ident, 0, None)
print("swept")
"""


class DockerBackend:
    name = "docker"

    def __init__(self, limits: Limits, *, image: str, docker_host: str, pool_size: int = 2,
                 cpus: float = 1.0) -> None:
        try:
            import docker
        except ImportError as exc:
            raise SandboxUnavailable("the docker backend needs the `docker` package "
                                     "(pip install 'rewardkit[code]')") from exc
        self.limits = limits
        self.image = image
        self.pool_size = max(pool_size, 2)  # an assert-style test holds two: solution, tests
        self.cpus = cpus
        try:
            self.client = docker.DockerClient(base_url=docker_host, timeout=60)
            self.client.ping()
        except Exception as exc:
            raise SandboxUnavailable(f"no Docker engine answers at {docker_host}: {exc}") from None
        try:
            self.client.images.get(image)
        except Exception:
            raise SandboxUnavailable(
                f"image {image!r} is not on the engine at {docker_host}; build it with "
                "scripts/start-services.sh (no registry is used)") from None
        self._owner = f"{socket.gethostname()}:{os.getpid()}"
        self._idle: list[Any] = []
        self._all: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rk-docker")
        self._closed = False
        self._reap_orphans()
        # Worker processes end through os._exit, which skips atexit: register both ways.
        atexit.register(self.close)
        mp_util.Finalize(self, DockerBackend.close, args=(self,), exitpriority=10)
        for _ in range(self.pool_size):
            self._background.submit(self._add_container)

    # --- the pool -------------------------------------------------------------------------

    def _create(self) -> Any:
        inodes = self.limits.max_files + 1
        tmpfs_opts = f"size={self.limits.tmpfs_size},mode=1777,nr_inodes={inodes}"
        memory = (self.limits.memory_limit + 128) << 20
        return self.client.containers.run(
            self.image,
            [_PYTHON, "-I", "-S", "-c", f"import time; time.sleep({CONTAINER_LIFETIME})"],
            detach=True, auto_remove=True, network_mode="none", user=SANDBOX_USER,
            read_only=True, tmpfs={"/tmp": tmpfs_opts, "/work": tmpfs_opts},
            working_dir="/work", environment={}, hostname="sandbox",
            mem_limit=memory, memswap_limit=memory, pids_limit=self.limits.max_processes + 8,
            nano_cpus=int(self.cpus * 1e9), cap_drop=["ALL"],
            security_opt=["no-new-privileges"], shm_size=4 << 20,
            labels={LABEL: "1", f"{LABEL}.owner": self._owner},
        )

    def _add_container(self) -> None:
        if self._closed:
            return
        container = self._create()
        with self._lock:
            self._all[container.id] = container
            self._idle.append(container)
            if self._closed:
                self._remove(container)

    def _take(self) -> Any:
        deadline = time.monotonic() + 60
        while True:
            with self._lock:
                if self._idle:
                    return self._idle.pop()
                starting = len(self._all) < self.pool_size
            if starting:
                self._add_container()
                continue
            if time.monotonic() > deadline:
                raise SandboxUnavailable("no sandbox container became free within 60 s")
            time.sleep(0.005)

    def _release(self, container: Any, clean: bool) -> None:
        """Sweep the container and put it back, or replace it; runs in the background."""
        if clean and not self._closed:
            try:
                result = container.exec_run([_PYTHON, "-I", "-S", "-c", _SWEEP],
                                            user=SANDBOX_USER, workdir="/", environment={})
                clean = result.exit_code == 0 and b"swept" in result.output
            except Exception:
                clean = False
        if clean and not self._closed:
            with self._lock:
                self._idle.append(container)
            return
        self._remove(container)
        with self._lock:
            self._all.pop(container.id, None)
        if not self._closed:
            self._add_container()

    def _remove(self, container: Any) -> None:
        try:
            container.remove(force=True)
        except Exception:
            pass

    def _reap_orphans(self) -> None:
        """Remove sandbox containers whose owning process (on this host) is gone."""
        host = socket.gethostname()
        try:
            containers = self.client.containers.list(all=True, filters={"label": LABEL})
        except Exception:
            return
        for container in containers:
            owner = container.labels.get(f"{LABEL}.owner", "")
            name, _, pid = owner.rpartition(":")
            if name == host and pid.isdigit() and not _alive(int(pid)):
                self._remove(container)

    # --- sessions ---------------------------------------------------------------------------

    def open_session(self) -> DockerSession:
        if self._closed:
            raise SandboxUnavailable("the docker backend is closed")
        container = self._take()
        config = self.limits.runner_config(workdir=f"/work/run-{secrets.token_hex(8)}",
                                           max_processes=None,  # pids_limit does that here
                                           hello_first=True)
        api = self.client.api
        try:
            exec_id = api.exec_create(
                container.id, [_PYTHON, "-I", "-S", "-c", RUNNER_SOURCE, json.dumps(config)],
                stdin=True, stdout=True, stderr=False, tty=False, user=SANDBOX_USER,
                workdir="/work", environment={})["Id"]
            sock = api.exec_start(exec_id, socket=True)
        except Exception as exc:
            self._background.submit(self._release, container, False)
            raise SandboxUnavailable(f"docker exec failed: {exc}") from None
        return DockerSession(self, container, sock, self.limits)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            containers = list(self._all.values())
            self._all.clear()
            self._idle.clear()
        for container in containers:
            self._remove(container)
        self._background.shutdown(wait=False, cancel_futures=True)


class DockerSession:
    """One ``docker exec`` of the runner; its stream is multiplexed (8-byte frame headers)."""

    def __init__(self, backend: DockerBackend, container: Any, sock: Any, limits: Limits) -> None:
        self._backend = backend
        self._container = container
        self._sock: socket.socket = getattr(sock, "_sock", sock)
        self._sock.setblocking(False)
        self._raw = bytearray()
        self._channel = Channel(self._read, self._write,
                                max_line=2 * limits.output_limit + _REPLY_OVERHEAD)
        self._ready = False
        self._hit = False
        self._closed = False

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        if self._closed:
            raise LimitHit("crash", "the sandbox is closed")
        try:
            if not self._ready:
                # The runner speaks only when spoken to (see runner.serve): bytes sent before
                # exec_start returns could be lost inside docker-py's HTTP response buffer.
                startup = max(deadline, time.monotonic() + 30)
                self._channel.send({"op": "hello"}, startup)
                ready = self._channel.receive(startup)
                if not ready.get("ready"):
                    raise LimitHit("crash", "the sandbox runner did not start")
                self._ready = True
            self._channel.send(message, deadline)
            reply = self._channel.receive(deadline)
            # A limit the runner reports (a fork bomb's timeout, say) may leave anything behind
            # too: the container is replaced, not swept (the sweep's exec can outrun it).
            error = reply.get("error")
            if reply.get("limit") or (isinstance(error, dict) and error.get("limit")):
                self._hit = True
            return reply
        except LimitHit:
            self._hit = True
            raise

    def _read(self, timeout: float) -> bytes:
        """The payload of the next stdout frame(s); b"" at end of stream."""
        deadline = time.monotonic() + timeout
        while True:
            payload = self._frame()
            if payload is not None:
                return payload
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._sock], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = self._sock.recv(1 << 16)
            if not chunk:
                return b""
            self._raw += chunk

    def _frame(self) -> bytes | None:
        while len(self._raw) >= 8:
            stream, size = self._raw[0], struct.unpack(">I", self._raw[4:8])[0]
            if len(self._raw) < 8 + size:
                return None
            payload = bytes(self._raw[8:8 + size])
            del self._raw[:8 + size]
            if stream == 1 and payload:
                return payload
        return None

    def _write(self, data: bytes, timeout: float) -> None:
        write_all(self._sock, self._sock.send, data, timeout)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._sock.close()
        except OSError:
            pass
        # A run that hit a limit may have left anything behind: that container is replaced.
        self._backend._background.submit(self._backend._release, self._container, not self._hit)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
