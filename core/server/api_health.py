"""``/healthz``, ``/readyz`` and ``/metrics``: for load balancers and Prometheus."""

from __future__ import annotations

from fastapi import APIRouter, Response

from rewardkit.server.deps import AuthenticatedDep, MetricsDep, ServiceDep
from rewardkit.server.limits import retry_after
from rewardkit.server.metrics import CONTENT_TYPE
from rewardkit.server.problems import ProblemError, problem_responses
from rewardkit.server.schemas import HealthResponse, ReadyResponse

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthResponse)
async def healthz() -> HealthResponse:
    """Liveness: the event loop answers. Never touches the pool, so it is fast when busy."""
    return HealthResponse()


@router.get("/readyz", response_model=ReadyResponse, responses=problem_responses(503))
async def readyz(service: ServiceDep) -> ReadyResponse:
    """Readiness: the worker pool runs and the queue has room (else 503: route elsewhere)."""
    pool = service.pool
    if pool is None or not pool.healthy:
        raise ProblemError(503, "not-ready", "Not ready", "the worker pool is not running",
                           headers={"Retry-After": "1"})
    if service.pending >= service.settings.max_pending:
        raise ProblemError(503, "queue-full", "Queue full", "no room for more samples",
                           headers={"Retry-After": retry_after(service.settings.retry_after)})
    return ReadyResponse(workers=pool.size, busy_workers=pool.busy, queued_units=pool.queued,
                         pending_samples=service.pending)


@router.get("/metrics", response_model=None, response_class=Response,
            responses={200: {"description": "Prometheus text format",
                             "content": {"text/plain": {"schema": {"type": "string"}}}},
                       **problem_responses(401)})
async def metrics_text(metrics: MetricsDep, caller: AuthenticatedDep) -> Response:
    """Prometheus metrics (authenticated like the API when tokens are set)."""
    return Response(metrics.render(), media_type=CONTENT_TYPE)
