"""The ``docker`` backend: a warm pool of locked-down containers, one solution at a time each.

Containers run with no network, a read-only root, no log (``--log-driver none``), a seccomp
allow-list of their own (:mod:`.docker_seccomp`: no ``ptrace``, no ``process_vm_*``),
``no-new-privileges``, memory / pids / CPU limits and size- and inode-capped tmpfs mounts for
``/tmp`` and ``/work``. Pid 1 is the init of :mod:`.docker_programs`: it starts as root only to
drop to a user of its own (never the sandbox user), makes itself non-dumpable and reaps
orphans, so no solution can trace, signal or open it. A run is a ``docker exec`` of the runner
(the same program as in the process backend) as the sandbox user, holding no capability, in a
fresh work folder; its stdin/stdout carry the channel.

After a run the container is swept by an exec as root that holds ``CAP_KILL``: it kills every
process but pid 1, checks that pid 1 is still the init, then becomes the sandbox user (no other
process of that user is left to interfere) to empty every tmpfs and remove System V IPC, and
checks that all of it is gone. Only a container the sweep proves clean serves again; one whose
run hit a limit, whose sweep fails, or that nears its lifetime is removed and replaced.
:meth:`DockerBackend.close` removes every container the backend made; containers a killed
process left behind are removed by the next pool (and stop by themselves after
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

from rewardkit.verifiers.code.sandbox import (
    RUNNER_SOURCE,
    LimitHit,
    Limits,
    SandboxUnavailable,
    pid_alive,
)
from rewardkit.verifiers.code.sandbox.channel import Channel, write_all
from rewardkit.verifiers.code.sandbox.docker_programs import (
    CONTAINER_LIFETIME,
    INIT,
    SANDBOX_USER,
    SWEEP,
)
from rewardkit.verifiers.code.sandbox.docker_seccomp import security_opt
from rewardkit.verifiers.code.sandbox.zygote import MASKED_PROC

LABEL = "rewardkit.sandbox"
#: A container this close to its lifetime is retired instead of serving another run.
_LIFETIME_MARGIN = 300
#: Seconds a session waits for a container that is being swept before it starts a new one.
_WAIT_FOR_SWEEP = 10.0
#: Capabilities of the container's root processes (pid 1 before it drops them, and the sweep);
#: the sandbox user's processes hold none (no-new-privileges, no setuid files, non-root exec).
_ROOT_CAPABILITIES = ["KILL", "SETUID", "SETGID"]
#: Docker's default masked paths, and the host files the process backend masks too.
_MASKED_PATHS = sorted({"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
                        "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                        "/sys/devices/virtual/powercap", *MASKED_PROC})
_REPLY_OVERHEAD = 64 * 1024
_SHM_SIZE = 4 << 20
_PYTHON = "/usr/bin/python3"

class DockerBackend:
    name = "docker"

    def __init__(self, limits: Limits, *, image: str, docker_host: str, pool_size: int = 2,
                 cpus: float = 1.0, executable_work: bool = False) -> None:
        try:
            import docker
        except ImportError as exc:
            raise SandboxUnavailable("the docker backend needs the `docker` package "
                                     "(pip install 'rewardkit[code]')") from exc
        self.limits = limits
        self.image = image
        self.pool_size = pool_size
        self.cpus = cpus
        #: compiled programs run from /work: its tmpfs then allows exec (Docker's default is
        #: noexec); /tmp and /dev/shm stay noexec
        self.executable_work = executable_work
        try:
            self.client = docker.DockerClient(base_url=docker_host, timeout=60)
            self.client.ping()
        except Exception as exc:
            raise SandboxUnavailable(f"no Docker engine answers at {docker_host}: {exc}") from None
        try:
            self.client.images.get(image)
        except Exception:
            self.client.close()
            raise SandboxUnavailable(
                f"image {image!r} is not on the engine at {docker_host}; build it with "
                "scripts/start-services.sh (no registry is used)") from None
        self._pid = os.getpid()
        self._owner = f"{socket.gethostname()}:{self._pid}"
        #: Labels every container of this backend, so close() finds even one whose creation
        #: call failed after the engine made it.
        self._token = secrets.token_hex(8)
        self._idle: list[Any] = []
        self._all: dict[str, Any] = {}  # every live container: idle, in a session, being swept
        self._born: dict[str, float] = {}
        self._creating = 0  # idle containers being made in the background
        self._sweeping = 0  # containers a session gave back, being swept
        self._in_flight = 0  # engine calls that may still create a container
        self._lock = threading.Lock()
        self._background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rk-docker")
        self._closed = False
        self._reap_orphans()
        # Worker processes end through os._exit, which skips atexit: register both ways.
        atexit.register(self.close)
        self._finalizer = mp_util.Finalize(self, DockerBackend.close, args=(self,),
                                           exitpriority=10)
        self._warmed = False  # the pool starts on the first session: an unused backend is free

    # --- the pool -------------------------------------------------------------------------

    def _create(self) -> Any:
        inodes = self.limits.max_files + 1
        tmpfs_opts = f"size={self.limits.tmpfs_size},mode=1777,nr_inodes={inodes}"
        memory = (self.limits.memory_limit + 128) << 20
        api = self.client.api
        host_config = api.create_host_config(
            auto_remove=True, network_mode="none", read_only=True,
            # /dev/shm as our own tmpfs: --shm-size caps its bytes but not its inodes.
            tmpfs={"/tmp": tmpfs_opts,
                   "/work": tmpfs_opts + (",exec" if self.executable_work else ""),
                   "/dev/shm": f"size={_SHM_SIZE},mode=1777,nr_inodes={inodes}"},
            ipc_mode="private",
            mem_limit=memory, memswap_limit=memory, pids_limit=self.limits.max_processes + 8,
            nano_cpus=int(self.cpus * 1e9), cap_drop=["ALL"], cap_add=_ROOT_CAPABILITIES,
            security_opt=["no-new-privileges", security_opt()],
            log_config={"type": "none", "config": {}})
        # Not a keyword of docker-py: the engine's API field, which replaces Docker's own list.
        host_config["MaskedPaths"] = _MASKED_PATHS
        created = api.create_container(
            self.image, [_PYTHON, "-I", "-S", "-c", INIT], detach=True, user="0:0",
            working_dir="/work", environment={}, hostname="sandbox", host_config=host_config,
            labels={LABEL: "1", f"{LABEL}.owner": self._owner, f"{LABEL}.backend": self._token})
        container = self.client.containers.get(created["Id"])
        try:
            container.start()
        except Exception:
            self._remove_id(container.id)
            raise
        return container

    def _new_container(self) -> Any | None:
        """A new container, registered as live; None once the backend is closed."""
        with self._lock:
            if self._closed:
                return None
            self._in_flight += 1
        container = None
        try:
            container = self._create()
        finally:
            with self._lock:
                self._in_flight -= 1
                registered = container is not None and not self._closed
                if registered:
                    self._all[container.id] = container
                    self._born[container.id] = time.monotonic()
        if container is not None and not registered:
            self._remove(container)
            return None
        return container

    def _submit(self, task: Any, *args: Any) -> bool:
        try:
            self._background.submit(task, *args)
            return True
        except RuntimeError:  # shut down by close(), which removes every container itself
            return False

    def _warm(self) -> None:
        """Start one idle container in the background."""
        with self._lock:
            if self._closed:
                return
            self._creating += 1
        if not self._submit(self._make_idle):
            with self._lock:
                self._creating -= 1

    def _make_idle(self) -> None:
        container = None
        try:
            container = self._new_container()
        except Exception:
            pass  # the next session starts one itself and reports the engine's error
        finally:
            with self._lock:
                self._creating -= 1
                if container is not None and container.id in self._all:
                    self._idle.append(container)

    def _take(self) -> Any:
        """An idle container; a new one when none is idle and none is about to be."""
        with self._lock:
            warm, self._warmed = not self._warmed, True
        for _ in range(self.pool_size if warm else 0):
            self._warm()
        waiting_since = time.monotonic()
        while True:
            with self._lock:
                if self._closed:
                    raise SandboxUnavailable("the docker backend is closed")
                container = self._idle.pop() if self._idle else None
                coming = self._creating + self._sweeping
            if container is not None:
                age = time.monotonic() - self._born.get(container.id, 0.0)
                if age < CONTAINER_LIFETIME - _LIFETIME_MARGIN:
                    return container
                self._submit(self._retire, container)
                continue
            if not coming or time.monotonic() - waiting_since > _WAIT_FOR_SWEEP:
                # Every container is in use (a sample may hold two sandboxes at once): one more.
                try:
                    container = self._new_container()
                except Exception as exc:
                    raise SandboxUnavailable(f"cannot start a sandbox container: {exc}") from None
                if container is None:
                    raise SandboxUnavailable("the docker backend is closed")
                return container
            time.sleep(0.002)

    def release(self, container: Any, clean: bool) -> None:
        """A session is done with ``container``: sweep it (or retire it) in the background."""
        with self._lock:
            if self._closed:
                return  # close() removed it
            self._sweeping += 1
        if not self._submit(self._release, container, clean):
            with self._lock:
                self._sweeping -= 1

    def _release(self, container: Any, clean: bool) -> None:
        try:
            keep = clean and self._sweep(container)
            with self._lock:
                # Containers made beyond the pool size for a busy moment are not kept.
                keep = keep and not self._closed and len(self._all) <= self.pool_size
                if keep:
                    self._idle.append(container)
                else:
                    self._forget(container)
            if not keep:
                self._retire(container)
        finally:
            with self._lock:
                self._sweeping -= 1

    def _sweep(self, container: Any) -> bool:
        """True only when the sweep proved the container clean."""
        try:
            result = container.exec_run([_PYTHON, "-I", "-S", "-c", SWEEP], user="0:0",
                                        workdir="/", environment={})
        except Exception:
            return False
        return bool(result.exit_code == 0 and result.output.strip() == b"clean")

    def _forget(self, container: Any) -> None:
        """Drop a container from the pool's books (the lock is held)."""
        self._all.pop(container.id, None)
        self._born.pop(container.id, None)

    def _retire(self, container: Any) -> None:
        """Remove a container; start a replacement while the pool is below its size."""
        with self._lock:
            self._forget(container)
            refill = not self._closed and len(self._all) + self._creating < self.pool_size
        self._remove(container)
        if refill:
            self._warm()

    def _remove(self, container: Any) -> None:
        try:
            container.remove(force=True)
        except Exception:
            pass

    def _reap_orphans(self) -> None:
        """Remove sandbox containers whose owning process (on this host) is gone."""
        host = socket.gethostname()
        for entry in self._listed(LABEL):
            name, _, pid = entry.get("Labels", {}).get(f"{LABEL}.owner", "").rpartition(":")
            if name == host and pid.isdigit() and not pid_alive(int(pid)):
                self._remove_id(entry["Id"])

    def _listed(self, label: str) -> list[dict[str, Any]]:
        """Containers with ``label``, as the engine lists them (one call, no inspect each)."""
        try:
            return list(self.client.api.containers(all=True, filters={"label": label}))
        except Exception:
            return []

    def _remove_id(self, container_id: str) -> None:
        try:
            self.client.api.remove_container(container_id, force=True)
        except Exception:
            pass

    # --- sessions ---------------------------------------------------------------------------

    def open_session(self) -> DockerSession:
        config = self.limits.runner_config(workdir=f"/work/run-{secrets.token_hex(8)}",
                                           max_processes=None,  # pids_limit does that here
                                           hello_first=True, watch_oom=True)
        command = [_PYTHON, "-I", "-S", "-c", RUNNER_SOURCE, json.dumps(config)]
        api = self.client.api
        for attempt in range(3):  # a container that died while idle is retired; try the next
            container = self._take()
            try:
                exec_id = api.exec_create(
                    container.id, command, stdin=True, stdout=True, stderr=False, tty=False,
                    user=SANDBOX_USER, workdir="/work", environment={})["Id"]
                sock = api.exec_start(exec_id, socket=True)
            except Exception as exc:
                self.release(container, clean=False)
                if attempt == 2 or self._closed:
                    raise SandboxUnavailable(f"docker exec failed: {exc}") from None
                continue
            return DockerSession(self, container, sock, self.limits)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Remove every container this backend made (idle, in use, being made or swept).
        Idempotent; waits for in-flight engine calls, so nothing is created after it returns."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        atexit.unregister(self.close)
        self._finalizer.cancel()
        if os.getpid() != self._pid:
            return  # a forked child's copy: the containers are its parent's
        self._background.shutdown(wait=True, cancel_futures=True)
        deadline = time.monotonic() + 120
        while self._in_flight and time.monotonic() < deadline:  # a session's own container
            time.sleep(0.01)
        with self._lock:
            containers = list(self._all.values())
            self._all.clear()
            self._idle.clear()
        for container in containers:
            self._remove(container)
        # One the engine made although its creation call failed; what cannot be removed now
        # is left to the lifetime and to the next pool's orphan reaping.
        for entry in self._listed(f"{LABEL}.backend={self._token}"):
            self._remove_id(entry["Id"])
        self.client.close()


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
                    if ready.get("error"):  # it cannot enforce what it promises: never run
                        raise SandboxUnavailable(str(ready["error"])[:300])
                    raise LimitHit("crash", "the sandbox runner did not start")
                self._ready = True
            self._channel.send(message, deadline)
            reply = self._channel.receive(deadline)
            if reply.get("oom_killed"):
                # The kernel killed a process of the run for memory: that is the memory limit,
                # whatever the runner managed to say (as on the process backend).
                raise LimitHit("memory", "memory limit hit (the run's processes together)")
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
        self._backend.release(self._container, clean=not self._hit)
