"""The server's one operator engine, and the per-request engines derived from it.

Routes call :class:`VerificationService`; it is the only server code that touches the engine.
A request's overrides are merged, checked and cached by :meth:`RewardEngine.derive` (the
same path as every other face); this module only turns its refusals into HTTP problems.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Sequence

from pydantic import ValidationError

from rewardkit.config import ConfigError, VerifierSpec
from rewardkit.engine import LimitExceeded, OptionForbidden, RewardEngine
from rewardkit.execution import Executor
from rewardkit.models import Sample, Score
from rewardkit.plugins import PluginError, PluginManager, UnknownVerifier
from rewardkit.server.limits import retry_after
from rewardkit.server.problems import ProblemError
from rewardkit.server.settings import ServerSettings


class VerificationService:
    """The operator's engine (one warm pool and cache); admits work under the queue cap."""

    def __init__(self, settings: ServerSettings,
                 plugin_manager: PluginManager | None = None) -> None:
        self.settings = settings
        self.engine = RewardEngine.base(settings.engine, plugin_manager,
                                        derived_cache_size=settings.engine_cache_size)
        self.pending = 0  # samples admitted and not finished
        self._caller_pending: collections.Counter[str] = collections.Counter()

    @property
    def pool(self) -> Executor | None:
        return self.engine.pool

    def start(self) -> None:
        """Start the worker processes (before the first request, so it is not slowed)."""
        self.engine.start_pool()

    def close(self) -> None:
        self.engine.close()

    async def aengine_for(self, verifiers: Sequence[VerifierSpec] | None, *,
                          route_by: str | None = None,
                          routes: dict[str, list[str]] | None = None,
                          timeout: float | None = None) -> RewardEngine:
        """:meth:`engine_for` in a thread: a client's options (a rule set's regexes) may cost
        CPU to validate and build, which must not hold the event loop."""
        return await asyncio.to_thread(self.engine_for, verifiers, route_by=route_by,
                                       routes=routes, timeout=timeout)

    def engine_for(self, verifiers: Sequence[VerifierSpec] | None, *,
                   route_by: str | None = None, routes: dict[str, list[str]] | None = None,
                   timeout: float | None = None) -> RewardEngine:
        """The engine for this request's overrides, from :meth:`RewardEngine.derive`.

        Only verifiers the operator's config marks ``inline: true`` run in this process;
        every other one, named by the request or by the config, runs in a worker under its
        deadline and memory limit.

        Raises :class:`ProblemError`: 403 for an option only the operator may set, 404 for an
        unknown verifier, 422 for bad options or a value above the operator's limits.
        """
        try:
            return self.engine.derive(verifiers, route_by=route_by, routes=routes,
                                      timeout=timeout, max_timeout=self.settings.max_timeout,
                                      max_memory_mb=self.settings.memory_cap_mb,
                                      inline_needs_operator=True)
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

    def metric_labels(self, engine: RewardEngine) -> dict[str, str]:
        """The metrics label of each of ``engine``'s verifier keys: the operator's keys as
        they are, a request's own labels as the verifier's name (a label a client makes up
        would be a series the server keeps for good)."""
        mine = set(self.engine.verifiers)
        return {key: key if key in mine else spec.name for key, spec in engine.verifiers.items()}

    # --- scoring ---------------------------------------------------------------------

    async def score(self, engine: RewardEngine, samples: list[Sample],
                    caller: str) -> list[Score]:
        """Score ``samples`` for ``caller``; 503 when admitting them would pass the server's
        queue cap, 429 when the caller's own samples would pass its cap.

        Nothing runs on the event loop: inline verifiers run in a thread, the rest in the
        worker pool. Cancelling the awaiting task (a client that left) cancels the work not
        yet started.
        """
        count = len(samples)
        settings = self.settings
        mine = self._caller_pending[caller]
        own_cap = min(settings.max_caller_pending, settings.max_pending)
        if self.pending + count > settings.max_pending:
            raise ProblemError(
                503, "queue-full", "Verification queue full",
                f"{self.pending} samples are waiting; this server admits at most "
                f"{settings.max_pending}; retry later",
                headers={"Retry-After": retry_after(settings.retry_after)})
        if mine + count > own_cap:
            raise ProblemError(
                429, "too-many-pending", "Too many samples pending for this client",
                f"this client has {mine} samples waiting; each client may have at most "
                f"{own_cap}; retry when they are scored", limit=own_cap,
                headers={"Retry-After": retry_after(settings.retry_after)})
        self.pending += count
        self._caller_pending[caller] += count
        try:
            return await engine.ascore(samples, offload=True)
        finally:
            self.pending -= count
            self._caller_pending[caller] -= count
            if not self._caller_pending[caller]:
                del self._caller_pending[caller]


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg']}" for e in exc.errors()
    )

