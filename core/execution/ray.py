"""The ``ray`` executor: the engine's work spread over a Ray cluster.

Each Ray actor holds the loaded plugins and a local
:class:`~rewardkit.execution.local.WorkerPool` of warm worker processes, so hard deadlines,
fault handling and statuses are exactly the local executor's: a sample that hangs or crashes
is killed and reported by the pool on the node where it ran.

Placement: each actor is pinned to one node (``NodeAffinitySchedulingStrategy``, hard), one per
node that offers the actor's ``resources`` (by default every node), or ``actors`` of them spread
round-robin over those nodes. A watcher thread follows ``ray.nodes()``: a node that joins gets
an actor within :data:`POLL` seconds plus the actor's start; a node that is lost is recorded in
:attr:`RayExecutor.lost_nodes` and its actor dropped.

Flow: the driver keeps the chunks of a batch in its own queue and sends one to an actor only
while that actor holds fewer than :data:`IN_FLIGHT` of them, so a batch far larger than the
cluster neither floods the object store nor queues thousands of calls at the actors. A chunk
whose actor died (node lost, process killed) goes back to the front of the queue and is
verified again elsewhere, from scratch, with a full deadline; a Batch's slot is set once, so every
sample gets exactly one Result.

Imported only when a config says ``executor: ray``; install with ``rewardkit[ray]``.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from rewardkit.execution.interface import Batch, Mode, PoolClosed, VerifierRef
from rewardkit.execution.units import Work
from rewardkit.models import Result, Sample, Status
from rewardkit.plugins import PluginManager

log = logging.getLogger(__name__)

#: Samples sent to an actor in one call.
CHUNK = 64
#: Chunks an actor holds at once: one being verified, the next already there.
IN_FLIGHT = 2
#: How often a chunk is sent again after the actor holding it died.
MAX_RESENDS = 3
#: Seconds between two looks at the cluster's nodes (joins and losses).
POLL = 1.0


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
        results = self.pool.submit(ref, key, mode, samples, timeout).result()
        return [result.model_dump() for result in results]

    def pid(self) -> int:
        import os

        return os.getpid()


@dataclass(eq=False)
class _Actor:
    """The driver's view of one actor: where it sits and how many chunks it holds."""

    handle: Any
    node_id: str
    in_flight: int = 0
    answered: int = 0  #: chunks it returned results for
    alive: bool = True


@dataclass(eq=False)
class _Chunk(Work):
    sends: int = 0
    lost_on: list[str] = field(default_factory=list)  #: nodes it was lost with


