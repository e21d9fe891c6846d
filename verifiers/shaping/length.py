"""``length``: length shaping, in tokens when a tokenizer is named, else in characters.

Two modes, with ``L`` the completion's length:

- ``overlong`` (DAPO's soft overlong punishment), with ``M = max_length`` and ``B = buffer``::

      reward = 0                     if L <= M - B
               ((M - B) - L) / B     if M - B < L <= M      (falls linearly from 0 to -1)
               -1                    if L > M

- ``cosine`` (the cosine-scaled reward of "Demystifying Long Chain-of-Thought Reasoning",
  as open-r1 has it), conditioned on the ``judge`` verifier's verdict on the same sample.
  With ``p = min(L / max_length, 1)`` and ``c = (1 + cos(pi * p)) / 2`` (1 at L = 0, 0 at
  ``max_length``)::

      correct: reward = min_value_correct + (max_value_correct - min_value_correct) * c
      wrong:   reward = max_value_wrong   + (min_value_wrong   - max_value_wrong)   * c

  so a short correct answer earns most and a short wrong one loses most. A judge that
  errs, times out or skips passes its status on: the sample gets no length reward.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

import rewardkit
from rewardkit import Result, Sample, Status, Trust, Verifier, VerifierOptions, hookimpl
from rewardkit.verifier import to_result


class LengthOptions(VerifierOptions):
    #: ``overlong``: DAPO's soft overlong punishment; ``cosine``: cosine-scaled by correctness.
    mode: Literal["overlong", "cosine"] = "overlong"
    #: The length the completion may reach (``M``), in tokens or characters.
    max_length: int = Field(default=4096, ge=1)
    #: ``overlong``: the stretch before ``max_length`` over which the penalty grows (``B``).
    buffer: int = Field(default=1024, ge=1)
    #: Count tokens of this Hugging Face tokenizer (a hub name or a local folder) instead of
    #: characters. Operator-only: it names files or hosts to load from.
    tokenizer: Annotated[str | None, Trust.OPERATOR] = None
    #: ``cosine``: the installed verifier that says whether the answer is correct.
    #: Operator-only, with its options: they would bypass the judge's own trust levels.
    judge: Annotated[str, Trust.OPERATOR] = "math"
    #: ``cosine``: options for the judge.
    judge_options: Annotated[dict[str, Any], Trust.OPERATOR] = {}
    min_value_correct: float = 0.5
    max_value_correct: float = 1.0
    min_value_wrong: float = -1.0
    max_value_wrong: float = -0.5

    @model_validator(mode="after")
    def _check(self) -> LengthOptions:
        if self.mode == "overlong" and self.buffer > self.max_length:
            raise ValueError(f"buffer ({self.buffer}) must not exceed max_length "
                             f"({self.max_length})")
        if self.judge == "length":
            raise ValueError("the judge must be another verifier (math, exact_match, ...)")
        return self


class LengthVerifier(Verifier):
    name = "length"
    description = "DAPO overlong punishment, or a cosine length reward conditioned on correctness"
    Options = LengthOptions
    # Not inline: a tokenizer loads from disk, and the cosine mode runs its judge (math can
    # hang), so both run in a worker under the hard deadline.

    def __init__(self, options: LengthOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._tokenizer: Any = None
        self._judge: Verifier | None = None

    def verify(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, LengthOptions)
        length = self.measure(sample.completion_text)
        unit = "tokens" if options.tokenizer else "characters"
        details: dict[str, Any] = {"length": length, "unit": unit}
        if options.mode == "overlong":
            reward = overlong_penalty(length, options.max_length, options.buffer)
            return Result(reward=reward, reason=f"{length} {unit} (max {options.max_length}, "
                          f"buffer {options.buffer})", details=details)
        verdict = self._judge_verdict(sample)
        details["judge"] = verdict.status.value
        if verdict.status is not Status.OK:
            return Result(status=verdict.status, reason=f"{options.judge}: {verdict.reason}",
                          details=details)
        correct = verdict.passed
        details["correct"] = correct
        reward = cosine_length_reward(length, options.max_length, correct, options)
        return Result(reward=reward, reason=f"{'correct' if correct else 'wrong'} answer, "
                      f"{length} {unit} of {options.max_length}", details=details)

    def measure(self, text: str) -> int:
        """The length of ``text``: tokens of the configured tokenizer, else characters."""
        options = self.options
        assert isinstance(options, LengthOptions)
        if options.tokenizer is None:
            return len(text)
        if self._tokenizer is None:
            from transformers import AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(options.tokenizer)
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def _judge_verdict(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, LengthOptions)
        if self._judge is None:
            info = rewardkit.get_plugin_manager().get_verifier(options.judge)
            self._judge = info.create(options.judge_options)
        judge = self._judge
        verdict = judge.verify(sample) if judge.has_sync() else judge.verify_batch([sample])[0]
        return to_result(verdict, options.judge, 0.0)

    def close(self) -> None:
        if self._judge is not None:
            self._judge.close()
            self._judge = None


def overlong_penalty(length: int, max_length: int, buffer: int) -> float:
    """DAPO's soft overlong punishment (see the module docstring)."""
    start = max_length - buffer
    if length <= start:
        return 0.0
    if length <= max_length:
        return (start - length) / buffer
    return -1.0


def cosine_length_reward(length: int, max_length: int, correct: bool,
                         options: LengthOptions) -> float:
    """The cosine-scaled length reward (see the module docstring)."""
    closeness = (1.0 + math.cos(math.pi * min(length / max_length, 1.0))) / 2.0
    if correct:
        low, high = options.min_value_correct, options.max_value_correct
        return low + (high - low) * closeness
    long, short = options.max_value_wrong, options.min_value_wrong
    return long + (short - long) * closeness


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(LengthVerifier)
