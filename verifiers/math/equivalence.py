"""Deciding whether two answers are equal: cheap checks first, sympy (via math-verify) last.

Order of checks: the same text; word answers as text; two plain numbers compared exactly in
Python (so a 5000-digit integer needs no sympy); then math-verify's parser and comparison.
Every sympy step runs in the engine's worker under its killable deadline: math-verify's own
``signal.alarm`` timeouts are switched off (``parsing_timeout=None``, ``timeout_seconds=None``),
and nothing here turns a parsed expression into text.

Verdicts and parsed references are memoised per worker process: GRPO groups repeat answers.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from rewardkit.verifiers.math.boxes import TEXT_WRAP
from rewardkit.verifiers.math.extraction import POWERS, SCALES, looks_bare
from rewardkit.verifiers.math.options import MathOptions

#: How many (reference, answer, options) verdicts and parsed texts each worker remembers.
MEMO_SIZE = 8192
#: Largest power of ten a number written in scientific notation may have on the fast path.
MAX_EXPONENT = 400
#: Fewest significant digits a decimal needs to count as a rounding of another number.
MIN_SIGNIFICANT = 2


class UnparseableReference(ValueError):
    """The reference answer is neither a number, a word answer, nor parseable mathematics."""


@dataclass(frozen=True)
class Judgement:
    """The outcome of one comparison."""

    equal: bool
    #: The check that decided: "same text", "text", "numeric", "tolerance", "sympy", ...
    how: str
    #: Why, in a few words, for the Result's reason.
    note: str = ""
    #: The reward the verdict earns (below 1 only for a tolerance match with partial credit).
    reward: float = 0.0


@dataclass(frozen=True)
class _Number:
    value: Fraction
    # The decimal places of a decimal written out (0.333333: 6), which may be a rounding;
    # None for an exact number: a whole number, a fraction, scientific notation (as
    # math-verify reads it: 3.25 \times 10^{-8} is exact).
    places: int | None
    percent: bool

    @property
    def is_float(self) -> bool:
        return self.places is not None


# --- cheap normal forms -------------------------------------------------------------------

_SPACING = re.compile(r"\\[,;:! ]|\\q?quad|~|\s+")
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])|\\displaystyle")
_OLD_STYLE = re.compile(r"\{\\(?:bf|it|rm|sf|tt|em|sc)\s+([^{}]*)\}")  # {\bf Yes}
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')
_DFRAC = re.compile(r"\\[dtc]frac")
_NUMBER = re.compile(r"[-+]?(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)?(?:\.\d+)?")
# "1,22", "1000,99", "0,111": one comma that cannot be a thousands separator is a decimal one.
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")
# "918\frac{1}{2}": a whole number then a proper fraction is a mixed number (918.5).
_MIXED = re.compile(r"(-?)(\d+)\\frac(?:\{(\d+)\}\{(\d+)\}|(\d)(\d))")
_LIST_COMMA = re.compile(r",\s")
_EQUALS = re.compile(r"(?<![<>!\\:])=")
_SCI = re.compile(r"([-+]?\d+(?:\.\d+)?)(?:[eE]|(?:\\times|\\cdot|\*|x)10\^\{?)([-+]?\d+)\}?")
_FRAC = re.compile(r"(-?)\\frac(?:\{(-?\d+)\}\{(-?\d+)\}|(\d)(\d))")
_OVER = re.compile(r"(-?\d+)\\over(\d+)")  # {1 \over 2}, once its braces are gone
_SLASH = re.compile(r"(-?\d+)/(\d+)")
_WORDS = re.compile(r"[(\[]?[A-Za-z][A-Za-z .,'-]*[)\]]?")  # [A] and (A): choice letters
_PERCENT = re.compile(r"(?:\\?%|\\text\{percent(?:age)?\}|percent(?:age)?)$")
# Words that scale the number before them ("5 thousand", "5\text{ dozen}", "5 squared").
_SCALED = re.compile(r"(.*\d\}?)(?:\\(?:text|textrm|mathrm|mbox)\{([A-Za-z]+)\}|([A-Za-z]+))")
_WRAPPER = re.compile(r"\{|\\(?:math(?:bf|rm|it|sf)|text(?:bf|rm|it)?|boldsymbol|bm|mbox)\{")
_LETTERS_ONLY = re.compile(r"[^A-Za-z]*(?:[A-Za-z](?![A-Za-z])[^A-Za-z]*)+")
_APPROX = re.compile(r"^\s*(?:\\approx|\\simeq|≈)\s*")  # \boxed{\approx 8}: the answer 8
_UNDERLINE = re.compile(r"\\underline\s*\{([^{}]*)\}")
_CASES = re.compile(r"\\begin\{cases\}(.*?)\\end\{cases\}", re.S)
_DEGREE_MACRO = re.compile(r"\\degrees?(?![A-Za-z])")
_DEGREES_END = re.compile(r"\s*(?:\^\s*\{?\s*\\circ\s*\}?|°|\\degrees?(?![A-Za-z]))\s*$")
_ASSIGNED = re.compile(r"[A-Za-z](?:_\{?\w{1,3}\}?)?\s*=\s*([^=<>]+)")
_SET = re.compile(r"\\\{|\\left\s*\\\{")
_DECIMAL_TOKEN = re.compile(r"-?\d+\.\d+")
_E_TOKEN = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)[eE]([-+]?\d+)(?![\w.])")


def text_key(answer: str) -> str:
    """A spacing- and sizing-free form of an answer; equal keys are equal answers."""
    answer = _SIZING.sub("", _SPACING.sub("", answer))
    return _DFRAC.sub(r"\\frac", answer).replace("{,}", ",").rstrip(".")


def unwrap_text(answer: str) -> str:
    """``answer`` with styling commands replaced by what they wrap, nested ones too."""
    for _ in range(4):
        unwrapped = _OLD_STYLE.sub(r"\1", TEXT_WRAP.sub(r"\1", answer))
        if unwrapped == answer:
            break
        answer = unwrapped
    return answer


def word_key(answer: str) -> str | None:
    """The casefolded word of a word answer ("Monday", "\\text{(C)}"), or None for maths."""
    plain = unwrap_text(answer.strip()).strip()
    quoted = _QUOTED.fullmatch(plain)
    if quoted:
        plain = (quoted.group(1) or quoted.group(2) or "").strip()
    if "\\" in plain or not _WORDS.fullmatch(plain):
        return None
    if _LETTERS_ONLY.fullmatch(plain) and re.search(r"[-,]", plain):
        return None  # "x-y", "y, x": single letters joined by signs are algebra, not words
    return " ".join(plain.strip("()[]").casefold().split())


def as_number(answer: str) -> _Number | None:
    """A plain number ("1,000", "1,22", "-0.75", "3/4", "\\frac{3}{4}", "2\\frac{1}{2}", "1.5e3",
    "2.5 \\times 10^{3}", "50%", "12 percent", "5 thousand", "{42}", "\\mathbf{7}"), exactly, or
    None for anything else.

    A comma followed by a space separates the items of a list ("32, 349" is no number).
    """
    if _LIST_COMMA.search(answer):
        return None
    text = _unwrap_outer(text_key(answer).replace("\\$", "").replace("$", ""))
    percent = bool(_PERCENT.search(text))
    if percent:
        text = _PERCENT.sub("", text)
    if text.startswith("+"):
        text = text[1:]
    if not text or len(text) > 20_000:
        return None
    scaled = _SCALED.fullmatch(text)
    if scaled:  # "5 thousand" is 5000 and "5 squared" 25, never 5
        word = (scaled.group(2) or scaled.group(3)).lower()
        base = as_number(scaled.group(1))
        if base is None or base.percent or word not in SCALES:
            return None
        value = base.value * SCALES[word] if word not in POWERS else base.value ** POWERS[word]
        return _Number(value, None, percent)
    if _NUMBER.fullmatch(text) and any(c.isdigit() for c in text):
        places = len(text) - text.index(".") - 1 if "." in text else None
        return _Number(Fraction(Decimal(text.replace(",", ""))), places, percent)
    if _DECIMAL_COMMA.fullmatch(text):
        return _Number(Fraction(Decimal(text.replace(",", "."))),
                       len(text) - text.index(",") - 1, percent)
    mixed = _MIXED.fullmatch(text)
    if mixed:
        whole, top, bottom = (int(g) for g in mixed.groups()[1:] if g is not None)
        if 0 < top < bottom:
            return _Number((-1 if mixed.group(1) else 1) * (whole + Fraction(top, bottom)),
                           None, percent)
    sci = _SCI.fullmatch(text)
    if sci and abs(int(sci.group(2))) <= MAX_EXPONENT:
        value = Fraction(Decimal(sci.group(1))) * Fraction(10) ** int(sci.group(2))
        return _Number(value, None, percent)
    frac = _FRAC.fullmatch(text) or _SLASH.fullmatch(text) or _OVER.fullmatch(text)
    if frac:
        parts = [g for g in frac.groups() if g is not None and g != "-"]
        sign = -1 if frac.re is _FRAC and frac.group(1) == "-" else 1
        numerator, denominator = int(parts[-2]), int(parts[-1])
        if denominator == 0:
            return None
        return _Number(sign * Fraction(numerator, denominator), None, percent)
    return None


def _unwrap_outer(text: str) -> str:
    """``text`` without braces or a styling command around all of it: ``{42}``, ``{1\\over2}``,
    ``\\mathbf{\\frac{7}{2}}`` (nested braces, which :data:`TEXT_WRAP` does not take)."""
    for _ in range(4):
        opening = _WRAPPER.match(text)
        inner = text[opening.end():-1] if opening else ""
        if opening is None or not text.endswith("}") or not _balanced(inner) or \
                (opening.group() == "{" and "," in inner):  # {3,4} is a set
            break
        text = inner
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


_GROUP = re.compile(r"(\\\{|\(|\[)(.*)(\\\}|\)|\])")


def as_number_group(answer: str) -> tuple[str, list[_Number]] | None:
    """A set, tuple or interval of plain numbers as ``(brackets, numbers)``: ``"{}"`` for a
    set (also a bare ``1, 2``), else the two bracket characters; None for anything else."""
    text = _SIZING.sub("", _SPACING.sub("", answer))
    group = _GROUP.fullmatch(text)
    if group:
        opening, closing = group.group(1), group.group(3)
        if (opening == "\\{") != (closing == "\\}"):
            return None
        brackets = "{}" if opening == "\\{" else opening + closing
        body = group.group(2)
    elif "," in text:
        brackets, body = "{}", text
    else:
        return None
    if any(c in body for c in "()[]{}") or "\\" in body:
        return None
    numbers = [as_number(part) for part in body.split(",")]
    if len(numbers) < (1 if group and brackets == "{}" else 2) or None in numbers:
        return None
    return brackets, [n for n in numbers if n is not None]


# --- the comparison -------------------------------------------------------------------------

def check_reference(reference: str, options: MathOptions) -> None:
    """Raise :class:`UnparseableReference` unless the reference can be compared with."""
    if not reference.strip():
        raise UnparseableReference("the reference answer is empty")
    if word_key(reference) is not None or as_number(reference) is not None \
            or as_number_group(reference) is not None:
        return
    if not any(_parse(text) for text in _percent_variants(reference, options)):
        raise UnparseableReference(
            f"the reference answer {_clip(reference)!r} could not be parsed as mathematics"
        )


@functools.lru_cache(maxsize=MEMO_SIZE)
def judge(reference: str, answer: str, options: MathOptions) -> Judgement:
    """Whether ``answer`` equals ``reference`` (both already extracted final answers)."""
    if text_key(reference) == text_key(answer):
        return _equal("same text", "the same text")
    word = word_key(reference)
    if word is not None:
        equal = word == word_key(answer)
        return Judgement(equal, "text", "same words" if equal else "different words",
                         1.0 if equal else 0.0)
    ref_number, number = as_number(reference), as_number(answer)
    if ref_number is not None and number is None and options.equations == "value":
        assigned = _ASSIGNED.fullmatch(answer.strip())  # "x = 0.0999999": the number decides
        number = as_number(assigned.group(1)) if assigned else None
    if ref_number is not None and number is not None:
        return _compare_numbers(ref_number, number, options)
    ref_group, group = as_number_group(reference), as_number_group(answer)
    if ref_group is not None and group is not None:
        if ref_group[0] == group[0]:
            return _compare_groups(ref_group, group, options)
        if _is_interval(reference, ref_group) and _is_interval(answer, group):
            return Judgement(False, "interval", "intervals with different ends open or closed")
        if _SET.match(reference.strip()) or _SET.match(answer.strip()):
            # math-verify lets the set {1, 2} equal the pair (1, 2): an ordered answer.
            return Judgement(False, "numeric", "a set and a tuple or interval differ")
    answer = _in_radians(answer, reference)
    parsed = [_parse(text) for text in _percent_variants(answer, options, reference)]
    rhs = _last_side(answer)
    if not any(parsed) and rhs is not None and options.equations == "value":
        # "17 \bmod 5 = 2": an operator sympy lacks; the chain's last side is the value.
        return judge(reference, rhs, options)
    return _compare_sympy(_percent_variants(reference, options, answer), parsed, options)


def _in_radians(answer: str, other: str) -> str:
    """An answer in degrees (``30^\\circ``) against one in radians (with ``\\pi`` and no
    degree sign) converted to radians: ``\\frac{\\pi}{6}^\\circ`` is not ``\\frac{\\pi}{6}``,
    which math-verify says it is (it drops the sign). Against anything else a degree sign
    stays as it is (``30^\\circ`` equals ``30``), and a reference in degrees is not converted
    (``\\frac{\\pi}{3}`` is no answer to ``60^\\circ``, as in math-verify)."""
    degrees = _DEGREES_END.search(answer)
    if degrees is None or _DEGREES_END.search(other) or "\\pi" not in other:
        return answer
    return f"\\left({answer[:degrees.start()]}\\right)\\cdot\\frac{{\\pi}}{{180}}"


def _last_side(answer: str) -> str | None:
    """The text after the last ``=`` of an equation (not ``<=``, ``\\neq``), or None."""
    sides = _EQUALS.split(answer)
    return sides[-1].strip() or None if len(sides) > 1 else None


def judge_full_text(reference: str, text: str, options: MathOptions) -> tuple[Judgement, str]:
    """Compare ``reference`` with whatever math-verify's own scan finds in ``text``.

    Returns the judgement and the text math-verify matched ("" when it found nothing).
    """
    parsed, matched = scan(text, options.fallback_needs_anchor)
    if not parsed and not matched:
        return Judgement(False, "missing", "no answer found"), ""
    if matched and text_key(matched) == text_key(reference):
        return _equal("same text", "the same text"), matched
    if matched and _DEGREES_END.search(matched):  # math-verify drops the sign: convert it
        return judge(reference, matched, options), matched
    if matched and (word_key(reference) is not None or as_number(matched) is not None):
        cheap = judge(reference, matched, options)
        # Two plain numbers are decided here: sympy's rounding would let 0.0999999 be 0.1.
        if cheap.equal or not parsed or cheap.how == "numeric":
            return cheap, matched
    written = _written_decimal(parsed, matched)
    if written is not None and as_number(reference) is not None:
        return judge(reference, written, options), matched
    return _compare_sympy(_percent_variants(reference, options, matched), [parsed],
                          options), matched


def _written_decimal(parsed: tuple[Any, ...], matched: str) -> str | None:
    """The decimal as written in ``matched`` that math-verify parsed as a lone float
    (it matched "4.\\n\\n**0.0000013**" for 0.0000013), so that it is judged as written."""
    from sympy import Float

    if len(parsed) != 1 or not isinstance(parsed[0], Float):
        return None
    for token in reversed(_DECIMAL_TOKEN.findall(matched)):
        if abs(float(token) - float(parsed[0])) <= 1e-12 * max(1.0, abs(float(token))):
            return token
    return None


def scan(text: str, anchored: bool = False) -> tuple[tuple[Any, ...], str]:
    """math-verify's own extraction over ``text``, with its priorities: the parsed answer
    and the text it matched. ``anchored``: only answers after an "answer" anchor count, and
    no box (the box extractor has judged every box already: one it found no answer, such
    as ``\\boxed{sqrt(7)}`` before "The answer is sqrt(8)", must not come back here)."""
    mv = _math_verify()
    latex = (mv.LatexExtractionConfig(try_extract_without_anchor=False, boxed_match_priority=-1)
             if anchored else mv.LatexExtractionConfig())
    config = [latex, mv.ExprExtractionConfig(try_extract_without_anchor=not anchored)]
    found = mv.parse(text, config, fallback_mode="first_match", parsing_timeout=None)
    parsed = tuple(item for item in found if not isinstance(item, str))
    matched = next((item for item in found if isinstance(item, str)), "")
    return parsed, matched


def is_answer(answer: str, boxed: bool = False) -> bool:
    """Whether an extracted capture is an answer at all: a word answer of a few words, a
    number or group of numbers, or mathematics without sentence words that math-verify
    parses (a box need not parse: what it holds is the answer, right or wrong). An
    extractor whose capture is not an answer falls through to the next one."""
    word = word_key(answer)
    if word is not None:
        return len(word.split()) <= 4
    if as_number(answer) is not None or as_number_group(answer) is not None:
        return True
    if boxed:  # however long: a box too big to parse is refused by its length check
        return looks_bare(answer, max_chars=0)
    return looks_bare(answer) and bool(_parse(_sympy_ready(answer)))


def _compare_numbers(ref: _Number, got: _Number, options: MathOptions) -> Judgement:
    for want, want_places in _number_values(ref, got, options):
        for value, places in _number_values(got, ref, options):
            if want == value:
                return _equal("numeric", "equal numbers")
            if _rounds_to(want, value, places, want_places, options.float_rounding) or \
                    (places is None and _rounds_to(value, want, want_places, None,
                                                   options.float_rounding)):
                return _equal("numeric", "equal once rounded")
    for want, _ in _number_values(ref, got, options):
        for value, _ in _number_values(got, ref, options):
            if _within_tolerance(want, value, options):
                return _equal("tolerance", "equal within tolerance", options.tolerance_reward)
    return Judgement(False, "numeric", "different numbers")


def _rounds_to(exact: Fraction, rounded: Fraction, places: int | None,
               exact_places: int | None, min_places: int) -> bool:
    """Whether ``rounded``, a decimal written to ``places`` places, is ``exact`` correctly
    rounded (within half a unit of its last place): 0.333333 for 1/3. Only when it is
    written to at least ``min_places`` places (float_rounding) with at least
    :data:`MIN_SIGNIFICANT` significant digits, and ``exact`` is not written as a decimal to
    as few places: 0.33 is not 1/3, 0.000001 is not 0.0000012 (one significant digit), and
    0.0999999 is not 0.1 (more precision than the reference, and different)."""
    if places is None or places < min_places or \
            (exact_places is not None and exact_places <= places):
        return False
    unit = Fraction(1, 10 ** places)
    return abs(rounded) >= unit * 10 ** (MIN_SIGNIFICANT - 1) and \
        abs(exact - rounded) <= unit / 2


def _is_interval(text: str, group: tuple[str, list[_Number]]) -> bool:
    """Two numbers in written brackets other than braces: an interval (or a pair)."""
    return group[0] != "{}" and len(group[1]) == 2 and text.strip()[:1] in "([\\"


def _compare_groups(ref: tuple[str, list[_Number]], got: tuple[str, list[_Number]],
                    options: MathOptions) -> Judgement:
    """Numbers in the same brackets: sets in any order (as sets), tuples and intervals in order."""
    def same(a: _Number, b: _Number) -> Judgement:
        return _compare_numbers(a, b, options)

    if ref[0] == "{}":
        pairs = [[same(a, b) for b in got[1]] for a in ref[1]]
        covered = all(any(j.equal for j in row) for row in pairs) and all(
            any(row[k].equal for row in pairs) for k in range(len(got[1])))
        found = [j for row in pairs for j in row if j.equal]
    else:
        found = [same(a, b) for a, b in zip(ref[1], got[1])] if len(ref[1]) == len(got[1]) else []
        covered = bool(found) and all(j.equal for j in found)
    if not covered:
        return Judgement(False, "numeric", "different numbers in the same brackets")
    if any(j.how == "tolerance" for j in found):
        return _equal("tolerance", "equal within tolerance", options.tolerance_reward)
    return _equal("numeric", "the same numbers in the same brackets")


def _whole(number: _Number) -> bool:
    """Written as a whole number (no decimal point, exponent or fraction bar)."""
    return not number.is_float and number.value.denominator == 1


def _number_values(number: _Number, other: _Number,
                   options: MathOptions) -> list[tuple[Fraction, int | None]]:
    """The values ``number`` may stand for against ``other``, with their decimal places.

    A percent sign on one side only (``percentages: either``) is applied (50% is 0.5), or
    dropped between two whole numbers (50% is 50), as math-verify does: 0.5% is never 0.5
    nor 50%, so an answer off by a factor of 100 in the wrong direction is wrong. Two
    percentages compare as written.
    """
    plain = [(number.value, number.places)]
    if not number.percent or other.percent or options.percentages == "value":
        return plain
    hundredth = [(number.value / 100, None if number.places is None else number.places + 2)]
    if options.percentages == "fraction" or not (_whole(number) and _whole(other)):
        return hundredth
    return hundredth + plain


def _within_tolerance(want: Fraction | float, value: Fraction | float,
                      options: MathOptions) -> bool:
    if options.rel_tol <= 0 and options.abs_tol <= 0:
        return False
    # Fractions, not floats: a 5000-digit answer must not overflow.
    want, value = Fraction(want), Fraction(value)
    bound = max(Fraction(options.rel_tol) * max(abs(want), abs(value)), Fraction(options.abs_tol))
    return abs(want - value) <= bound


def _compare_sympy(reference_texts: list[str], answers: list[tuple[Any, ...]],
                   options: MathOptions) -> Judgement:
    references = [parsed for text in reference_texts if (parsed := _parse(text))]
    if not references:
        raise UnparseableReference("the reference answer could not be parsed as mathematics")
    return compare_parsed(references, answers, options)


def judge_parsed(reference: tuple[Any, ...], answer: str, options: MathOptions) -> Judgement:
    """``answer`` against a reference only math-verify's scan could read (its parse kept)."""
    return compare_parsed([reference], [_parse(t) for t in _percent_variants(answer, options)],
                          options)


