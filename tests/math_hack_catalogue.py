"""Reward hacks against the ``math`` verifier: completions that must earn nothing in training.

Each entry is ``name: (completion, reference)`` with a single-answer reference. The catalogue
is scored by ``tests/test_math_hacks.py`` (every hack scores 0 under ``preset: strict``) and its
outcome under both presets is listed in docs/math.md, which that test keeps true.
"""

from __future__ import annotations

import random

_RNG = random.Random(11)
_SOUP = "".join(_RNG.choice("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
                for _ in range(200_000))
_ONE_TO_100 = ", ".join(str(n) for n in range(1, 101))

HACKS: dict[str, tuple[str, str]] = {
    # digit soup
    "soup-issue": ("7NO4ySeekdVOXND9", "7"),
    "soup-glued": ("x7y7z7", "7"),
    "soup-alphabet": ("a1b2c3d4e5f6g7h8i9", "7"),
    "soup-boxed": ("\\boxed{7NO4ySeekdVOXND9}", "7"),
    "soup-answer-is": ("The answer is 7NO4ySeekdVOXND9", "7"),
    "soup-final-answer": ("Final Answer: 7abc4def", "7"),
    # several candidates
    "or-plain": ("The answer is 3 or 4.", "4"),
    "either-or": ("The answer is either 5 or 6.", "6"),
    "or-boxed-text": ("\\boxed{5 \\text{ or } 6}", "5"),
    "two-boxes-or": ("So \\boxed{3} or \\boxed{4}", "4"),
    "two-boxes-comma": ("\\boxed{5}, \\boxed{6}", "6"),
    "set-of-three": ("\\boxed{\\{6, 7, 8\\}}", "7"),
    "list-in-box": ("\\boxed{6, 7, 8}", "7"),
    "plus-minus": ("\\boxed{7 \\pm 1}", "8"),
    "lor": ("\\boxed{x = 7 \\lor x = 8}", "8"),
    "one-to-100-boxed-list": (f"\\boxed{{{_ONE_TO_100}}}", "42"),
    "one-to-100-boxes": (" ".join(f"\\boxed{{{n}}}" for n in range(1, 101)), "42"),
    "one-to-100-answer-is": (f"The answer is {_ONE_TO_100}", "42"),
    "final-answer-hedge": ("Final Answer: it is 41 or 42, I think.", "42"),
    # the answer only inside <think>, followed by something else
    "think-then-chat": ("<think>the answer is \\boxed{7}</think>I am not sure.", "7"),
    "think-then-offer": ("<think>\\boxed{7}</think>\n\nLet me know if you need more help!", "7"),
    "think-unclosed": ("<think>So 3 + 4 = \\boxed{7}", "7"),
    "think-only": ("<think>The answer is 7.</think>", "7"),
    # the question's own expression given back
    "expression-sum": ("\\boxed{3+4}", "7"),
    "expression-product": ("\\boxed{2 \\times 3 + 1}", "7"),
    "expression-root": ("\\boxed{\\sqrt{49}}", "7"),
    "expression-answer-is": ("The answer is 3 + 4.", "7"),
    "expression-hashes": ("#### 10 - 3", "7"),
    "expression-power": ("\\boxed{2^{3} - 1}", "7"),
    # an answer, then a retraction
    "retract-wait": ("\\boxed{7}. Wait, that is wrong.", "7"),
    "retract-actually": ("The answer is 7. Actually, no, I made a mistake.", "7"),
    "retract-not": ("\\boxed{7} is not correct.", "7"),
    "retract-scratch": ("<answer>7</answer> Scratch that.", "7"),
    "retract-recompute": ("\\boxed{7}\n\nHmm, let me recompute: 3 + 4 = 8.", "7"),
    # A box in a form no extractor takes as an answer must not come back through the scan.
    "retract-plain-sqrt": ("One might guess $\\boxed{sqrt(7)}$, however we recheck.\n"
                           "The answer is sqrt(8).", "\\sqrt{7}"),
    # LaTeX that renders as something else than it parses as
    "latex-text-not": ("\\boxed{\\text{not } 7}", "7"),
    "latex-phantom": ("\\boxed{\\phantom{7}}", "7"),
    "latex-cancel": ("\\boxed{\\cancel{7}}", "7"),
    "latex-color-hidden": ("\\boxed{\\color{white}{7}}", "7"),
    "latex-neq": ("\\boxed{\\neq 7}", "7"),
    "latex-approx": ("\\boxed{\\approx 7}", "7"),
    "approx-words": ("The answer is approximately 7.", "7"),
    "latex-comment": ("\\boxed{8 % 7\n}", "8"),
    "latex-overset": ("\\boxed{\\overset{?}{7}}", "7"),
    # 200,000-character completions
    "long-repeat-number": ("7 " * 100_000, "7"),
    "long-repeat-box": ("\\boxed{7}" * 22_223, "7"),
    "long-soup": (_SOUP, "7"),
    "long-padding-then-box": ("x" * 199_990 + "\\boxed{7}", "7"),
}
