"""How an I/O case's output is compared (``checker``): lines by default, tokens in any
layout, or tokens with a tolerance on fractional numbers, named by the reference or the
options; what each accepts and refuses, and the same through the verifier on both backends."""

from __future__ import annotations

import time

import pytest
from conftest import code_verifier_on

from rewardkit import Sample, Status
from rewardkit.verifiers.code import CodeVerifier
from rewardkit.verifiers.code.checkers import Checker

LINES, TOKENS, FLOAT = Checker("lines"), Checker("tokens"), Checker("float")


def passes(checker: Checker, output: str, expected: str) -> bool:
    return checker.difference(output, checker.expected(expected)) is None


@pytest.mark.parametrize(("output", "expected", "lines", "tokens", "floats"), [
    ("1 2\n", "1 2", True, True, True),
    ("1 2   \r\n\n\n", "1 2\n", True, True, True),  # trailing space, CRLF, blank lines
    ("1\n2\n", "1 2\n", False, True, True),  # another layout
    ("1  2\n", "1 2\n", False, True, True),
    ("12\n", "1 2\n", False, False, False),  # a missing separator is another answer
    ("1 2 3\n", "1 2\n", False, False, False),
    ("0.3333333\n", "0.333333333\n", False, False, True),
    ("0.33\n", "0.333333333\n", False, False, False),  # too coarse
    ("1e-7\n", "0.0000000\n", False, False, True),  # absolute error
    ("123456789.1\n", "123456789.0\n", False, False, True),  # relative error
    ("2.5\n", "2.500000\n", False, False, True),
    ("1000000008\n", "1000000007\n", False, False, False),  # integers stay exact...
    ("1000000008.0\n", "1000000007\n", False, False, False),  # ...in a float's spelling too
    ("1.000000007e9\n", "1000000007\n", False, False, True),  # ...in value, not spelling:
    ("1000000007.0\n", "1000000007\n", False, False, True),  # the same integer
    ("2.000000\n", "2\n", False, False, True),  # C++'s cout << 2.0 wrote the "2"
    ("+007\n", "7\n", False, False, True),
    ("-0.0\n", "0\n", False, False, True),
    ("1000000007.0000001\n", "1000000007\n", False, False, False),  # no tolerance
    ("2.0000001\n", "2\n", False, False, False),
    ("1e9\n", "1000000007\n", False, False, False),
    ("1e999999999\n", "1\n", False, False, False),
    ("1e" + "9" * 30 + "\n", "1\n", False, False, False),  # past Decimal's exponents
    ("1e" + "9" * 30 + "\n", "0.5\n", False, False, False),
    ("9" * 5000 + "\n", "9" * 5000 + "\n", True, True, True),  # past int()'s digit limit
    ("9" * 4999 + "8\n", "9" * 5000 + "\n", False, False, False),
    ("0" * 10 + "9" * 5000 + ".0\n", "9" * 5000 + "\n", False, False, True),
    ("nan\n", "0.5\n", False, False, False),  # not a number as judges print them
    ("inf\n", "1e308\n", False, False, False),
    ("0.5\n", "nan\n", False, False, False),
    ("0.5 YES\n", "0.5000001 yes\n", False, False, False),  # words stay exact
])
def test_what_each_checker_accepts(output, expected, lines, tokens, floats):  # type: ignore[no-untyped-def]
    assert (passes(LINES, output, expected), passes(TOKENS, output, expected),
            passes(FLOAT, output, expected)) == (lines, tokens, floats)


def test_the_tolerance_is_the_checkers() -> None:
    assert passes(Checker("float", 1e-3), "0.3334\n", "0.333333\n")
    assert not passes(Checker("float", 1e-9), "0.3333333\n", "0.333333333\n")


def test_long_tokens_are_compared_in_linear_time() -> None:
    """Old: ``\\d+\\.?\\d*`` tried every split of a run of digits before the letter after it
    (18 s for 16,000 digits, a worker killed at its deadline for 40,000). Now a megabyte of
    each shape takes well under a second of CPU."""
    started = time.process_time()
    for token in ("1" * (1 << 20) + "x", "1" * (1 << 19) + "." + "1" * (1 << 19) + "x",
                  "1" * (1 << 19) + "e" + "1" * (1 << 19) + "x"):
        assert FLOAT.difference(token, ["1.5"]) is not None
    assert time.process_time() - started < 10


def test_differences_say_where() -> None:
    assert LINES.difference("1\n3\n", ["1", "2"]) == "line 2 differs: got '3'"
    assert FLOAT.difference("1.5 2", ["1.5"]) == "got 2 tokens, expected 1"
    assert FLOAT.least_output(FLOAT.expected("1\n2\n")) == 3


