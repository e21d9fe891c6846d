"""Pattern telemetry: share and success per step, collapse and strong-pattern-failing warnings."""

from __future__ import annotations

import logging

import pytest

from rewardkit.trl import PatternTelemetry


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
