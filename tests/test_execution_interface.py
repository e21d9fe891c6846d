"""A new executor is written against ``rewardkit.execution``'s interface alone.

Before, ``Executor``, ``VerifierRef`` and ``PoolClosed`` lived inside the local pool's module,
so a new executor had to import the pool. This one imports only the interface and the unit
runner, and the engine scores through it as through the local pool.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor

import pytest

from rewardkit import RewardEngine, Sample, Status, make_plugin_manager
from rewardkit.execution import Batch, Executor, Mode, PoolClosed, VerifierRef, run_unit
from rewardkit.models import Result
from rewardkit.plugins import PluginManager


class ThreadExecutor:
    """Runs units in threads of this process (no deadline enforcement: a test executor)."""

    def __init__(self, plugin_manager: PluginManager) -> None:
        self.plugin_manager = plugin_manager
        self.threads = ThreadPoolExecutor(2)
        self.units: list[tuple[str, int]] = []
        self.closed = False

    size = property(lambda self: 2)
    busy = property(lambda self: 0)
    queued = property(lambda self: 0)
    restarts = property(lambda self: 0)
    healthy = property(lambda self: not self.closed)

    def submit(self, ref: VerifierRef, key: str, mode: Mode, samples: Sequence[Sample],
               timeout: float) -> Batch:
        if self.closed:
            raise PoolClosed("closed")
        self.units.append((key, len(samples)))
        name, options = ref
        verifier = self.plugin_manager.get_verifier(name).create(json.loads(options))
        running = self.threads.submit(run_unit, verifier, key, mode, list(samples))
        batch = Batch(len(samples))
        running.add_done_callback(lambda done: batch.set(0, done.result()))
        return batch

    def close(self) -> None:
        self.closed = True
        self.threads.shutdown()


def test_an_executor_written_against_the_interface_alone():
    executor: Executor = ThreadExecutor(make_plugin_manager())
    with RewardEngine([{"name": "exact_match", "inline": False}], pool=executor) as engine:
        scores = engine.score([{"completion": "4", "reference": "4"},
                               {"completion": "5", "reference": "4"}])
        assert [s.reward for s in scores] == [1.0, 0.0]
        assert all(s.results[0].status is Status.OK for s in scores)
        assert executor.units == [("exact_match", 2)]  # type: ignore[attr-defined]
        executor.close()
        closed = engine.score([{"completion": "4", "reference": "4", "id": 2}])
        assert closed[0].results[0].status is Status.ERROR


@pytest.mark.parametrize("name", ["Executor", "VerifierRef", "PoolClosed", "Mode"])
def test_the_interface_does_not_import_the_local_pool(name):
    import subprocess
    import sys

    code = (f"import sys; from rewardkit.execution.interface import {name}; "
            "print('rewardkit.execution.local' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_batch_completes_once_every_slot_is_filled_and_the_first_result_wins():
    batch = Batch(3)
    first, again = Result(reward=1.0), Result(reward=0.5)
    batch.set(1, [first])
    assert not batch.future.done()
    batch.set(0, [Result(reward=0.0), again])  # slot 1 was filled: it keeps `first`
    assert not batch.future.done()
    batch.set(2, [Result(reward=0.25)])
    assert [r.reward for r in batch.result(timeout=1)] == [0.0, 1.0, 0.25]
    assert not batch.cancel()  # done: nothing left to give up
    assert Batch(0).result(timeout=1) == []


def test_cancelling_a_batch_tells_the_executor_and_later_results_are_dropped():
    told: list[bool] = []
    batch = Batch(2, on_cancel=lambda: told.append(True))
    batch.set(0, [Result(reward=1.0)])
    assert batch.cancel() and batch.cancelled and told == [True]
    batch.set(1, [Result(reward=1.0)])  # a worker answering late does not raise
    with pytest.raises(CancelledError):
        batch.result(timeout=1)
    wrapped = Batch(1, on_cancel=lambda: told.append(True))
    assert wrapped.future.cancel()  # what asyncio.wrap_future does when the awaiting task is
    assert told == [True, True]  # cancelled: the executor hears of it all the same


def test_a_failed_batch_raises_for_whoever_waits():
    batch = Batch(2)
    batch.fail(PoolClosed("closed under it"))
    batch.set(0, [Result(reward=1.0), Result(reward=1.0)])
    with pytest.raises(PoolClosed, match="closed under it"):
        batch.result(timeout=1)
