"""The ``math`` verifier's verdicts, table-driven, scored through the engine as in training.

All cases of the module are scored in one batch by one engine (so the table stays fast); each
case is then its own test. Part of the table is built from ``reasoning-gym`` generators, so
those reference answers come from outside the project.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from rewardkit import RewardEngine, Sample, make_plugin_manager

# Option sets by label; a case names the one it runs with.
OPTIONS: dict[str, dict[str, Any]] = {
    "default": {},
    "strict_eq": {"equations": "strict"},
    "pct_value": {"percentages": "value"},
    "pct_fraction": {"percentages": "fraction"},
    "tol": {"rel_tol": 0.01},
    "abs_tol": {"abs_tol": 0.5, "tolerance_reward": 0.5},
    "skip_missing": {"missing_answer": "skipped"},
    "boxed_only": {"extraction": "boxed"},
    "no_think": {"answer_in_think": False, "full_parse_fallback": False},
    "loose_vars": {"strict_variables": False},
}

Y, N = 1.0, 0.0
# (answer as written in \boxed{}, reference, expected reward)
BOXED: list[tuple[str, str, float]] = [
    # integers, separators, signs
    ("42", "42", Y), ("042", "42", Y), ("+42", "42", Y), ("41", "42", N), ("-42", "42", N),
    ("1,000", "1000", Y), ("1{,}000", "1000", Y), ("1\\,000", "1000", Y), ("1 000", "1000", Y),
    ("1,000,000", "1000000", Y), ("1,000", "100", N), ("10000", "1000", N),
    ("\\$18", "18", Y), ("18.00", "18", Y), ("-0", "0", Y), ("0", "0.0", Y),
    # decimals and fractions
    ("0.75", "\\frac{3}{4}", Y), ("\\frac{3}{4}", "0.75", Y), ("3/4", "0.75", Y),
    ("\\dfrac{3}{4}", "3/4", Y), ("\\tfrac34", "0.75", Y), ("\\frac{6}{8}", "\\frac{3}{4}", Y),
    ("-\\frac{1}{2}", "-0.5", Y), ("\\frac{-1}{2}", "-0.5", Y), ("\\frac{1}{2}", "-0.5", N),
    ("0.7", "\\frac{3}{4}", N), ("4/3", "3/4", N), ("0.333333", "\\frac{1}{3}", Y),
    ("0.33", "\\frac{1}{3}", N), ("0.3333333333", "1/3", Y), (".5", "0.5", Y),
    ("0.50", "1/2", Y), ("2.5", "\\frac{5}{2}", Y), ("2.05", "\\frac{5}{2}", N),
    # Rounding is not for a whole number (as in math-verify): before, 0 passed for a
    # reference of 0.0000001 and 2.0000004 for 2.
    ("\\frac{1}{0}", "1", N), ("1.0000001", "1", N), ("1.001", "1", N), ("1.0", "1", Y),
    ("0", "0.0000001", N), ("0", "1e-7", N), ("0.0000001", "0", N), ("3", "3.0000001", N),
    ("2.0000004", "2", N),
    # A decimal equals a number it is a correct rounding of, written to at least 6 places
    # with 2 significant digits, never with more places than the reference and different
    # (math-verify rounds both to 6 places: 0.5000001 and 0.0999999 passed for 1/2 and 0.1).
    ("0.5000001", "1/2", N), ("0.0999999", "0.1", N), ("0.1000004", "0.1", N),
    ("0.000001", "0.0000012", N), ("0.0000013", "0.0000012", N), ("0.166667", "1/6", Y),
    ("0.3333333", "0.333333", N), ("0.333333", "0.3333333", Y), ("1/3", "0.333333", Y),
    ("0.0000033", "3.25\\times10^{-6}", Y), ("1.3\\times10^{-6}", "0.0000012", N),
    # Nor for two numbers that both round to zero, nor in scientific notation (exact there,
    # as math-verify reads it): before, a wrong sign or the wrong power passed.
    ("0.0000002", "0.0000001", N), ("-0.000000001", "0.000000001", N),
    ("-3.25\\times10^{-8}", "3.25\\times10^{-8}", N),
    ("3.25\\times10^{-6}", "3.35\\times10^{-6}", N),
    ("\\frac{1}{8000000000}", "4.0\\times 10^{-9}", N), ("3.25\\times10^{-6}", "0.0000033", Y),
    ("(0, 2)", "(0.0000001, 2)", N), ("\\{2.0000004\\}", "\\{2\\}", N),
    # references math-verify reads and rewardkit read as their last number: a matrix with
    # spaces (its environment's name counted as a sentence word), a vector in angle
    # brackets, a cases system; before, the last entry alone passed
    ("\\begin{bmatrix}7\\\\0\\end{bmatrix}", "\\begin{pmatrix}7 \\\\ 0\\end{pmatrix}", Y),
    ("0", "\\begin{pmatrix}7 \\\\ 0\\end{pmatrix}", N),
    ("8", "\\begin{bmatrix} -8& 5& 8 \\end{bmatrix}", N),
    ("(8, 2)", "\\langle 8, 2 \\rangle", Y), ("2", "\\langle 8, 2 \\rangle", N),
    ("\\langle 2, 8\\rangle", "\\langle 8, 2 \\rangle", N),
    ("x=9, y=0", "\\begin{cases} x = 9 \\\\ y = 0 \\end{cases}", Y),
    ("0", "\\begin{cases} x = 9 \\\\ y = 0 \\end{cases}", N),
    ("y=0", "\\begin{cases} x = 9 \\\\ y = 0 \\end{cases}", N),
    # degrees and units math-verify's parser misses: °, \degree, ~ (an unbreakable space)
    ("122°", "122", Y), ("122\\degree", "122\\degree", Y), ("122°", "122°", Y),
    ("123°", "122^\\circ", N), ("541~\\text{kg}", "541", Y),
    ("541~\\text{kg}", "541~\\text{kg}", Y),
    # single letters joined by signs are algebra, not words
    ("-y+x", "x-y", Y), ("-(b-a)", "a-b", Y), ("y, x", "x, y", Y), ("x+y", "x-y", N),
    # word answers in any styling command, quotes or square brackets
    ("\\textit{No}", "\\text{No}", Y), ("\\mathit{No}", "No", Y), ('"No"', "No", Y),
    ("Yes", "\\emph{Yes}", Y), ("Yes", "{\\bf Yes}", Y), ("Yes", "\\text{\\textbf{Yes}}", Y),
    ("No", "\\emph{Yes}", N), ("2923", "\\underline{2923}", Y), ("2924", "\\underline{2923}", N),
    ("[A]", "A", Y), ("[B]", "(B)", Y), ("[A]", "B", N),
    # scientific notation
    ("1.5e3", "1500", Y), ("1.5E+3", "1500", Y), ("1.5\\times10^{3}", "1500", Y),
    ("1.5 \\times 10^3", "1500", Y), ("1.5\\cdot10^{3}", "1500", Y), ("2e-3", "0.002", Y),
    ("1.5e3", "150", N), ("6.02\\times10^{23}", "602000000000000000000000", Y),
    ("10^{-3}", "0.001", Y), ("10^{3}", "1000", Y), ("10^{3}", "100", N),
    # percentages (default: the sign may be dropped or applied)
    ("50\\%", "50", Y), ("50\\%", "0.5", Y), ("50%", "\\frac{1}{2}", Y), ("50", "50\\%", Y),
    ("0.5", "50\\%", Y), ("12.5\\%", "0.125", Y), ("40\\%", "0.5", N),
    # The sign is dropped only between whole numbers (as in math-verify): an answer off by a
    # factor of 100 the wrong way is wrong, and two percentages compare as written.
    ("12.5\\%", "12.5", N), ("0.5\\%", "50\\%", N), ("\\frac12\\%", "0.5", N),
    ("0.5\\%", "0.005", Y), ("5000", "50\\%", N), ("50\\%", "50\\%", Y),
    ("12 \\text{ percent}", "0.12", Y), ("12 percent", "12\\%", Y),
    # radicals, pi, constants
    ("2\\sqrt{2}", "\\sqrt{8}", Y), ("\\sqrt{8}", "2\\sqrt{2}", Y), ("\\sqrt{2}", "\\sqrt{3}", N),
    ("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}", Y),
    ("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", Y),
    ("\\sqrt{2}/2", "\\frac{\\sqrt{2}}{2}", Y), ("3\\sqrt{3}", "\\sqrt{27}", Y),
    ("\\sqrt{12}", "3\\sqrt{2}", N), ("2\\pi", "2\\pi", Y), ("\\pi", "3.14159", N),
    ("\\pi/2", "\\frac{\\pi}{2}", Y), ("\\frac{\\pi}{3}", "60^\\circ", N), ("2\\pi", "\\pi", N),
    ("\\cos(\\pi/3)", "\\frac{1}{2}", Y), ("e^{0}", "1", Y), ("\\infty", "\\infty", Y),
    ("\\ln(e^2)", "2", Y), ("\\log_2 8", "3", Y), ("2^{10}", "1024", Y), ("2^{10}", "1000", N),
    # expressions
    ("(x+1)^2", "x^2+2x+1", Y), ("x^2+2x+1", "(x+1)^2", Y), ("(x+1)^2", "x^2+1", N),
    ("x^2-1", "(x-1)(x+1)", Y), ("2x+2", "2(x+1)", Y), ("2x+3", "2(x+1)", N),
    ("\\frac{x}{2}", "0.5x", Y), ("\\frac{1}{x}", "x^{-1}", Y), ("y+1", "x+1", N),
    ("a^2b", "b a^2", Y), ("\\sin^2 x + \\cos^2 x", "1", Y), ("x**2 + 2*x + 1", "(x+1)^2", Y),
    ("-896*x**5 + 3584*x**4", "-896x^5+3584x^4", Y), ("3x", "3*x", Y), ("3x", "x^3", N),
    # equations (default: a value equals an assignment's right-hand side)
    ("x=3", "3", Y), ("3", "x=3", Y), ("x = 3", "x=3", Y), ("y=3", "x=3", N), ("x=4", "3", N),
    ("y=2x+1", "y=1+2x", Y), ("2x+1=y", "y=2x+1", Y), ("y=2x+1", "y=2x-1", N),
    ("x = \\frac{1}{2}", "0.5", Y), ("k=-2", "-2", Y),
    # sets, tuples, intervals, matrices
    ("\\{1,2\\}", "\\{2,1\\}", Y), ("\\{1,2\\}", "\\{1,3\\}", N),
    ("\\{1, 2, 3\\}", "\\{3,2,1\\}", Y),
    ("1, 2", "2, 1", Y), ("(1,2)", "(1,2)", Y), ("(2,1)", "(1,2)", N), ("(1, 2, 3)", "(1,2,3)", Y),
    ("(3,2,1)", "(1,2,3)", N), ("[1,2]", "[1, 2]", Y), ("[1,2)", "[1,2]", N), ("(1,2]", "(1,2]", Y),
    ("(-\\infty, 0)", "(-\\infty,0)", Y), ("(-\\infty, 0]", "(-\\infty,0)", N),
    ("[0,1]\\cup[2,3]", "[0,1] \\cup [2,3]", Y), ("x \\in [1,2]", "[1,2]", Y),
    ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", Y),
    ("\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", N),
    ("\\begin{pmatrix}0.5\\\\1\\end{pmatrix}", "\\begin{pmatrix}\\frac12\\\\1\\end{pmatrix}", Y),
    # text and choices
    ("\\text{Monday}", "Monday", Y), ("Monday", "monday", Y), ("Tuesday", "Monday", N),
    ("\\text{(C)}", "C", Y), ("(C)", "C", Y), ("C", "(C)", Y), ("B", "C", N),
    ("\\textbf{C}", "C", Y),
    ("\\text{no solution}", "No solution", Y),
    # Unicode (NFKC and friends)
    ("４２", "42", Y), ("\u22123", "-3", Y), ("1\u200b000", "1000", Y), ("３/４", "0.75", Y),
    ("\uff15\uff10\uff05", "0.5", Y), ("x\u00b2", "x^2", Y), ("2\u00d73", "6", Y),
    ("\u03c0", "\\pi", Y),
    # long numbers
    ("7" * 5000, "7" * 5000, Y), ("7" * 4999 + "8", "7" * 5000, N),
    ("1" + "0" * 3000, "10^{3000}", Y),
]

# (completion, reference, options label, expected reward, expected status)
WHOLE: list[tuple[str, Any, str, float, str]] = [
    # extraction forms
    ("We get 3/4. The answer is $\\frac{3}{4}$.", "0.75", "default", Y, "ok"),
    ("Natalia sold 72 clips.\n#### 72", "Natalia ... #### 72", "default", Y, "ok"),
    ("<think>48/2=24, 48+24=72</think><answer>72</answer>", "72", "default", Y, "ok"),
    ("<think>it is 70</think>\nThe answer is \\boxed{72}", 72, "default", Y, "ok"),
    ("<think>\\boxed{72}</think>\nThe answer is \\boxed{70}", 72, "default", N, "ok"),
    ("<think>\\boxed{72}</think>", 72, "default", Y, "ok"),
    ("<think>\\boxed{72}</think>", 72, "no_think", N, "ok"),
    ("So she has 18 dollars left.", "18", "default", Y, "ok"),
    ("So she has 18 dollars left.", "18", "boxed_only", N, "ok"),
    ("Final answer: 5", "5", "default", Y, "ok"),
    ("step one\nstep two\n\n12", "12", "default", Y, "ok"),
    ("\\fbox{12}", "12", "default", Y, "ok"),
    ("MATH solution", "So the area is $\\boxed{12}$.", "default", N, "ok"),
    ("area \\boxed{12}", "So the area is $\\boxed{12}$.", "default", Y, "ok"),
    ([{"role": "user", "content": "q"}, {"role": "assistant", "content": "\\boxed{4}"}], "4",
     "default", Y, "ok"),
    # references given as numbers
    ("\\boxed{0.1}", 0.1, "default", Y, "ok"), ("\\boxed{3}", 3, "default", Y, "ok"),
    ("\\boxed{2}", 3, "default", N, "ok"),
    # missing answers
    ("I don't know.", "5", "default", N, "ok"),
    ("I don't know.", "5", "skip_missing", N, "skipped"),
    ("", "5", "default", N, "ok"),
    # options: equations
    ("\\boxed{x=3}", "3", "strict_eq", N, "ok"), ("\\boxed{x=3}", "x=3", "strict_eq", Y, "ok"),
    ("\\boxed{3}", "3", "strict_eq", Y, "ok"), ("\\boxed{3}", "x = 3", "strict_eq", N, "ok"),
    # options: percentages
    ("\\boxed{50\\%}", "50", "pct_value", Y, "ok"), ("\\boxed{50\\%}", "0.5", "pct_value", N, "ok"),
    ("\\boxed{50\\%}", "0.5", "pct_fraction", Y, "ok"),
    ("\\boxed{50\\%}", "50", "pct_fraction", N, "ok"),
    # options: tolerance (partial credit)
    ("\\boxed{101}", "100", "tol", Y, "ok"), ("\\boxed{102}", "100", "tol", N, "ok"),
    ("\\boxed{3.1416}", "\\pi", "tol", Y, "ok"), ("\\boxed{10.4}", "10", "abs_tol", 0.5, "ok"),
    ("\\boxed{10}", "10", "abs_tol", Y, "ok"), ("\\boxed{10.6}", "10", "abs_tol", N, "ok"),
    # options: variables
    ("\\boxed{y+1}", "x+1", "loose_vars", Y, "ok"),
    # references that cannot be used
    ("\\boxed{1}", "\\frac{1}{", "default", N, "error"), ("\\boxed{1}", "", "default", N, "error"),
    ("\\boxed{1}", "   ", "default", N, "error"),
    # a list is several acceptable answers (issue 11), no longer a type error
    ("\\boxed{1}", ["1"], "default", Y, "ok"), ("\\boxed{1}", [{"a": 1}], "default", N, "error"),
    ("\\boxed{1}", None, "default", N, "skipped"), ("\\boxed{1}", True, "default", N, "error"),
    # NaN is a missing value (pandas), never the answer "nan"; infinity is \infty
    ("\\boxed{nan}", float("nan"), "default", N, "skipped"),
    ("\\boxed{nan}", [float("nan"), "2"], "default", N, "ok"),
    ("\\boxed{2}", [float("nan"), "2"], "default", Y, "ok"),
    ("\\boxed{\\infty}", float("inf"), "default", Y, "ok"),
    ("\\boxed{\\infty}", float("-inf"), "default", N, "ok"),
    ("\\boxed{1}", "\\sqrt{", "default", N, "error"),
    ("\\boxed{1}", "9" * 20_000, "default", N, "error"),
]


def _boxed_cases() -> list[tuple[str, Any, str, float, str]]:
    return [(f"The final result is \\boxed{{{answer}}}.", ref, "default", want, "ok")
            for answer, ref, want in BOXED]


def _gym_cases() -> list[tuple[str, Any, str, float, str]]:
    """Equal and unequal answers to reasoning-gym questions (fixed seeds, offline)."""
    reasoning_gym = pytest.importorskip("reasoning_gym")
    cases: list[tuple[str, Any, str, float, str]] = []
    datasets = ["basic_arithmetic", "chain_sum", "products", "gcd", "lcm", "simple_equations",
                "fraction_simplification", "decimal_chain_sum", "gsm_symbolic", "leg_counting",
                "polynomial_equations", "polynomial_multiplication", "complex_arithmetic"]
    for name in datasets:
        for entry in itertools.islice(reasoning_gym.create_dataset(name, size=6, seed=7), 6):
            answer = str(entry["answer"])
            equal, unequal = _variants(answer)
            cases.append((f"Let me think.\n\\boxed{{{equal}}}", answer, "default", Y, "ok"))
            cases.append((f"The answer is {answer}", answer, "default", Y, "ok"))
            cases.append((f"\\boxed{{{unequal}}}", answer, "default", N, "ok"))
    return cases


def _variants(answer: str) -> tuple[str, str]:
    """Another way to write ``answer``, and a wrong answer of the same shape."""
    plain = answer.strip("$")
    if re.fullmatch(r"-?\d+", plain):
        value = int(plain)
        return f"{value:,}", str(value + 1)
    if re.fullmatch(r"-?\d+/\d+", plain):
        top, bottom = plain.split("/")
        return f"\\frac{{{top}}}{{{bottom}}}", f"\\frac{{{bottom}}}{{{top}}}"
    if re.fullmatch(r"-?\d+\.\d+", plain):
        return plain + "0", f"{float(plain) + 0.01:.4f}"
    if "i" in plain and "x" not in plain:  # complex numbers: a + bi
        return plain.replace(" ", ""), plain.replace("+", "#").replace("-", "+").replace("#", "-")
    if "x" in plain:  # polynomials
        return plain.replace("**", "^").replace("*", ""), plain + " + 1"
    parts = [p.strip() for p in plain.split(",")]  # sets of roots
    return ", ".join(reversed(parts)), ", ".join([*parts[:-1], "99"])


CASES = _boxed_cases() + WHOLE
IDS = [f"{i}:{c[0][-40:]!r}~{str(c[1])[:30]!r}" for i, c in enumerate(CASES)]


@pytest.fixture(scope="module")
def scored() -> dict[int, Any]:
    """Every case of the module, scored in one batch: case index → Result."""
    cases = CASES + _gym_cases()
    specs = [{"name": "math", "label": label, "options": opts} for label, opts in OPTIONS.items()]
    samples = [Sample(completion=c, reference=r, metadata={"opts": label, "case": i})
               for i, (c, r, label, _, _) in enumerate(cases)]
    engine = RewardEngine(specs, plugin_manager=make_plugin_manager(), route_by="opts",
                          workers=2)
    with engine:
        scores = engine.score(samples)
    return {i: (cases[i], score.results[0]) for i, score in enumerate(scores)}


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_case(scored, index):
    _check(*scored[index])


def test_reasoning_gym_cases(scored):
    gym = [scored[i] for i in range(len(CASES), len(scored))]
    assert len(gym) >= 150
    failures = [f"{case!r} -> {result.reward} {result.reason}" for case, result in gym
                if result.reward != case[3] or result.status != case[4]]
    assert not failures, "\n".join(failures)


def test_table_is_large_enough(scored):
    assert len(scored) >= 300
    assert sum(1 for case, _ in scored.values() if case[3] == 0) >= 100  # unequal ones too


def _check(case: tuple[Any, ...], result: Any) -> None:
    _, _, _, reward, status = case
    assert (result.reward, result.status.value) == (reward, status), result.reason


def test_details_say_what_matched(score_sample):
    result = score_sample("math", "so \\boxed{\\frac{3}{4}}", reference="0.75")
    assert result.details["extracted"] == "\\frac{3}{4}"
    assert result.details["extraction"] == "boxed"
    assert result.details["reference"] == "0.75"
    assert result.details["match"] == "numeric"
    assert "equal" in result.reason
    wrong = score_sample("math", "so \\boxed{2}", reference="3")
    assert wrong.reason.startswith("not equal") and wrong.details["extracted"] == "2"


def test_bad_options_are_rejected(make_engine):
    with pytest.raises(ValueError, match="extraction"):
        make_engine([{"name": "math", "options": {"extraction": "everything"}}])
    with pytest.raises(ValueError, match="no_such_option"):
        make_engine([{"name": "math", "options": {"no_such_option": 1}}])
