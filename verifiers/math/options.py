"""The options of the ``math`` verifier (documented one by one in ``docs/math.md``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.verifiers.math.extraction import ExtractionMode


class MathOptions(BaseModel):
    """Options of the ``math`` verifier. Frozen, so verdicts can be memoised per option set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Where the final answer is looked for: "auto" tries the last \boxed{}, an <answer> tag,
    #: "the answer is ...", "#### ..." and a bare final line, in that order, then lets
    #: math-verify scan the end of the text; any other value uses that one extractor only.
    extraction: ExtractionMode = "auto"
    #: In "auto" mode, when no extractor finds an answer, let math-verify scan the last
    #: ``fallback_window`` characters of the text for one.
    full_parse_fallback: bool = True
    #: How many characters at the end of the text the fallback scan sees.
    fallback_window: int = Field(default=4000, ge=100)
    #: When no answer stands after a <think> block, look for one inside it.
    answer_in_think: bool = True
    #: A completion without a final answer scores 0 ("zero", status ok) or is "skipped".
    missing_answer: Literal["zero", "skipped"] = "zero"
    #: "value": ``x = 3`` and ``3`` are the same answer (the right-hand side is compared);
    #: "strict": an equation equals only an equivalent equation, a value only a value.
    equations: Literal["value", "strict"] = "value"
    #: What a trailing % means: "either" (50% equals 50 and 0.5), "value" (the sign is
    #: dropped: 50% equals 50 only) or "fraction" (50% equals 0.5 only).
    percentages: Literal["either", "value", "fraction"] = "either"
    #: Relative tolerance for numeric answers (0: none). Equal within tolerance scores
    #: ``tolerance_reward``.
    rel_tol: float = Field(default=0.0, ge=0.0)
    #: Absolute tolerance for numeric answers (0: none).
    abs_tol: float = Field(default=0.0, ge=0.0)
    #: Reward for an answer equal only within rel_tol/abs_tol (partial credit); exact is 1.
    tolerance_reward: float = Field(default=1.0, ge=0.0, le=1.0)
    #: Decimal places a written decimal is rounded to before comparing (math-verify's
    #: ``float_rounding``): 0.333333 equals 1/3 with 6.
    float_rounding: int = Field(default=6, ge=0, le=50)
    #: Significant digits of sympy's numeric checks (math-verify's ``numeric_precision``).
    numeric_precision: int = Field(default=15, ge=5, le=100)
    #: Variable names matter (x + 1 differs from y + 1); False matches variables by position.
    strict_variables: bool = True
    #: Let an inequality answer equal an interval reference (1 < x < 2 and (1, 2)).
    allow_set_relation: bool = False
    #: Longest answer or reference (in characters) that is parsed; longer ones are an error.
    max_answer_chars: int = Field(default=10_000, ge=10)
