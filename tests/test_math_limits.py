"""Hostile inputs: the ``math`` verifier ends every one with reward 0 and ``timeout`` or
``error`` within its deadline plus a second, and the worker pool goes on scoring."""

from __future__ import annotations

import time

import pytest

from rewardkit import Sample

TIMEOUT = 2.0

PATHOLOGICAL = {
    "power tower": ("\\boxed{2^{2^{2^{2^{2^{2^{2}}}}}}}", "5"),
    "huge factorial": ("\\boxed{100000000!}", "5"),
    "million-digit answer": ("\\boxed{" + "9" * 1_000_000 + "}", "5"),
    "million-digit reference": ("\\boxed{5}", "9" * 1_000_000),
    "3000 nested parentheses": ("\\boxed{" + "(" * 3000 + "1" + ")" * 3000 + "}", "2"),
    "20000 unclosed boxes": ("\\boxed{" * 20_000, "5"),
    "huge exponent": ("\\boxed{10^{10^{10^{10}}}}", "7"),
}


@pytest.fixture
def engine(make_engine):
    return make_engine([{"name": "math", "timeout": TIMEOUT}], workers=2)


@pytest.mark.parametrize("kind", sorted(PATHOLOGICAL))
def test_pathological_input_is_bounded(engine, kind):
    completion, reference = PATHOLOGICAL[kind]
    start = time.perf_counter()
    result = engine.score([Sample(completion=completion, reference=reference)])[0].results[0]
    elapsed = time.perf_counter() - start
    assert result.reward == 0.0
    assert result.status.value in ("timeout", "error"), result.reason
    assert elapsed < TIMEOUT + 1.0 + 1.0  # + 1 s for starting the pool in this test


def test_pool_recovers_after_pathological_batch(engine):
    hostile = [Sample(completion=c, reference=r) for c, r in PATHOLOGICAL.values()]
    good = [Sample(completion=f"\\boxed{{{n}}}", reference=str(n)) for n in range(6)]
    start = time.perf_counter()
    scores = engine.score(hostile + good)
    # Two workers: at most ceil(7 / 2) deadlines end one after another, plus slack.
    assert time.perf_counter() - start < 4 * (TIMEOUT + 1.0)
    for score in scores[:len(hostile)]:
        assert score.reward == 0.0 and score.results[0].status.value in ("timeout", "error")
    assert [s.reward for s in scores[len(hostile):]] == [1.0] * len(good)
    later = engine.score([Sample(completion="\\boxed{(x+1)^2}", reference="x^2+2x+1")])
    assert later[0].reward == 1.0


def test_five_thousand_digit_reference_parses(score_sample):
    big = "123456789" * 555 + "12345"  # 5000 digits
    assert score_sample("math", f"\\boxed{{{big}}}", reference=big).reward == 1.0
    assert score_sample("math", f"\\boxed{{{big}1}}", reference=big).reward == 0.0


def test_math_verifier_runs_in_a_worker_with_a_default_deadline():
    from rewardkit.verifiers.math import MathVerifier

    assert MathVerifier.inline is False
    assert MathVerifier.timeout == 5.0
