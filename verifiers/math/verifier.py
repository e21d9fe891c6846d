"""The ``math`` verifier: extract the final answer, then judge it against the reference."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from rewardkit import Result, Sample, Verifier
from rewardkit.verifiers.math.equivalence import (
    Judgement,
    UnparseableReference,
    check_reference,
    judge,
    judge_full_text,
)
from rewardkit.verifiers.math.extraction import (
    Extraction,
    MalformedAnswer,
    extract_answer,
    extract_reference,
    normalize_unicode,
    tail_for_parse,
)
from rewardkit.verifiers.math.options import MathOptions

#: Characters of an answer or reference kept in a Result's details.
DETAIL_CHARS = 200


class MathVerifier(Verifier):
    """1.0 when the completion's final answer equals the reference answer mathematically.

    Not ``inline``: sympy can hang or exhaust memory on hostile input, so every call runs in
    a worker process that the engine kills at the deadline.
    """

    name = "math"
    description = "final answer equals the reference mathematically (math-verify + sympy)"
    version = "1"
    Options = MathOptions
    timeout = 5.0

    def verify(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, MathOptions)
        if sample.reference is None:
            return Result.skipped("sample has no reference answer")
        raw_reference = reference_text(sample.reference)
        if raw_reference is None:
            return Result.error(
                f"the reference must be text or a number, not {type(sample.reference).__name__}"
            )
        try:
            reference = extract_reference(normalize_unicode(raw_reference))
        except MalformedAnswer as exc:
            return Result.error(f"reference: {exc}")
        details: dict[str, Any] = {"reference": _clip(reference.answer)}
        if len(reference.answer) > options.max_answer_chars:
            return Result.error(f"the reference answer has {len(reference.answer):,} characters; "
                                f"max_answer_chars is {options.max_answer_chars:,}",
                                details=details)
        try:
            check_reference(reference.answer, options)
        except UnparseableReference as exc:
            return Result.error(str(exc), details=details)

        text = normalize_unicode(sample.completion_text)
        try:
            found = extract_answer(text, options.extraction, options.answer_in_think)
        except MalformedAnswer as exc:
            return Result.error(str(exc), details=details)
        try:
            if found is not None:
                details.update(_found(found))
                if len(found.answer) > options.max_answer_chars:
                    return Result.error(
                        f"the extracted answer has {len(found.answer):,} characters; "
                        f"max_answer_chars is {options.max_answer_chars:,}", details=details)
                judgement = judge(reference.answer, found.answer, options)
            elif options.extraction == "auto" and options.full_parse_fallback:
                tail = tail_for_parse(text, options.answer_in_think, options.fallback_window)
                judgement, matched = judge_full_text(reference.answer, tail, options)
                details.update(extracted=_clip(matched), extraction="full_parse")
            else:
                judgement = Judgement(False, "missing", "no answer found")
        except UnparseableReference as exc:
            return Result.error(str(exc), details=details)
        if judgement.how == "missing":
            details["extraction"] = None
            reason = f"no final answer found (extraction={options.extraction!r})"
            if options.missing_answer == "skipped":
                return Result.skipped(reason, details=details)
            return Result(reward=0.0, reason=reason, details=details)
        details["match"] = judgement.how
        verdict = "equal" if judgement.equal else "not equal"
        return Result(reward=judgement.reward if judgement.equal else 0.0,
                      reason=f"{verdict} ({judgement.how}): {judgement.note}", details=details)


def reference_text(reference: object) -> str | None:
    """The reference as text: strings as they are, numbers written out; None otherwise."""
    if isinstance(reference, str):
        return reference
    if isinstance(reference, bool):
        return None
    if isinstance(reference, int | Decimal | Fraction):
        return str(reference)
    if isinstance(reference, float):
        return repr(reference)
    return None


def _found(found: Extraction) -> dict[str, Any]:
    return {"extracted": _clip(found.answer), "extraction": found.method,
            "from_think": found.from_think}


def _clip(text: str) -> str:
    return text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + "..."
