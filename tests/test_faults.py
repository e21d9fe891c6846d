"""Every fault a verifier can commit ends as an error/timeout Result; the rest is scored."""

import time

import pytest

from rewardkit import Status

TIMEOUT = 1.0


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("raise", Status.ERROR, "ValueError: boom"),
        ("hang", Status.TIMEOUT, "timed out"),
        ("busy", Status.TIMEOUT, "timed out"),
        ("exit", Status.ERROR, "exited with code 3"),
        ("segfault", Status.ERROR, "SIGSEGV"),
        ("sysexit", Status.ERROR, "SystemExit"),
        ("huge", Status.ERROR, "result too large"),
        ("unpicklable", Status.ERROR, "Unpicklable"),
        ("nan", Status.ERROR, "nan"),
        ("error-with-reward", Status.ERROR, "broken"),
    ],
)
def test_fault_is_contained(faulty, make_engine, kind, status, reason):
    engine = make_engine(["faulty"], timeout=TIMEOUT, workers=2, cache_size=0)
    start = time.monotonic()
    scores = engine.score([{"completion": "fine"}, {"completion": kind}, {"completion": "ok"}])
    elapsed = time.monotonic() - start
    bad = scores[1].results[0]
    assert bad.status is status
    assert bad.reward == 0.0 and scores[1].reward == 0.0
    assert reason in bad.reason
    assert [s.reward for s in (scores[0], scores[2])] == [1.0, 1.0]
    assert elapsed < TIMEOUT + 1.0 + 1.0  # the deadline, its 1 s grace, a worker fork


def test_batch_of_faults_is_scored_in_order_and_pool_recovers(faulty, make_engine):
    engine = make_engine(["faulty"], timeout=TIMEOUT, workers=2, cache_size=0)
    kinds = ["ok", "hang", "exit", "ok", "segfault", "busy", "raise", "ok"] * 2
    start = time.monotonic()
    scores = engine.score([{"completion": k, "metadata": {"i": i}} for i, k in enumerate(kinds)])
    elapsed = time.monotonic() - start
    statuses = [s.results[0].status.value for s in scores]
    expected = {"ok": "ok", "hang": "timeout", "busy": "timeout", "exit": "error",
                "segfault": "error", "raise": "error"}
    assert statuses == [expected[k] for k in kinds]
    # 4 hangs on 2 workers run two at a time: about 2 deadlines, never 4.
    assert elapsed < 4 * TIMEOUT
    assert engine.pool is not None and engine.pool.restarts == 8
    after = engine.score([{"completion": "ok", "metadata": {"after": True}}] * 4)
    assert [s.reward for s in after] == [1.0] * 4


def test_timeout_kills_what_the_verifier_started(register_plugin, make_engine, tmp_path):
    import subprocess

    from rewardkit import Verifier, hookimpl

    marker = tmp_path / "pid"

    class Spawner(Verifier):
        name = "spawner"

        def verify(self, sample):
            child = subprocess.Popen(["sleep", "300"])
            marker.write_text(str(child.pid))
            time.sleep(300)

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Spawner)

    register_plugin(Plugin())
    engine = make_engine(["spawner"], timeout=1.0)
    assert engine.score([{"completion": "x"}])[0].results[0].status is Status.TIMEOUT
    pid = int(marker.read_text())
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the verifier's child process outlived the deadline")


def test_worker_stdout_does_not_reach_callers_stdout(register_plugin, make_engine, capfd):
    from rewardkit import Verifier, hookimpl

    class Chatty(Verifier):
        name = "chatty"

        def verify(self, sample):
            print("noise from a verifier")
            return True

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Chatty)

    register_plugin(Plugin())
    assert make_engine(["chatty"]).score([{"completion": "x"}])[0].reward == 1.0
    out, err = capfd.readouterr()
    assert "noise" not in out and "noise" in err


def test_inline_verifier_exception_is_an_error_result(register_plugin, make_engine):
    from rewardkit import Verifier, hookimpl

    class Fragile(Verifier):
        name = "fragile"
        inline = True

        def verify(self, sample):
            raise KeyError("missing")

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Fragile)

    register_plugin(Plugin())
    result = make_engine(["fragile"]).score([{"completion": "x"}])[0].results[0]
    assert result.status is Status.ERROR and "KeyError" in result.reason
    assert "traceback" in result.details


