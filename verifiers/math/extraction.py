"""Finding the final answer in a completion (or a reference solution): plain string work.

Nothing here imports sympy or parses mathematics, and every scan is linear in the text, so
extraction stays cheap even on 30,000-character completions or 20,000 unclosed ``\\boxed{``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from rewardkit.verifiers.math.boxes import TEXT_WRAP, MalformedAnswer, closing_group

__all__ = ["Extraction", "MalformedAnswer", "candidates", "extract_answer", "strip_answer",
           "taken_back"]

#: Where an answer was found; ``full_parse`` is math-verify's own scan (done in equivalence).
Method = Literal["boxed", "answer_tag", "answer_is", "hashes", "final_line", "text"]
ExtractionMode = Literal["auto", "boxed", "answer_tag", "answer_is", "hashes", "final_line"]

#: The anchored extractors ``auto`` tries, in order; where none finds an answer that parses,
#: math-verify's own scan takes over (its extraction and priorities, not a second one here).
AUTO_ORDER: tuple[Method, ...] = ("boxed", "answer_tag", "answer_is", "hashes")

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
# "the answer is", "Final answer:", and an "Answer:" (or "**Answer:**", "答案是") heading a
# line: a later one of these wins over an earlier "The answer is 7" the text took back.
# An "Answer" (or "Final Answer") heading a line of its own is one too: the answer is on the
# next line that holds something. So is "the answer is" in the languages models answer in.
_ANSWER_IS = re.compile(r"(?:final\s+answer|(?<!check\s)(?<!verify\s)the\s+(?:correct\s+)?answer"
                        r"|the\s+correct\s+(?:choice|option))"
                        r"\s*(?:is|:|=)\s*:?\s*"
                        r"|^[ \t>#*_]*answer[*_]*\s*[:：=][*_]*\s*"
                        r"|^[ \t>#*_]*(?:final\s+)?answer[ \t*_]*[:：]?[ \t*_]*\n\s*"
                        r"|\*\*(?:final\s+)?answer:?\*\*:?[ \t]*\n\s*"
                        r"|\b(?:la\s+respuesta|la\s+r[ée]ponse|die\s+(?:endgültige\s+)?antwort"
                        r"|a\s+resposta|la\s+risposta|het\s+antwoord)(?:\s+(?:final|finale))?"
                        r"\s*(?:est|es|ist|lautet|é|è|is)\b\s*:?\s*"
                        r"|^[ \t>#*_]*(?:respuesta|r[ée]ponse|antwort|resposta|risposta|antwoord"
                        r"|ответ)[*_]*\s*[:：][*_]*\s*|ответ\s*(?:—|равен)\s*"
                        r"|答案(?:是|为|[:：])\s*[:：]?\s*|答えは\s*", re.IGNORECASE | re.MULTILINE)
# "The answer is indeed 7": a word of emphasis before the answer is no part of it; and
# "the answer is correct" (or "also richtig") judges an answer, it gives none.
_EMPHASIS = re.compile(r"(?:indeed|also|therefore|thus|clearly|simply|just|exactly)\s+",
                       re.IGNORECASE)
#: Words that scale the number before them, and by what ("5 thousand" is 5000, "5 squared"
#: 25); with the percent words, what a number's unit words never are.
POWERS = {"squared": 2, "cubed": 3}
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
          "trillion": 10**12, "dozen": 12, **POWERS}
SCALING_WORDS = "|".join([*SCALES, "percent", "percentage"])
# A plain number then one or two unit words ("12 square feet"), not words that change the
# number ("5 hundred", "3 squared", "20 percent": equivalence reads those) or doubt it.
_UNIT_WORDS = re.compile(r"(-?\d[\d,]*(?:\.\d+)?(?:/\d+)?)\s+(?!(?:" + SCALING_WORDS +
                         r"|factorial|times|or|and|plus|minus|over|pi|not|no|maybe|approx"
                         r"|approximately)\b)([A-Za-z]+)(?:\s+[A-Za-z]+)?", re.IGNORECASE)
_VERDICT = re.compile(r"(?:(?:indeed|also|therefore|thus|clearly|definitely|still|not|now)\s+)*"
                      r"(?:wrong|incorrect|correct|right|richtig|falsch|correct[oa]|incorrect[oa]"
                      r"|juste|faux|verified|confirmed)", re.IGNORECASE)
_HASHES = re.compile(r"####\s*([^\n]{1,400})")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
# An environment's name is no sentence word: \begin{pmatrix} 7 \\ 0 \end{pmatrix} is bare.
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[A-Za-z]+\*?\}")
_WORD = re.compile(r"[A-Za-z]{3,}")
# Where the sentence holding an answer ends: a full stop, a question mark, a clause giving
# a reason, or one setting another value aside ("29/10, not 57/20").
_SENTENCE_END = re.compile(r"\.\s|\.$|;|。|\?(?:\s|$)|,?\s(?:because|since|which|so|as|porque"
                           r"|pois|car|parce|puisque|weil|denn|perché|poiché|omdat|потому)\s"
                           r"|,\s+(?:not|rather\s+than|instead\s+of)\s|\s+です")
# What may close an answer before the text after it ("$.", "\\].", "**", "</answer>").
CLOSING_MARKS = re.compile(r"^(?:\s|[$.,;:!*`)\]}。，]|\\[)\]]|</answer>)*")
# A sentence that takes back the answer just given, after any "Wait," "Hmm." or "Oh,":
# "That's wrong.", "No, ...", "Oops", "I made a mistake", "Scratch that", "let me
# recompute", "不对". It must open the text after the answer: a check of the answer ("Let
# me verify: ...", "This is not a mistake", "A common mistake is 8", "No other value works")
# is no retraction, however many wrong values it names.
_OPENERS = (r"wait(?:\s+a\s+(?:moment|minute|second))?|hm+|oh|ah|uh|hold\s+on|actually|but"
            r"|however|well|so|sorry|i\s+apologi[sz]e|upon\s+re-?examination|on\s+reflection"
            r"|looking\s+back|moment|stop|attendez|espera|aspetta|warte|стоп|等等|等一下")
_SUBJECT = (r"(?:that|this|it|the|my)(?:\s+(?:earlier|previous|first))?"
            r"(?:\s+(?:answer|result|value|solution))?(?:\s+above)?")
_NOT_A_CHECK = r"(?![^.!?\n]*\b(?:check|verif|confirm|make\s+sure|be\s+sure|matches))"
_RETRACTIONS = (
    rf"(?:no|nope|oops)\b{_NOT_A_CHECK}(?!\s+(?:other|more|further|need|one|solution|error"
    r"|mistake|problem)s?\b)",
    rf"{_SUBJECT}(?:'s|\s+is|\s+was|\s+seems|\s+looks)\s+(?:(?!not\b)[a-z]+\s+)?(?:wrong"
    r"|incorrect|false|off|a\s+mistake|an\s+error|not\s+(?:right|correct|it|quite\s+right"
    r"|the\s+(?:right|correct)\s+answer))",
    rf"{_SUBJECT}\s+(?:isn't|wasn't)\s+(?:right|correct|it)",
    rf"{_SUBJECT}\s+(?:can't|cannot|can\s+not|doesn't|does\s+not)\s+(?:be|look|seem)\s+right",
    rf"{_SUBJECT}\s+(?:doesn't|does\s+not)\s+(?:match|work|satisfy|fit|hold)",
    r"(?:i\s+(?:now\s+)?reali[sz]e\s+(?:that\s+)?)?i\s+(?:made|make)\s+(?:a|an)\s+(?:[a-z]+\s+)?"
    r"(?:mistake|error|slip)",
    r"i\s+was\s+wrong|i\s+misread|i\s+forgot|i\s+should\s+have|i\s+(?:need|have)\s+to\s+correct",
    r"the\s+answer\s+is\s+not\b",
    r"i\s+(?:used|took|applied|read)\s+the\s+wrong",
    r"i\s+(?:think\s+i\s+)?(?:got\s+(?:that|it|this)\s+wrong|miscounted|miscalculated"
    r"|messed\s+up)",
    r"(?:i\s+think\s+)?there(?:'s|\s+is|\s+was)\s+(?:an?\s+)?(?:error|mistake)",
    r"(?:mistake|error)(?=\s*:)|correction\b(?!\W*(?:none|not\s+needed|nothing))",
    r"(?:let\s+me\s+)?disregard|scratch\s+that|on\s+second\s+thought",
    r"(?:seemed|looked)\s+(?:right|correct|plausible|good)",  # it did then, not now
    rf"let\s+me\s+(?:recompute|recalculate|redo|recount|reconsider|start\s+over){_NOT_A_CHECK}",
    r"wrong|incorrect|not\s+(?:right|correct|quite)",
    r"das\s+ist\s+falsch|c'est\s+faux|eso\s+(?:está\s+mal|es\s+incorrecto)|это\s+неверно",
)
_TAKES_BACK = re.compile(rf"\W*+(?:(?:{_OPENERS})\b[\s,.!…—–-]*+)*"
                         rf"(?:(?:{'|'.join(_RETRACTIONS)})\b|这?不对|我?算?错了|我算错)",
                         re.IGNORECASE)
# Where more mathematics starts in a text (an option letter "(D)" is an answer too).
_MATHEMATICS = re.compile(r"\d|\$|\\[(\[]|\\[A-Za-z]+|=|\([A-Z]\)")
_THINK_END = "</think>"
_THINK_START = "<think>"
_MATH_DELIMS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


@dataclass(frozen=True)
class Extraction:
    """An answer found in a text: the answer string and how it was found."""

    answer: str
    method: Method
    #: True when the answer came from inside a ``<think>`` block.
    from_think: bool = False
    #: The answers of a closing group of several boxes (``answer`` joins them with ", ").
    parts: tuple[str, ...] = ()
    #: The text after the answer (its first :data:`TAIL_CHARS` characters): what the
    #: ``answer_last`` option judges.
    tail: str = ""
    #: Where the answer ends in the searched text (the later anchored answer is tried first).
    end: int = 0
    #: math-verify's parse, kept for a reference only its scan could read (no string work
    #: looks inside; the verifier compares it as it stands).
    parsed: tuple[Any, ...] = ()


#: Characters of the text after an answer kept in :attr:`Extraction.tail`.
TAIL_CHARS = 1000


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


def answer_part(text: str, answer_in_think: bool) -> tuple[str, bool]:
    """The part of a completion its answer is looked for in, and whether that is thinking.

    The text after the last ``</think>``; the thinking only when nothing at all stands after
    it and ``answer_in_think`` allows (an answer inside ``<think>`` followed by other text
    is not the final answer).
    """
    thinking, after = split_think(text)
    if thinking and not after.strip() and answer_in_think:
        return thinking, True
    return after, False


def candidates(text: str, mode: ExtractionMode = "auto") -> Iterator[Extraction]:
    """The anchored answers of ``text``, best first: what each extractor of :data:`AUTO_ORDER`
    (``auto``) or the one named finds, the one ending latest first (a boxed intermediate
    result followed by "The final answer is 42" gives 42), ties in extractor order. The
    caller takes the first that parses: a capture that is no answer falls through."""
    found = [f for method in (AUTO_ORDER if mode == "auto" else (mode,))
             if (f := _EXTRACTORS[method](text)) is not None]
    yield from sorted(found, key=lambda f: -f.end)


def extract_answer(text: str, mode: ExtractionMode = "auto",
                   answer_in_think: bool = True) -> Extraction | None:
    """The first anchored answer of a completion (see :func:`answer_part`), or None."""
    part, in_think = answer_part(text, answer_in_think)
    found = next(candidates(part, mode), None)
    if found is not None and in_think:
        return replace(found, from_think=True)
    return found


def tail_for_parse(text: str, answer_in_think: bool, window: int) -> str:
    """The text math-verify's scan sees: the end of the answer part, ``window`` chars."""
    part, _ = answer_part(text, answer_in_think)
    return part[-window:] if window > 0 else part


