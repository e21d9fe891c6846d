"""A worker answers several units per message; each unit still keeps its own deadline."""

import time

from rewardkit import Verifier, hookimpl
from rewardkit.execution.local import worker


class Sleeper(Verifier):
    name = "sleeper"

    def verify(self, sample):  # type: ignore[no-untyped-def]
        time.sleep(float(sample.completion_text))
        return 1.0


class SleeperPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Sleeper)


def test_each_unit_of_a_chunk_keeps_its_own_deadline(register_plugin, make_engine,
                                                     monkeypatch):
    """Six 0.4 s samples on one worker go in chunks of three (1.2 s of work per chunk) under
    a 1 s deadline per sample, answered only when the chunk is done: every one is ok,
    because the dispatcher reads when each unit started from the worker's slot, not when
    the chunk was sent or last answered."""
    monkeypatch.setattr(worker, "FLUSH_SECONDS", 60.0)  # forked workers inherit it
    register_plugin(SleeperPlugin())
    engine = make_engine(["sleeper"], timeout=1.0, workers=1, cache_size=0)
    scores = engine.score([{"completion": "0.4", "metadata": {"i": i}} for i in range(6)])
    assert [s.results[0].status.value for s in scores] == ["ok"] * 6
    assert engine.pool is not None and engine.pool.restarts == 0


def test_a_hang_after_finished_units_loses_none_of_them(register_plugin, make_engine):
    """A chunk of [fast, fast, hang, fast]: the answers of the two finished units were still
    in the worker when it was killed; they run again and each sample gets exactly one
    result, the hung one ``timeout``, within about one deadline."""
    register_plugin(SleeperPlugin())
    engine = make_engine(["sleeper"], timeout=1.0, workers=1, cache_size=0)
    delays = ["0", "0", "600", "0", "0", "0", "0", "0"]
    start = time.monotonic()
    scores = engine.score([{"completion": d, "metadata": {"i": i}} for i, d in enumerate(delays)])
    elapsed = time.monotonic() - start
    statuses = [s.results[0].status.value for s in scores]
    assert statuses == ["ok", "ok", "timeout", "ok", "ok", "ok", "ok", "ok"]
    assert [len(s.results) for s in scores] == [1] * 8
    assert engine.pool is not None and engine.pool.restarts == 1
    assert elapsed < 1.0 + 2.0  # one deadline, a worker fork, slack for a loaded machine
