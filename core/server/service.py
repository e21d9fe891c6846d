"""The server's one warm worker pool and cache, and an engine per distinct verifier config.

Routes call :class:`VerificationService`; it is the only server code that touches the engine.
"""

from __future__ import annotations

import collections
import json
import re
import threading
from collections.abc import Sequence

from pydantic import ValidationError

from rewardkit.cache import ResultCache
from rewardkit.config import ConfigError, EngineConfig, VerifierSpec
from rewardkit.engine import RewardEngine, start_executor
from rewardkit.models import Sample, Score
from rewardkit.plugins import PluginError, PluginManager, UnknownVerifier, get_plugin_manager
from rewardkit.pool import Executor
from rewardkit.server.limits import retry_after
from rewardkit.server.problems import ProblemError
from rewardkit.server.settings import ServerSettings

#: Option names taken as a deadline (seconds) or a memory size (MiB), capped by the server.
_TIMEOUT_OPTION = re.compile(r"(^|_)timeout(_s|_seconds)?($|_)")
_MEMORY_OPTION = re.compile(r"(^|_)(memory|mem)(_limit)?(_mb|_mib)?$")


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
        """The engine for this verifier config (built once, then reused).

        Raises :class:`ProblemError`: 404 for an unknown verifier, 422 for bad options or a
        deadline or memory size above the server's caps.
        """
        base = self.settings.engine
        if not verifiers:  # the server's own config, its routing included unless overridden
            verifiers = base.verifiers
            if route_by is None:
                route_by, routes = base.route_by, routes or base.routes
        cap = self.settings.max_timeout
        default: float | None
        if timeout is not None:
            default = self._cap_timeout(timeout, "timeout")
        else:
            default = min(base.timeout, cap) if base.timeout is not None else None
        try:
            specs = [self._capped(spec, default) for spec in verifiers]
        except UnknownVerifier as exc:
            raise ProblemError(404, "unknown-verifier", "Unknown verifier", str(exc)) from None
        except PluginError as exc:
            raise ProblemError(422, "invalid-config", "Invalid verifier config",
                               str(exc)) from None
        config = {
            "verifiers": [spec.model_dump(mode="json", exclude_defaults=True) for spec in specs],
            "route_by": route_by,
            "routes": routes or {},
            "timeout": default,
        }
        key = json.dumps(config, sort_keys=True)
        with self._lock:
            engine = self._engines.get(key)
            if engine is not None:
                self._engines.move_to_end(key)
                return engine
        try:
            # max_timeout: a verifier's own default deadline is cut to the server's cap too.
            engine = RewardEngine(config=EngineConfig.model_validate(
                {**config, "workers": base.worker_count, "cache_size": base.cache_size,
                 "max_timeout": cap}),
                plugin_manager=self.plugins, pool=self.pool, cache=self.cache)
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

    def _capped(self, spec: VerifierSpec, default: float | None) -> VerifierSpec:
        if spec.timeout is not None:
            self._cap_timeout(spec.timeout, f"{spec.key}.timeout")
        else:
            self.plugins.get_verifier(spec.name)  # an unknown name is a 404 here
        for name, value in spec.options.items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if _TIMEOUT_OPTION.search(name):
                self._cap_timeout(float(value), f"{spec.key}.options.{name}")
            elif _MEMORY_OPTION.search(name):
                cap = self.settings.memory_cap_mb
                if cap is not None and value > cap:
                    raise ProblemError(
                        422, "limit-exceeded", "Memory above the server's cap",
                        f"{spec.key}.options.{name}={value} MiB; this server allows at most "
                        f"{cap} MiB")
        return spec

    def _cap_timeout(self, value: float, where: str) -> float:
        cap = self.settings.max_timeout
        if value > cap:
            raise ProblemError(422, "limit-exceeded", "Deadline above the server's cap",
                               f"{where}={value:g} s; this server allows at most {cap:g} s")
        return value

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

