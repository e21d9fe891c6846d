"""The ``ray`` executor: the engine's work spread over a Ray cluster.

Each Ray actor holds the loaded plugins and a local
:class:`~rewardkit.execution.local.WorkerPool` of warm worker processes, so hard deadlines,
fault handling and statuses are exactly the local executor's: a sample that hangs or crashes
is killed and reported by the pool on the node where it ran. The driver sends chunks of
samples to the actors and puts the results back in order. If an actor dies (its node lost,
its process killed), the chunks it held are sent again to the others (Ray restarts it), so
no sample is lost.

Imported only when a config says ``executor: ray``; install with ``rewardkit[ray]``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from typing import Any

from rewardkit.execution.interface import Mode, VerifierRef
from rewardkit.models import Result, Sample, Status
from rewardkit.plugins import PluginManager

log = logging.getLogger(__name__)

#: Samples sent to an actor in one call.
CHUNK = 64
#: How often a chunk is sent again after the actor holding it died.
MAX_RESENDS = 3


class PoolActor:
    """Runs on a Ray node: the installed plugins and a warm local worker pool."""

    def __init__(self, plugin_dirs: list[str], workers: int | None,
                 memory_limit_mb: int | None, max_instances: int = 8,
                 start_timeout: float = 60.0) -> None:
        import os

        from rewardkit.execution.local import WorkerPool
        from rewardkit.plugins import make_plugin_manager

        self.pool = WorkerPool(make_plugin_manager(plugin_dirs=plugin_dirs),
                               workers=workers or len(os.sched_getaffinity(0)),
                               memory_limit_mb=memory_limit_mb,
                               max_instances=max_instances, start_timeout=start_timeout)

    def run(self, ref: VerifierRef, key: str, mode: Mode, samples: list[Sample],
            timeout: float) -> list[dict[str, Any]]:
        futures = self.pool.submit(ref, key, mode, samples, timeout)
        return [future.result().model_dump() for future in futures]

    def pid(self) -> int:
        import os

        return os.getpid()


class RayExecutor:
    """Sends the engine's units to a pool of :class:`PoolActor` on a Ray cluster.

    :param address: the cluster to join (``"auto"``, ``"ray://host:10001"``); None starts a
        local Ray instance unless this process already joined one.
    :param actors: how many actors; default one per alive node.
    :param workers: worker processes per actor; default the CPUs of the actor's node.
    :param max_instances: verifier instances each worker keeps (see :class:`WorkerPool`).
    :param start_timeout: seconds a worker may take to report ready.
    """

    def __init__(self, plugin_manager: PluginManager, *, address: str | None = None,
                 actors: int | None = None, workers: int | None = None,
                 memory_limit_mb: int | None = None, max_instances: int = 8,
                 start_timeout: float = 60.0) -> None:
        import ray

        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True)
        self.plugin_manager = plugin_manager
        nodes = ray.nodes()  # type: ignore[no-untyped-call]
        count = actors or max(1, sum(1 for node in nodes if node.get("Alive")))
        remote: Any = ray.remote(max_restarts=-1, max_task_retries=0)(PoolActor)
        self.actors: list[Any] = [
            remote.options(max_concurrency=4, scheduling_strategy="SPREAD", num_cpus=0).remote(
                plugin_manager.plugin_dirs, workers, memory_limit_mb, max_instances,
                start_timeout)
            for _ in range(count)
        ]
        self._next = itertools.cycle(range(count))
        self._lock = threading.Lock()
        self.resends = 0  #: chunks sent again after their actor died
        self._in_flight = 0

    @property
    def size(self) -> int:
        return len(self.actors)

    @property
    def busy(self) -> int:
        """Chunks sent to actors and not answered yet."""
        return self._in_flight

    @property
    def queued(self) -> int:
        return 0  # Ray queues chunks at the actors

    @property
    def restarts(self) -> int:
        return self.resends

    @property
    def healthy(self) -> bool:
        return bool(self.actors)

    def submit(self, ref: VerifierRef, key: str, mode: Mode, samples: Sequence[Sample],
               timeout: float) -> list[Future[Result]]:
        """Like :meth:`WorkerPool.submit`: one future Result per sample, in order."""
        futures: list[Future[Result]] = [Future() for _ in samples]
        for start in range(0, len(samples), CHUNK):
            self._send(ref, key, mode, list(samples[start:start + CHUNK]), timeout,
                       futures[start:start + CHUNK], resends=0)
        return futures

    def _send(self, ref: VerifierRef, key: str, mode: Mode, chunk: list[Sample],
              timeout: float, futures: list[Future[Result]], resends: int) -> None:
        with self._lock:
            actor = self.actors[next(self._next)]
            self._in_flight += 1
        handle = actor.run.remote(ref, key, mode, chunk, timeout).future()

        def done(finished: Future[list[dict[str, Any]]]) -> None:
            with self._lock:
                self._in_flight -= 1
            try:
                rows = finished.result()
            except Exception as exc:
                if _actor_lost(exc) and resends < MAX_RESENDS:
                    self.resends += 1
                    log.warning("ray actor lost; sending %d samples again", len(chunk))
                    self._send(ref, key, mode, chunk, timeout, futures, resends + 1)
                    return
                reason = f"ray executor: {type(exc).__name__}: {exc}"[:2000]
                for future in futures:
                    _set(future, Result(status=Status.ERROR, reason=reason, verifier=key))
                return
            for future, row in zip(futures, rows):
                _set(future, Result.model_validate(row))

        handle.add_done_callback(done)

    def close(self) -> None:
        """Stop the actors (and their worker processes). The Ray connection stays up."""
        import ray

        for actor in self.actors:
            ray.kill(actor, no_restart=True)
        self.actors = []


def _actor_lost(exc: BaseException) -> bool:
    from ray import exceptions

    return isinstance(exc, exceptions.RayActorError | exceptions.ActorUnavailableError)


def _set(future: Future[Result], result: Result) -> None:
    with contextlib.suppress(InvalidStateError):  # cancelled meanwhile: nobody waits for it
        future.set_result(result)
