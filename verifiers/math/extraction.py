"""Finding the final answer in a completion (or a reference solution): plain string work.

Nothing here imports sympy or parses mathematics, and every scan is linear in the text, so
extraction stays cheap even on 30,000-character completions or 20,000 unclosed ``\\boxed{``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

#: Where an answer was found; ``full_parse`` is math-verify's own scan (done in equivalence).
Method = Literal["boxed", "answer_tag", "answer_is", "hashes", "final_line", "text"]
ExtractionMode = Literal["auto", "boxed", "answer_tag", "answer_is", "hashes", "final_line"]

#: The order ``auto`` tries the anchored extractors in; the final line comes last.
AUTO_ORDER: tuple[Method, ...] = ("boxed", "answer_tag", "answer_is", "hashes", "final_line")

# Characters NFKC leaves alone but that mean something plain in an answer.
_TRANSLATE = str.maketrans({
    "\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\ufe63": "-",  # minus, dashes
    "\u00d7": "\\times ", "\u22c5": "\\cdot ", "\u00b7": "\\cdot ", "\u00f7": "\\div ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,  # zero width
    "\u00ad": None,  # soft hyphen
})

_SUPERSCRIPT = re.compile("[\u207b\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
_SUPERSCRIPT_DIGITS = str.maketrans(
    "\u207b\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079", "-1230456789")
_BOX_START = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BOX_BARE = re.compile(r"\\boxed[ \t]+([^\s$]+)")  # MATH's "\boxed 5"
_BRACE = re.compile(r"\\[\\{}]|[{}]")  # escaped braces and \\ are skipped as one token
_ANSWER_IS = re.compile(
    r"(?:final\s+answer|the\s+answer)\s*(?:is|:|=)\s*:?\s*([^\n]{1,400})", re.IGNORECASE
)
_HASHES = re.compile(r"####\s*([^\n]{1,400})")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_THINK_END = "</think>"
_THINK_START = "<think>"
_MATH_DELIMS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


#: More unclosed ``\\boxed{`` than this is a degenerate completion, not a truncated one.
MAX_UNCLOSED_BOXES = 100


class MalformedAnswer(ValueError):
    """The text is degenerate where its answer should be (thousands of unclosed boxes)."""


@dataclass(frozen=True)
class Extraction:
    """An answer found in a text: the answer string and how it was found."""

    answer: str
    method: Method
    #: True when the answer came from inside a ``<think>`` block.
    from_think: bool = False


def normalize_unicode(text: str) -> str:
    """NFKC (full-width digits, non-breaking spaces), then plain minus signs and no zero widths.

    Superscripts become powers first (NFKC would turn x² into x2).
    """
    if text.isascii():
        return text
    text = _SUPERSCRIPT.sub(lambda m: "^{" + m.group().translate(_SUPERSCRIPT_DIGITS) + "}", text)
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


def split_think(text: str) -> tuple[str, str]:
    """``(thinking, after)``: the text of ``<think>`` blocks and the text after the last one.

    A ``<think>`` never closed (a truncated completion) is all thinking.
    """
    end = text.rfind(_THINK_END)
    if end >= 0:
        return text[:end], text[end + len(_THINK_END):]
    start = text.find(_THINK_START)
    if start >= 0:
        return text[start:], text[:start]
    return "", text


def extract_answer(text: str, mode: ExtractionMode = "auto",
                   answer_in_think: bool = True) -> Extraction | None:
    """The final answer in a completion, or None when there is none.

    The text after the last ``</think>`` is searched first; the thinking itself only when
    nothing stands after it and ``answer_in_think`` allows. ``auto`` tries the extractors
    in :data:`AUTO_ORDER`; any other mode uses that one extractor only.
    """
    thinking, after = split_think(text)
    methods = AUTO_ORDER if mode == "auto" else (mode,)
    found = _first(after, methods)
    if found is None and thinking and answer_in_think:
        found = _first(thinking, methods)
        if found is not None:
            return Extraction(found.answer, found.method, from_think=True)
    return found


def extract_reference(text: str) -> Extraction:
    """The answer in a reference: its last ``\\boxed{}`` (a MATH solution), the text after
    ``####`` (a GSM8K solution), or the whole text."""
    for method in ("boxed", "hashes"):
        found = _EXTRACTORS[method](text)
        if found is not None:
            return Extraction(found, method)
    return Extraction(strip_answer(text), "text")


def tail_for_parse(text: str, answer_in_think: bool, window: int) -> str:
    """The text math-verify's full scan sees: the end of the answer part, ``window`` chars."""
    thinking, after = split_think(text)
    part = after if after.strip() or not answer_in_think else thinking
    return part[-window:] if window > 0 else part


