"""The checks of the ``strict`` preset: what a policy could game in a lenient grader.

Each check is its own option (see :class:`~rewardkit.verifiers.math.options.MathOptions`),
each returns the reason an answer is refused, or None. They are string work only and run
before any comparison, so a refused answer costs no sympy time.
"""

from __future__ import annotations

import re

from rewardkit.verifiers.math.boxes import LATEX_SPACE, TEXT_WRAP
from rewardkit.verifiers.math.equivalence import as_number
from rewardkit.verifiers.math.extraction import CLOSING_MARKS, SCALING_WORDS
from rewardkit.verifiers.math.references import lists_several

#: Longest text that may follow a final answer under ``answer_last``.
MAX_CLOSING_CHARS = 300

# Words that take an answer back, doubt it, round it or offer another one.
_RETRACTION = re.compile(
    r"\b(?:wait|actually|no|not|wrong|incorrect|mistake|mistaken|error|oops|hmm+|however|but"
    r"|approximately|roughly|nearly|almost"
    r"|instead|rather|reconsider|recheck|recalculate|recompute|redo|retract|scratch|ignore"
    r"|disregard|correction|unsure|maybe|perhaps|probably|guess|or|either|alternatively"
    r"|otherwise)\b|n't\b", re.IGNORECASE)
# What a closing remark may not hold: more numbers, more mathematics, another box.
_NOT_CLOSING = re.compile(r"\d|\\boxed|\\fbox|\\[a-zA-Z]+|[=^_]")
# LaTeX that shows something else than it parses as, and ways of offering alternatives.
_HEDGES: dict[str, re.Pattern[str]] = {
    "hides or strikes part of the answer": re.compile(
        r"\\(?:[hv]?phantom|color|textcolor|colorbox|fcolorbox|[bx]?cancel|sout|st|not|"
        r"[hv]space|m?kern|[hm]skip|raisebox|scalebox|[lrc]lap|math[lr]lap|smash|"
        r"overset|underset|stackrel|tag|href|url|iffalse)(?![A-Za-z])|(?<!\\)%\s*\S"),
    "is a relation, not a value": re.compile(
        r"\\(?:neq?|approx|sim|simeq|cong|leq?|geq?|lt|gt|ll|gg|propto)(?![A-Za-z])|[<>]"),
    "offers alternatives": re.compile(
        r"\\(?:pm|mp|lor|vee|cup)(?![A-Za-z])|\b(?:or|either)\b"),
}
_UNIT = re.compile(r"(?:\\(?:text|textrm|textbf|mbox|mathrm)\s*\{\s*([A-Za-z .]*)\}"
                   r"|\s+([A-Za-z]+)\.?)$")
_POWER_WORD = re.compile(r"(?<![A-Za-z])(?:squared|cubed)(?![A-Za-z])", re.IGNORECASE)
_DEGREES = re.compile(r"\^\s*\{?\\circ\}?$|°$")
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")
_ASSIGNMENT = re.compile(r"[A-Za-z](?:_\{?\w{1,3}\}?)?\s*=\s*(.+)")
_THOUSANDS = re.compile(r"(?<=\d)(?:\{,\}|\\[,!]|,)(?=\d{3})")
_ANSWER_WORD = re.compile(r"answer", re.IGNORECASE)
_FRACTION = re.compile(r"\\[dtc]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")
NO_ANCHOR = "no answer anchor"


def not_plain_number(reference: str, answer: str) -> str | None:
    """``plain_numbers``: against a plain-number reference, the answer must be a number
    written out (units and ``x =`` allowed), not arithmetic left to do (``3+4``,
    ``\\sqrt{49}``, ``2^{3}-1``) nor anything else that merely parses to the number."""
    if as_number(reference) is None:
        return None
    if _POWER_WORD.search(answer):  # "5 squared" is 25 left to work out
        return "the reference is a number and the answer is not one written out"
    plain = LATEX_SPACE.sub(" ", answer).strip()  # 305 \, \mathrm{cm}
    assignment = _ASSIGNMENT.fullmatch(plain)
    if assignment:
        plain = assignment.group(1).strip()
    unit = _UNIT.search(plain)
    if unit and not _RETRACTION.search(unit.group(0)):
        plain = plain[:unit.start()].strip()
    # Styling left once the unit is gone shows the number as it is: \mathbf{840}.
    plain = TEXT_WRAP.sub(r"\1", plain).strip()
    plain = _DEGREES.sub("", plain).strip()
    plain = _SIZING.sub("", plain).strip()
    while plain.startswith("(") and plain.endswith(")"):  # "\\left( \\frac{1}{3} \\right)"
        plain = plain[1:-1].strip()
    if as_number(plain) is not None:
        return None
    return "the reference is a number and the answer is not one written out"


def hedge(reference: str, answer: str) -> str | None:
    """``reject_hedges``: why the answer is no single plain answer (alternatives, a relation,
    LaTeX that hides or strikes), unless the reference itself is written that way."""
    for reason, pattern in _HEDGES.items():
        if pattern.search(answer) and not pattern.search(reference):
            return f"the answer {reason}"
    if lists_several(answer) and not lists_several(reference):
        return "the answer offers alternatives"
    return None


def several_answer_tags(text: str) -> str | None:
    """``reject_hedges``: why a text offers several answers in ``<answer>`` tags (only the
    last is read, so a policy could list candidates in earlier ones). One pass of ``find``:
    linear however many tags are left open."""
    lowered = text.lower()
    contents: set[str] = set()
    start = lowered.find("<answer>")
    while start != -1:
        end = lowered.find("</answer>", start)
        if end == -1:
            break
        content = text[start + len("<answer>"):end].strip()
        if content:
            contents.add(content)
        start = lowered.find("<answer>", end)
    if len(contents) > 1:
        return f"{len(contents)} <answer> tags give different answers"
    return None


