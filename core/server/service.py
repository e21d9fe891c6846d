"""The server's one warm worker pool and cache, and an engine per distinct verifier config.

Routes call :class:`VerificationService`; it is the only server code that touches the engine.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Sequence

from pydantic import ValidationError

from rewardkit.cache import ResultCache
from rewardkit.config import ConfigError, VerifierSpec
from rewardkit.engine import (
    LimitExceeded,
    OptionForbidden,
    RewardEngine,
    derive_config,
    start_executor,
)
from rewardkit.models import Sample, Score
from rewardkit.plugins import PluginError, PluginManager, UnknownVerifier, get_plugin_manager
from rewardkit.pool import Executor
from rewardkit.server.limits import retry_after
from rewardkit.server.problems import ProblemError
from rewardkit.server.settings import ServerSettings


class VerificationService:
    """Builds and keeps engines on one shared pool and cache; admits work under the queue cap."""

    def __init__(self, settings: ServerSettings,
                 plugin_manager: PluginManager | None = None) -> None:
        self.settings = settings
        base = settings.engine
        self.plugins = plugin_manager if plugin_manager is not None else get_plugin_manager()
        for folder in base.plugins_dir:
            if folder not in self.plugins.plugin_dirs:
                self.plugins.load_directory(folder)
        self.plugins.require(base.require)
        self.cache = ResultCache(base.cache_size)
        self.pool: Executor | None = None
        self.pending = 0  # samples admitted and not finished
        self._engines: collections.OrderedDict[str, RewardEngine] = collections.OrderedDict()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the worker processes (before the first request, so it is not slowed)."""
        self.pool = start_executor(self.settings.engine, self.plugins)

    def close(self) -> None:
        with self._lock:
            engines, self._engines = list(self._engines.values()), collections.OrderedDict()
        for engine in engines:
            engine.close()
        if self.pool is not None:
            self.pool.close()

    # --- engines ---------------------------------------------------------------------

    def engine_for(self, verifiers: Sequence[VerifierSpec] | None, *, route_by: str | None = None,
                   routes: dict[str, list[str]] | None = None,
                   timeout: float | None = None) -> RewardEngine:
        """The engine for this request's verifier config (built once, then reused).

        The request's overrides are merged with the operator's config and checked by
        :func:`rewardkit.engine.derive_config`. Raises :class:`ProblemError`: 403 for an
        option only the operator may set, 404 for an unknown verifier, 422 for bad options
        or a value above the operator's limits.
        """
        try:
            config = derive_config(self.settings.engine, self.plugins, verifiers=verifiers,
                                   route_by=route_by, routes=routes, timeout=timeout,
                                   max_timeout=self.settings.max_timeout,
                                   max_memory_mb=self.settings.memory_cap_mb)
            key = config.model_dump_json()
            with self._lock:
                engine = self._engines.get(key)
                if engine is not None:
                    self._engines.move_to_end(key)
                    return engine
            engine = RewardEngine(config=config, plugin_manager=self.plugins, pool=self.pool,
                                  cache=self.cache)
        except OptionForbidden as exc:
            raise ProblemError(403, "operator-only-option", "Option set only by the operator",
                               str(exc), verifier=exc.verifier, option=exc.option) from None
        except LimitExceeded as exc:
            raise ProblemError(422, "limit-exceeded", "Value above the server's limit",
                               str(exc), option=exc.where) from None
        except UnknownVerifier as exc:
            raise ProblemError(404, "unknown-verifier", "Unknown verifier", str(exc)) from None
        except ValidationError as exc:
            raise ProblemError(422, "invalid-options", "Invalid verifier options",
                               _short(exc)) from None
        except (ConfigError, PluginError, ValueError) as exc:
            raise ProblemError(422, "invalid-config", "Invalid verifier config",
                               str(exc)) from None
        with self._lock:
            self._engines[key] = engine
            while len(self._engines) > self.settings.engine_cache_size:
                self._engines.popitem(last=False)[1].close()  # a shared pool stays up
        return engine

    # --- scoring ---------------------------------------------------------------------

    async def score(self, engine: RewardEngine, samples: list[Sample]) -> list[Score]:
        """Score ``samples``; 503 when admitting them would pass the queue cap.

        Cancelling the awaiting task (a client that left) cancels the work not yet started.
        """
        if self.pending + len(samples) > self.settings.max_pending:
            raise ProblemError(
                503, "queue-full", "Verification queue full",
                f"{self.pending} samples are waiting; this server admits at most "
                f"{self.settings.max_pending}; retry later",
                headers={"Retry-After": retry_after(self.settings.retry_after)})
        self.pending += len(samples)
        try:
            return await engine.ascore(samples)
        finally:
            self.pending -= len(samples)


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg']}" for e in exc.errors()
    )