def _first(text: str, methods: tuple[Method, ...]) -> Extraction | None:
    for method in methods:
        found = _EXTRACTORS[method](text)
        # Among several extractors the final line counts only when it is nothing but an
        # answer ("42", "$x = 3$"); a sentence is left to math-verify's full scan.
        if found and (len(methods) == 1 or method != "final_line" or _looks_bare(found)):
            return Extraction(found, method)
    return None


def _looks_bare(answer: str) -> bool:
    if len(answer) > 200 or "\\boxed" in answer or "\\fbox" in answer:
        return False
    return _WORD.search(_LATEX_COMMAND.sub(" ", answer)) is None


def last_boxed(text: str) -> str | None:
    """The content of the last closed ``\\boxed{...}`` or ``\\fbox{...}``, braces balanced.

    One pass over the braces of the text; unclosed boxes are ignored (a truncated answer),
    unless there are more than :data:`MAX_UNCLOSED_BOXES` of them: :class:`MalformedAnswer`.
    A box whose whole content is another box is unwrapped.
    """
    first = _BOX_START.search(text)
    if first is None:
        bare = None
        for bare in _BOX_BARE.finditer(text):  # noqa: B007 - the last one is wanted
            pass
        return strip_answer(bare.group(1)) if bare else None
    box_opens = {m.end() - 1 for m in _BOX_START.finditer(text, first.start())}
    stack: list[int] = []
    best: tuple[int, int] | None = None  # (content start, content end) of the last closed box
    for token in _BRACE.finditer(text, first.start()):
        brace = token.group()
        if brace == "{":
            stack.append(token.start())
        elif brace == "}" and stack:
            opened = stack.pop()
            if opened in box_opens:
                # A later-closing box wins; on a tie (nesting) the outer one closes later.
                best = (opened + 1, token.start())
    unclosed = len(box_opens.intersection(stack))
    if unclosed > MAX_UNCLOSED_BOXES:
        raise MalformedAnswer(f"the text has {unclosed:,} unclosed \\boxed{{ (degenerate output)")
    if best is None:
        return None
    content = text[best[0]:best[1]]
    inner = last_boxed(content) if content.lstrip().startswith(("\\boxed", "\\fbox")) else None
    if inner is not None and _BOX_START.match(content.strip()) and content.strip().endswith("}"):
        return inner
    return strip_answer(content)


def _answer_tag(text: str) -> str | None:
    # rfind, not a lazy regex: 50,000 "<answer>" with no closing tag would be quadratic.
    lowered = text.lower()
    end = lowered.rfind("</answer>")
    start = lowered.rfind("<answer>", 0, end) if end >= 0 else -1
    if start < 0:
        return None
    content = text[start + len("<answer>"):end]
    boxed = last_boxed(content)
    return boxed if boxed is not None else strip_answer(content) or None


def _answer_is(text: str) -> str | None:
    last = None
    for last in _ANSWER_IS.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    if last is None:
        return None
    line = last.group(1)
    boxed = last_boxed(line)
    if boxed is not None:
        return boxed
    line = _cut_sentence(line)
    return strip_answer(line) or None


def _hashes(text: str) -> str | None:
    last = None
    for last in _HASHES.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return strip_answer(last.group(1)) or None if last else None


def _final_line(text: str) -> str | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line:
            line = re.sub(r"^(?:\*\*)?(?:final\s+)?answer\s*[:：]\s*(?:\*\*)?", "", line,
                          flags=re.IGNORECASE)
            return strip_answer(line) or None
    return None


def _cut_sentence(line: str) -> str:
    """``$x = 3$. So we are done`` → ``$x = 3$``: the answer ends at the first full stop
    followed by a space (a decimal point is followed by a digit)."""
    if line.lstrip().startswith(("$", "\\(", "\\[")):
        return line
    cut = re.search(r"\.\s|\.$|;|\s(?:because|since|which|so|as)\s", line)
    return line[:cut.start()] if cut else line


def strip_answer(answer: str) -> str:
    """Trim an answer: spaces, a trailing full stop, surrounding ``$...$`` or ``\\(...\\)``,
    and ``**bold**`` markers."""
    answer = answer.strip().strip("*").strip()
    changed = True
    while changed and answer:
        changed = False
        for left, right in _MATH_DELIMS:
            if len(answer) >= len(left) + len(right) and answer.startswith(left) \
                    and answer.endswith(right) and left not in answer[len(left):-len(right)]:
                answer = answer[len(left):-len(right)].strip()
                changed = True
                break
        if answer.endswith((".", "。")) and not answer.endswith(".."):
            answer = answer[:-1].rstrip()
            changed = True
    return answer


_EXTRACTORS = {
    "boxed": last_boxed,
    "answer_tag": _answer_tag,
    "answer_is": _answer_is,
    "hashes": _hashes,
    "final_line": _final_line,
}
