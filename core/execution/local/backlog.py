"""Units waiting for a worker: a queue per worker, chosen by the reference they verify against.

Verifiers memoise per worker process (``math`` keeps verdicts by reference and extracted
answer), and a GRPO batch repeats a reference across a group and across prompts. A unit goes
to the queue of the worker its first sample's reference hashes to, so each reference's memo
entries live in one worker: with one FIFO queue for all, every worker learned every answer
again and total CPU grew with the worker count (issue 18). A worker whose own queue is empty
takes from the head of the longest one, so affinity never leaves a worker idle while work waits.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rewardkit.execution.units import Work
from rewardkit.models import Sample

_unit_ids = itertools.count()


@dataclass(eq=False, slots=True)
class Unit(Work):
    """What a worker runs under one deadline: a verifier over one sample (or one batch)."""

    uid: int = field(default_factory=_unit_ids.__next__)
    cancel_sent: bool = False  # the worker was told to skip it

    @property
    def cancelled(self) -> bool:
        """True when nobody waits for its results any more."""
        return self.batch.cancelled


def affinity(sample: Sample) -> int:
    """Where ``sample``'s unit queues: equal references give equal numbers."""
    reference = sample.reference
    try:
        return hash(reference)  # a str caches its hash: nothing is computed twice
    except TypeError:  # a dict or list (code tests): by its text
        pass
    try:
        return hash(repr(reference))
    except RecursionError:  # nested past repr's limit: the sample fails in _pickled_run
        return 0


class Backlog:
    """Per-worker queues of units (used by the dispatcher thread only)."""

    def __init__(self, workers: int) -> None:
        self._queues = [collections.deque[Unit]() for _ in range(workers)]
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, units: Iterable[Unit]) -> None:
        """Queue ``units`` in order, each at the back of its reference's worker queue."""
        queues = self._queues
        count = len(queues)
        for unit in units:
            queues[affinity(unit.samples[0]) % count].append(unit)
            self._size += 1

    def put_back(self, worker: int, units: Sequence[Unit]) -> None:
        """Return units a worker held but never started to the head of its queue, in order."""
        self._queues[worker].extendleft(reversed(units))
        self._size += len(units)

    def take(self, worker: int, most: int, skip_cancelled: bool) -> list[Unit]:
        """Up to ``most`` units for ``worker``: its own, else the head of the longest queue.

        With ``skip_cancelled``, units nobody waits for are dropped on the way.
        """
        queue = self._queues[worker]
        if not queue:
            queue = max(self._queues, key=len)
        taken: list[Unit] = []
        while queue and len(taken) < most:
            unit = queue.popleft()
            self._size -= 1
            if not (skip_cancelled and unit.cancelled):
                taken.append(unit)
        return taken

    def units(self) -> list[Unit]:
        """Every queued unit (a copy, safe to read from another thread)."""
        return [unit for queue in list(self._queues) for unit in list(queue)]

    def drain(self) -> list[Unit]:
        """Every queued unit, leaving the backlog empty."""
        drained = self.units()
        for queue in self._queues:
            queue.clear()
        self._size = 0
        return drained
