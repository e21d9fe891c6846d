"""A warm pool of worker processes that verifies samples under a hard deadline.

Workers start once and are reused. A dispatcher thread feeds them units of work in chunks
through pipes and reads back their answers, several units per message. Each worker writes
which unit it is on and since when into a shared-memory :class:`Slot`, which the dispatcher
reads when it wakes (on a message, or on a timer at the earliest deadline), so it need not
wake once per sample to keep every unit's deadline its own. A worker whose unit passes its
deadline is killed with its whole process group and replaced; so is one that dies
(``os._exit``, a segfault, the OOM killer). The unit it was on gets a ``timeout`` or
``error`` Result; the other units it held and had not answered (finished ones whose answers
were still in the worker, and those not started) go back to the queue and run again, each
delivered once; the rest of the batch is scored. A worker that does not report ready in time is
replaced too. Each worker keeps a bounded number of verifier instances and closes the ones it
drops. Nothing here relies on ``signal.alarm``.

This module is the parent's side (the dispatcher); ``worker.py`` is the worker's main loop.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import logging
import multiprocessing
import os
import pickle
import selectors
import signal
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from rewardkit.execution.interface import Batch, Mode, PoolClosed, VerifierRef
from rewardkit.execution.local.backlog import Backlog, Unit
from rewardkit.execution.local.worker import READY, Slot, running_index, worker_main
from rewardkit.execution.units import ResultRow, result_from_row
from rewardkit.models import Sample, Status
from rewardkit.plugins import PluginManager

log = logging.getLogger(__name__)

#: A result message larger than this is replaced by an ``error`` Result.
DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024
#: Most units sent to a worker in one message.
MAX_CHUNK = 64
#: Verifier instances a worker keeps (least recently used ones are closed past it).
DEFAULT_MAX_INSTANCES = 8
#: Seconds a new worker may take to report ready before it is killed and replaced.
DEFAULT_START_TIMEOUT = 60.0
#: Start-up failures in a row after which the pool gives up (a plugin that cannot load).
MAX_STARTUP_FAILURES = 3
#: Seconds without a start-up failure, with a worker ready, after which the count resets.
DEFAULT_HEALTHY_PERIOD = 60.0
#: Seconds a worker has to close its verifiers (sandboxes, containers) at shutdown.
SHUTDOWN_GRACE = 5.0


class WorkersCannotStart(RuntimeError):
    """Workers failed to start (died or hung before ready) too often in a row."""


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of any start method
    conn: Connection
    slot: Slot
    #: When it was started (monotonic seconds): it must report ready by ``start_timeout``.
    started: float = field(default_factory=time.monotonic)
    ready: bool = False
    #: Units sent and not answered yet, in the order the worker runs them.
    units: collections.deque[Unit] = field(default_factory=collections.deque)
    #: Units it has answered in all (its slot counts the ones it started).
    answered: int = 0
    #: When it was last sent work or last answered (monotonic seconds): until it starts
    #: the next unit, that unit's deadline counts from here.
    since: float = 0.0

    def _position(self) -> tuple[int, float]:
        """(index in ``units`` of the unit the worker is on, -1 if none started yet; the
        monotonic second it began), read from the slot."""
        started, since = self.slot.read()
        index = running_index(started, self.answered)
        return (index if index < len(self.units) else -1), since

    def running(self) -> int:
        """The index in ``units`` of the unit the worker is on (-1: none started yet)."""
        return self._position()[0]

    def deadline(self) -> float:
        """When the unit it is on must be done (monotonic seconds); it holds units."""
        index, since = self._position()
        if index >= 0:
            return since + self.units[index].timeout
        return self.since + self.units[0].timeout


class WorkerPool:
    """Verifies units of samples in worker processes; see the module docstring.

    One pool can serve many engines (the server's requests, a trainer's reward functions):
    each unit names its verifier and options, and a worker builds an instance per (name,
    options) from its plugin manager. It keeps the ``max_instances`` most recently used ones
    and calls :meth:`Verifier.close` on the one it drops, and on all of them when it stops,
    so many distinct option sets never pile up sandboxes or containers.

    A worker that does not report ready within ``start_timeout`` seconds (a plugin that hangs
    at import) is killed and replaced. After :data:`MAX_STARTUP_FAILURES` start-up failures
    in a row the pool stops and fails its work; the count resets once ``healthy_period``
    seconds pass without one while a worker is ready.

    :param plugin_manager: where workers find verifiers. With ``fork`` (the default) workers
        inherit it, plugins registered in a test or a notebook included; with ``forkserver``
        or ``spawn`` each worker loads the installed plugins itself.
    :param workers: number of worker processes.
    :param memory_limit_mb: address-space limit of each worker, or None.
    :param preload: verifier names whose :meth:`Verifier.preload` runs once in this process
        before the workers fork (``fork`` only), so no worker imports and warms their
        libraries on its own: total CPU and start-up do not grow with the worker count.
    """

    def __init__(self, plugin_manager: PluginManager, *, workers: int = 2,
                 start_method: str = "fork", memory_limit_mb: int | None = None,
                 max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
                 max_instances: int = DEFAULT_MAX_INSTANCES,
                 start_timeout: float = DEFAULT_START_TIMEOUT,
                 healthy_period: float = DEFAULT_HEALTHY_PERIOD,
                 preload: Sequence[str] = ()) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        if max_instances < 1:
            raise ValueError("a worker must be able to keep at least one verifier instance")
        self._max_instances = max_instances
        self._start_timeout = start_timeout
        self._healthy_period = healthy_period
        self.plugin_manager = plugin_manager
        # Only a forked worker can inherit the manager (and what was preloaded); the others
        # build their own.
        self._worker_pm = plugin_manager if start_method == "fork" else None
        self._preload = tuple(preload) if start_method == "fork" else ()
        self._size = workers
        self._context = multiprocessing.get_context(start_method)
        self._memory_limit_mb = memory_limit_mb
        self._max_result_bytes = max_result_bytes
        self._incoming: collections.deque[Unit] = collections.deque()
        self._backlog = Backlog(workers)
        #: Batches cancelled so far, and how many of those the dispatcher has acted on.
        self._cancels = 0
        self._cancels_seen = 0
        self._selector: selectors.BaseSelector = selectors.DefaultSelector()
        self._workers: list[_Worker] = []
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._closing = False
        self._broken: str | None = None  # why the pool cannot run work, once it cannot
        self._startup_failures = 0
        #: Since when a worker has been ready with no start-up failure (None: not now).
        self._healthy_since: float | None = None
        self._lock = threading.Lock()
        self._restarts = 0
        # Workers are forked by the dispatcher thread: it lives as long as the pool, so a
        # worker's parent-death signal fires only when the pool is really gone.
        self._thread = threading.Thread(target=self._dispatch, name="rewardkit-pool",
                                        daemon=True)
        self._thread.start()
        self._finalizer = weakref.finalize(self, _shutdown, self._thread, self._wake_w)

    @property
    def size(self) -> int:
        return self._size

    @property
    def restarts(self) -> int:
        """Workers replaced after a timeout or a death."""
        return self._restarts

    @property
    def healthy(self) -> bool:
        """True while the pool can take work: its dispatcher runs and it is not closed."""
        return self._thread.is_alive() and not self._closing and self._broken is None

    @property
    def busy(self) -> int:
        """Workers with work in hand (for saturation metrics)."""
        return sum(1 for worker in self._workers if worker.units)

    @property
    def queued(self) -> int:
        """Units waiting for a worker (cancelled ones not counted)."""
        waiting = [*self._backlog.units(), *self._incoming]
        return sum(1 for unit in waiting if not unit.cancelled)

    def submit(self, ref: VerifierRef, key: str, mode: Mode, samples: Sequence[Sample],
               timeout: float) -> Batch:
        """Queue ``samples`` for the verifier ``ref``; their Results fill the Batch in order.

        Results carry ``key`` as their verifier. ``Mode.ONE`` makes one unit (one deadline)
        per sample; the other modes make one unit for all samples, with a deadline of
        ``timeout`` per sample. Cancelling the Batch (the notice wakes the dispatcher, which
        then looks for work nobody waits for) drops its units not started yet.
        """
        batch = Batch(len(samples), self._note_cancel)
        if mode is Mode.ONE:
            units = [Unit(ref, key, mode, [s], timeout, batch, i) for i, s in enumerate(samples)]
        else:
            units = [Unit(ref, key, mode, list(samples), timeout * len(samples), batch, 0)]
        with self._lock:
            if self._closing:
                raise PoolClosed(self._broken or "the worker pool is closed")
            self._incoming.extend(units)
        self._wake()
        return batch

    def close(self, timeout: float = SHUTDOWN_GRACE + 5.0) -> None:
        """Stop the workers; work still queued gets an ``error`` Result. Idempotent."""
        with self._lock:
            self._closing = True
        self._wake()
        self._thread.join(timeout)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _note_cancel(self) -> None:
        self._cancels += 1  # under the GIL; a lost count only delays the skip to the next
        self._wake()

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except (BlockingIOError, OSError):
            pass  # a full pipe already wakes the dispatcher; a closed one means shutdown

    # --- the dispatcher thread -------------------------------------------------------

    def _dispatch(self) -> None:
        try:
            self._selector.register(self._wake_r, selectors.EVENT_READ, None)
            self._preload_verifiers()
            for _ in range(self._size):
                self._workers.append(self._start_worker())
            while True:
                with self._lock:
                    closing = self._closing
                    if closing:
                        break
                    # left in _incoming until queued: a failure here still fails them all
                    self._backlog.add(self._incoming)
                    self._incoming = collections.deque()
                if self._cancels != self._cancels_seen:
                    self._cancels_seen = self._cancels
                    self._send_cancellations()
                self._assign()
                self._wait_and_collect()
        except WorkersCannotStart as exc:
            log.error("rewardkit worker pool stopped: %s", exc)
            self._broken = str(exc)
        except Exception as exc:  # a bug here must not leave callers waiting forever
            log.exception("rewardkit worker pool dispatcher failed")
            self._broken = f"the worker pool failed: {type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                self._closing = True
            self._shutdown_workers()

    def _preload_verifiers(self) -> None:
        for name in self._preload:
            try:
                factory = self.plugin_manager.get_verifier(name).factory
                (factory if isinstance(factory, type) else type(factory)).preload()
            except Exception:  # the workers then load it lazily, each on its own
                log.exception("preloading verifier %r failed", name)
        if self._preload:
            # What the preload imported (sympy: a million objects) would otherwise be walked
            # by every full collection in this process, at a cost charged to the samples
            # scored meanwhile (issue 18); frozen, only objects made later are walked.
            gc.freeze()

    def _assign(self) -> None:
        # Only idle workers get work: a busy one is not reading its pipe, and a send that
        # filled the pipe would block this thread, and with it every deadline.
        if not self._backlog:
            return
        chunk = max(1, min(MAX_CHUNK, len(self._backlog) // (2 * len(self._workers))))
        for index, worker in enumerate(self._workers):
            if not worker.ready or worker.units:
                continue
            taken: list[Unit] = []
            while not taken and self._backlog:
                # A unit whose batch was cancelled is dropped (looked at once any was).
                taken = self._backlog.take(index, chunk, skip_cancelled=self._cancels > 0)
                taken, data = _pickled_run(taken)
            if not taken:
                break
            try:
                worker.conn.send_bytes(data)
            except (OSError, ValueError):  # dead already; it is replaced on the next read
                pass
            worker.since = time.monotonic()
            worker.units.extend(taken)

    def _wait_and_collect(self) -> None:
        start_timeout = self._start_timeout
        deadline = min((w.deadline() if w.units else w.started + start_timeout
                        for w in self._workers if w.units or not w.ready), default=None)
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        # Every worker's pipe stays registered: an idle one that dies is replaced at once.
        for key, _ in self._selector.select(timeout):
            worker = key.data
            if worker is None:
                os.read(self._wake_r, 65536)
            elif not worker.conn.closed:  # not replaced while this round was read
                self._read(worker)
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.units and now >= worker.deadline():
                # The unit read now is the late one, even if the worker moves on before it
                # is killed: the next one's deadline has not passed.
                running = max(worker.running(), 0)
                self._fail_worker(worker, Status.TIMEOUT, "timed out after "
                                  f"{worker.units[running].timeout:g} s (hard deadline)", running)
            elif not worker.ready and now >= worker.started + self._start_timeout:
                self._fail_worker(worker, Status.ERROR, "worker did not report ready within "
                                  f"{self._start_timeout:g} s")

    def _read(self, worker: _Worker) -> None:
        # Drain every message already in the pipe before looking at the deadline.
        while True:
            try:
                data = worker.conn.recv_bytes()
            except (EOFError, OSError):
                self._fail_worker(worker, Status.ERROR, self._death_reason(worker))
                return
            if data == READY:
                worker.ready = True
                if self._healthy_since is None:
                    self._healthy_since = time.monotonic()
            else:
                worker.since = time.monotonic()
                answers: list[bytes] = pickle.loads(data)
                worker.answered += len(answers)
                for answer in answers:
                    unit = worker.units.popleft()
                    rows = pickle.loads(answer)
                    if rows is not None:  # None: the worker skipped a cancelled unit
                        self._deliver(unit, rows)
            if not worker.conn.poll():
                return

    def _send_cancellations(self) -> None:
        """Tell busy workers to skip units they hold whose batch was cancelled."""
        for worker in self._workers:
            # Not the unit it is on (nor the finished ones before it): only those after.
            after = max(worker.running(), 0) + 1 if worker.units else 0
            skipped = [u.uid for u in itertools.islice(worker.units, after, None)
                       if not u.cancel_sent and u.cancelled]
            if not skipped:
                continue
            for unit in worker.units:
                if unit.uid in skipped:
                    unit.cancel_sent = True
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(("cancel", skipped))  # a few bytes: never fills the pipe

    def _deliver(self, unit: Unit, rows: list[ResultRow]) -> None:
        key = unit.key
        unit.deliver([result_from_row(row, key) for row in rows])

    def _fail_worker(self, worker: _Worker, status: Status, reason: str,
                     running: int | None = None) -> None:
        """Kill ``worker``, fail the unit it was on (``running``, its index in the units the
        worker held; by default read from its slot), requeue the rest, start a replacement."""
        self._stop(worker)  # first: the slot no longer moves
        if running is None:
            # The first unit it held if it had started none (it died between units).
            running = max(worker.running(), 0) if worker.units else 0
        if not worker.ready:
            # A worker that dies or hangs before it is ready would again: stop after a few
            # tries in a row; failures far apart (a healthy period between) do not add up.
            now = time.monotonic()
            if (self._healthy_since is not None
                    and now - self._healthy_since >= self._healthy_period):
                self._startup_failures = 0
            self._startup_failures += 1
            others = [w for w in self._workers if w is not worker and w.ready]
            self._healthy_since = now if others else None
            if self._startup_failures >= MAX_STARTUP_FAILURES:
                raise WorkersCannotStart(f"workers cannot start ({reason})")
        if worker.units:
            unit = worker.units[running]
            del worker.units[running]
            unit.fail(status, reason, unit.timeout if status is Status.TIMEOUT else 0.0)
            # Queued units never started: they go first, in their order, to the replacement
            # (or to any worker that runs out of its own work first).
            self._backlog.put_back(self._workers.index(worker), list(worker.units))
            worker.units.clear()
        index = self._workers.index(worker)
        self._restarts += 1
        self._workers[index] = self._start_worker()

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(1.0)
        code = worker.process.exitcode
        if code is None:
            return "worker process stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"worker process died ({name})"
        return f"worker process exited with code {code}"

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        slot = Slot(self._context)
        process = self._context.Process(  # type: ignore[attr-defined]
            target=worker_main,
            args=(child, slot, self._worker_pm, self.plugin_manager.plugin_dirs,
                  self._memory_limit_mb, self._max_result_bytes, self._max_instances),
            name="rewardkit-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process=process, conn=parent, slot=slot)
        self._selector.register(parent, selectors.EVENT_READ, worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        if not worker.conn.closed:  # stopped once already (a failed start, then shutdown)
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(worker.conn)
        _kill(worker)

    def _shutdown_workers(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + SHUTDOWN_GRACE
        for worker in self._workers:
            # An idle worker closes its verifiers and exits; a busy one would read the
            # message only after its unit, whose result nobody waits for: it is killed now.
            if not worker.units:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            self._stop(worker)
        left = [unit for worker in self._workers for unit in worker.units]
        left += self._backlog.drain()
        with self._lock:
            left += self._incoming
            self._incoming.clear()
        for unit in {id(unit): unit for unit in left}.values():  # once, if queued twice
            unit.fail(Status.ERROR, self._broken or "the worker pool was closed")
        self._selector.close()
        os.close(self._wake_r)
        os.close(self._wake_w)


def _pickled_run(units: list[Unit]) -> tuple[list[Unit], memoryview]:
    """The "run" message for ``units``, pickled; a unit whose sample cannot be pickled (a
    value nested past the recursion limit, an object of no importable class) fails alone
    with an ``error`` Result and is left out, instead of stopping the dispatcher."""
    def message(some: list[Unit]) -> tuple[str, list[tuple[Any, ...]]]:
        return "run", [(u.uid, u.ref, u.key, u.mode, [_fields(s) for s in u.samples])
                       for u in some]
    try:
        return units, ForkingPickler.dumps(message(units))
    except Exception:  # RecursionError, PicklingError, TypeError...: find which unit
        pass
    sendable = []
    for unit in units:
        try:
            ForkingPickler.dumps(message([unit]))
        except Exception as exc:
            unit.fail(Status.ERROR, f"the sample cannot be sent to a worker process "
                                    f"({type(exc).__name__}: {str(exc)[:200]})")
        else:
            sendable.append(unit)
    return sendable, ForkingPickler.dumps(message(sendable) if sendable else None)


def _fields(sample: Sample) -> tuple[Any, ...]:
    # Plain fields pickle several times faster than the pydantic model (parent CPU).
    return sample.prompt, sample.completion, sample.reference, sample.metadata


def _kill(worker: _Worker) -> None:
    pid = worker.process.pid
    if pid is not None and worker.process.exitcode is None:
        try:
            os.killpg(pid, signal.SIGKILL)  # the worker and anything it started
        except (ProcessLookupError, PermissionError):
            pass
        try:
            worker.process.kill()
        except (ProcessLookupError, AttributeError):
            pass
    worker.process.join(2.0)
    worker.conn.close()


def _shutdown(thread: threading.Thread, wake_w: int) -> None:
    # Only reached when a pool is garbage-collected or the interpreter exits unclosed.
    if thread.is_alive():
        try:
            os.write(wake_w, b"x")
        except OSError:
            pass
