"""The ray executor on a real 3-node Ray cluster: placement, node loss, a node joining,
the server and the TRL adapter.

The cluster of ``ray_cluster.py`` (test_ray_executor.py uses it next); rewardkit joins
it as a user would, with ``RAY_ADDRESS`` set and ``ray_address: auto``. The tests run in file
order: the node-loss test stops ``node_b``, the join test adds ``node_c``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from ray_cluster import START_TIMEOUT, LocalCluster

from rewardkit import RewardEngine

ray = pytest.importorskip("ray")

SLOW = '''
import time
from rewardkit import Verifier, hookimpl

class Slow(Verifier):
    """Scores like exact_match, after a few milliseconds of sleep (a batch stays in flight)."""
    name = "slow_match"

    def verify(self, sample):
        time.sleep(sample.metadata.get("ms", 0) / 1000)
        return sample.completion_text.strip() == str(sample.reference).strip()

@hookimpl
def register_verifiers(register):
    register(Slow)
'''


@pytest.fixture(scope="module")
def plugins_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("ray-plugins")
    (folder / "slow_match.py").write_text(SLOW)
    return str(folder)


def samples(count: int, ms: float = 0) -> list[dict[str, Any]]:
    return [{"completion": str(i % 7), "reference": str(i % 5), "metadata": {"ms": ms}}
            for i in range(count)]


def rows(scores: Any) -> list[Any]:
    return [[(r.verifier, r.status.value, r.reward) for r in s.results] for s in scores]


def actor_nodes() -> set[str]:
    """Nodes of the alive PoolActor actors, as Ray's GCS records them."""
    from ray._private import state

    return {info["Address"]["NodeID"] for info in state.actors().values()
            if info["State"] == "ALIVE" and info["ActorClassName"].endswith("PoolActor")}


def test_actors_spread_over_nodes(ray_cluster: LocalCluster, plugins_dir: str) -> None:
    batch = samples(300)
    with RewardEngine(["slow_match"], workers=1, cache_size=0,
                      plugins_dir=plugins_dir) as local:
        expected = local.score(batch)
    with RewardEngine(["slow_match"], executor="ray", ray_address="auto", workers=1,
                      cache_size=0, plugins_dir=plugins_dir) as engine:
        got = engine.score(batch)
        executor: Any = engine.pool
        assert executor.size == 3  # one actor per node: head, node_a, node_b
        assert len(actor_nodes()) == 3
        assert len([n for n, answered in executor.nodes().items() if answered]) >= 2
    assert rows(got) == rows(expected)


def test_resources_pin_actors_to_nodes(ray_cluster: LocalCluster, plugins_dir: str) -> None:
    """ray_resources: actors only where the resource is, e.g. nodes with Docker or bwrap."""
    with RewardEngine(["slow_match"], executor="ray", ray_address="auto", workers=1,
                      ray_actors=2, ray_resources={"node_a": 0.01}, cache_size=0,
                      plugins_dir=plugins_dir) as engine:
        scores = engine.score(samples(200))
        assert actor_nodes() == {ray_cluster.node_id("node_a")}
        assert set(engine.pool.nodes()) == {ray_cluster.node_id("node_a")}  # type: ignore[union-attr]
    assert len(scores) == 200


def test_server_on_cluster(ray_cluster: LocalCluster, plugins_dir: str) -> None:
    from fastapi.testclient import TestClient

    from rewardkit.config import EngineConfig
    from rewardkit.server.app import create_app
    from rewardkit.server.settings import ServerSettings

    config = EngineConfig(executor="ray", ray_address="auto", workers=1,
                          plugins_dir=[plugins_dir])
    with TestClient(create_app(ServerSettings(engine=config))) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["workers"] == 3
        answer = client.post("/v1/score", json={
            "verifiers": ["slow_match"],
            "samples": [{"completion": "4", "reference": "4"},
                        {"completion": "4", "reference": "5"}]})
        assert answer.status_code == 200, answer.text
        assert [s["reward"] for s in answer.json()["scores"]] == [1.0, 0.0]
        metrics = client.get("/metrics").text
        assert "rewardkit_ray_nodes 3.0" in metrics


