"""Async that is what it says: ``ascore`` awaits inline async verifiers on the caller's loop,
prepares big batches off the loop, and a sync ``score()`` works inside a running loop.

Before, ``ascore`` ran each sample of an inline ``averify`` verifier in a thread with a fresh
``asyncio.run``; a sync ``score()`` inside a running loop (Jupyter) gave every such sample
``error`` (``asyncio.run() cannot be called from a running event loop``); and routing,
hashing and inline sync verifiers always ran on the event-loop thread.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from rewardkit import Result, Sample, Status, Verifier, hookimpl
from rewardkit.engine import ASYNC_OFFLOAD

LOOPS: list[asyncio.AbstractEventLoop] = []
THREADS: list[int] = []


class LoopBound(Verifier):
    """Inline, async only; records the loop it runs on (as a client bound to a loop would)."""

    name = "loop_bound"
    inline = True

    async def averify(self, sample: Sample) -> Result:
        LOOPS.append(asyncio.get_running_loop())
        await asyncio.sleep(0.001)
        return Result(reward=float(sample.completion_text == "yes"))


class ThreadNoting(Verifier):
    """Inline, sync; records the thread it runs on."""

    name = "thread_noting"
    inline = True

    def verify(self, sample: Sample) -> float:
        THREADS.append(threading.get_ident())
        return 1.0


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(LoopBound)
        register(ThreadNoting)


@pytest.fixture
def engine(register_plugin, make_engine):
    register_plugin(Plugin(), name="async-test-plugin")
    LOOPS.clear()
    THREADS.clear()
    return make_engine(["loop_bound", "thread_noting"], cache_size=0)


def samples(n: int) -> list[dict[str, str]]:
    return [{"completion": "yes" if i % 2 else "no"} for i in range(n)]


def test_ascore_awaits_inline_async_verifiers_on_the_callers_loop(engine):
    async def main() -> tuple[asyncio.AbstractEventLoop, list[float]]:
        scores = await engine.ascore(samples(4))
        return asyncio.get_running_loop(), [s.results[0].reward for s in scores]

    loop, rewards = asyncio.run(main())
    assert rewards == [0.0, 1.0, 0.0, 1.0]
    assert LOOPS and all(seen is loop for seen in LOOPS)


@pytest.mark.parametrize("size", [ASYNC_OFFLOAD, ASYNC_OFFLOAD + 1])
def test_big_batches_are_prepared_off_the_loop(engine, size):
    async def main() -> int:
        scores = await engine.ascore(samples(size))
        assert all(r.status is Status.OK for s in scores for r in s.results)
        return threading.get_ident()

    loop_thread = asyncio.run(main())
    assert len(THREADS) == size
    on_loop = {thread == loop_thread for thread in THREADS}
    # A small batch stays on the loop (a thread hop costs more than it saves).
    assert on_loop == ({True} if size <= ASYNC_OFFLOAD else {False})


def test_sync_score_inside_a_running_loop_with_async_verifiers(engine):
    """What a Jupyter cell does: ``engine.score(...)`` while the kernel's loop runs."""

    async def cell() -> list[Status]:
        return [r.status for s in engine.score(samples(3)) for r in s.results]

    assert asyncio.run(cell()) == [Status.OK] * 6


class Slow(Verifier):
    """Pooled; takes a while per sample, so a queue behind it would stay for seconds."""

    name = "slow"

    def verify(self, sample: Sample) -> float:
        import time

        time.sleep(0.2)
        return 1.0


class SlowPreparation:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Slow)

    @hookimpl
    def prepare_sample(self, sample, verifier):  # type: ignore[no-untyped-def]
        import time

        time.sleep(0.005)


def test_ascore_cancelled_while_a_big_batch_is_prepared(register_plugin, make_engine):
    """Cancelled while its batch is prepared in a thread, ``ascore`` leaves no work queued:
    the units that thread hands the pool afterwards are cancelled as soon as it is done."""
    register_plugin(SlowPreparation(), name="slow-preparation")
    engine = make_engine(["slow"], workers=1, cache_size=0, timeout=30)
    engine.warm()

    async def main() -> None:
        task = asyncio.create_task(engine.ascore(
            [{"completion": str(i)} for i in range(ASYNC_OFFLOAD * 4)]))
        await asyncio.sleep(0.05)  # the preparation (0.3 s) is under way in its thread
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.6)  # the thread finishes; its units get cancelled

    asyncio.run(main())
    assert engine.pool is not None and engine.pool.queued == 0
