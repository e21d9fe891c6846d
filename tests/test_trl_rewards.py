"""The TRL adapter without a trainer: TRL's call contract, batching, statuses and logging."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.trl import (
    AsyncRewardFunction,
    PatternTelemetry,
    RewardFunctions,
    reward_functions,
    samples_from_batch,
)

CALLS: list[int] = []


class Counting(Verifier):
    """Inline; records each call; raises on the completion 'raise'."""

    name = "counting"
    description = "test verifier"
    inline = True

    def verify(self, sample: Sample) -> Result:
        CALLS.append(1)
        text = sample.completion_text
        if text == "raise":
            raise ValueError("boom")
        if sample.reference is None:
            return Result.skipped("no reference")
        return Result(reward=float(text.strip() == str(sample.reference)), reason="compared")


class Tagged(Verifier):
    name = "tagged"
    description = "test verifier: 1.0 when the sample's tag column is 'yes'"
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=float(sample.metadata.get("tag") == "yes"), reason="tag")


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Counting)
        register(Tagged)


@pytest.fixture
def funcs_for(plugin_manager, register_plugin):
    register_plugin(Plugin())
    made: list[RewardFunctions] = []

    def make(verifiers: Any, **kwargs: Any) -> RewardFunctions:
        funcs = reward_functions(verifiers, plugin_manager=plugin_manager, workers=1, **kwargs)
        made.append(funcs)
        return funcs

    CALLS.clear()
    yield make
    for funcs in made:
        funcs.close()


class Recorder:
    def __init__(self) -> None:
        self.metrics: dict[str, list[float]] = {}
        self.extra: dict[str, list[Any]] = {}

    def kwargs(self) -> dict[str, Any]:
        return {"log_metric": lambda n, v: self.metrics.setdefault(n, []).append(v),
                "log_extra": lambda c, v: self.extra.setdefault(c, []).extend(v)}


def test_names_weights_and_trl_values(funcs_for):
    funcs = funcs_for(["counting", "tagged:0.5"])
    assert funcs.names == ["counting", "tagged"] and funcs.weights == [1.0, 0.5]
    assert [f.__name__ for f in funcs] == ["counting", "tagged"]
    prompts = ["p1", "p2", "p3"]
    completions = ["4", "raise", "x"]
    columns = {"answer": ["4", "4", None], "tag": ["yes", "no", "yes"]}
    assert funcs[0](prompts, completions, None, **columns) == [1.0, 0.0, None]
    assert funcs[1](prompts, completions, None, **columns) == [1.0, 0.0, 1.0]
    assert len(CALLS) == 3  # one batch, scored once for both verifiers


def test_same_batch_again_is_scored_again(funcs_for):
    funcs = funcs_for(["counting"], cache_size=0)
    prompts, completions = ["p"], ["1"]
    funcs[0](prompts, completions, answer=["1"])
    funcs[0](prompts, completions, answer=["1"])
    assert len(CALLS) == 2


def test_weights_by_key_and_in_order(funcs_for):
    assert funcs_for(["counting", "tagged"], weights={"tagged": 2}).weights == [1.0, 2.0]
    assert funcs_for(["counting", "tagged"], weights=[3, 4]).weights == [3.0, 4.0]
    with pytest.raises(ValueError, match="unconfigured"):
        funcs_for(["counting"], weights={"nope": 1})


def test_conversational_format_and_reference_column(funcs_for):
    funcs = funcs_for(["counting"], reference_column="truth")
    prompts = [[{"role": "user", "content": "2+2?"}]] * 2
    completions = [[{"role": "assistant", "content": "4"}], [{"role": "assistant", "content": "5"}]]
    assert funcs[0](prompts, completions, truth=["4", "4"], answer=["5", "5"]) == [1.0, 0.0]


def test_samples_from_batch_maps_columns():
    samples = samples_from_batch(["p"], ["c"], {"solution": ["7"], "level": [3],
                                                 "trainer_state": object(), "scalar": 5})
    assert samples[0].reference == "7" and samples[0].metadata == {"level": 3}
    with pytest.raises(ValueError):
        samples_from_batch(["p"], ["a", "b"])


def test_rates_latency_reasons_and_patterns_are_logged(funcs_for):
    funcs = funcs_for(["counting", "tagged"])
    recorder = Recorder()
    prompts, completions = ["a", "b", "c", "d"], ["1", "raise", "2", "3"]
    columns = {"answer": ["1", "1", None, "9"], "tag": ["yes"] * 4}
    funcs[0](prompts, completions, None, **columns, **recorder.kwargs())
    metrics = {name: values[-1] for name, values in recorder.metrics.items()}
    assert metrics["rewardkit/counting/error_rate"] == 0.25
    assert metrics["rewardkit/counting/skipped_rate"] == 0.25
    assert metrics["rewardkit/counting/timeout_rate"] == 0.0
    assert metrics["rewardkit/tagged/error_rate"] == 0.0
    assert metrics["rewardkit/counting/seconds"] >= 0.0
    # the built-in classifier: short answers are "direct"; "raise" states none: "other"
    assert metrics["patterns/direct/share"] == 0.75
    assert metrics["patterns/other/share"] == 0.25
    assert metrics["patterns/direct/success"] == 0.5  # 1 of 2 judged (the skip excluded)
    assert "patterns/other/success" not in metrics  # its only verdict was an error
    assert recorder.extra["counting/status"] == ["ok", "error", "skipped", "ok"]
    assert recorder.extra["counting/reason"][0] == "compared"
    assert recorder.extra["pattern"] == ["direct", "other", "direct", "direct"]
    # the second verifier, called with the same lists as TRL does, reads the memo
    funcs[1](prompts, completions, None, **columns, **recorder.kwargs())
    assert len(recorder.metrics["rewardkit/counting/error_rate"]) == 1


def test_custom_classifier_and_pattern_verifier(funcs_for, register_plugin):
    class Shouting:
        @hookimpl
        def classify_pattern(self, sample, result):  # type: ignore[no-untyped-def]
            return "shouting" if sample.completion_text.isupper() else None

    register_plugin(Shouting())
    funcs = funcs_for(["counting", "tagged"], pattern_verifier="tagged")
    recorder = Recorder()
    funcs[0](["a", "b"], ["YES", "1"], answer=["x", "x"], tag=["yes", "no"],
             **recorder.kwargs())
    metrics = {name: values[-1] for name, values in recorder.metrics.items()}
    assert metrics["patterns/shouting/share"] == 0.5
    assert metrics["patterns/shouting/success"] == 1.0  # judged by 'tagged'
    assert metrics["patterns/direct/success"] == 0.0
    with pytest.raises(ValueError, match="pattern_verifier"):
        funcs_for(["counting"], pattern_verifier="tagged")


def test_patterns_off(funcs_for):
    funcs = funcs_for(["counting"], patterns=False)
    recorder = Recorder()
    funcs[0](["a"], ["1"], answer=["1"], **recorder.kwargs())
    assert not any(name.startswith("patterns/") for name in recorder.metrics)
    telemetry = PatternTelemetry(collapse_share=0.5)
    assert funcs_for(["counting"], patterns=telemetry).telemetry is telemetry


def test_routing(funcs_for):
    funcs = funcs_for(["counting", "tagged"], route_by="task")
    columns = {"task": ["counting", "tagged", "nowhere"], "answer": ["1", "1", "1"],
               "tag": ["yes", "yes", "yes"]}
    assert funcs[0](["a", "b", "c"], ["1", "1", "1"], **columns) == [1.0, None, 0.0]
    assert funcs[1](["a", "b", "c"], ["1", "1", "1"], **columns) == [None, 1.0, 0.0]


def test_rates_count_the_samples_a_verifier_saw_and_share_is_the_routed_part(funcs_for):
    """Rates were divided by the whole batch: a verifier failing every sample routed to it
    showed an error_rate of 0.5 when half the batch went elsewhere."""
    funcs = funcs_for(["counting", "tagged"], route_by="task")
    recorder = Recorder()
    columns = {"task": ["counting", "counting", "tagged", "tagged"], "answer": ["1"] * 4}
    funcs[0](["a", "b", "c", "d"], ["raise"] * 4, **columns, **recorder.kwargs())
    metrics = {name: values[-1] for name, values in recorder.metrics.items()}
    assert metrics["rewardkit/counting/error_rate"] == 1.0
    assert metrics["rewardkit/counting/share"] == 0.5
    assert metrics["rewardkit/tagged/error_rate"] == 0.0
    assert metrics["rewardkit/tagged/share"] == 0.5
    # A batch routed wholly elsewhere has no rate for the verifier (not a 0 % that would
    # pull the step's mean down), only its share.
    funcs[0](["e"], ["1"], task=["tagged"], answer=["1"], **recorder.kwargs())
    assert recorder.metrics["rewardkit/counting/share"][-1] == 0.0
    assert len(recorder.metrics["rewardkit/counting/error_rate"]) == 1


def test_async_callables_share_one_scoring(funcs_for):
    from trl.trainer.utils import is_async_callable

    funcs = funcs_for(["counting", "tagged"], asynchronous=True)
    assert all(isinstance(f, AsyncRewardFunction) and is_async_callable(f) for f in funcs)
    prompts, completions = ["a", "b"], ["1", "2"]
    columns = {"answer": ["1", "1"], "tag": ["yes", "no"]}

    async def both() -> list[list[float | None]]:
        return list(await asyncio.gather(*(f(prompts, completions, None, **columns)
                                           for f in funcs)))

    assert asyncio.run(both()) == [[1.0, 0.0], [1.0, 0.0]]
    assert len(CALLS) == 2


def test_importing_the_face_stays_light():
    code = ("import sys, rewardkit.trl; "
            "print(any(m in sys.modules for m in ('torch', 'trl', 'transformers')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


HACK = ["What is 3+4?"], ["\\boxed{3+4}"]  # the question given back: a hack under `strict`


@pytest.mark.parametrize("options, reward", [({}, 0.0), ({"preset": "lenient"}, 1.0)])
def test_math_trains_under_the_strict_preset_unless_told_otherwise(options, reward):
    with reward_functions([{"name": "math", "options": options}], workers=1,
                          patterns=False) as funcs:
        assert funcs[0](*HACK, answer=["7"]) == [reward]


def test_training_preset_beside_operator_only_options_and_route_by():
    """The preset is the operator's default, not a client override: an operator-only option
    beside it (code's backend) is accepted, and a route_by over every installed verifier
    gives math the preset too."""
    with reward_functions([{"name": "math"}, {"name": "code", "options": {"backend": "process"}}],
                          weights=[1.0, 0.5], workers=1, patterns=False) as funcs:
        assert funcs.weights == [1.0, 0.5]
        assert funcs[0](*HACK, answer=["7"]) == [0.0]
    with reward_functions(route_by="task", routes={"sum": ["math"]}, workers=1,
                          patterns=False) as funcs:
        math = funcs[funcs.names.index("math")]
        assert math(*HACK, answer=["7"], task=["sum"]) == [0.0]


def test_one_engine_is_built_for_named_verifiers(monkeypatch):
    """The training preset once cost a second engine (built, closed, rebuilt) whenever math
    was named; it goes into the operator's config before the one engine is built."""
    import rewardkit.trl.rewards as rewards_module
    from rewardkit import RewardEngine

    built: list[RewardEngine] = []

    class Spy(RewardEngine):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            built.append(self)

    monkeypatch.setattr(rewards_module, "RewardEngine", Spy)
    with reward_functions(["math", "exact_match"], weights=[1.0, 0.5], workers=1,
                          patterns=False, warm=False) as funcs:
        assert funcs.engine is built[0]
        assert funcs.engine.verifiers["math"].options == {"preset": "strict"}
    assert len(built) == 1
