"""One TRL adapter over any scorer: the same tests against a local engine and a real server.

Before, ``rewardkit.client`` had its own reward functions: a repeated batch was found by a
hash of its content, unknown weight keys were ignored, and no metrics were logged. Now
``reward_functions(..., remote=URL)`` is the local adapter over a remote scorer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from test_server_support import TestPlugin, running_server, score_requests
from test_trl_rewards import Recorder as BaseRecorder

from rewardkit import make_plugin_manager
from rewardkit.client import Client
from rewardkit.config import ConfigError
from rewardkit.trl import RewardFunctions, reward_functions, samples_from_batch

FACES = ["local", "remote"]


@pytest.fixture(scope="module")
def server():
    with running_server(max_batch=4, workers=1) as running:
        yield running


@pytest.fixture(scope="module")
def plugins():
    pm = make_plugin_manager()
    pm.register(TestPlugin(), name="server-test-plugin")
    return pm


@pytest.fixture
def funcs_for(server, plugins):
    made: list[RewardFunctions] = []

    def make(face: str, verifiers: Any, **kwargs: Any) -> RewardFunctions:
        if face == "remote":
            funcs = reward_functions(verifiers, remote=server.url, patterns=False, **kwargs)
        else:
            funcs = reward_functions(verifiers, plugin_manager=plugins, workers=1,
                                     patterns=False, **kwargs)
        made.append(funcs)
        return funcs

    yield make
    for funcs in made:
        funcs.close()


class Recorder(BaseRecorder):
    def comparable(self) -> dict[str, Any]:
        """Everything but timings (which differ between runs)."""
        metrics = {k: v for k, v in self.metrics.items() if not k.endswith("seconds")}
        return {"metrics": metrics, "extra": self.extra}


def scenario(funcs: RewardFunctions) -> dict[str, Any]:
    """A routed batch with an error, a skip and a routing failure, served to each function."""
    recorder = Recorder()
    prompts = [[{"role": "user", "content": f"q{i}"}] for i in range(4)]
    completions = [[{"role": "assistant", "content": c}] for c in ("abc", "abc", "a", "x")]
    columns = {"task": ["math", "tunable", "tunable", "unknown"],
               "skip": [False, False, True, False], "trainer_state": None}
    values = [fn(prompts, completions, completion_ids=None, **columns, **recorder.kwargs())
              for fn in funcs]
    return {"names": funcs.names, "weights": funcs.weights, "values": values,
            **recorder.comparable()}


def test_same_results_and_metrics_local_and_remote(funcs_for):
    runs = {face: scenario(funcs_for(face, ["boom", "tunable:0.5"], route_by="task",
                                     routes={"math": ["boom"]}, weights={"boom": 2}))
            for face in FACES}
    assert runs["local"] == runs["remote"]
    run = runs["local"]
    assert run["names"] == ["boom", "tunable"] and run["weights"] == [2.0, 0.5]
    # boom: error → 0.0, not routed → None, routing error → 0.0; tunable: skip → None
    assert run["values"] == [[0.0, None, None, 0.0], [None, 1.0, None, 0.0]]
    # rates over the samples each verifier saw; the routed part of the batch apart
    assert run["metrics"]["rewardkit/boom/error_rate"] == [1.0]
    assert run["metrics"]["rewardkit/boom/share"] == [0.25]
    assert run["metrics"]["rewardkit/tunable/skipped_rate"] == [0.5]
    assert run["metrics"]["rewardkit/tunable/share"] == [0.5]
    assert run["metrics"]["rewardkit/routing_error_rate"] == [0.25]
    assert run["extra"]["boom/status"] == ["error", "not routed", "not routed", "not routed"]


@pytest.mark.parametrize("face", FACES)
def test_trls_contract_and_one_scoring_per_batch(face, funcs_for, server):
    funcs = funcs_for(face, ["exact_match", {"name": "tunable", "options": {"threshold": 2}}],
                      weights={"tunable": 0.5})
    exact, length = funcs
    assert (exact.__name__, length.__name__) == ("exact_match", "tunable")
    assert (exact.weight, length.weight) == (1.0, 0.5)
    prompts = [[{"role": "user", "content": f"q{i}"}] for i in range(3)]
    completions = [[{"role": "assistant", "content": c}] for c in ("42", "41", "x")]
    columns = {"answer": ["42", "42", None], "trainer_state": None}
    before = score_requests(server)
    assert exact(prompts, completions, completion_ids=[[1], [2], [3]], **columns) == [
        1.0, 0.0, None]  # no reference: skipped → None
    assert length(prompts, completions, completion_ids=None, **columns) == [1.0, 1.0, 0.0]
    # The same batch again is a new batch: scored again.
    assert exact(prompts, completions, **columns) == [1.0, 0.0, None]
    if face == "remote":  # one request per batch, for both verifiers
        assert score_requests(server) - before == 2


@pytest.mark.parametrize("face", FACES)
def test_async_functions_share_one_scoring(face, funcs_for):
    funcs = funcs_for(face, ["exact_match", "tunable"], asynchronous=True)
    prompts, completions = ["a", "b"], ["1", "2345"]
    columns = {"answer": ["1", "1"]}

    async def both() -> list[list[float | None]]:
        return list(await asyncio.gather(*(f(prompts, completions, None, **columns)
                                           for f in funcs)))

    assert asyncio.run(both()) == [[1.0, 0.0], [0.0, 1.0]]


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("weights", [{"nope": 1.0}, [1.0, 2.0]])
def test_weights_are_checked_the_same_way(face, funcs_for, weights):
    with pytest.raises(ConfigError, match=r"unconfigured|weights for"):
        funcs_for(face, ["exact_match"], weights=weights)


def test_a_client_is_reused_and_local_settings_are_refused(server):
    client = Client(server.url)
    funcs = reward_functions(["exact_match"], remote=client, patterns=False)
    assert funcs.engine is None and funcs.remote is not None and funcs.remote.client is client
    assert funcs[0](["q"], ["1"], answer=["1"]) == [1.0]
    assert repr(funcs[0]) == f"<reward function 'exact_match' at {server.url}>"
    funcs.close()
    assert not client._http.is_closed  # given, not made: left open
    client.close()
    with pytest.raises(TypeError, match="workers"):
        reward_functions(["exact_match"], remote=server.url, workers=2)


def test_samples_from_batch_maps_dataset_columns():
    samples = samples_from_batch(
        ["q1", [{"role": "user", "content": "q2"}]],
        ["a1", [{"role": "assistant", "content": "a2"}]],
        {"solution": ["s1", "s2"], "task": ["t", "t"], "trainer_state": object(),
         "short": ["only one"]},
    )
    assert samples[0].reference == "s1" and samples[0].metadata == {"task": "t"}
    assert samples[1].completion_text == "a2" and samples[1].prompt_text == "q2"
    custom = samples_from_batch(["q"], ["a"], {"gold": ["g"], "answer": ["x"]},
                                reference_column="gold")
    assert custom[0].reference == "g" and custom[0].metadata == {"answer": "x"}


@pytest.mark.parametrize("face", FACES)
def test_functions_score_again_after_close(face, funcs_for):
    """TRL's callback closes the functions at the end of ``train()``; a second ``train()``
    (or a notebook cell run again) calls them again. ``remote=URL`` functions once failed
    there: their HTTP client was closed for good."""
    funcs = funcs_for(face, ["exact_match"])
    assert funcs[0](["q"], ["1"], answer=["1"]) == [1.0]
    funcs.close()
    assert funcs[0](["q"], ["2"], answer=["2"]) == [1.0]
    with funcs:
        assert funcs[0](["q"], ["3"], answer=["4"]) == [0.0]
    assert funcs[0](["q"], ["4"], answer=["4"]) == [1.0]
