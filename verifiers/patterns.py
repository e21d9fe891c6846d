"""``patterns``: a built-in ``classify_pattern`` for common patterns of math reasoning.

Labels, first match wins:

- ``code_assisted``: the completion writes code (a fenced block, ``def``/``import``/``print(``);
- ``self_verification``: it checks or revises its own work ("let me verify", "wait,",
  "plugging back in", "that's wrong");
- ``case_analysis``: it splits the problem into cases ("case 1", "two cases", "if n is even");
- ``step_by_step``: at least two reasoning lines or explicit steps ("Step 1", "First, ...");
- ``direct``: just the answer (a number or an answer marker), with at most a short line.

Anything else is left to the next plugin (and counted as ``other``). The hook is ``trylast``,
so a project's own classifier, registered as any plugin, is asked first.
"""

from __future__ import annotations

import re

from rewardkit import Result, Sample, hookimpl

_CODE = re.compile(r"```|^\s*(?:def |import |from \w+ import |print\()", re.M)
_VERIFY = re.compile(
    r"\b(?:let me (?:double[- ])?(?:check|verify|re-?check|recheck|confirm)|let's (?:double[- ])?"
    r"(?:check|verify|confirm)|double[- ]check|to verify|verif(?:y|ying|ication)\b|sanity check|"
    r"plug(?:ging)? (?:it |this |these )?back|substitut\w* back|check(?:ing)?:|"
    r"wait[,.!]|hmm[,.]|that'?s (?:not right|wrong|incorrect)|i made a mistake|on second thought|"
    r"re-?examine|let me reconsider)",
    re.I,
)
_CASES = re.compile(
    r"\b(?:case\s*(?:\d+|[ivx]+|[a-c])\b|(?:two|three|four|both|all|several) cases|"
    r"in the (?:first|second|other) case|if \w+ is (?:even|odd|positive|negative|zero)\b|"
    r"(?:sub)?cases?:)",
    re.I,
)
_STEP = re.compile(
    r"^\s*(?:step\s*\d+|\d+[.)]\s|[-*]\s|first(?:ly)?,|second(?:ly)?,|then,?|next,?|finally,?)",
    re.I | re.M,
)
# Lines that only state the final answer: not reasoning.
_ANSWER_LINE = re.compile(r"^\s*(?:####|the (?:final )?answer is|answer:|\\boxed|<answer>)",
                          re.I)
_STATES_ANSWER = re.compile(r"\d|####|\\boxed|<answer>|\banswer\b", re.I)
#: Longest text, in words, still counted as a direct answer.
DIRECT_WORDS = 25


@hookimpl(trylast=True)
def classify_pattern(sample: Sample, result: Result) -> str | None:
    return classify(sample.completion_text)


def classify(text: str) -> str | None:
    """The pattern label of one completion's text, or None when none fits."""
    text = text.strip()
    if not text:
        return None
    if _CODE.search(text):
        return "code_assisted"
    if _VERIFY.search(text):
        return "self_verification"
    if _CASES.search(text):
        return "case_analysis"
    reasoning = [line for line in text.splitlines()
                 if line.strip() and not _ANSWER_LINE.match(line)]
    if len(_STEP.findall(text)) >= 2 or len(reasoning) >= 2:
        return "step_by_step"
    # A short text is a direct answer only if it states one ("I don't know." is not).
    if len(text.split()) <= DIRECT_WORDS and _STATES_ANSWER.search(text):
        return "direct"
    return None