def compare_parsed(references: list[tuple[Any, ...]], answers: list[tuple[Any, ...]],
                   options: MathOptions) -> Judgement:
    """math-verify's comparison of parsed references and answers (then the tolerance)."""
    answers = [parsed for parsed in answers if parsed]
    if not answers:
        return Judgement(False, "unparsed", "the answer could not be parsed as mathematics")
    mv = _math_verify()
    if options.equations == "strict":
        kinds = {_is_relation(ref[0]) for ref in references}
        answers = [a for a in answers if _is_relation(a[0]) in kinds]
        if not answers:
            return Judgement(False, "equations", "an equation and a value are not compared")
    for ref in references:
        for got in answers:
            if mv.verify(list(ref), list(got), float_rounding=options.float_rounding,
                         numeric_precision=options.numeric_precision,
                         strict=options.strict_variables,
                         allow_set_relation_comp=options.allow_set_relation,
                         timeout_seconds=None):
                return _equal("sympy", "equal after sympy comparison")
    if options.rel_tol > 0 or options.abs_tol > 0:
        for ref in references:
            for got in answers:
                want, value = _as_float(ref[0]), _as_float(got[0])
                if want is not None and value is not None and \
                        _within_tolerance(want, value, options):
                    return _equal("tolerance", "equal within tolerance", options.tolerance_reward)
    return Judgement(False, "sympy", "not equal after sympy comparison")


