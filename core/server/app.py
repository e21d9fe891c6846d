"""The FastAPI application: routers, limits, problem bodies, metrics, the shared pool."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from rewardkit import __version__
from rewardkit.plugins import PluginManager
from rewardkit.server import api_health, api_openrlhf, api_verification, api_verifiers
from rewardkit.server.auth import AuthMiddleware
from rewardkit.server.idempotency import IdempotencyStore
from rewardkit.server.limits import BodyLimitMiddleware, RateLimiter
from rewardkit.server.metrics import Metrics, MetricsMiddleware
from rewardkit.server.problems import install_handlers
from rewardkit.server.service import VerificationService
from rewardkit.server.settings import ServerSettings, tokens_from_env

#: Settings (as JSON, tokens excluded) handed to each uvicorn worker process.
SETTINGS_ENV = "REWARDKIT_SERVER_SETTINGS"


def create_app(settings: ServerSettings | None = None, *,
               plugin_manager: PluginManager | None = None) -> FastAPI:
    """A rewardkit server app. Its worker pool starts with the app's lifespan and stops with it.

    :param settings: limits, tokens and the engine config (default: :class:`ServerSettings`).
    :param plugin_manager: where verifiers come from (default: the installed plugins).
    """
    settings = settings if settings is not None else ServerSettings()
    service = VerificationService(settings, plugin_manager)
    metrics = Metrics()
    metrics.watch_pool(lambda: service.pool, lambda: service.pending)
    metrics.watch_shadow(lambda: service.engine.shadow_metrics())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="rewardkit",
        version=__version__,
        summary="Verification and rewards for RL with verifiable rewards",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.metrics = metrics
    app.state.limiter = RateLimiter(settings.rate_limit, settings.rate_burst)
    app.state.idempotency = IdempotencyStore(
        settings.idempotency_size, settings.idempotency_ttl,
        max_bytes=settings.idempotency_max_bytes, caller_bytes=settings.idempotency_caller_bytes)
    install_handlers(app)
    app.include_router(api_verifiers.router)
    app.include_router(api_verification.router)
    app.include_router(api_openrlhf.router)
    app.include_router(api_health.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       read_timeout=settings.read_timeout)
    # Outside the body reader: a request without a valid token gets its 401 unread.
    app.add_middleware(AuthMiddleware, tokens=settings.token_values(), metrics=metrics)
    app.add_middleware(MetricsMiddleware, metrics=metrics)  # outermost: sees every answer
    return app


def app_from_environment() -> FastAPI:
    """The app of one uvicorn worker process under ``rewardkit serve --http-workers N``."""
    data = json.loads(os.environ.get(SETTINGS_ENV, "{}"))
    data["tokens"] = tokens_from_env()
    return create_app(ServerSettings.model_validate(data))
