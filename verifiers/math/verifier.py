"""The ``math`` verifier: extract the final answer, then judge it against the reference."""

from __future__ import annotations

from typing import Any

from rewardkit import Result, Sample, Verifier
from rewardkit.verifiers.math import equivalence, strictness
from rewardkit.verifiers.math.equivalence import (
    Judgement,
    UnparseableReference,
    check_reference,
    compare_parsed,
    is_answer,
    judge,
    judge_full_text,
    judge_parsed,
    scan,
)
from rewardkit.verifiers.math.extraction import (
    Extraction,
    MalformedAnswer,
    answer_part,
    candidates,
    looks_bare,
    normalize_unicode,
    strip_answer,
    taken_back,
)
from rewardkit.verifiers.math.options import MathOptions
from rewardkit.verifiers.math.references import (
    extract_reference,
    reference_texts,
    several_answers,
)

#: Characters of an answer or reference kept in a Result's details.
DETAIL_CHARS = 200


class MathVerifier(Verifier):
    """1.0 when the completion's final answer equals the reference answer mathematically.

    Not ``inline``: sympy can hang or exhaust memory on hostile input, so every call runs in
    a worker process that the engine kills at the deadline.
    """

    name = "math"
    description = "final answer equals the reference mathematically (math-verify + sympy)"
    version = "6"  # 6: percent, rounding, scaling words, degrees, truncated scans (fuzz)
    Options = MathOptions
    timeout = 5.0

    @classmethod
    def preload(cls) -> None:
        """math-verify, sympy and their parser tables, loaded once before workers fork."""
        equivalence.preload()

    def verify(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, MathOptions)
        if sample.reference is None:
            return Result.skipped("sample has no reference answer")
        texts = reference_texts(sample.reference)
        if texts is None:
            return Result.error("the reference must be text, a number or a list of them, "
                                f"not {type(sample.reference).__name__}")
        references: list[Extraction] = []
        details: dict[str, Any] = {}
        for raw in texts:
            try:
                reference = extract_reference(normalize_unicode(raw))
            except MalformedAnswer as exc:
                return Result.error(f"reference: {exc}")
            references.append(reference)
            details["reference"] = " | ".join(_clip(r.answer) for r in references)
            if len(reference.answer) > options.max_answer_chars:
                return Result.error(f"the reference answer has {len(reference.answer):,} "
                                    f"characters; max_answer_chars is "
                                    f"{options.max_answer_chars:,}", details=details)
            try:
                check_reference(reference.answer, options)
            except UnparseableReference as exc:
                if not reference.parsed:  # else math-verify's scan read it: compare that
                    return Result.error(str(exc), details=details)

        text = normalize_unicode(sample.completion_text)
        if options.max_completion_chars and len(text) > options.max_completion_chars:
            return Result(reward=0.0, details=details,
                          reason=f"not equal (too long): the completion has {len(text):,} "
                                 f"characters; max_completion_chars is "
                                 f"{options.max_completion_chars:,}")
        part, in_think = answer_part(text, options.answer_in_think)
        try:
            found, taken = _first_answer(part, options)
        except MalformedAnswer as exc:
            return Result.error(str(exc), details=details)
        rest = 0
        if taken is not None:  # not final: the answer is in the text after it
            details["taken_back"] = _clip(taken.answer)
            rest = taken.end
        try:
            if found is not None:
                details.update(extracted=_clip(found.answer), extraction=found.method,
                               from_think=in_think)
                if len(found.answer) > options.max_answer_chars:
                    return Result.error(
                        f"the extracted answer has {len(found.answer):,} characters; "
                        f"max_answer_chars is {options.max_answer_chars:,}", details=details)
                tags = (strictness.several_answer_tags(part) if options.reject_hedges and
                        not any(several_answers(ref) for ref in references) else None)
                judgement = Judgement(False, "strict", tags) if tags else _best(
                    judge_extraction(ref, found, options) for ref in references)
            elif options.extraction == "auto" and options.full_parse_fallback:
                judgement, matched = _judge_scan(references, part[rest:], options)
                details.update(extracted=_clip(matched), extraction="full_parse",
                               from_think=in_think)
            else:
                judgement = Judgement(False, "missing", "no answer found")
        except UnparseableReference as exc:
            return Result.error(str(exc), details=details)
        if judgement.how == "missing":
            details["extraction"] = None
            reason = f"no final answer found (extraction={options.extraction!r})"
            if taken is not None:
                reason = f"{reason}: the text takes back {_clip(taken.answer)!r}"
            if options.missing_answer == "skipped":
                return Result.skipped(reason, details=details)
            return Result(reward=0.0, reason=reason, details=details)
        details["match"] = judgement.how
        verdict = "equal" if judgement.equal else "not equal"
        return Result(reward=judgement.reward if judgement.equal else 0.0,
                      reason=f"{verdict} ({judgement.how}): {judgement.note}", details=details)


