"""The ray executor on a real Ray cluster (ray_cluster.py's three nodes, which
test_ray_cluster.py used just before): same results as the local one."""

import os
import signal
import threading
import time

import pytest

from rewardkit import RewardEngine

ray = pytest.importorskip("ray")

FAULTY = '''
import ctypes, os, time
from rewardkit import Verifier, hookimpl

class Flaky(Verifier):
    name = "flaky"

    def verify(self, sample):
        kind = sample.completion_text
        if kind == "raise":
            raise ValueError("boom")
        if kind == "hang":
            time.sleep(600)
        if kind == "exit":
            os._exit(3)
        if kind == "segfault":
            ctypes.string_at(0)
        if kind.startswith("slow"):
            time.sleep(0.05)
        return float(len(kind) % 3 == 0)

@hookimpl
def register_verifiers(register):
    register(Flaky)
'''


@pytest.fixture(scope="module")
def cluster(ray_cluster):
    """The Ray cluster of ray_cluster.py, joined by this process: the engines below name no
    address and use the Ray this process joined. (Before, this module started a local Ray
    instance of its own: tens of seconds more on 2 cores.)"""
    if not ray.is_initialized():
        ray.init(address=ray_cluster.address, log_to_driver=False)
    return ray_cluster


@pytest.fixture
def plugins_dir(tmp_path):
    (tmp_path / "flaky.py").write_text(FAULTY)
    return str(tmp_path)


def rows(scores):
    return [[(r.verifier, r.status.value, r.reward) for r in s.results] for s in scores]


def test_same_results_as_local_including_faults(cluster, plugins_dir):
    kinds = ["ok", "raise", "hang", "abc", "exit", "segfault", "abcdef"] + [
        f"x{i}" for i in range(60)]
    samples = [{"completion": k, "answer": k} for k in kinds]
    settings = {"plugins_dir": plugins_dir, "timeout": 1, "workers": 2, "cache_size": 0}
    with RewardEngine(["flaky", "exact_match"], **settings) as local:
        expected = local.score(samples)
    with RewardEngine(["flaky", "exact_match"], executor="ray", ray_actors=2,
                      **settings) as remote:
        start = time.monotonic()
        got = remote.score(samples)
        elapsed = time.monotonic() - start
    assert rows(got) == rows(expected)
    statuses = [s.results[0].status.value for s in got[:7]]
    assert statuses == ["ok", "error", "timeout", "ok", "error", "error", "ok"]
    assert "SIGSEGV" in got[5].results[0].reason
    assert elapsed < 30


def test_killed_actor_loses_no_sample(cluster, plugins_dir):
    # 200 samples of 50 ms on two single-worker actors: about 5 s, the kill comes after 1 s
    samples = [{"completion": f"slow{i}"} for i in range(200)]
    with RewardEngine(["flaky"], executor="ray", ray_actors=2, workers=1, timeout=5,
                      cache_size=0, plugins_dir=plugins_dir) as engine:
        engine.warm()
        executor = engine.pool
        pid = ray.get(executor.actors[0].pid.remote())
        killer = threading.Timer(1.0, os.kill, (pid, signal.SIGKILL))
        killer.start()
        scores = engine.score(samples)
        killer.join()
        assert executor.resends >= 1
    assert [s.results[0].status.value for s in scores] == ["ok"] * 200
    assert [s.reward for s in scores] == [float(len(f"slow{i}") % 3 == 0) for i in range(200)]


def test_cli_executor_ray(plugins_dir, tmp_path):
    import json
    import subprocess
    import sys

    data = "\n".join(json.dumps({"completion": k}) for k in ["abc", "hang", "ab"])
    proc = subprocess.run(
        [sys.executable, "-m", "rewardkit", "score", "-", "-v", "flaky", "--executor", "ray",
         "--plugins-dir", plugins_dir, "--timeout", "1", "--workers", "1", "-q"],
        input=data, capture_output=True, text=True, timeout=180,
        env={**os.environ, "RAY_ADDRESS": ""})
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line)["results"][0] for line in proc.stdout.splitlines()]
    assert [(r["status"], r["reward"]) for r in results] == [
        ("ok", 1.0), ("timeout", 0.0), ("ok", 0.0)]


def test_server_verifies_on_ray(cluster, plugins_dir):
    from rewardkit import Sample, VerifierSpec
    from rewardkit.config import EngineConfig
    from rewardkit.server.service import VerificationService
    from rewardkit.server.settings import ServerSettings

    config = EngineConfig(executor="ray", ray_actors=1, workers=1, plugins_dir=[plugins_dir])
    service = VerificationService(ServerSettings(engine=config))
    service.start()
    try:
        assert service.pool is not None and service.pool.healthy and service.pool.size == 1
        engine = service.engine_for([VerifierSpec(name="flaky")])
        scores = engine.score([Sample(completion="abc"), Sample(completion="raise")])
        assert [s.results[0].status.value for s in scores] == ["ok", "error"]
    finally:
        service.close()
