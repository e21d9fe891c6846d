"""The options of the ``math`` verifier (documented one by one in ``docs/math.md``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rewardkit import Trust
from rewardkit.verifiers.math.extraction import ExtractionMode

Preset = Literal["lenient", "strict"]

#: What each preset changes from the field defaults (the field defaults are ``lenient``).
#: An option set explicitly wins over its preset.
PRESETS: dict[str, dict[str, Any]] = {
    "lenient": {},
    "strict": {
        "answer_in_think": False,
        "fallback_needs_anchor": True,
        "plain_numbers": True,
        "answer_last": True,
        "reject_hedges": True,
        "max_completion_chars": 100_000,
    },
}


class MathOptions(BaseModel):
    """Options of the ``math`` verifier. Frozen, so verdicts can be memoised per option set.

    Options marked ``Trust.BOUNDED`` cost time or memory as they grow: a request may lower
    them but not raise them above the operator's values.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: A named set of defaults: "lenient" (evaluation: every verdict math-verify gets right)
    #: or "strict" (training: the answer must be anchored, final, single and evaluated).
    preset: Preset = "lenient"

    #: Where the final answer is looked for: "auto" tries the closing group of \boxed{}, an
    #: <answer> tag, "the answer is ..." and "#### ..." (the one ending latest first, a
    #: capture that is no answer falling through), then math-verify's own scan of the end
    #: of the text; any other value uses that one extractor only.
    extraction: ExtractionMode = "auto"
    #: In "auto" mode, when no extractor finds an answer, let math-verify scan the last
    #: ``fallback_window`` characters of the text for one.
    full_parse_fallback: bool = True
    #: How many characters at the end of the text the fallback scan sees.
    fallback_window: Annotated[int, Trust.BOUNDED] = Field(default=4000, ge=100)
    #: When no answer stands after a <think> block, look for one inside it.
    answer_in_think: bool = True
    #: A completion without a final answer scores 0 ("zero", status ok) or is "skipped".
    missing_answer: Literal["zero", "skipped"] = "zero"
    #: "value": ``x = 3`` and ``3`` are the same answer (the right-hand side is compared);
    #: "strict": an equation equals only an equivalent equation, a value only a value.
    equations: Literal["value", "strict"] = "value"
    #: What a trailing % on one side means: "either" (50% equals 0.5, and 50 between whole
    #: numbers), "value" (the sign is dropped: 50% equals 50 only) or "fraction" (50% equals
    #: 0.5 only). Two percentages compare as written.
    percentages: Literal["either", "value", "fraction"] = "either"
    #: Relative tolerance for numeric answers (0: none). Equal within tolerance scores
    #: ``tolerance_reward``.
    rel_tol: float = Field(default=0.0, ge=0.0)
    #: Absolute tolerance for numeric answers (0: none).
    abs_tol: float = Field(default=0.0, ge=0.0)
    #: Reward for an answer equal only within rel_tol/abs_tol (partial credit); exact is 1.
    tolerance_reward: float = Field(default=1.0, ge=0.0, le=1.0)
    #: Fewest decimal places a written decimal needs to equal a number it is a correct
    #: rounding of (0.333333 equals 1/3 with 6); math-verify's ``float_rounding`` in sympy.
    float_rounding: Annotated[int, Trust.BOUNDED] = Field(default=6, ge=0, le=50)
    #: Significant digits of sympy's numeric checks (math-verify's ``numeric_precision``).
    numeric_precision: Annotated[int, Trust.BOUNDED] = Field(default=15, ge=5, le=100)
    #: Variable names matter (x + 1 differs from y + 1); False matches variables by position.
    strict_variables: bool = True
    #: Let an inequality answer equal an interval reference (1 < x < 2 and (1, 2)).
    allow_set_relation: bool = False
    #: Longest answer or reference (in characters) that is parsed; longer ones are an error.
    max_answer_chars: Annotated[int, Trust.BOUNDED] = Field(default=10_000, ge=10)
    #: In the fallback scan, accept only what math-verify finds after an "answer" anchor
    #: ("Final Answer: ...", "the answer is ..."), never a number anywhere in the text.
    fallback_needs_anchor: bool = False
    #: Against a reference that is a plain number, only a number written out counts
    #: (``7``, ``7.0``, ``\\frac{14}{2}``, ``x = 7``), not arithmetic left to do (``3+4``).
    plain_numbers: bool = False
    #: Only closing words may follow the final answer: no more numbers or mathematics, and
    #: no retraction ("wait", "wrong", "not", ...).
    answer_last: bool = False
    #: Against a single-answer reference, an answer offering alternatives ("3 or 4",
    #: ``\\pm``, a set) or LaTeX that hides or strikes what it shows scores 0.
    reject_hedges: bool = False
    #: Longest completion (in characters) that can earn reward; 0: no limit.
    max_completion_chars: int = Field(default=0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("preset") in PRESETS:
            return {**PRESETS[data["preset"]], **data}
        return data
