"""The routes' dependencies: the service, the authenticated caller, the idempotency key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rewardkit.server.idempotency import IdempotencyStore
from rewardkit.server.limits import RateLimiter, retry_after
from rewardkit.server.metrics import Metrics
from rewardkit.server.problems import ProblemError
from rewardkit.server.service import VerificationService

_bearer = HTTPBearer(auto_error=False, description="A token given to `rewardkit serve`.")


def get_service(request: Request) -> VerificationService:
    service: VerificationService = request.app.state.service
    return service


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def get_idempotency(request: Request) -> IdempotencyStore:
    store: IdempotencyStore = request.app.state.idempotency
    return store


ServiceDep = Annotated[VerificationService, Depends(get_service)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
IdempotencyDep = Annotated[IdempotencyStore, Depends(get_idempotency)]


def authenticate(request: Request, service: ServiceDep,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                 ) -> str:
    """The caller's identity: a digest of its token (never the token), or its address.

    The token was checked by :class:`~rewardkit.server.auth.AuthMiddleware` before the body
    was read (a request without a valid one got its 401 there); ``credentials`` is declared
    so that the API's document names the bearer scheme.
    """
    if not service.settings.tokens:
        return f"address:{request.client.host if request.client else 'unknown'}"
    caller: str = request.state.caller
    return caller


def rate_limited_caller(request: Request, caller: Annotated[str, Depends(authenticate)]) -> str:
    """The authenticated caller, once its token bucket grants this request (else 429)."""
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.acquire(caller)
    if wait > 0:
        get_metrics(request).rejected.labels("rate_limited").inc()
        raise ProblemError(429, "rate-limited", "Too many requests",
                           f"this client may make {limiter.rate:g} requests per second "
                           f"(bursts of {limiter.burst}); retry later",
                           headers={"Retry-After": retry_after(wait)})
    return caller


#: The caller of a metered route (authenticated and rate limited).
CallerDep = Annotated[str, Depends(rate_limited_caller)]
#: The caller of an unmetered route (authenticated only).
AuthenticatedDep = Annotated[str, Depends(authenticate)]
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255,
           description="Repeat a request safely: the stored response is returned."),
]

