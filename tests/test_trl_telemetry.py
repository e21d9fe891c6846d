"""Pattern telemetry: share and success per step, collapse and strong-pattern-failing warnings."""

from __future__ import annotations

import logging

import pytest

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.trl import PatternTelemetry, reward_functions


def test_share_success_and_other():
    telemetry = PatternTelemetry()
    metrics = telemetry.observe(["a", "a", None, "b"], [True, False, None, True])
    assert metrics["patterns/a/share"] == 0.5
    assert metrics["patterns/a/success"] == 0.5
    assert metrics["patterns/other/share"] == 0.25
    assert "patterns/other/success" not in metrics  # its only verdict was not ok
    assert metrics["patterns/b/success"] == 1.0
    # a label seen before gets share 0 when absent, and no success
    later = telemetry.observe(["a"], [True])
    assert later["patterns/b/share"] == 0.0 and "patterns/b/success" not in later
    assert later["patterns/entropy"] == 0.0
    with pytest.raises(ValueError):
        telemetry.observe(["a"], [])


def test_collapse_warns_once(caplog):
    telemetry = PatternTelemetry(min_batch=8)
    with caplog.at_level(logging.WARNING, logger="rewardkit.trl"):
        telemetry.observe(["a"] * 19 + ["b"], [True] * 20, step=3)
        telemetry.observe(["a"] * 20, [True] * 20, step=4)
    assert len(telemetry.warnings) == 1
    assert "collapse at step 3" in telemetry.warnings[0] and "'a'" in telemetry.warnings[0]
    assert "pattern collapse" in caplog.text
    telemetry.observe(["a"] * 18 + ["b"] * 2, [True] * 20)  # 90 %: hovering near the line
    telemetry.observe(["a"] * 20, [True] * 20)
    assert len(telemetry.warnings) == 1
    telemetry.observe(["a"] * 10 + ["b"] * 10, [True] * 20)  # a clear recovery re-arms it
    telemetry.observe(["a"] * 20, [True] * 20)
    assert len(telemetry.warnings) == 2


def test_strong_pattern_failing_hints_at_the_verifier():
    telemetry = PatternTelemetry(min_history=64, min_batch=8)
    for _ in range(4):
        telemetry.observe(["steps"] * 20 + ["direct"] * 20, [True] * 18 + [False] * 2
                          + [False] * 20)
    assert telemetry.warnings == []
    telemetry.observe(["steps"] * 20 + ["direct"] * 20, [False] * 18 + [True] * 2
                      + [False] * 20, step=9)
    assert len(telemetry.warnings) == 1
    assert "strong pattern failing at step 9: 'steps'" in telemetry.warnings[0]
    assert "verifier" in telemetry.warnings[0]
    # a weak pattern failing is no news
    assert not any("'direct'" in w for w in telemetry.warnings)


def test_split_since_the_start_and_over_the_window():
    """Batch 1: A 3/4 of the batch at 50 %, B 1/4 at 100 %; batch 2: the shares swap (pure
    selection); batch 3: B falls to 50 % (competence). With window=1 the split since the
    start compares batch 1 with the latest, the sliding one the latest with the one before."""
    telemetry = PatternTelemetry(window=1)
    first = telemetry.observe(["A", "A", "A", "A", "A", "A", "B", "B"],
                              [True, False, True, False, True, False, True, True])
    assert first["patterns/selection"] == first["patterns/competence"] == 0.0
    assert "patterns/window/selection" not in first  # needs 2 * window batches
    assert "patterns/mix" not in first  # no strata
    second = telemetry.observe(["A", "A", "B", "B", "B", "B", "B", "B"],
                               [True, False, True, True, True, True, True, True])
    # shares 0.75/0.25 → 0.25/0.75 at 50 %/100 %: selection -0.5*0.5 + 0.5*1 = 0.25
    assert second["patterns/selection"] == pytest.approx(0.25)
    assert second["patterns/competence"] == pytest.approx(0.0)
    assert second["patterns/window/selection"] == pytest.approx(0.25)
    third = telemetry.observe(["A", "A", "B", "B", "B", "B", "B", "B"],
                              [True, False, True, False, True, False, True, False])
    assert third["patterns/selection"] == pytest.approx(0.25)
    assert third["patterns/competence"] == pytest.approx(0.25 * -0.5)
    assert third["patterns/interaction"] == pytest.approx(0.5 * -0.5)
    assert third["patterns/window/selection"] == pytest.approx(0.0)
    assert third["patterns/window/competence"] == pytest.approx(0.75 * -0.5)


