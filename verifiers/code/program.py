"""What the ``code`` verifier reads from a sample: the program and the tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rewardkit.json_text import lone_surrogate
from rewardkit.references import structured_reference
from rewardkit.verifiers.code.checkers import CHECKERS, CheckerKind, float_tolerance

#: Characters of a completion the parser reads at most; a longer one is not parsed (a policy
#: stuck in a repetition loop writes megabytes) and the harness refuses to run it.
MAX_COMPLETION = 1 << 20
#: A line that may open or close a fence: matched only at line starts, so the scan is linear.
_FENCE_LINE = re.compile(r"^[ \t]*```([^\n]*)", re.M)
_TAG = re.compile(r"[ \t]*([\w+#.-]*)")
_PYTHON_TAGS = {"", "python", "py", "python3", "py3"}


def extract_program(text: str, tags: frozenset[str] | set[str] = _PYTHON_TAGS) -> str:
    """The last fenced code block of ``text`` (one tagged with ``tags``, Python's by default,
    if any is), else the text.

    A block opens at a line starting with three backticks and an optional language tag, and
    ends at the next line holding only three backticks. One pass over the fence lines: linear
    in ``len(text)``, which is capped at :data:`MAX_COMPLETION` (a longer text is returned
    whole, unparsed, and then refused by the harness for its size).
    """
    if len(text) > MAX_COMPLETION:
        return text
    last: str | None = None  # the last block's body
    last_python: str | None = None  # the last Python block's body
    tag: str | None = None  # the open block's tag, None outside a block
    body_start = 0
    for match in _FENCE_LINE.finditer(text):
        rest = match.group(1)
        if tag is not None and not rest.strip(" \t"):  # a closing line: only the backticks
            last = text[body_start:match.start()]
            if tag.lower() in tags:
                last_python = last
            tag = None
        elif tag is None and match.end() < len(text):  # an opening line needs a line after it
            tag = _TAG.match(rest).group(1)  # type: ignore[union-attr]
            body_start = match.end() + 1
    if last_python is not None:
        return last_python
    return text if last is None else last


def fence_language(text: str) -> str:
    """The tag of the completion's last fenced block (lower case), or "" when it has none."""
    if len(text) > MAX_COMPLETION:
        return ""
    tag: str | None = None
    last = ""
    for match in _FENCE_LINE.finditer(text):
        rest = match.group(1)
        if tag is not None and not rest.strip(" \t"):
            last, tag = tag, None
        elif tag is None and match.end() < len(text):
            tag = _TAG.match(rest).group(1).lower()  # type: ignore[union-attr]
    return last


@dataclass(frozen=True)
class TestSpec:
    """Either ``tests`` (assert-style source) or ``cases`` (stdin/stdout pairs)."""

    language: str
    tests: str | None = None
    cases: list[dict[str, Any]] | None = None
    explicit: bool = True  #: the reference named the language
    #: how the cases' output is compared, where the reference says (``checker``,
    #: ``float_tolerance``); None: the verifier's options say
    checker: CheckerKind | None = None
    float_tolerance: float | None = None


class ReferenceError_(ValueError):
    """The sample's reference does not describe tests this verifier can run."""


def parse_reference(reference: Any) -> TestSpec:
    """Read the reference: a dict (or its JSON text) with ``tests`` or ``cases``; keys set
    to null (a ``datasets`` column pads rows so) are absent."""
    reference = structured_reference(reference)
    if isinstance(reference, str):
        raise ReferenceError_("the reference is text but not a JSON test spec")
    if not isinstance(reference, dict):
        raise ReferenceError_("the reference must be an object with 'tests' or 'cases'")
    # No language: Python, unless the completion's fence tag names another (the verifier's
    # choice, ``explicit`` is then False).
    explicit = bool(reference.get("language"))
    language = str(reference.get("language") or "python").lower()
    tests, cases = reference.get("tests"), reference.get("cases")
    if tests is None and cases is None:
        cases = _parallel_cases(reference)
    if (tests is None) == (cases is None):
        raise ReferenceError_("the reference needs exactly one of 'tests' and 'cases'")
    checker, tolerance = reference.get("checker"), reference.get("float_tolerance")
    if tests is not None:
        if not isinstance(tests, str) or not tests.strip():
            raise ReferenceError_("'tests' must be non-empty Python source")
        if checker is not None or tolerance is not None:
            raise ReferenceError_("'checker' and 'float_tolerance' apply to I/O 'cases', "
                                  "not to 'tests'")
        if lone_surrogate(tests) is not None:
            raise ReferenceError_("'tests' holds a lone surrogate, which is not Unicode text")
        return TestSpec(language, tests=tests, explicit=explicit)
    if not isinstance(cases, list) or not cases:
        raise ReferenceError_("'cases' must be a non-empty list")
    for index, case in enumerate(cases):
        if not isinstance(case, dict) or not ({"stdout", "output"} & case.keys()):
            raise ReferenceError_("each case must be an object with 'stdin' and 'stdout'")
        for key in ("stdin", "input", "stdout", "output"):
            # str() of a list or a bool is no input or output a data set meant: a right
            # program would read as wrong.
            value = case.get(key)
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                raise ReferenceError_(f"case {index}: {key!r} must be text (or a number), "
                                      f"not {type(value).__name__}")
    bad = lone_surrogate(cases)
    if bad is not None:  # a case no program could be given, or print
        raise ReferenceError_(f"a case holds the lone surrogate \\u{ord(bad):04x}, which is not "
                              "Unicode text")
    if checker is not None and checker not in CHECKERS:
        raise ReferenceError_(f"'checker' must be one of {', '.join(CHECKERS)}")
    if tolerance is not None:
        tolerance = float_tolerance(tolerance)
        if tolerance is None:
            raise ReferenceError_("'float_tolerance' must be a number between 0 and 1")
    return TestSpec(language, cases=cases, explicit=explicit, checker=checker,
                    float_tolerance=tolerance)


def _parallel_cases(reference: dict[str, Any]) -> list[dict[str, Any]] | None:
    """I/O cases kept as parallel lists, as APPS, TACO and CodeContests keep them:
    ``inputs`` and ``outputs`` (or ``input`` and ``output``), beside the language or under
    ``input_output`` (an object, or APPS's JSON text of one). None when there are none."""
    source: Any = reference
    nested = reference.get("input_output")
    if nested is not None:
        source = structured_reference(nested)
        if not isinstance(source, dict):
            raise ReferenceError_("'input_output' must be an object with 'inputs' and 'outputs'")
    inputs = source.get("inputs", source.get("input"))
    outputs = source.get("outputs", source.get("output"))
    if inputs is None and outputs is None:
        return None
    if source.get("fn_name"):
        raise ReferenceError_("call-based tests ('fn_name') are not supported: give 'tests' "
                              "(assert style) or stdin/stdout cases")
    if not (isinstance(inputs, list) and isinstance(outputs, list)) or not inputs \
            or len(inputs) != len(outputs):
        raise ReferenceError_("'inputs' and 'outputs' must be non-empty lists of one length")
    if not all(isinstance(text, str) for text in (*inputs, *outputs)):
        raise ReferenceError_("each of 'inputs' and 'outputs' must be text")
    return [{"stdin": stdin, "stdout": stdout} for stdin, stdout in zip(inputs, outputs)]
