"""The shared vocabulary: what goes into a verifier and what comes out.

These models carry data only; they do no I/O and import nothing heavy, so verifiers,
faces and the engine can all depend on them.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: A chat message as TRL's conversational format has it: ``{"role": ..., "content": ...}``.
Message = dict[str, Any]
#: Text, or a list of chat messages.
Content = str | list[Message]

#: Columns taken as the reference (ground truth) when a record has no ``reference`` column,
#: in this order: the names used by GSM8K/MATH (``answer``, ``solution``) and verl.
REFERENCE_COLUMNS = ("reference", "answer", "solution", "ground_truth")


#: The largest reward a Result may carry: float32's largest number, as TRL and OpenRLHF
#: hold rewards in float32 tensors (a bigger one is infinity there, and NaN advantages).
MAX_REWARD = 3.4028234663852886e38

#: The ``verifier`` of the error Result a sample gets when it cannot be routed.
ROUTING = "routing"

class Status(str, Enum):
    """How a verification ended. Only ``ok`` can carry a non-zero reward."""

    OK = "ok"  #: the verifier judged the sample (reward may still be 0: a wrong answer)
    ERROR = "error"  #: the verifier or its input failed; reward is 0
    TIMEOUT = "timeout"  #: the hard deadline passed; reward is 0
    SKIPPED = "skipped"  #: the verifier does not apply to this sample; reward is 0


def content_text(content: Content) -> str:
    """Plain text of ``content``: the text itself, or the last assistant message's content.

    For a list of messages with no assistant turn, the last message's content is taken.
    """
    if isinstance(content, str):
        return content
    if not content:
        return ""
    for message in reversed(content):
        if message.get("role") == "assistant":
            return _message_text(message)
    return _message_text(content[-1])


def _message_text(message: Message) -> str:
    text = message.get("content")
    if isinstance(text, str):
        return text
    if text is None:  # a message of tool calls only
        return ""
    if isinstance(text, list):  # multimodal parts: keep the text ones
        return "".join(part["text"] for part in text
                       if isinstance(part, dict) and isinstance(part.get("text"), str))
    # Not str(text): the repr of a dict holds numbers a verifier would read as an answer.
    raise TypeError(f"a message's content must be text or a list of parts, "
                    f"not {type(text).__name__}")


class Sample(BaseModel):
    """One completion to verify, with the prompt it answers and the ground truth."""

    model_config = ConfigDict(extra="forbid")

    prompt: Content = ""
    completion: Content
    #: The ground truth, in whatever JSON shape the verifier expects (text, number, test spec...).
    #: A NaN is no reference (None): it is how pandas writes a missing value, and no answer
    #: can equal it, so "nan" must not earn a reward where a data set lacks one.
    reference: Any = None
    #: The record's other columns (a routing column such as ``task``, ids, difficulty...).
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("reference")
    @classmethod
    def _nan_is_missing(cls, reference: Any) -> Any:
        return None if isinstance(reference, float) and math.isnan(reference) else reference

    @property
    def completion_text(self) -> str:
        """The completion as plain text (the last assistant message for chat completions)."""
        return content_text(self.completion)

    @property
    def prompt_text(self) -> str:
        """The prompt as plain text (the last message for chat prompts)."""
        return content_text(self.prompt)

    @classmethod
    def from_record(cls, record: dict[str, Any], *, reference_column: str | None = None) -> Sample:
        """Build a sample from a data set row or JSON line.

        ``prompt`` and ``completion`` are taken by name; the reference is ``reference_column``
        if given, else the first of :data:`REFERENCE_COLUMNS` present; every other column
        goes into ``metadata`` (merged with a ``metadata`` column if the record has one).
        Raises ``ValueError`` (pydantic's ``ValidationError``) when the record does not fit.
        """
        if not isinstance(record, dict):
            raise ValueError(f"a sample must be a JSON object, not {type(record).__name__}")
        rest = dict(record)
        columns = (reference_column,) if reference_column else REFERENCE_COLUMNS
        reference = None
        for column in columns:
            if column in rest:
                reference = rest.pop(column)
                break
        metadata = rest.pop("metadata", None) or {}
        if not isinstance(metadata, dict):
            raise ValueError("the 'metadata' column must be a JSON object")
        fields = {key: rest.pop(key) for key in ("prompt", "completion") if key in rest}
        return cls(**fields, reference=reference, metadata={**rest, **metadata})


class Result(BaseModel):
    """A verifier's verdict on one sample.

    ``status`` tells a wrong answer (``ok``, reward 0) from a broken or hung verifier
    (``error``/``timeout``) and from a verifier that does not apply (``skipped``).
    Any status other than ``ok`` forces ``reward`` to 0.
    """

    model_config = ConfigDict(extra="forbid")

    reward: float = 0.0
    status: Status = Status.OK
    reason: str = ""
    details: dict[str, Any] = Field(default_factory=dict)
    verifier: str = ""
    #: Wall-clock seconds the verification took (0 for a result served from the cache).
    seconds: float = 0.0
    #: True when the result was served from the engine's cache instead of being recomputed.
    cached: bool = False

    @field_validator("reward")
    @classmethod
    def _finite(cls, reward: float) -> float:
        if not math.isfinite(reward):
            raise ValueError(f"reward must be a finite number, got {reward}")
        if abs(reward) > MAX_REWARD:  # a trainer's float32 tensor would hold infinity
            raise ValueError(f"reward must be within ±{MAX_REWARD:.3g} (float32), got {reward}")
        return reward

    @model_validator(mode="after")
    def _only_ok_scores(self) -> Result:
        if self.status is not Status.OK and self.reward != 0.0:
            self.reward = 0.0
        return self

    @property
    def passed(self) -> bool:
        """True for an ``ok`` result with a positive reward."""
        return self.status is Status.OK and self.reward > 0

    @classmethod
    def error(cls, reason: str, **fields: Any) -> Result:
        """An ``error`` result (reward 0) that says why."""
        return cls(status=Status.ERROR, reason=reason, **fields)

    @classmethod
    def skipped(cls, reason: str, **fields: Any) -> Result:
        """A ``skipped`` result: the verifier does not apply to this sample."""
        return cls(status=Status.SKIPPED, reason=reason, **fields)


class Score(BaseModel):
    """The engine's answer for one sample: the weighted reward and every verifier's result."""

    #: Sum of weight × reward over the results whose weight is not 0.
    reward: float
    results: list[Result]

    def result(self, verifier: str) -> Result | None:
        """The result of the verifier named ``verifier``, or None when it did not run."""
        for result in self.results:
            if result.verifier == verifier:
                return result
        return None