def test_split_pools_the_window_and_uses_strata():
    """`direct` is 0 % on hard and 100 % on easy problems throughout; RL moves hard problems
    to `steps`. Pooled, `direct`'s success rises; within strata all of the gain is selection."""
    telemetry = PatternTelemetry(window=2)
    before = (["direct"] * 4 + ["steps"] * 2 + ["direct"] * 2,
              [False] * 4 + [True] * 2 + [True] * 2, ["hard"] * 6 + ["easy"] * 2)
    after = (["direct"] + ["steps"] * 5 + ["direct"] * 2,
             [False] + [True] * 5 + [True] * 2, ["hard"] * 6 + ["easy"] * 2)
    for batch in (before, before, after):
        telemetry.observe(*batch[:2], strata=batch[2])
    metrics = telemetry.observe(*after[:2], strata=after[2])
    # hard stratum (weight 0.75): direct 4/6 → 1/6 at 0 %, steps 2/6 → 5/6 at 100 %.
    assert metrics["patterns/selection"] == pytest.approx(0.75 * 0.5)
    assert metrics["patterns/competence"] == pytest.approx(0.0)
    assert metrics["patterns/mix"] == pytest.approx(0.0)
    assert metrics["patterns/window/selection"] == pytest.approx(0.375)
    pooled = PatternTelemetry(window=2, stratum_key=None)
    for batch in (before, before, after, after):
        pooled_metrics = pooled.observe(*batch[:2])
    assert pooled_metrics["patterns/competence"] > 0.1  # the false competence of pooling


def test_strata_come_from_sample_metadata():
    telemetry = PatternTelemetry(stratum_key="level")
    samples = [Sample(completion="a", metadata={"level": 3}), Sample(completion="b")]
    assert telemetry.strata(samples) == ["3", None]
    assert telemetry.strata([Sample(completion="c")]) is None
    assert PatternTelemetry(stratum_key=None).strata(samples) is None


class Equals(Verifier):
    name = "equals"
    description = "test verifier: 1.0 when the completion is the answer"
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=float(sample.completion_text == sample.reference))


class EqualsPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Equals)

    @hookimpl(tryfirst=True)
    def classify_pattern(self, sample, result):  # type: ignore[no-untyped-def]
        return "guess" if sample.completion_text.startswith("~") else "exact"


def test_reward_functions_split_within_the_stratum_column(plugin_manager, register_plugin):
    """Through the TRL adapter: the dataset's ``stratum`` column is the stratum."""
    register_plugin(EqualsPlugin())
    logged: dict[str, float] = {}
    with reward_functions(["equals"], plugin_manager=plugin_manager, workers=1,
                          patterns=PatternTelemetry(window=1)) as funcs:
        for completions in (["~1", "~2", "3", "4"], ["1", "~2", "3", "5"]):
            funcs[0](["p"] * 4, completions, answer=["1", "2", "3", "4"],
                     stratum=["easy", "easy", "hard", "hard"],
                     log_metric=lambda name, value: logged.__setitem__(name, value))
    # easy (weight 1/2): guess (always wrong) 2/2 → 1/2 of it, exact 0 → 1/2 at 100 %:
    # selection 1/2 * 1/2; hard (weight 1/2): exact only, 100 % → 50 %: competence -1/4.
    assert logged["patterns/selection"] == pytest.approx(0.5 * 0.5)
    assert logged["patterns/competence"] == pytest.approx(0.5 * 1.0 * -0.5)
    assert logged["patterns/mix"] == 0.0