def _percent_variants(answer: str, options: MathOptions, other: str = "") -> list[str]:
    """``answer`` ready for sympy, its percent sign (or "percent") applied or dropped as
    :func:`_number_values` says, against ``other``: two percentages compare as written."""
    stripped = answer.rstrip(" .")
    if not _PERCENT.search(stripped):
        return [_sympy_ready(answer)]
    core = _sympy_ready(_PERCENT.sub("", stripped).rstrip())
    if options.percentages == "value" or _PERCENT.search(other.rstrip(" .")):
        return [core]
    fraction = f"\\frac{{{core}}}{{100}}"
    whole = as_number(core)
    if options.percentages == "either" and whole is not None and _whole(whole):
        other_number = as_number(other)
        if other_number is not None and _whole(other_number):
            return [core, fraction]
    return [fraction]


def _sympy_ready(answer: str) -> str:
    """Habits LaTeX parsing misses: ``x**2``, ``1.5e-3``, a degree written ``°`` or
    ``\\degree`` (it reads ``^\\circ``), ``~`` (LaTeX's unbreakable space: ``541~\\text{kg}``)
    a vector in angle brackets (math-verify reads ``\\langle 8, 2\\rangle`` as 2, and a
    ``cases`` system as its last equation: it is the list of its equations) and an
    ``\\underline`` around an answer."""
    answer = _APPROX.sub("", answer.replace("**", "^").replace("°", "^\\circ").replace("~", " "))
    answer = answer.replace("\\langle", "(").replace("\\rangle", ")")  # a vector: a tuple
    answer = _CASES.sub(_system, _UNDERLINE.sub(r"\1", answer))
    answer = _DEGREE_MACRO.sub("^\\\\circ", answer)
    return _E_TOKEN.sub(r"\1\\times10^{\2}", answer)