def _first_answer(part: str,
                  options: MathOptions) -> tuple[Extraction | None, Extraction | None]:
    """The first anchored answer that is an answer at all (with one extractor named, what
    it finds), or else the latest anchored answer the text took back (the fallback scan
    then reads only the text after it). None and None: the fallback scan reads it all."""
    for found in candidates(part, options.extraction):
        after = part[found.end:]
        if options.extraction == "auto" and taken_back(after):
            return _bare_last_line(after, options), found
        # Too long to parse is still the answer found: the length check refuses it.
        if options.extraction != "auto" or len(found.answer) > options.max_answer_chars or \
                all(is_answer(p, found.method == "boxed") for p in found.parts or
                    (found.answer,)):
            return found, None
    whole = strip_answer(part)
    if options.fallback_needs_anchor and whole and is_answer(whole):
        # Nothing but an answer ("$9$", "1.22") is its own anchor; a sentence needs one.
        return Extraction(whole, "text", end=len(part)), None
    return None, None


def _bare_last_line(text: str, options: MathOptions) -> Extraction | None:
    """After an answer taken back, a last line that is nothing but an answer ("(D)",
    "**3/11**", "\\[ 12\\text{ feet} \\]") is the new one: math-verify's scan misreads
    these. Not under ``fallback_needs_anchor``, where an answer needs an anchor."""
    if options.fallback_needs_anchor:
        return None
    found = next(candidates(text, "final_line"), None)
    if found is not None and looks_bare(found.answer) and is_answer(found.answer):
        return found
    return None


def judge_extraction(reference: Extraction, found: Extraction,
                     options: MathOptions) -> Judgement:
    """One reference against an extracted answer, with the set and hedge semantics of a
    group of boxes and the checks the options switch on."""
    if options.answer_last and (why := strictness.not_last(found.tail)):
        return Judgement(False, "strict", why)
    several = several_answers(reference)
    if found.parts and several:
        return _judge(reference, found.answer, options)  # a set against a set
    answers = found.parts or (found.answer,)
    judgements = []
    for answer in answers:
        if options.reject_hedges and not several and \
                (why := strictness.hedge(reference.answer, answer)):
            return Judgement(False, "strict", why)
        if options.plain_numbers and (why := strictness.not_plain_number(reference.answer,
                                                                          answer)):
            return Judgement(False, "strict", why)
        judgements.append(_judge(reference, answer, options))
    if len(judgements) > 1 and not all(j.equal for j in judgements):
        # Several different boxed candidates against one answer: a hedge, never a pass.
        return Judgement(False, "hedge", f"{len(answers)} different boxed answers for one")
    return judgements[0] if len(judgements) == 1 else min(judgements, key=lambda j: j.reward)


def _judge_scan(references: list[Extraction], part: str,
                options: MathOptions) -> tuple[Judgement, str]:
    tail = part[-options.fallback_window:]
    if options.fallback_needs_anchor and options.answer_last and \
            (why := strictness.unanchored_scan(tail)):
        return Judgement(False, "missing" if why == strictness.NO_ANCHOR else "strict", why), ""
    results = [_judge_full_text(ref, tail, options) for ref in references]
    best = next((r for r in results if r[0].equal), results[0])
    judgement, matched = best
    if judgement.equal and (why := strictness.digit_soup(tail, matched)):
        return Judgement(False, "soup", why), matched
    if judgement.equal and (why := strictness.truncated_capture(tail, matched)):
        return Judgement(False, "truncated", why), matched
    if matched and (scaled := strictness.scaled_capture(tail, matched)):
        # "5 dozen", "25%": the scan read 5 and 25; the answer is what scales them.
        return _best(_judge(ref, scaled, options) for ref in references), matched
    if judgement.equal and options.plain_numbers and matched and \
            any(strictness.not_plain_number(ref.answer, matched) for ref in references):
        return Judgement(False, "strict", "the answer is not a number written out"), matched
    return best


def _judge(reference: Extraction, answer: str, options: MathOptions) -> Judgement:
    try:
        return judge(reference.answer, answer, options)
    except UnparseableReference:
        if not reference.parsed:
            raise
        return judge_parsed(reference.parsed, answer, options)


def _judge_full_text(reference: Extraction, tail: str,
                     options: MathOptions) -> tuple[Judgement, str]:
    try:
        return judge_full_text(reference.answer, tail, options)
    except UnparseableReference:
        if not reference.parsed:
            raise
        parsed, matched = scan(tail, options.fallback_needs_anchor)
        return compare_parsed([reference.parsed], [parsed], options), matched


def _best(judgements: Any) -> Judgement:
    """The first equal judgement (any acceptable answer will do), else the first one."""
    seen = list(judgements)
    return next((j for j in seen if j.equal), seen[0])


def _clip(text: str) -> str:
    return text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + "..."
