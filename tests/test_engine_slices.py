"""A large batch reaches the workers in slices while the rest is still prepared (issue 18).

Before, ``score()`` hashed and looked up every sample of a batch before handing any work to
the pool, and copied every result out after the last one came back: both serial, with every
worker idle, which capped the speed-up on many cores. Timing figures belong in
``benchmarks/worker_scaling.py``; these tests check the order of events.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rewardkit import RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager
from rewardkit.engine import SUBMIT_SLICE
from rewardkit.models import Result


class Marking(Verifier):
    """Pooled; leaves a file named by the sample's ``mark`` column when it verifies one."""

    name = "marking"

    def verify(self, sample: Sample) -> Result:
        Path(sample.metadata["mark"]).touch()
        return Result(reward=1.0, details={"worker": os.getpid()})


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Marking)


class WaitForWork:
    """At sample ``at``, waits (up to 20 s) for the workers to have verified any sample."""

    def __init__(self, at: int, marker: Path) -> None:
        self.at, self.marker = at, marker
        self.seen_work: bool | None = None

    @hookimpl
    def prepare_sample(self, sample, verifier):  # type: ignore[no-untyped-def]
        if sample.metadata.get("i") == self.at:
            deadline = time.monotonic() + 20
            while not self.marker.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            self.seen_work = self.marker.exists()


def rows(count: int, marker: Path) -> list[dict[str, object]]:
    return [{"completion": str(i), "answer": str(i), "i": i, "mark": str(marker)}
            for i in range(count)]


def test_workers_start_on_a_large_batch_before_all_of_it_is_prepared(tmp_path):
    """Before: no sample reached a worker until the last one was hashed (waits 20 s, fails)."""
    marker = tmp_path / "verified"
    waiting = WaitForWork(SUBMIT_SLICE + 5, marker)  # in the second slice
    pm = make_plugin_manager()
    pm.register(Plugin())
    pm.register(waiting)
    with RewardEngine(["marking"], plugin_manager=pm, workers=1, cache_size=0) as engine:
        scores = engine.score(rows(3 * SUBMIT_SLICE + 7, marker))
    assert waiting.seen_work is True
    assert len(scores) == 3 * SUBMIT_SLICE + 7
    assert all(s.reward == 1.0 and s.results[0].details["worker"] != os.getpid()
               for s in scores)


class FailAt:
    @hookimpl
    def prepare_sample(self, sample, verifier):  # type: ignore[no-untyped-def]
        if sample.metadata.get("i") == 2 * SUBMIT_SLICE + 1:
            raise RuntimeError("broken plugin")


def test_a_failure_while_preparing_cancels_the_slices_already_sent(tmp_path):
    pm = make_plugin_manager()
    pm.register(Plugin())
    pm.register(FailAt())
    with RewardEngine(["marking"], plugin_manager=pm, workers=1, cache_size=0) as engine:
        with pytest.raises(RuntimeError, match="broken plugin"):
            engine.score(rows(3 * SUBMIT_SLICE, tmp_path / "verified"))
        pool = engine.pool
        assert pool is not None
        assert pool.queued == 0  # two slices were sent: nobody waits for them any more
        [score] = engine.score([{"completion": "a", "answer": "a", "mark": str(tmp_path / "m")}])
        assert score.reward == 1.0  # the pool still works


def test_repeats_across_slices_run_once_and_results_keep_their_order(tmp_path):
    pm = make_plugin_manager()
    pm.register(Plugin())
    marker = str(tmp_path / "verified")
    distinct = [{"completion": str(i), "answer": str(i), "mark": marker}
                for i in range(SUBMIT_SLICE + 3)]
    batch = distinct + distinct[::-1]  # every repeat comes in a later slice than its first
    with RewardEngine(["marking"], plugin_manager=pm, workers=2) as engine:
        scores = engine.score(batch)
    assert len(scores) == len(batch)
    firsts, repeats = scores[:len(distinct)], scores[len(distinct):]
    assert not any(s.results[0].cached for s in firsts)
    assert all(s.results[0].cached for s in repeats)
    for first, repeat in zip(firsts, reversed(repeats)):
        assert repeat.results[0].details == first.results[0].details
