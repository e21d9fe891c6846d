"""Guarded worker start-up: a worker that hangs before it reports ready is killed and replaced.

The plugin below hangs at import in the worker processes its plan names (a spawned worker
imports the plugins itself), the way a plugin does that waits on a lock, a network mount or a
license server. Before, the pool waited for such a worker forever: every sample sent to the
pool waited with it, and the server's ready probe still counted the worker.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import psutil
import pytest

from rewardkit import RewardEngine, Sample, Status, make_plugin_manager
from rewardkit.execution import Mode
from rewardkit.execution.local import WorkerPool

#: Start deadline of the plan tests: well above a spawned worker's import time (0.7-0.9 s on
#: the slower 2-core CI machine), so every start reaches the plugin and takes its step of the
#: plan; each hung start costs the suite this long.
START = 3.0

PLUGIN = '''
import json, multiprocessing, os, time
from pathlib import Path
from rewardkit import Verifier, hookimpl

HERE = Path(__file__).parent
if multiprocessing.current_process().name == "rewardkit-worker":
    plan = json.loads((HERE / "plan.json").read_text())
    index = 0
    while True:  # the index of this worker start, claimed atomically
        try:
            fd = os.open(HERE / f"start-{index}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            index += 1
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    if index < len(plan) and plan[index] == "hang":
        time.sleep(3600)


class Hello(Verifier):
    name = "hello"

    def verify(self, sample):
        if sample.completion_text == "die":
            os._exit(1)
        return 1.0


@hookimpl
def register_verifiers(register):
    register(Hello)
'''


def plugin_dir(tmp_path: Path, plan: list[str]) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "hanging_start.py").write_text(PLUGIN)
    (folder / "plan.json").write_text(json.dumps(plan))
    return folder


def started_pids(folder: Path) -> list[int]:
    starts = sorted(folder.glob("start-*"), key=lambda p: int(p.name.split("-")[1]))
    return [int(p.read_text() or 0) for p in starts]


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_worker_that_hangs_at_start_is_replaced_under_the_deadline(tmp_path):
    folder = plugin_dir(tmp_path, ["hang"])
    start = time.monotonic()
    with RewardEngine(["hello"], plugins_dir=[str(folder)], start_method="spawn", workers=1,
                      worker_start_timeout=START) as engine:
        [score] = engine.score([{"completion": "x"}])
        assert (score.results[0].status, score.reward) == (Status.OK, 1.0)
        assert engine.pool is not None and engine.pool.restarts == 1
    assert time.monotonic() - start < 30
    hung, healthy = started_pids(folder)
    assert not alive(hung) and not alive(healthy)


def test_workers_that_never_start_fail_the_work_instead_of_hanging_it(tmp_path):
    folder = plugin_dir(tmp_path, ["hang"] * 10)
    start = time.monotonic()
    with RewardEngine(["hello"], plugins_dir=[str(folder)], start_method="spawn", workers=1,
                      worker_start_timeout=START) as engine:
        [score] = engine.score([{"completion": "x"}])
        result = score.results[0]
        assert result.status is Status.ERROR and score.reward == 0.0
        assert f"did not report ready within {START:g} s" in result.reason
        assert engine.pool is not None and not engine.pool.healthy
    assert 3 * START <= time.monotonic() - start < 60  # three tries, then the pool gave up
    pids = started_pids(folder)  # the workers that got as far as the plugin's import
    assert 1 <= len(pids) <= 3
    assert not any(alive(pid) for pid in pids)


def run_plan(tmp_path: Path, healthy_period: float) -> tuple[list[Status], WorkerPool]:
    """Two hung starts, a healthy worker, its death after ``1.5`` s, two more hung starts."""
    folder = plugin_dir(tmp_path, ["hang", "hang", "ok", "hang", "hang", "ok"])
    pool = WorkerPool(make_plugin_manager(plugin_dirs=[str(folder)]), workers=1,
                      start_method="spawn", start_timeout=START, healthy_period=healthy_period)

    def run(text: str) -> Status:
        batch = pool.submit(("hello", "{}"), "hello", Mode.ONE, [Sample(completion=text)], 10.0)
        [result] = batch.result(timeout=60)
        return result.status

    statuses = [run("x")]
    time.sleep(1.5)
    statuses += [run("die"), run("x")]
    return statuses, pool


def test_the_start_up_failure_count_resets_after_a_healthy_period(tmp_path):
    statuses, pool = run_plan(tmp_path, healthy_period=1.0)
    try:
        assert statuses == [Status.OK, Status.ERROR, Status.OK]
        assert pool.healthy and pool.restarts == 5  # 4 hung starts and one death
    finally:
        pool.close()


def test_without_a_healthy_period_between_them_failures_add_up(tmp_path):
    statuses, pool = run_plan(tmp_path, healthy_period=3600.0)
    try:
        assert statuses == [Status.OK, Status.ERROR, Status.ERROR]
        assert not pool.healthy
    finally:
        pool.close()


@pytest.mark.parametrize("value", [0, -1])
def test_the_start_deadline_must_be_positive(value):
    from rewardkit import ConfigError

    with pytest.raises(ConfigError):
        RewardEngine(["exact_match"], worker_start_timeout=value)
