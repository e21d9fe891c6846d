"""``POST /v1/verify/{verifier}`` and ``POST /v1/score``: verification through the engine."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import ValidationError

from rewardkit.config import ConfigError, VerifierSpec
from rewardkit.models import Score
from rewardkit.server.deps import (
    CallerDep,
    IdempotencyDep,
    IdempotencyKeyHeader,
    MetricsDep,
    ServiceDep,
)
from rewardkit.server.disconnect import until_disconnect
from rewardkit.server.problems import ProblemError, problem_responses
from rewardkit.server.schemas import (
    ResultResponse,
    ScoreRequest,
    ScoreResponse,
    ScoreResponseItem,
    VerifyRequest,
)
from rewardkit.server.strict_json import StrictJSONRoute

router = APIRouter(prefix="/v1", tags=["verification"], route_class=StrictJSONRoute)


@router.post("/verify/{verifier}", response_model=ResultResponse,
             responses=problem_responses(401, 403, 404, 408, 409, 413, 422, 429, 503))
async def verify(verifier: Annotated[str, Path(min_length=1, max_length=200)],
                 body: VerifyRequest, request: Request,
                 service: ServiceDep, metrics: MetricsDep, caller: CallerDep,
                 idempotency: IdempotencyDep,
                 idempotency_key: IdempotencyKeyHeader = None) -> Response:
    """Judge one sample with the verifier named in the path (any installed verifier; the
    operator's config for it applies), with the given options."""

    async def run() -> ResultResponse:
        spec = VerifierSpec(name=verifier, options=body.options, timeout=body.timeout)
        engine = await service.aengine_for([spec])
        scores = await until_disconnect(
            request, service.score(engine, [body.sample.to_sample()], caller))
        result = scores[0].results[0]
        metrics.count_results([result], service.metric_labels(engine))
        return ResultResponse.of(result, tracebacks=service.settings.expose_tracebacks)

    return await idempotency.respond(caller, idempotency_key, f"verify/{verifier}",
                                     await request.body(), run)


@router.post("/score", response_model=ScoreResponse,
             responses=problem_responses(401, 403, 404, 408, 409, 413, 422, 429, 503))
async def score(body: ScoreRequest, request: Request,
                service: ServiceDep, metrics: MetricsDep, caller: CallerDep,
                idempotency: IdempotencyDep,
                idempotency_key: IdempotencyKeyHeader = None) -> Response:
    """Score a batch of samples with a verifier config; one score per sample, in order."""
    limit = service.settings.max_batch
    if len(body.samples) > limit:
        metrics.rejected.labels("batch_too_large").inc()
        raise ProblemError(413, "batch-too-large", "Batch too large",
                           f"{len(body.samples)} samples; this server takes at most {limit} "
                           "per request: split the batch", limit=limit)

    async def run() -> ScoreResponse:
        try:
            specs = body.specs()
        except (ConfigError, ValidationError) as exc:
            raise ProblemError(422, "invalid-config", "Invalid verifier config",
                               str(exc).splitlines()[0]) from None
        engine = await service.aengine_for(specs, route_by=body.route_by, routes=body.routes,
                                          timeout=body.timeout)
        samples = [s.to_sample() for s in body.samples]
        scores: list[Score] = await until_disconnect(
            request, service.score(engine, samples, caller))
        tracebacks = service.settings.expose_tracebacks
        labels = service.metric_labels(engine)
        for scored in scores:
            metrics.count_results(scored.results, labels)
        return ScoreResponse(scores=[ScoreResponseItem.of(s, tracebacks=tracebacks)
                                     for s in scores])

    return await idempotency.respond(caller, idempotency_key, "score", await request.body(),
                                     run)