def _system(match: re.Match[str]) -> str:
    rows = [row.strip() for row in match.group(1).split("\\\\")]
    if any("&" in row for row in rows):  # a piecewise definition: value & condition
        return match.group(0)
    return ", ".join(row for row in rows if row)


@functools.lru_cache(maxsize=MEMO_SIZE)
def _parse(text: str) -> tuple[Any, ...]:
    """math-verify's parse of one answer (as if it stood in ``\\boxed{}``); () when it fails."""
    mv = _math_verify()
    found = mv.parse(f"\\boxed{{{text}}}", [mv.LatexExtractionConfig()],
                     fallback_mode="no_fallback", parsing_timeout=None)
    return tuple(found)


def _is_relation(expr: Any) -> bool:
    from sympy import And
    from sympy.core.relational import Relational

    return isinstance(expr, Relational) or (
        isinstance(expr, And) and all(isinstance(a, Relational) for a in expr.args)
    )


def _as_float(expr: Any) -> float | None:
    try:
        if not getattr(expr, "is_number", False):
            return None
        value = complex(expr.evalf(30))
    except (TypeError, ValueError, ArithmeticError, InvalidOperation):
        return None
    return value.real if value.imag == 0 else None


def _equal(how: str, note: str, reward: float = 1.0) -> Judgement:
    return Judgement(True, how, note, reward)


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


