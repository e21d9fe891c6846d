"""Work that does not grow with the worker count (issue 18): preload once, queue by reference.

Before, every worker imported and warmed math-verify and sympy on its own, and units went
to whichever worker was idle, so every worker learned every reference's answers again: total
CPU for the 4,000-completion math set was 1.65x at 8 workers what it was at 1 (see
``benchmarks/worker_scaling.py``; CPU figures belong there, not in tests).
"""

from __future__ import annotations

import os

from rewardkit import RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager
from rewardkit.execution import Batch, Mode
from rewardkit.execution.local.backlog import Backlog, Unit, affinity
from rewardkit.models import Result

#: Set by Preloading.preload in the process that ran it; a forked worker inherits it.
PRELOADED_IN: list[int] = []


class Preloading(Verifier):
    name = "preloading"

    @classmethod
    def preload(cls) -> None:
        PRELOADED_IN.append(os.getpid())

    def verify(self, sample: Sample) -> Result:
        return Result(reward=1.0, details={"worker": os.getpid(), "preloaded": PRELOADED_IN})


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Preloading)


def test_a_verifier_is_preloaded_once_in_the_parent_before_its_workers_fork():
    """Before: nothing was preloaded; each worker loaded its libraries on first use."""
    pm = make_plugin_manager()
    pm.register(Plugin())
    PRELOADED_IN.clear()
    try:
        with RewardEngine(["preloading"], plugin_manager=pm, workers=3, cache_size=0) as engine:
            scores = engine.score([{"completion": str(i), "answer": str(i)} for i in range(12)])
        details = [score.results[0].details for score in scores]
        assert [os.getpid()] == PRELOADED_IN  # once, here
        assert all(d["preloaded"] == [os.getpid()] for d in details)  # inherited, not redone
        assert all(d["worker"] != os.getpid() for d in details)  # still verified in workers
    finally:
        PRELOADED_IN.clear()


def unit(reference: str) -> Unit:
    return Unit(("v", "{}"), "v", Mode.ONE, [Sample(completion="x", reference=reference)], 1.0,
                Batch(1), 0)


def test_units_queue_by_reference_and_an_idle_worker_takes_from_the_longest_queue():
    """Before: one FIFO queue, so a reference's samples were spread over every worker."""
    references = [f"r{i}" for i in range(40)]
    homes = {r: affinity(Sample(completion="", reference=r)) % 2 for r in references}
    backlog = Backlog(2)
    units = [unit(r) for r in references for _ in range(3)]
    backlog.add(units)
    assert len(backlog) == len(units)
    mine = backlog.take(0, 1000, skip_cancelled=False)
    assert mine and {homes[str(u.samples[0].reference)] for u in mine} == {0}
    assert [u.uid for u in mine] == sorted(u.uid for u in mine)  # in order
    # Worker 0's queue is empty now: it takes from the head of worker 1's, in order.
    stolen = backlog.take(0, 5, skip_cancelled=False)
    theirs = [u for u in units if homes[str(u.samples[0].reference)] == 1]
    assert stolen == theirs[:5]
    backlog.put_back(1, stolen)
    assert backlog.take(1, 5, skip_cancelled=False) == theirs[:5]
    assert len(backlog) == len(theirs) - 5


def test_cancelled_units_are_dropped_when_taken():
    backlog = Backlog(1)
    units = [unit("a"), unit("a"), unit("a")]
    backlog.add(units)
    assert units[1].batch.cancel()
    assert backlog.take(0, 3, skip_cancelled=True) == [units[0], units[2]]
    assert len(backlog) == 0
