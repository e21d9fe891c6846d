"""The executor interface: what the engine hands an executor, and what it gets back.

A *unit* is one verifier (:data:`VerifierRef`, its key, its :class:`Mode`) over some samples
with a hard deadline per sample; an executor returns one :class:`Batch` per call, a Result
slot per sample, and every sample's Result has a status (``ok``, ``skipped``, ``error``,
``timeout``) that means the same whichever executor ran it. A new executor implements
:class:`Executor` and nothing else.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, InvalidStateError
from enum import Enum
from typing import Protocol

from rewardkit.models import Result, Sample
from rewardkit.plugins import PluginManager


#: How a unit of work calls its verifier.
class Mode(str, Enum):
    ONE = "one"  #: verify(sample), one sample per unit
    BATCH = "batch"  #: verify_batch(samples)
    ASYNC = "async"  #: averify(sample) for each sample, gathered on one event loop


#: What a worker builds a verifier from: its name and its options as JSON.
VerifierRef = tuple[str, str]


class Batch:
    """The Results of one :meth:`Executor.submit`, in order, filled by the executor in any order.

    One handle per call, not a future per sample: creating, setting and reading a future cost
    the engine's process several microseconds per sample (issue 18). :attr:`future` completes
    with the whole list once every slot is filled; :meth:`cancel` before that tells the
    executor that nobody waits for the slots still empty, so work not started is dropped.
    The first Result set for a slot wins (a sample verified again after a worker died is
    delivered once).
    """

    __slots__ = ("_left", "_lock", "_results", "future")

    def __init__(self, size: int, on_cancel: Callable[[], None] | None = None) -> None:
        self.future: Future[list[Result]] = Future()
        self._results: list[Result | None] = [None] * size
        self._left = size
        self._lock = threading.Lock()
        if on_cancel is not None:  # however it is cancelled: cancel(), or an asyncio wrapper
            self.future.add_done_callback(lambda done: on_cancel() if done.cancelled() else None)
        if not size:
            self.future.set_result([])

    def set(self, start: int, results: Sequence[Result]) -> None:
        """Fill the slots from ``start`` on with ``results``; slots already filled keep theirs."""
        slots = self._results
        with self._lock:
            for index, result in enumerate(results, start):
                if slots[index] is None:
                    slots[index] = result
                    self._left -= 1
            if self._left:
                return
        with contextlib.suppress(InvalidStateError):  # cancelled meanwhile
            self.future.set_result(slots)  # type: ignore[arg-type]  # none is None now

    def fail(self, exc: BaseException) -> None:
        """Fail the whole batch (the executor was closed under it), unless it is done."""
        with contextlib.suppress(InvalidStateError):
            self.future.set_exception(exc)

    def result(self, timeout: float | None = None) -> list[Result]:
        """Wait for every slot; raises what :meth:`fail` set, or ``CancelledError``."""
        return self.future.result(timeout)

    def cancel(self) -> bool:
        """Give up the slots not filled yet; False when every slot already was."""
        return self.future.cancel()

    @property
    def cancelled(self) -> bool:
        """True once nobody waits for this batch's Results."""
        return self.future.cancelled()


class Executor(Protocol):
    """Where the engine's units run: the local pool (``execution.local``) or Ray."""

    plugin_manager: PluginManager

    @property
    def size(self) -> int:
        """Worker processes (local) or actors (Ray)."""

    @property
    def busy(self) -> int:
        """How many of those have work in hand."""

    @property
    def queued(self) -> int:
        """Units waiting for a worker (0 where the scheduler keeps its own queue)."""

    @property
    def restarts(self) -> int:
        """Workers replaced (local) or chunks sent again after an actor died (Ray)."""

    @property
    def healthy(self) -> bool:
        """True while it can take work."""

    def submit(self, ref: VerifierRef, key: str, mode: Mode, samples: Sequence[Sample],
               timeout: float) -> Batch:
        """Queue ``samples`` for the verifier ``ref``; their Results, labelled ``key``, fill
        the returned :class:`Batch` in order. Raises :class:`PoolClosed` once closed."""

    def close(self) -> None: ...


class PoolClosed(RuntimeError):
    """Work was submitted to, or was still queued in, a pool that has been closed."""