def taken_back(after: str) -> bool:
    """Whether the text after an answer takes it back and gives more mathematics
    (``#### 7\\nWait, that's wrong.\\nSo we get $8$``): then that answer is not the final
    one, whatever anchors it, and the answer is in the text that follows. A retraction with
    nothing after it takes nothing back (as in math-verify), nor does a check of the answer
    (see ``_TAKES_BACK``)."""
    rest = after[CLOSING_MARKS.match(after).end():]  # type: ignore[union-attr]
    retraction = _TAKES_BACK.match(rest)
    return retraction is not None and _MATHEMATICS.search(rest, retraction.end()) is not None


def looks_bare(answer: str, max_chars: int = 400) -> bool:
    """Nothing but an answer: no sentence words (3+ letters outside LaTeX commands), at
    most ``max_chars`` characters (0: any length), no box."""
    if 0 < max_chars < len(answer) or "\\boxed" in answer or "\\fbox" in answer:
        return False
    plain = _LATEX_COMMAND.sub(" ", _ENVIRONMENT.sub(" ", TEXT_WRAP.sub(" ", answer)))
    return _WORD.search(plain) is None


def _boxed(text: str) -> Extraction | None:
    group = closing_group(text)
    if group is None:
        return None
    contents, end = group
    # Unit words only where they make a box no answer ("12 square feet"): in a box that
    # reads as mathematics they are symbols (\boxed{2 x}, \boxed{35 cm}, as math-verify).
    parts = tuple(p if looks_bare(p, max_chars=0) else drop_unit_words(p)
                  for p in map(strip_answer, contents))
    distinct = tuple(dict.fromkeys(p for p in parts if p))
    if not distinct:
        return None
    return Extraction(", ".join(distinct), "boxed", parts=distinct if len(distinct) > 1 else (),
                      tail=text[end:end + TAIL_CHARS], end=end)


