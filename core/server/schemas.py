"""The API's request and response bodies, kept apart from the engine's internal types.

Each resource has a Base model with the shared fields, and Request / Response models built
on it. Converting to and from the engine's ``Sample`` / ``Result`` happens only here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.config import VerifierSpec
from rewardkit.models import Result, Sample, Score

#: A chat message, as in TRL's conversational format: ``{"role": ..., "content": ...}``.
Message = dict[str, Any]
StatusName = Literal["ok", "error", "timeout", "skipped"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- samples ---------------------------------------------------------------------------


class SampleBase(BaseModel):
    """One row to verify, as ``rewardkit score`` and ``RewardEngine.score`` take it: a
    completion (text or chat messages), its prompt, the ground truth and any other columns.

    The ground truth is ``reference``, else the first of ``answer``, ``solution``,
    ``ground_truth``; every other column (``task``, ``id``...) joins ``metadata``.
    """

    # Other columns are the row's own (a routing column, ids): the same rows as every face.
    model_config = ConfigDict(extra="allow")

    prompt: str | list[Message] = ""
    completion: str | list[Message]
    #: The ground truth, in the shape the verifier expects (text, number, test spec...).
    reference: Any = None
    #: Other columns: a routing column such as ``task``, ids, difficulty...
    metadata: dict[str, Any] = Field(default_factory=dict)


class SampleRequest(SampleBase):
    def to_sample(self) -> Sample:
        # The one mapping from rows to Samples; only the columns the row set (a ``reference``
        # left out must not hide an ``answer``).
        return Sample.from_record(self.model_dump(exclude_unset=True))


# --- verifier configs --------------------------------------------------------------------


class VerifierSpecBase(_Strict):
    """A verifier to run and how; deadlines are capped by the server (above the cap: 422)."""

    name: str = Field(min_length=1, max_length=200)
    weight: float = Field(default=1.0, ge=-1e6, le=1e6, allow_inf_nan=False)
    options: dict[str, Any] = Field(default_factory=dict)
    #: Hard deadline per sample in seconds; at most the server's cap.
    timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    #: The name its results carry (to run one verifier twice with different options).
    label: str | None = Field(default=None, min_length=1, max_length=200)


class VerifierSpecRequest(VerifierSpecBase):
    def to_spec(self) -> VerifierSpec:
        return VerifierSpec(name=self.name, weight=self.weight, options=self.options,
                            timeout=self.timeout, label=self.label)


# --- results -----------------------------------------------------------------------------


class ResultBase(_Strict):
    """A verifier's verdict. Only ``ok`` carries a reward; ``skipped``: it does not apply."""

    reward: float
    status: StatusName
    reason: str = ""
    details: dict[str, Any] = Field(default_factory=dict)
    verifier: str
    seconds: float
    cached: bool = False


class ResultResponse(ResultBase):
    @classmethod
    def of(cls, result: Result, *, tracebacks: bool = False) -> ResultResponse:
        details = result.details
        if not tracebacks and "traceback" in details:
            details = {k: v for k, v in details.items() if k != "traceback"}
        return cls(reward=result.reward, status=result.status.value, reason=result.reason,
                   details=details, verifier=result.verifier, seconds=result.seconds,
                   cached=result.cached)


class ScoreBase(_Strict):
    """One sample's weighted reward and every verifier's result."""

    reward: float
    results: list[ResultResponse]


class ScoreResponseItem(ScoreBase):
    @classmethod
    def of(cls, score: Score, *, tracebacks: bool = False) -> ScoreResponseItem:
        return cls(reward=score.reward,
                   results=[ResultResponse.of(r, tracebacks=tracebacks) for r in score.results])


# --- endpoints ---------------------------------------------------------------------------


class VerifyRequest(_Strict):
    """``POST /v1/verify/{verifier}``: one sample, the verifier's options, a deadline."""

    sample: SampleRequest
    options: dict[str, Any] = Field(default_factory=dict)
    timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False)


class ScoreRequest(_Strict):
    """``POST /v1/score``: samples and the verifier config; results come back in order.

    Without ``verifiers`` the server's configured verifiers (and routing) are used.
    """

    samples: list[SampleRequest]
    #: Verifier names (``"math"``, ``"math:0.5"`` with a weight) or full specs.
    verifiers: list[VerifierSpecRequest | str] | None = None
    #: A metadata column whose value picks each sample's verifiers.
    route_by: str | None = Field(default=None, min_length=1)
    #: Column value → verifier keys.
    routes: dict[str, list[str]] | None = None
    #: Default hard deadline per sample, in seconds; at most the server's cap.
    timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    def specs(self) -> list[VerifierSpec] | None:
        if self.verifiers is None:
            return None
        return [VerifierSpec.parse(v) if isinstance(v, str) else v.to_spec()
                for v in self.verifiers]


class ScoreResponse(_Strict):
    scores: list[ScoreResponseItem]


class VerifierDescriptionResponse(_Strict):
    name: str
    plugin: str
    distribution: str | None
    version: str | None
    #: The file of a plugin loaded from a plugins folder.
    source: str | None = None
    description: str
    #: JSON schema of the verifier's options.
    options: dict[str, Any]


class PluginFailureResponse(_Strict):
    plugin: str
    distribution: str | None
    error: str


class VerifiersResponse(_Strict):
    """The installed verifiers and the plugins that failed to load, as the CLI lists them."""

    verifiers: list[VerifierDescriptionResponse]
    failures: list[PluginFailureResponse]


class HealthResponse(_Strict):
    status: Literal["ok"] = "ok"


class ReadyResponse(_Strict):
    status: Literal["ready"] = "ready"
    workers: int
    busy_workers: int
    queued_units: int
    pending_samples: int
