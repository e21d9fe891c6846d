"""``POST /v1/openrlhf/get_reward``: OpenRLHF's remote reward model protocol.

Point OpenRLHF's ``--remote_rm_url`` here. It posts ``query``/``prompts``/``labels`` and
reads ``rewards``/``scores``/``extra_logs`` (see :mod:`rewardkit.openrlhf`). The server's
configured verifiers score it, or those named in the URL (``?verifier=math&verifier=format:0.1``),
merged and checked as any request's overrides.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from rewardkit.config import VerifierSpec
from rewardkit.openrlhf import openrlhf_response, samples_from_request
from rewardkit.server.deps import CallerDep, MetricsDep, ServiceDep
from rewardkit.server.disconnect import until_disconnect
from rewardkit.server.problems import ProblemError, problem_responses
from rewardkit.server.strict_json import StrictJSONRoute

router = APIRouter(prefix="/v1/openrlhf", tags=["openrlhf"], route_class=StrictJSONRoute)


class OpenRLHFRequest(BaseModel):
    """What OpenRLHF posts (fields it may add later are ignored)."""

    model_config = ConfigDict(extra="ignore")

    #: Prompt and response, decoded with special tokens.
    query: list[str]
    #: The prompts, as given to the model.
    prompts: list[str] | None = None
    #: The data set's label column: the reference, or a JSON row with one.
    labels: list[Any] | None = None


class OpenRLHFResponse(BaseModel):
    rewards: list[float]
    scores: list[float]
    #: Per-sample numbers OpenRLHF logs: ``<verifier>``, ``<verifier>/failed``, ``routing_failed``.
    extra_logs: dict[str, list[float]] = Field(default_factory=dict)


@router.post("/get_reward", response_model=OpenRLHFResponse,
             responses=problem_responses(401, 403, 404, 408, 413, 422, 429, 503))
async def get_reward(body: OpenRLHFRequest, request: Request, service: ServiceDep,
                     metrics: MetricsDep, caller: CallerDep,
                     verifier: Annotated[list[str] | None, Query(max_length=32)] = None,
                     score_verifier: Annotated[str | None, Query(max_length=200)] = None,
                     ) -> OpenRLHFResponse:
    """Score OpenRLHF's rollouts; one reward per query, in order."""
    limit = service.settings.max_batch
    if len(body.query) > limit:
        metrics.rejected.labels("batch_too_large").inc()
        raise ProblemError(413, "batch-too-large", "Batch too large",
                           f"{len(body.query)} queries; this server takes at most {limit}",
                           limit=limit)
    try:
        samples = samples_from_request(body.query, body.prompts, body.labels)
        specs = [VerifierSpec.parse(text) for text in verifier] if verifier else None
    except ValueError as exc:  # ConfigError and pydantic's errors are ValueErrors
        raise ProblemError(422, "invalid-request", "Invalid OpenRLHF request",
                           str(exc).splitlines()[0]) from None
    engine = await service.aengine_for(specs)
    keys = list(engine.verifiers)
    if score_verifier is not None and score_verifier not in keys:
        raise ProblemError(422, "invalid-config", "Invalid verifier config",
                           f"score_verifier {score_verifier!r} is not configured ({keys})")
    scores = await until_disconnect(request, service.score(engine, samples, caller))
    labels = service.metric_labels(engine)
    for scored in scores:
        metrics.count_results(scored.results, labels)
    return OpenRLHFResponse.model_validate(openrlhf_response(scores, keys, score_verifier))