class RayExecutor:
    """Sends the engine's units to :class:`PoolActor` actors pinned to the cluster's nodes.

    :param address: the cluster to join (``"auto"``: ``RAY_ADDRESS`` or the cluster this
        machine belongs to; ``"ray://host:10001"`` with ``ray[client]``); None starts a
        local Ray instance unless this process already joined one.
    :param actors: how many actors, round-robin over the eligible nodes; default one per
        eligible node, following nodes as they join and leave.
    :param workers: worker processes per actor; default the CPUs of the actor's node.
    :param max_instances: verifier instances each worker keeps (see :class:`WorkerPool`).
    :param start_timeout: seconds a worker may take to report ready.
    :param resources: custom Ray resources an actor needs (``{"sandbox": 0.01}``): actors go
        only to nodes that offer them, for example the nodes with Docker or bwrap.
    """

    def __init__(self, plugin_manager: PluginManager, *, address: str | None = None,
                 actors: int | None = None, workers: int | None = None,
                 memory_limit_mb: int | None = None, max_instances: int = 8,
                 start_timeout: float = 60.0, resources: dict[str, float] | None = None) -> None:
        import ray

        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True)
        self.plugin_manager = plugin_manager
        self._remote: Any = ray.remote(max_restarts=0, max_task_retries=0)(PoolActor)
        self._args = (plugin_manager.plugin_dirs, workers, memory_limit_mb, max_instances,
                      start_timeout)
        self._count = actors
        self._resources = dict(resources or {})
        self._lock = threading.Lock()
        self._actors: list[_Actor] = []
        self._queue: collections.deque[_Chunk] = collections.deque()
        self._closed = False
        self.resends = 0  #: chunks sent again after their actor died
        #: Nodes lost while they held actors, with the time (``time.time()``) each was seen gone.
        self.lost_nodes: dict[str, float] = {}
        self._used_nodes: set[str] = set()  #: nodes that held actors
        self._doomed: list[Any] = []  #: actors to kill, from the watcher's thread
        self._refresh()
        if not self._actors:
            raise RuntimeError(f"no alive Ray node offers the resources {self._resources}")
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="rewardkit-ray-nodes",
                                         daemon=True)
        self._watcher.start()

    # -- the Executor interface ------------------------------------------------------------

    @property
    def actors(self) -> list[Any]:
        """Handles of the live actors."""
        return [actor.handle for actor in self._actors if actor.alive]

    @property
    def size(self) -> int:
        return len(self.actors)

    @property
    def busy(self) -> int:
        """Actors holding at least one chunk."""
        return sum(1 for actor in self._actors if actor.alive and actor.in_flight)

    @property
    def queued(self) -> int:
        """Chunks waiting in the driver for an actor with room."""
        return len(self._queue)

    @property
    def restarts(self) -> int:
        return self.resends

    @property
    def healthy(self) -> bool:
        return not self._closed and any(actor.alive for actor in self._actors)

    def submit(self, ref: VerifierRef, key: str, mode: Mode, samples: Sequence[Sample],
               timeout: float) -> Batch:
        """Like :meth:`WorkerPool.submit`: the Results fill the Batch in order."""
        batch = Batch(len(samples))
        chunks = [_Chunk(ref, key, mode, list(samples[start:start + CHUNK]), timeout, batch,
                         start) for start in range(0, len(samples), CHUNK)]
        with self._lock:
            if self._closed:
                raise PoolClosed("the ray executor is closed")
            self._queue.extend(chunks)
        self._pump()
        return batch

    def close(self) -> None:
        """Stop the actors (and their worker processes). The Ray connection stays up."""
        with self._lock:
            self._closed = True
            actors, self._actors = self._actors, []
            queued, self._queue = list(self._queue), collections.deque()
            doomed, self._doomed = self._doomed, []
        self._stop.set()
        for chunk in queued:
            chunk.batch.fail(PoolClosed("the ray executor was closed"))
        for handle in [*doomed, *(actor.handle for actor in actors)]:
            _kill(handle)

    # -- where the nodes are ---------------------------------------------------------------

    def nodes(self) -> dict[str, int]:
        """Chunks answered so far by the actors of each node (node id → count)."""
        counts: dict[str, int] = collections.Counter()
        with self._lock:
            for actor in self._actors:
                counts[actor.node_id] += actor.answered
        return dict(counts)

    def health(self) -> dict[str, Any]:
        """What the cluster looks like from here: live actors, their nodes, lost nodes."""
        with self._lock:
            live = [actor for actor in self._actors if actor.alive]
            return {"healthy": self.healthy, "actors": len(live),
                    "nodes": sorted({actor.node_id for actor in live}),
                    "lost_nodes": sorted(self.lost_nodes), "resends": self.resends,
                    "in_flight_chunks": sum(actor.in_flight for actor in self._actors),
                    "queued_chunks": len(self._queue)}

    def _refresh(self) -> None:
        """Record lost nodes, drop their actors, start actors where the placement wants them."""
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        with self._lock:
            doomed, self._doomed = self._doomed, []
        for handle in doomed:
            _kill(handle)
        alive = [node for node in ray.nodes()  # type: ignore[no-untyped-call]
                 if node.get("Alive")]
        alive_ids = {node["NodeID"] for node in alive}
        eligible = [node["NodeID"] for node in alive
                    if all(node.get("Resources", {}).get(name, 0) >= amount
                           for name, amount in self._resources.items())]
        with self._lock:
            if self._closed:
                return
            for node_id in self._used_nodes - alive_ids - self.lost_nodes.keys():
                self.lost_nodes[node_id] = time.time()
                log.warning("ray node %s lost; its chunks go to the other nodes", node_id)
            for actor in self._actors:
                if actor.alive and actor.node_id not in eligible:
                    actor.alive = False
            self._actors = [actor for actor in self._actors if actor.alive or actor.in_flight]
            live = collections.Counter(actor.node_id for actor in self._actors if actor.alive)
            wanted = self._placement(eligible, live)
        # Created outside the lock: Ray's own thread may be waiting for it in _done.
        started = [_Actor(self._remote.options(
            num_cpus=0, max_concurrency=IN_FLIGHT + 1, resources=self._resources,
            scheduling_strategy=NodeAffinitySchedulingStrategy(node_id, soft=False),
        ).remote(*self._args), node_id) for node_id in wanted]
        with self._lock:
            closed = self._closed
            if not closed:
                self._actors.extend(started)
                self._used_nodes.update(wanted)
        if closed:  # closed meanwhile
            for actor in started:
                _kill(actor.handle)
            return
        for node_id in wanted:
            log.info("ray actor started on node %s", node_id)
        if wanted:
            self._pump()

    def _placement(self, eligible: list[str], live: collections.Counter[str]) -> list[str]:
        """Nodes to start one more actor on each (a node may appear more than once)."""
        if self._count is None:  # one per eligible node
            return [node_id for node_id in eligible if not live[node_id]]
        wanted: list[str] = []
        for _ in range(self._count - sum(live.values())):
            if not eligible:
                break
            node_id = min(eligible, key=lambda n: live[n])  # fewest actors first
            live[node_id] += 1
            wanted.append(node_id)
        return wanted

    def _watch(self) -> None:
        while not self._stop.wait(POLL):
            try:
                self._refresh()
            except Exception:  # the GCS unreachable for a moment: look again next time
                log.exception("ray executor: looking at the cluster's nodes failed")

    # -- sending chunks --------------------------------------------------------------------

    def _pump(self) -> None:
        """Send queued chunks to the least loaded actors that have room."""
        while True:
            with self._lock:
                free = [actor for actor in self._actors
                        if actor.alive and actor.in_flight < IN_FLIGHT]
                if not self._queue or not free:
                    return
                actor = min(free, key=lambda a: a.in_flight)
                chunk = self._queue.popleft()
                actor.in_flight += 1
                chunk.sends += 1
            ref = actor.handle.run.remote(chunk.ref, chunk.key, chunk.mode, chunk.samples,
                                          chunk.timeout)
            ref.future().add_done_callback(
                lambda finished, actor=actor, chunk=chunk: self._done(actor, chunk, finished))

    def _done(self, actor: _Actor, chunk: _Chunk,
              finished: Future[list[dict[str, Any]]]) -> None:
        try:
            rows = finished.result()
        except Exception as exc:
            self._failed(actor, chunk, exc)
        else:
            with self._lock:
                actor.in_flight -= 1
                actor.answered += 1
            chunk.deliver([Result.model_validate(row) for row in rows])
        self._pump()

    def _failed(self, actor: _Actor, chunk: _Chunk, exc: Exception) -> None:
        lost = _actor_lost(exc)
        with self._lock:
            actor.in_flight -= 1
            drop = lost and actor.alive
            if drop:  # never used again; the watcher starts another where one is wanted
                actor.alive = False
            if drop:  # unavailable is not always dead: the watcher makes sure of it
                self._doomed.append(actor.handle)  # ray.kill here, on Ray's thread, would hang
            if lost and chunk.sends <= MAX_RESENDS and not self._closed:
                chunk.lost_on.append(actor.node_id)
                self.resends += 1
                self._queue.appendleft(chunk)  # first in line: its samples waited longest
                log.warning("ray actor on node %s lost; sending %d samples again",
                            actor.node_id, len(chunk.samples))
                return
        chunk.fail(Status.ERROR, f"ray executor: {type(exc).__name__}: {exc}"[:2000])


def _actor_lost(exc: BaseException) -> bool:
    from ray import exceptions

    return isinstance(exc, exceptions.RayActorError | exceptions.ActorUnavailableError)


def _kill(handle: Any) -> None:
    import ray

    with contextlib.suppress(Exception):  # dead already, or its node gone
        ray.kill(handle, no_restart=True)