@pytest.mark.parametrize("reference", [
    {"cases": [{"stdin": "", "stdout": "1"}], "checker": "exact"},
    {"cases": [{"stdin": "", "stdout": "1"}], "float_tolerance": 0},
    {"cases": [{"stdin": "", "stdout": "1"}], "float_tolerance": "1e-6"},
    {"cases": [{"stdin": "", "stdout": "1"}], "float_tolerance": True},
    {"tests": "assert True", "checker": "float"},
])
def test_bad_checker_references_are_errors(reference):  # type: ignore[no-untyped-def]
    result = CodeVerifier({}).verify(Sample(completion="print(1)", reference=reference))
    assert result.status is Status.ERROR and result.reason.startswith("bad reference"), result


@pytest.fixture(scope="module", params=["process", "docker"])
def verifier(request):  # type: ignore[no-untyped-def]
    yield from code_verifier_on(request.param, {"time_limit": 5.0, "pool_size": 1})


#: 1/3 to 10 digits and on one line each, where the data set wrote 9 digits on one line.
THIRDS = {
    "python": "n = int(input())\nfor i in range(1, n + 1):\n    print(f'{i / 3:.10f}')",
    "c": "#include <stdio.h>\nint main(){int n; scanf(\"%d\",&n);"
         " for(int i=1;i<=n;i++) printf(\"%.10f\\n\", i/3.0);}",
}


@pytest.mark.parametrize("language", sorted(THIRDS))
def test_the_reference_names_its_checker(verifier, language):  # type: ignore[no-untyped-def]
    """A right answer in another precision and layout than the data set's passes where the
    reference asks for ``float``, and fails under the default ``lines``; a wrong one fails
    under both."""
    cases = [{"stdin": "2\n", "stdout": "0.333333333 0.666666667\n"}]
    program = f"```{language}\n{THIRDS[language]}\n```"
    wrong = program.replace("i / 3", "i / 3.001").replace("i/3.0", "i/3.001")
    scores = {}
    for name, completion in (("right", program), ("wrong", wrong)):
        for checker in ("lines", "float"):
            result = verifier.verify(Sample(completion=completion, reference={
                "language": language, "cases": cases, "checker": checker}))
            assert result.status is Status.OK, result
            scores[name, checker] = result.reward
    assert scores == {("right", "lines"): 0.0, ("right", "float"): 1.0,
                      ("wrong", "lines"): 0.0, ("wrong", "float"): 0.0}


#: The mean of each pair to 6 places; the data set's own solution wrote them with C++'s
#: ``cout << mean``, which prints 2.0 as "2".
MEANS = {
    "python": "for _ in range(int(input())):\n    a, b = map(int, input().split())\n"
              "    print(f'{(a + b) / 2:.6f}')",
    "c": "#include <stdio.h>\nint main(){int n,a,b; scanf(\"%d\",&n);"
         " while(n--){scanf(\"%d %d\",&a,&b); printf(\"%.6f\\n\", (a+b)/2.0);}}",
}


@pytest.mark.parametrize("language", sorted(MEANS))
def test_an_integer_the_data_set_printed_bare_passes_as_a_real(verifier, language):  # type: ignore[no-untyped-def]
    """Before, an expected integer under ``float`` had to be spelled as one: "2.000000" for
    the data set's "2" scored 0. A wrong program (integer division) still fails."""
    cases = [{"stdin": "3\n1 3\n2 3\n5 5\n", "stdout": "2\n2.5\n5\n"}]
    program = f"```{language}\n{MEANS[language]}\n```"
    wrong = program.replace("(a + b) / 2", "(a + b) // 2").replace("(a+b)/2.0", "(double)((a+b)/2)")
    rewards = []
    for completion in (program, wrong):
        result = verifier.verify(Sample(completion=completion, reference={
            "language": language, "cases": cases, "checker": "float"}))
        assert result.status is Status.OK, result
        rewards.append(result.reward)
    assert rewards == [1.0, 0.0]


def test_the_options_name_the_default_checker() -> None:
    verifier = CodeVerifier({"checker": "tokens"})
    try:
        result = verifier.verify(Sample(completion="print(1)\nprint(2)",
                                        reference={"cases": [{"stdin": "", "stdout": "1 2"}]}))
        assert result.reward == 1.0, result
        result = verifier.verify(Sample(completion="print(1)\nprint(2)", reference={
            "cases": [{"stdin": "", "stdout": "1 2"}], "checker": "lines"}))
        assert result.reward == 0.0, result
    finally:
        verifier.close()
