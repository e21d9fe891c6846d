"""The executor interface: what the engine hands an executor, and what it gets back.

A *unit* is one verifier (:data:`VerifierRef`, its key, its :class:`Mode`) over some samples
with a hard deadline per sample; an executor returns one ``Future[Result]`` per sample, and
every sample's Result has a status (``ok``, ``skipped``, ``error``, ``timeout``) that means the
same whichever executor ran it. A new executor implements :class:`Executor` and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
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
               timeout: float) -> list[Future[Result]]: ...

    def close(self) -> None: ...


class PoolClosed(RuntimeError):
    """Work was submitted to, or was still queued in, a pool that has been closed."""