def last_boxed(text: str) -> str | None:
    """The answer of the closing group of boxes (its parts joined with ", "), or None."""
    found = _boxed(text)
    return found.answer if found else None


def _answer_tag(text: str) -> Extraction | None:
    # rfind, not a lazy regex: 50,000 "<answer>" with no closing tag would be quadratic.
    lowered = text.lower()
    end = lowered.rfind("</answer>")
    start = lowered.rfind("<answer>", 0, end) if end >= 0 else -1
    if start < 0:
        return None
    content = text[start + len("<answer>"):end]
    after = end + len("</answer>")
    tail = text[after:after + TAIL_CHARS]
    boxed = _boxed(content)
    if boxed is not None:
        return replace(boxed, tail=tail, end=after)
    answer = strip_answer(content)
    return Extraction(answer, "answer_tag", tail=tail, end=after) if answer else None


def _answer_is(text: str) -> Extraction | None:
    # The last anchor, or one before it when the last gives nothing or only judges ("the
    # answer is correct"); a few only, so 50,000 "the answer is right" stay linear.
    for anchor in reversed(deque(_ANSWER_IS.finditer(text), maxlen=4)):
        found = _answer_after(text, anchor.end())
        if found is not None:
            return found
    return None


def _answer_after(text: str, start: int) -> Extraction | None:
    line_end = text.find("\n", start)
    line = text[start:line_end if line_end >= 0 else len(text)][:400]
    opened = line.lstrip()
    for left, right in (("\\[", "\\]"), ("$$", "$$")):  # a display over several lines
        if opened.startswith(left) and right not in opened[len(left):]:
            close = text.find(right, start + len(line) - len(opened) + len(left), start + 400)
            if close >= 0:
                line = text[start:close + len(right)]
            break
    boxed = _boxed(line)
    if boxed is not None:
        end = start + len(line) - len(boxed.tail)
        return replace(boxed, method="answer_is", tail=text[end:end + TAIL_CHARS], end=end)
    cut = _cut_sentence(line)
    answer = strip_answer(cut)
    emphasis = _EMPHASIS.match(answer)
    if emphasis:
        answer = strip_answer(answer[emphasis.end():])
    answer = drop_unit_words(answer)  # "The answer is -3/4 meters."
    if not answer or _VERDICT.fullmatch(answer):
        return None
    end = start + len(cut)
    return Extraction(answer, "answer_is", tail=text[end:end + TAIL_CHARS], end=end)