#: Answers of the shapes math data sets hold (a reference, an answer a model might give), judged
#: once by :func:`preload`: each shape teaches the LaTeX parser and sympy's caches something.
_WARM_UP = (
    ("x^2+2x+1", "(x+1)^2"), ("(x-3)(x+4)", "x^2+x-12"),
    ("\\frac{5\\pi}{3}", "\\dfrac{5}{3}\\pi"), ("3\\sqrt{2}", "\\sqrt{18}"),
    ("\\frac{\\sqrt{3}}{2}", "\\sin(\\pi/3)"), ("2^{10}", "1024.0"), ("[2,5)", "x \\in [2, 5)"),
    ("(-\\infty,0]\\cup(1,\\infty)", "(-\\infty, 0] \\cup (1, \\infty)"),
    ("\\{1,2\\}", "\\{2,1\\}"), ("(1,-2)", "(1, -2)"), ("y=2x+1", "2x+1"),
    ("x\\le 3", "3\\ge x"), ("10\\%", "0.1"), ("\\frac{a+b}{2}", "\\frac{b+a}{2}"),
    ("\\log_2 8", "3"), ("e^{i\\pi}", "-1"), ("3+4i", "4i+3"),
    ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}"),
    ("\\frac{2}{3}", "0.6667"), ("12\\text{ cm}", "12"), ("\\pm 2", "2, -2"), ("45^\\circ", "45"),
)


def preload() -> None:
    """Import math-verify and sympy and build their parsers' tables with a few fixed answers,
    so workers forked afterwards share them instead of each building its own."""
    options = MathOptions()
    for reference, answer in _WARM_UP:
        judge(reference, answer, options)


@functools.cache
def _math_verify() -> Any:
    """math-verify, imported on first use (in the worker), with its one-off warning that
    timeouts are off silenced: the engine's deadline is the guard."""
    import math_verify

    for name in ("math_verify", "math_verify.parser", "math_verify.grader"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return math_verify
