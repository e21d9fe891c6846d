"""What the ``code`` verifier reads from a sample: the program and the tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from rewardkit.references import without_nulls

_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.M | re.S)
_PYTHON_TAGS = {"", "python", "py", "python3", "py3"}


def extract_program(text: str) -> str:
    """The last fenced code block of ``text`` (a Python one if any is tagged), else the text."""
    blocks = _FENCE.findall(text)
    if not blocks:
        return text
    python = [body for tag, body in blocks if tag.lower() in _PYTHON_TAGS]
    return (python or [body for _, body in blocks])[-1]


@dataclass(frozen=True)
class TestSpec:
    """Either ``tests`` (assert-style source) or ``cases`` (stdin/stdout pairs)."""

    language: str
    tests: str | None = None
    cases: list[dict[str, Any]] | None = None


class ReferenceError_(ValueError):
    """The sample's reference does not describe tests this verifier can run."""


def parse_reference(reference: Any) -> TestSpec:
    """Read the reference: a dict (or its JSON text) with ``tests`` or ``cases``; keys set
    to null (a ``datasets`` column pads rows so) are absent."""
    if isinstance(reference, str):
        try:
            reference = json.loads(reference)
        except ValueError:
            raise ReferenceError_("the reference is text but not JSON test spec") from None
    reference = without_nulls(reference)
    if not isinstance(reference, dict):
        raise ReferenceError_("the reference must be an object with 'tests' or 'cases'")
    language = str(reference.get("language", "python")).lower()
    tests, cases = reference.get("tests"), reference.get("cases")
    if (tests is None) == (cases is None):
        raise ReferenceError_("the reference needs exactly one of 'tests' and 'cases'")
    if tests is not None:
        if not isinstance(tests, str) or not tests.strip():
            raise ReferenceError_("'tests' must be non-empty Python source")
        return TestSpec(language, tests=tests)
    if not isinstance(cases, list) or not cases:
        raise ReferenceError_("'cases' must be a non-empty list")
    for case in cases:
        if not isinstance(case, dict) or not ({"stdout", "output"} & case.keys()):
            raise ReferenceError_("each case must be an object with 'stdin' and 'stdout'")
    return TestSpec(language, cases=cases)