def _hashes(text: str) -> Extraction | None:
    last = None
    for last in _HASHES.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    if last is None:
        return None
    answer = drop_unit_words(strip_answer(last.group(1)))  # "#### 5 apples"
    return Extraction(answer, "hashes", tail=text[last.end():last.end() + TAIL_CHARS],
                      end=last.end()) if answer else None


def _final_line(text: str) -> Extraction | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line:
            line = re.sub(r"^(?:\*\*)?(?:final\s+)?answer\s*[:：]\s*(?:\*\*)?", "", line,
                          flags=re.IGNORECASE)
            answer = strip_answer(line)
            return Extraction(answer, "final_line") if answer else None
    return None


def _cut_sentence(line: str) -> str:
    """``$x = 3$. So we are done`` → ``$x = 3$``: an answer in math delimiters ends with
    them; otherwise at the first full stop followed by a space (a decimal point is followed
    by a digit)."""
    stripped = line.lstrip()
    for left, right in _MATH_DELIMS:
        if stripped.startswith(left):
            close = stripped.find(right, len(left))
            if close < 0:
                return line
            return line[:len(line) - len(stripped) + close + len(right)]
    cut = _SENTENCE_END.search(line)
    return line[:cut.start()] if cut else line


def strip_answer(answer: str) -> str:
    """Trim an answer: spaces, a trailing full stop, surrounding ``$...$``, ``\\(...\\)`` or
    backticks, ``**bold**`` markers, a leading ``=`` (``$= 403$``) and trailing backslashes
    (stray, or a ``\\\\`` ending the text)."""
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
        if len(answer) >= 2 and answer[0] == answer[-1] == "`":  # `-9/16`, ```7```
            answer = answer.strip("`").strip()
            changed = True
        elif answer.startswith("=") and not answer.startswith("=="):  # "$= 403$"
            answer = answer[1:].strip()
            changed = True
        elif answer.endswith((".", "。")) and not answer.endswith(".."):
            answer = answer[:-1].rstrip()
            changed = True
        elif answer.endswith("\\"):  # stray, or a line break with nothing after it
            answer = answer.rstrip("\\").rstrip()
            changed = True
    return answer


def drop_unit_words(answer: str) -> str:
    """A plain number followed by one or two unit words without them ("12 square feet" is
    12, "30 degrees" is ``30^\\circ``); any other answer as it is."""
    unit = _UNIT_WORDS.fullmatch(answer)
    if unit is None:
        return answer
    if unit.group(2).lower() in ("degree", "degrees"):
        return f"{unit.group(1)}^\\circ"
    return unit.group(1)


_EXTRACTORS: dict[Method, Callable[[str], Extraction | None]] = {
    "boxed": _boxed,
    "answer_tag": _answer_tag,
    "answer_is": _answer_is,
    "hashes": _hashes,
    "final_line": _final_line,
}