def test_trl_adapter_on_cluster(ray_cluster: LocalCluster, plugins_dir: str) -> None:
    from rewardkit.trl import reward_functions

    prompts = ["p"] * 6
    completions = ["1", "2", "3", "1", "2", "3"]
    with reward_functions(["slow_match"], executor="ray", ray_address="auto", workers=1,
                          plugins_dir=plugins_dir, patterns=False) as funcs:
        rewards = funcs[0](prompts, completions, answer=["1", "1", "1", "2", "2", "2"])
        assert funcs.engine is not None and funcs.engine.pool is not None
        assert funcs.engine.pool.size == 3
    assert rewards == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]


def test_node_lost_mid_batch(ray_cluster: LocalCluster, plugins_dir: str) -> None:
    """node_b stops while 2,000 samples are in flight: each gets one Result, the local one."""
    batch = samples(2000, ms=2)
    with RewardEngine(["slow_match"], workers=2, cache_size=0,
                      plugins_dir=plugins_dir) as local:
        expected = local.score(batch)
    victim = ray_cluster.node_id("node_b")
    with RewardEngine(["slow_match"], executor="ray", ray_address="auto", workers=1,
                      cache_size=0, timeout=30, plugins_dir=plugins_dir) as engine:
        engine.warm()
        executor: Any = engine.pool
        result: list[Any] = []
        scoring = threading.Thread(target=lambda: result.append(engine.score(batch)))
        scoring.start()
        _until(lambda: executor.nodes().get(victim, 0) >= 1, "node_b answered no chunk")
        ray_cluster.stop_node("node_b")
        scoring.join(timeout=START_TIMEOUT)
        assert result, "the batch did not finish"
        got = result[0]
        _until(lambda: victim in executor.lost_nodes, "node_b not reported lost")
        health = executor.health()
        metrics = _metrics_text(executor)
    assert len(got) == 2000
    assert rows(got) == rows(expected)  # none lost, none twice, none different
    assert executor.resends >= 1  # node_b held chunks when it went
    assert victim in health["lost_nodes"] and victim not in health["nodes"]
    assert "rewardkit_ray_nodes_lost 1.0" in metrics
    assert "rewardkit_ray_nodes 2.0" in metrics


def test_node_joining_gets_work(ray_cluster: LocalCluster, plugins_dir: str) -> None:
    """node_c joins while a stream of samples is being scored: it gets chunks of it."""
    with RewardEngine(["slow_match"], executor="ray", ray_address="auto", workers=1,
                      cache_size=0, plugins_dir=plugins_dir) as engine:
        engine.warm()
        executor: Any = engine.pool
        before = executor.size
        joined = threading.Event()
        ray_cluster.add_node("node_c", wait=False)
        deadline = time.monotonic() + START_TIMEOUT

        def stream() -> Iterator[dict[str, Any]]:
            # an open-ended batch: it ends once node_c did some of it, or at the deadline
            while not joined.is_set() and time.monotonic() < deadline:
                yield from samples(64, ms=2)

        def node_c_answered() -> bool:
            try:
                node_c = ray_cluster.node_id("node_c")
            except LookupError:
                return False
            return executor.nodes().get(node_c, 0) > 0

        for scored, score in enumerate(engine.score_iter(stream(), batch_size=128), 1):
            assert score.results[0].status.value == "ok"
            if scored % 128 == 0 and node_c_answered():
                joined.set()
        assert joined.is_set(), f"node_c got no work in {START_TIMEOUT:.0f} s"
        assert executor.size == before + 1


def _until(check: Any, message: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def _metrics_text(executor: Any) -> str:
    from rewardkit.server.metrics import Metrics

    metrics = Metrics()
    metrics.watch_pool(lambda: executor, lambda: 0)
    return metrics.render().decode()
