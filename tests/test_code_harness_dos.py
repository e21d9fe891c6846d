"""Hostile input cannot make the harness slow (issue 12, finding 8), on both backends.

Before, the fence-extraction regex was quadratic (130 KB of repeated ```` ```python ````
lines ran into the engine's 60 s deadline and the worker was killed), and the harness decoded
a solution's reply itself, unbounded: a set of 65k ints sharing one hash cost it 19-22 s,
outside the run's time limit. Now completions are parsed in linear time under a size cap, the
harness only relays replies (bounded lines, bounded JSON integers), and values are decoded in
a sandbox, under the run's deadline, with a budget of items and of keys per hash. Each attack
here would leave its trace as a timeout, or as time spent past the run's limit.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import code_verifier_on

from rewardkit import Result, Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.harness import run_assert_tests, run_io_cases
from rewardkit.verifiers.code.program import MAX_COMPLETION, extract_program
from rewardkit.verifiers.code.sandbox import LimitHit, Limits, runner
from rewardkit.verifiers.code.sandbox.channel import Channel

TIME_LIMIT = 8.0  # roomy for a loaded machine: the unbounded decode took 20 s
#: Generous: a bounded step takes well under a second; the unbounded ones took 20 s to minutes.
SLACK = 8.0
M61 = (1 << 61) - 1  # hash(k * M61 + c) == c for every int k
HONEST = "def f(*a):\n    return 1\n"


@pytest.fixture(scope="module", params=["process", "docker"])
def verifier(request):  # type: ignore[no-untyped-def]
    yield from code_verifier_on(request.param, {"time_limit": TIME_LIMIT, "memory_limit": 512,
                                                "output_limit": 4 << 20, "pool_size": 2})


def timed(verifier: CodeVerifier, program: str, tests: str) -> tuple[Result, float]:
    started = time.monotonic()
    result = verifier.verify(Sample(completion=program, reference={"tests": tests}))
    return result, time.monotonic() - started


# --- completions -------------------------------------------------------------------------


def test_fence_bomb_is_parsed_in_linear_time(score_sample):  # type: ignore[no-untyped-def]
    """Old: the lazy ``(.*?)`` body retried from every opening line to the end of the text;
    130 KB of ```` ```python ```` lines hit the engine's deadline (status timeout). Here 1 MiB
    of them, through the engine as in training."""
    bomb = "```python\n" * (MAX_COMPLETION // 10)
    started = time.monotonic()
    result = score_sample("code", bomb, reference={"tests": "assert f() == 1"}, timeout=30)
    assert result.status is Status.OK and result.reward == 0.0, result
    assert time.monotonic() - started < 20
    started = time.process_time()  # in-process work: CPU time is immune to a loaded machine
    assert extract_program(bomb + "```\n") == "```python\n" * (MAX_COMPLETION // 10 - 1)
    assert extract_program("```\n" * (MAX_COMPLETION // 4)) == ""
    assert time.process_time() - started < 5


def test_fence_parsing_matches_the_documented_rules() -> None:
    text = ("Plan:\n```text\nnot code\n```\n  ```Python3 title='x'\nprint(1)\n  ```\n"
            "```c\nint x;\n```\n```py\n```\n")
    assert extract_program(text) == ""  # the last Python block, even empty
    assert extract_program("```c\nint x;\n```") == "int x;\n"
    assert extract_program("```python\nprint(1)\n````\nmore") == "```python\nprint(1)\n````\nmore"
    assert extract_program("```python\nprint(1)\n```   \ntail") == "print(1)\n"


class NoSandbox:
    """A backend that fails the test if the harness opens a sandbox."""

    name = "none"

    def open_session(self):  # type: ignore[no-untyped-def]
        raise AssertionError("an oversized program must not reach a sandbox")

    def close(self) -> None:
        pass


def test_oversized_completions_are_refused_unparsed() -> None:
    tail = "\n```python\ndef f():\n    return 1\n```\n"
    text = "#" * MAX_COMPLETION + tail
    program = extract_program(text)
    assert program == text  # not parsed at all
    for outcome in (run_assert_tests(NoSandbox(), program, "assert f() == 1", Limits()),
                    run_io_cases(NoSandbox(), program, [{"stdin": "", "stdout": "1"}] * 3,
                                 Limits(), stop_on_failure=False)):
        assert outcome.passed == 0 and "over the cap" in outcome.cases[0].error


# --- replies: forged on the solution's channel, decoded nowhere unbounded -------------------

FORGE = ("import gc, json, os\n"
         "def f(*a):\n"
         "    runner = next(o for o in gc.get_objects() if type(o).__name__ == 'Runner')\n"
         "    os.write(runner.out_fd, payload() + b'\\n')\n"
         "    return 1\n")


def forged(payload: str) -> str:
    """A solution whose call writes the reply ``payload`` (an expression, built at run time so
    the program stays small) on its channel before the runner's own."""
    return f"M61 = {M61}\ndef payload():\n    return {payload}\n" + FORGE


COLLIDING = "[{'$i': hex(k * M61 + 7)} for k in range(1, 65537)]"
REPLY_BOMBS = {
    "set of 65k ints sharing one hash": f"{{'$s': {COLLIDING}}}",
    "frozenset of 65k ints sharing one hash": f"{{'$fs': {COLLIDING}}}",
    "dict with 65k keys sharing one hash": f"{{'$d': [[key, 0] for key in {COLLIDING}]}}",
}


def colliding(count: int) -> list[dict[str, str]]:
    return [{"$i": hex(k * M61 + 7)} for k in range(1, count + 1)]


@pytest.mark.parametrize("name", sorted(REPLY_BOMBS))
def test_colliding_reply_is_refused_quickly(verifier, name):  # type: ignore[no-untyped-def]
    """Old: the harness built this set itself (n * n / 2 comparisons: 19-22 s). Now the tests'
    sandbox refuses it past 16 keys per hash: the test fails at once, not at the clock."""
    payload = f"json.dumps({{'ok': True, 'value': {REPLY_BOMBS[name]}}}).encode()"
    result, seconds = timed(verifier, forged(payload), "assert f() == 1\n")
    assert result.reward == 0.0 and result.status is Status.OK, result
    assert "not plain data" in result.reason
    assert seconds < TIME_LIMIT + SLACK


@pytest.mark.parametrize("payload", [
    "b'{\"ok\":true,\"value\":' + b'[' * 100_000 + b']' * 100_000 + b'}'",
    "b'{\"ok\":true,\"value\":' + b'7' * 1_000_000 + b'}'",
    "b'{\"ok\":true,\"value\":' + b'{' * 50_000 + b'}'",
], ids=["deep nesting", "million-digit JSON int", "unclosed objects"])
def test_malformed_reply_is_a_crash(verifier, payload):  # type: ignore[no-untyped-def]
    """JSON the harness would spend quadratic time on (a decimal million-digit int) or recurse
    through: refused as a malformed reply, a crash of the solution's sandbox."""
    result, seconds = timed(verifier, forged(payload), "assert f() == 1\n")
    assert result.reward == 0.0 and result.details["limit"] == "crash", result
    assert seconds < TIME_LIMIT + SLACK


def test_huge_int_in_an_assertion_message_stays_under_the_clock(verifier):  # type: ignore[no-untyped-def]
    """A 4-million-bit int crosses as hex (linear); printing it in decimal is quadratic, but
    that happens in the tests' sandbox, under the run's clock."""
    program = "def f():\n    return 1 << 4_000_000\n"
    result, seconds = timed(verifier, program, "v = f()\nassert v == 5, f'got {v}'\n")
    assert result.reward == 0.0, result
    assert seconds < TIME_LIMIT + SLACK


def test_colliding_arguments_are_refused_in_the_solution_sandbox(verifier):  # type: ignore[no-untyped-def]
    """The other direction: tests (a dataset's, or a client's) that send a colliding set as an
    argument. The solution's sandbox refuses it quickly; the honest ``len`` would have scored
    only if it had been decoded."""
    tests = ("import gc, json\n"
             "runner = next(o for o in gc.get_objects() if type(o).__name__ == 'Runner')\n"
             f"bomb = [{{'$i': hex(k * {M61} + 7)}} for k in range(1, 65537)]\n"
             "runner.reply({'call': 'f', 'args': [{'$s': bomb}], 'kwargs': {'$d': []}})\n"
             "answer = json.loads(runner.reader.readline())\n"
             "if not answer.get('ok'):\n    raise RuntimeError(answer['error']['message'])\n"
             "assert answer.get('value') == 65536\n")
    result, seconds = timed(verifier, "def f(s):\n    return len(s)\n", tests)
    assert result.reward == 0.0 and result.status is Status.OK, result
    assert "too many keys share one hash" in result.reason
    assert seconds < TIME_LIMIT + SLACK


def test_honest_large_values_still_cross(verifier):  # type: ignore[no-untyped-def]
    program = "def f(n):\n    return set(range(n)), {i: -i for i in range(n)}, [-1, -2] * n\n"
    tests = ("s, d, l = f(20_000)\nassert s == set(range(20_000)) and d[7] == -7\n"
             "assert len(l) == 40_000 and {-1, -2} == set(l)\n")
    result, _ = timed(verifier, program, tests)
    assert result.passed, result


# --- the codec and the channel, without a sandbox -----------------------------------------


def test_decode_bounds() -> None:
    started = time.process_time()  # quadratic decoding cost 19-22 s of CPU; a bound on CPU time
    # stays meaningful on a loaded machine
    for bomb in REPLY_BOMBS.values():
        with pytest.raises(runner.EncodeError, match="share one hash"):
            runner.decode(eval(bomb, {"M61": M61}))
    with pytest.raises(runner.EncodeError, match="too many items"):
        runner.decode([0] * (runner.MAX_ITEMS + 1))
    with pytest.raises(runner.EncodeError, match="nested too deeply"):
        runner.decode(json.loads("[" * 300 + "]" * 300))
    with pytest.raises(runner.EncodeError, match="unhashable"):
        runner.decode({"$s": [[1]]})
    assert time.process_time() - started < 5
    # honest data with a few shared hashes (hash(-1) == hash(-2)) still decodes
    assert runner.decode(runner.encode({-1, -2, 1, 1.5})) == {-1, -2, 1, 1.5}


def test_channel_refuses_long_json_ints() -> None:
    """The codec sends ints past 2**62 as hex text; a decimal one of 5000 digits is forged
    (and one of a million would cost the harness quadratic time to convert)."""
    line = b'{"ok":true,"value":' + b"1" * 5000 + b"}\n"
    chunks = iter([line])
    channel = Channel(lambda timeout: next(chunks), lambda data, timeout: None, max_line=1 << 20)
    with pytest.raises(LimitHit, match="malformed"):
        channel.receive(time.monotonic() + 5)
