"""Reference answers: several acceptable ones (a list), each extracted like a completion.

A reference is read exactly as a completion is: its closing group of boxes, an ``<answer>``
tag, "the answer is ...", ``####``; else its whole text when that is an answer; else what
math-verify's own scan finds in it. A Python list, or a string holding a JSON list of
strings, is several acceptable answers: the completion is right when it equals any one.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from rewardkit.verifiers.math.boxes import LATEX_SPACE, TEXT_WRAP
from rewardkit.verifiers.math.equivalence import is_answer, scan
from rewardkit.verifiers.math.extraction import Extraction, candidates, strip_answer

# Top-level separators of a reference with several answers ("1, 2", "x = 1 \text{ or } x = 2").
_SEVERAL = re.compile(r",|;|\\pm|\\mp|\b(?:and|or)\b")
_OPEN, _CLOSE = "([{", ")]}"
# Two numbers joined by one comma that cannot separate thousands ("3,5", "1000,99").
_DECIMAL_COMMA = re.compile(r"(?!-?[1-9]\d{0,2},\d{3}$)-?\d+,\d+")
_LATEX = re.compile(r"\$|\\[(\[]|\\boxed|\\fbox")
_NUMBER_WITH_COMMA = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+|\d+,\d+")


def reference_texts(reference: object) -> list[str] | None:
    """The acceptable reference answers as text; None when the type cannot be one."""
    if isinstance(reference, list | tuple):
        # A NaN among several answers is a missing one (pandas), not the answer "nan".
        texts = [reference_text(item) for item in reference
                 if not (isinstance(item, float) and math.isnan(item))]
        if not texts or any(text is None for text in texts):
            return None
        return [text for text in texts if text is not None]
    text = reference_text(reference)
    if text is None:
        return None
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]") and '"' in stripped:
        try:
            items = json.loads(stripped)
        except ValueError:
            return [text]
        # Only a list of strings: "[1, 2]" is the closed interval it reads as.
        if isinstance(items, list) and items and all(isinstance(i, str) for i in items):
            return items
    return [text]


def reference_text(reference: object) -> str | None:
    """A reference as text: strings as they are, numbers written out; None otherwise."""
    if isinstance(reference, str):
        return reference
    if isinstance(reference, bool):
        return None
    if isinstance(reference, int | Decimal | Fraction):
        return str(reference)
    if isinstance(reference, float):
        if math.isinf(reference):
            return "\\infty" if reference > 0 else "-\\infty"
        return None if math.isnan(reference) else repr(reference)
    return None


def extract_reference(text: str) -> Extraction:
    """The answer in one reference text, found as in a completion (see the module)."""
    for found in candidates(text):
        if all(is_answer(part, found.method == "boxed") for part in found.parts or
               (found.answer,)):
            return _latex_comma(text, found)
    whole = strip_answer(text)
    if not whole or is_answer(whole):
        return _latex_comma(text, Extraction(whole, "text"))
    parsed, matched = scan(text)
    if not matched and not parsed:
        return Extraction(whole, "text")
    return Extraction(matched or whole, "full_parse", parsed=parsed)


def _latex_comma(text: str, found: Extraction) -> Extraction:
    """A reference written in LaTeX (``$3,5$``, ``\\boxed{3,5}``) whose answer is two numbers
    joined by a comma that cannot separate thousands is those two numbers, as math-verify's
    LaTeX parser reads it (the solutions 3 and 5, not 3.5). Plain text ("1,22") keeps the
    decimal comma, as math-verify reads plain text."""
    if _DECIMAL_COMMA.fullmatch(found.answer) and _LATEX.search(text):
        return replace(found, answer=found.answer.replace(",", ", "))
    return found


def several_answers(reference: Extraction) -> bool:
    """Whether a reference holds several answers together (a set of solutions): a group of
    boxes, items separated at the top level ("1, 2", "(2, 2), (6, 2)"), or a ``\\{...\\}``
    set of several; a tuple or interval such as ``(1, 2)`` is one answer."""
    return len(reference.parts) > 1 or lists_several(reference.answer)


def lists_several(answer: str) -> bool:
    """Whether an answer lists several items at its top level (see :func:`several_answers`)."""
    # A thin space (\,) is spacing, not a comma: "305 \, \mathrm{cm}" is one answer.
    text = LATEX_SPACE.sub(" ", TEXT_WRAP.sub(r" \1 ", answer.strip())).strip()
    in_set = False
    for left, right in (("\\{", "\\}"), ("{", "}")):
        if text.startswith(left) and text.endswith(right):
            text = text[len(left):-len(right)]
            in_set = True  # in a set a comma separates elements: {1,2} is no decimal 1.2
            break
    depth = 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif depth == 0 and char in ",;\\ao" and _SEVERAL.match(text, i) \
                and (char != "," or in_set or _is_list_comma(text, i)):
            return True
    return False


def _is_list_comma(text: str, i: int) -> bool:
    """Whether the comma at ``i`` separates items: not when the digits and commas around it
    form one number ("1,000", "1,22"); "1,2,3" is a list."""
    start, end = i, i + 1
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == ","):
        start -= 1
    while end < len(text) and (text[end].isdigit() or text[end] == ","):
        end += 1
    return _NUMBER_WITH_COMMA.fullmatch(text[start:end]) is None