def not_last(tail: str) -> str | None:
    """``answer_last``: why the text after the final answer is more than a closing remark
    (more numbers or mathematics, a retraction, or too long)."""
    rest = tail[CLOSING_MARKS.match(tail).end():]  # type: ignore[union-attr]
    if not rest.strip():
        return None
    if len(rest) > MAX_CLOSING_CHARS:
        return "more text follows the final answer"
    if _NOT_CLOSING.search(rest):
        return "more mathematics follows the final answer"
    if _RETRACTION.search(rest):
        return "the final answer is taken back or doubted"
    return None


def unanchored_scan(text: str) -> str | None:
    """``answer_last`` for math-verify's anchored scan: after the last "answer" the text
    names exactly one number and takes nothing back ("Final Answer: The largest $n$ is 34.")."""
    anchors = list(_ANSWER_WORD.finditer(text))
    if not anchors:
        return NO_ANCHOR
    rest = text[anchors[-1].end():]
    if len(rest) > MAX_CLOSING_CHARS:
        return "more text follows the final answer"
    # A fraction is one number: "5/7" and "\\frac{5}{7}" name one value, not 5 and 7.
    plain = _FRACTION.sub(r"\1/\2", _THOUSANDS.sub("", rest))
    numbers = set(re.findall(r"\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?", plain))
    if len(numbers) != 1:
        return "the closing sentence names several numbers"
    if _RETRACTION.search(rest):
        return "the final answer is taken back or doubted"
    return None


_TOKEN = re.compile(r"\S+")
_LETTER_RUN = re.compile(r"[A-Za-z]+")
_DIGIT_RUN = re.compile(r"\d+")
_PLAIN_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def digit_soup(text: str, matched: str) -> str | None:
    """In every preset: why math-verify's scan found ``matched`` only inside digit soup.

    math-verify reads a number at the start of a word with anything glued after it (so
    that ``100m2`` is 100): ``7NO4ySeekdVOXND9`` gives 7. A number with letters glued right
    after it, in a word mixing two or more runs of letters with two or more runs of digits,
    is no answer; when each word of ``text`` holding ``matched`` is one, nothing was found.
    """
    if not _PLAIN_NUMBER.fullmatch(matched):
        return None
    holding = [t for t in _TOKEN.findall(text) if matched in t]
    if holding and all(_glued(t, matched) and len(_LETTER_RUN.findall(t)) >= 2
                       and len(_DIGIT_RUN.findall(t)) >= 2 for t in holding):
        return f"{matched!r} stands only inside digit soup"
    return None


def _glued(word: str, number: str) -> bool:
    after = word.find(number) + len(number)
    return after < len(word) and word[after].isalpha()


# What continues an expression after a capture: a command (\pi, \sqrt, \cdot; not \text,
# \quad, \right, \end or a degree sign), a power (not ^\circ), an index, a group.
_CONTINUES = re.compile(r"[ \t]*\\(?!(?:text\w*|math(?:rm|bf)|mbox|q?quad|hspace|right|big\w*"
                        r"|end|label|tag|circ|degrees?)(?![A-Za-z]))[A-Za-z]+"
                        r"|\^(?!\s*\{?\s*\\circ)|[_{(]")
# A group a capture may stand in without being part of more mathematics: \mathbf{...}.
_STYLE_BEFORE = re.compile(r"\\(?:math\w+|text\w*|boxed|fbox|bm|boldsymbol|mbox|underline)\s*\{$")
# What scales a number written before it: "5 thousand", "5 dozen", "5 squared", "5k", "25%".
_SCALE_AFTER = re.compile(r"[ \t]*(?:\\text\{\s*)?(" + SCALING_WORDS +
                          r")(?![A-Za-z])|(\\?%)|(k)(?![A-Za-z])", re.IGNORECASE)


def truncated_capture(text: str, matched: str) -> str | None:
    """In every preset: why what math-verify's scan matched is only the start of a longer
    expression. Its scan reads bare LaTeX up to the first command it does not take, so
    ``\\frac{1}{2}\\pi`` gave 1/2 and ``2\\sqrt{2}`` gave 2; when every occurrence of
    ``matched`` in ``text`` runs on into more mathematics (or stands inside a group), the
    answer is not what was matched."""
    occurrences = 0
    latex = "\\" in matched or "}" in matched
    for found in re.finditer(re.escape(matched), text):
        occurrences += 1
        start, end = found.start(), found.end()
        before = text[start - 1] if start else " "
        after = text[end:end + 1]
        inside = before == "{" and not _STYLE_BEFORE.search(text, max(0, start - 20), start)
        if inside or before in "^_." or before.isdigit() or _CONTINUES.match(text, end) or \
                (latex and after.isalpha()) or (after.isdigit() and not latex):
            continue
        return None
    return f"{matched!r} is only the start of a longer expression" if occurrences else None


def scaled_capture(text: str, matched: str) -> str | None:
    """In every preset: the answer math-verify's scan read as ``matched`` with what scales
    it after it ("5 thousand", "5 dozen", "5 squared", "5k", "\\frac{1}{2}\\%"), when its
    last occurrence in ``text`` has that; None otherwise."""
    last = None
    for last in re.finditer(rf"(?<![\d.]){re.escape(matched)}(?!\d)", text):  # noqa: B007
        pass
    scale = _SCALE_AFTER.match(text, last.end()) if last and matched else None
    if scale is None:
        return None
    if scale.group(2):
        return f"{matched}\\%"
    if scale.group(3):
        return f"{matched} thousand" if _PLAIN_NUMBER.fullmatch(matched) else None
    return f"{matched} {scale.group(1)}"