def test_closed_engine_restarts_its_pool(faulty, make_engine):
    engine = make_engine(["faulty"])
    assert engine.score([{"completion": "a"}])[0].reward == 1.0
    engine.close()
    assert engine.score([{"completion": "b"}])[0].reward == 1.0


def test_deadline_holds_with_large_samples_queued(faulty, make_engine):
    # Megabytes of queued samples must not stall the dispatcher behind a hung worker.
    engine = make_engine(["faulty"], timeout=TIMEOUT, workers=2, cache_size=0)
    big = "y" * 300_000
    samples = [{"completion": "hang"}] * 2 + [
        {"completion": "ok", "metadata": {"i": i, "pad": big}} for i in range(60)]
    start = time.monotonic()
    scores = engine.score(samples)
    assert time.monotonic() - start < TIMEOUT + 5
    assert [s.results[0].status.value for s in scores[:2]] == ["timeout", "timeout"]
    assert all(s.reward == 1.0 for s in scores[2:])


def test_memory_limit_turns_a_memory_bomb_into_an_error(register_plugin, make_engine):
    from rewardkit import Verifier, hookimpl

    class Hungry(Verifier):
        name = "hungry"

        def verify(self, sample):
            blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
            return len(blocks) > 0

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Hungry)

    register_plugin(Plugin())
    engine = make_engine(["hungry", {"name": "exact_match", "inline": False}],
                         memory_limit_mb=512, timeout=5)
    [score] = engine.score([{"completion": "a", "answer": "a"}])
    hungry, exact = score.results
    assert hungry.status is Status.ERROR and "MemoryError" in hungry.reason
    assert exact.reward == 1.0


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_other_start_methods(make_engine, method):
    engine = make_engine([{"name": "exact_match", "inline": False}], start_method=method,
                         workers=1, timeout=20)
    scores = engine.score([{"completion": "a", "answer": "a"}, {"completion": "b", "answer": "a"}])
    assert [s.reward for s in scores] == [1.0, 0.0]
    assert engine.pool is not None


def test_cancelled_work_already_sent_to_a_worker_is_skipped(register_plugin, make_engine,
                                                             tmp_path):
    import asyncio

    from rewardkit import Verifier, hookimpl

    log = tmp_path / "ran"

    class Slow(Verifier):
        name = "slow_logger"

        def verify(self, sample):
            time.sleep(0.1)
            with log.open("a") as handle:
                handle.write(sample.completion_text + "\n")
            return True

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Slow)

    register_plugin(Plugin())
    engine = make_engine(["slow_logger"], workers=1, cache_size=0)
    engine.warm()

    async def main():
        task = asyncio.create_task(engine.ascore([{"completion": str(i)} for i in range(40)]))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    time.sleep(1.0)
    ran = log.read_text().split()
    assert len(ran) < 15, f"{len(ran)} of 40 ran after cancellation"
    # the worker is still usable and in step with the dispatcher
    assert [s.reward for s in engine.score([{"completion": "after"}] * 2)] == [1.0, 1.0]


def test_pool_health(plugin_manager):
    from rewardkit.execution.local import WorkerPool

    pool = WorkerPool(plugin_manager, workers=1)
    assert pool.healthy
    pool.close()
    assert not pool.healthy


@pytest.mark.parametrize("cache_size", [0, 100])
def test_a_sample_that_cannot_be_sent_to_a_worker_fails_alone(faulty, make_engine, cache_size):
    """A value nested past pickle's recursion limit (valid JSON of a few KB, in any column):
    before, pickling the chunk stopped the dispatcher, and the job waited forever; with the
    cache on, its key's JSON raised out of ``score`` for the whole batch."""
    deep: object = "x"
    for _ in range(5000):
        deep = [deep]
    engine = make_engine(["faulty"], timeout=TIMEOUT, workers=2, cache_size=cache_size)
    rows = [{"completion": "ok", "metadata": {"i": i}} for i in range(6)]
    rows[2]["reference"] = deep
    rows[4]["metadata"] = {"deep": deep}
    scores = engine.score(rows)
    assert [s.reward for s in scores] == [1.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    for bad in (scores[2], scores[4]):
        assert bad.results[0].status is Status.ERROR
        assert "cannot be sent to a worker process (RecursionError" in bad.results[0].reason
    assert [s.reward for s in engine.score([{"completion": "ok"}] * 3)] == [1.0] * 3
