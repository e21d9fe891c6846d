"""The ``code`` verifier's inputs, scoring and refusals (process backend unless noted)."""

from __future__ import annotations

import math

import pytest

from rewardkit import Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.checkers import normalize_output
from rewardkit.verifiers.code.program import extract_program
from rewardkit.verifiers.code.sandbox import process_backend as process_backend_module
from rewardkit.verifiers.code.sandbox import runner

CASES = [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "5 5", "stdout": "10"},
         {"stdin": "0 0", "stdout": "0"}, {"stdin": "2 2", "stdout": "4"}]


def test_the_program_is_the_last_fenced_block() -> None:
    text = "Idea:\n```\nold()\n```\nFinal:\n```python\nprint(1)\n```\ndone"
    assert extract_program(text) == "print(1)\n"
    assert extract_program("print(2)") == "print(2)"


def test_output_is_compared_line_by_line_after_trailing_space() -> None:
    assert normalize_output("1 \n2\t\n\n\n") == normalize_output("1\n2")
    assert normalize_output("1\n 2") != normalize_output("1\n2")


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**200, 1.5, math.inf, "é", b"\x00", (1, (2,)), [1, [2]], {1, 2},
    frozenset({3}), {"a": 1, (1, 2): [3]}, 1 + 2j,
])
def test_data_codec_round_trips_plain_data(value) -> None:  # type: ignore[no-untyped-def]
    back = runner.decode(runner.encode(value))
    assert back == value and type(back) is type(value)


def test_data_codec_refuses_objects() -> None:
    with pytest.raises(runner.EncodeError):
        runner.encode(object())
    for forged in ({"$t": [1], "x": 2}, {"$eval": "1"}, {"a": 1}):
        with pytest.raises(runner.EncodeError):
            runner.decode(forged)


def test_the_verifier_is_registered_and_not_inline(plugin_manager):  # type: ignore[no-untyped-def]
    assert CodeVerifier.inline is False
    assert "code" in plugin_manager.get_verifiers()


def test_all_or_nothing_and_partial() -> None:
    program = "a, b = map(int, input().split())\nprint(a + b if a != 5 else 0)"
    sample = Sample(completion=program, reference={"cases": CASES})
    strict = CodeVerifier({"time_limit": 2}).verify(sample)
    assert strict.status is Status.OK and strict.reward == 0.0
    assert "case 1 failed" in strict.reason
    partial = CodeVerifier({"time_limit": 2, "partial": True}).verify(sample)
    assert partial.reward == 0.75 and partial.details["passed"] == 3


def test_partial_credit_survives_a_case_that_times_out() -> None:
    program = "a, b = map(int, input().split())\nwhile a == 5:\n    pass\nprint(a + b)"
    result = CodeVerifier({"time_limit": 1, "partial": True}).verify(
        Sample(completion=program, reference={"cases": CASES}))
    assert result.status is Status.OK and result.reward == 0.75
    assert result.details["limit"] == "timeout" and result.details["limit_case"] == 1


def test_limits_are_named_in_reason_and_details(score_sample):  # type: ignore[no-untyped-def]
    result = score_sample("code", "while True:\n    pass", reference={"cases": CASES[:1]},
                          time_limit=1)
    assert result.status is Status.TIMEOUT and result.reward == 0
    assert result.details["limit"] == "timeout" and "timeout" in result.reason
    result = score_sample("code", "print('x' * 10**6)", reference={"cases": CASES[:1]},
                          output_limit=4096)
    assert result.details["limit"] == "output" and "output" in result.reason
    result = score_sample("code", "import os\nos.abort()", reference={"cases": CASES[:1]})
    assert result.details["limit"] == "crash" and result.reward == 0


def test_bad_references_are_errors_and_other_languages_skipped() -> None:
    verifier = CodeVerifier()
    assert verifier.verify(Sample(completion="x", reference="not json")).status is Status.ERROR
    assert verifier.verify(Sample(completion="x", reference={"tests": ""})).status is Status.ERROR
    skipped = verifier.verify(Sample(completion="x", reference={"language": "r", "cases": CASES}))
    assert skipped.status is Status.SKIPPED
    assert verifier.verify(Sample(completion="x")).status is Status.SKIPPED


@pytest.mark.parametrize("case", [
    {"stdin": ["2"], "stdout": "4"}, {"stdin": "2", "stdout": ["4"]},
    {"input": {"n": 2}, "output": "4"}, {"stdin": "2", "stdout": True},
])
def test_a_case_whose_input_or_output_is_not_text_is_a_bad_reference(case) -> None:
    """Before: the harness ran str() of it (``['2']``), and a right program read as wrong."""
    result = CodeVerifier().verify(Sample(completion="print(int(input()) * 2)",
                                          reference={"cases": [case]}))
    assert result.status is Status.ERROR and "must be text (or a number)" in result.reason


def test_tests_that_never_call_the_solution_are_an_error() -> None:
    result = CodeVerifier().verify(Sample(completion="def f(): pass",
                                          reference={"tests": "assert True"}))
    assert result.status is Status.ERROR and "never called" in result.reason


def test_solution_exceptions_reach_the_tests_as_builtin_types() -> None:
    program = "def f(x):\n    if x < 0:\n        raise ValueError('negative')\n    return x"
    tests = ("try:\n    f(-1)\n    raise AssertionError\nexcept ValueError:\n    pass\n"
             "assert f(2) == 2")
    assert CodeVerifier().verify(Sample(completion=program, reference={"tests": tests})).passed


def test_process_backend_refuses_without_bubblewrap(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(process_backend_module.shutil, "which", lambda name: None)
    result = CodeVerifier().verify(Sample(completion="print(3)", reference={"cases": CASES[:1]}))
    assert result.status is Status.ERROR and result.reward == 0
    assert "bubblewrap" in result.reason and "never run unsandboxed" in result.reason


def test_process_backend_refuses_when_namespaces_fail(monkeypatch):  # type: ignore[no-untyped-def]
    # A bwrap that cannot create namespaces exits at once; simulate it with `false`.
    monkeypatch.setattr(process_backend_module.shutil, "which", lambda name: "/bin/false")
    result = CodeVerifier().verify(Sample(completion="print(3)", reference={"cases": CASES[:1]}))
    assert result.status is Status.ERROR and "did not start" in result.reason


def test_docker_backend_refuses_without_an_engine() -> None:
    verifier = CodeVerifier({"backend": "docker", "docker_host": "unix:///nonexistent.sock"})
    result = verifier.verify(Sample(completion="print(3)", reference={"cases": CASES[:1]}))
    assert result.status is Status.ERROR and "no Docker engine" in result.reason
