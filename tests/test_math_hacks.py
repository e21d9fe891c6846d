"""The reward-hack catalogue (tests/math_hack_catalogue.py) against the ``math`` verifier.

Under ``preset: strict`` (the training preset, and the TRL default) every hack scores 0;
docs/math.md lists what each hack gets under both presets, and this test keeps it true.
Before issue 11 the default scored several of them 1.0: ``7NO4ySeekdVOXND9`` for ``3+4=``
through math-verify's scan, ``\\boxed{3+4}``, an answer followed by a retraction, and the
200,000-character ones; with only the last box taken, ``\\boxed{3} or \\boxed{4}`` passed
against 4.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from math_hack_catalogue import HACKS

from rewardkit import RewardEngine, Sample, make_plugin_manager

DOC = Path(__file__).resolve().parent.parent / "docs" / "math.md"
PRESETS = ("strict", "lenient")


@pytest.fixture(scope="module")
def scored() -> dict[str, dict[str, Any]]:
    """name → preset → Result, every hack scored once per preset in one batch."""
    specs = [{"name": "math", "label": p, "options": {"preset": p}} for p in PRESETS]
    samples = [Sample(completion=c, reference=r) for c, r in HACKS.values()]
    with RewardEngine(specs, plugin_manager=make_plugin_manager(), workers=2) as engine:
        scores = engine.score(samples)
    return {name: dict(zip(PRESETS, score.results))
            for name, score in zip(HACKS, scores)}


def test_catalogue_is_large_and_varied():
    assert len(HACKS) >= 30
    families = {name.split("-")[0] for name in HACKS}
    assert {"soup", "or", "think", "expression", "retract", "latex", "long"} <= families
    assert sum(1 for c, _ in HACKS.values() if len(c) >= 199_000) >= 3


@pytest.mark.parametrize("name", sorted(HACKS))
def test_hack_scores_zero_under_strict(scored, name):
    result = scored[name]["strict"]
    assert result.reward == 0.0, result.reason
    assert result.status.value == "ok", result.reason


def test_docs_list_every_hack_with_what_it_gets(scored):
    rows = re.findall(r"^\| `([\w-]+)` \| .* \| ([^|]+) \| ([\d.]+) \| ([\d.]+) \|$",
                      DOC.read_text(encoding="utf-8"), re.MULTILINE)
    documented = {name: (says, float(strict), float(lenient))
                  for name, says, strict, lenient in rows}
    # "strict says" is the reason's note: "not equal (strict): <note>" → "<note>".
    actual = {name: (r["strict"].reason.split("): ", 1)[-1], r["strict"].reward,
                     r["lenient"].reward) for name, r in scored.items()}
    assert documented == actual


def test_honest_answers_still_score_under_strict(make_engine):
    """The strict checks refuse the hacks, not the usual ways of answering."""
    honest = [
        ("So the total is $\\boxed{7}$.", "7"),
        ("Therefore the answer is $\\boxed{18 \\text{ dollars}}$. I hope it is correct.", "18"),
        ("<think>3 + 4 = 7</think>\nThe answer is \\boxed{7}", "7"),
        ("\\boxed{x = 7}", "7"),
        ("\\boxed{\\frac{3}{4}}", "0.75"),
        ("Final Answer: The largest $n$ is 34.", "34"),
        ("\\boxed{1} and \\boxed{2}", "\\{1, 2\\}"),
        ("<answer>42</answer>", "42"),
        ("work...\n#### 1,234", "1234"),
        ("\\boxed{(x+1)^2}", "x^2+2x+1"),
        ("The roots are $\\boxed{\\pm 2}$.", "\\pm 2"),
        # A fraction names one number, a unit word is no second answer, and a bold
        # "Final Answer" heading anchors the line after it.
        ("Final Answer: The ratio is $\\frac{5}{7}$.", "\\frac{5}{7}"),
        ("So 3 + 4 = 7. Final Answer: -3/4 meters", "-\\frac{3}{4}"),
        ("Then 7 * 18 = 58. **Final Answer**\n\n5/7", "\\frac{5}{7}"),
        ("The answer is 12 square feet.", "12"),
        # A thin space is no list comma, and styling shows the number as it is.
        ("**Answer:** $305 \\, \\mathrm{cm}$", "305"),
        ("Thus the answer is $\\boxed{248 \\, \\mathrm{cm}}$.", "248"),
        ("**Answer:** $\\mathbf{840}$", "840"),
        ("The answer is $\\boxed{7\\text{cm}}$.", "7"),  # a unit glued on, then styling
        ("The answer is $\\boxed{7 \\text{ sq. m}}$.", "7"),
    ]
    engine = make_engine([{"name": "math", "options": {"preset": "strict"}}], workers=2)
    scores = engine.score([Sample(completion=c, reference=r) for c, r in honest])
    assert [s.reward for s in scores] == [1.0] * len(honest), \
        [s.results[0].reason for s in scores]
