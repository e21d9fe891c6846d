"""What the TRL adapter scores through: a local :class:`~rewardkit.RewardEngine` or a server.

The adapter (``rewards.py``) needs only :class:`Scorer`: the configured verifiers with their
weights, and ``score``/``ascore``. A :class:`RewardEngine` is one as it is; :class:`RemoteScorer`
makes a :class:`rewardkit.client.Client` one. So batching, the memo of a repeated batch,
weights, metrics and TRL's values are one implementation for both.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from rewardkit.config import ConfigError, VerifierSpec
from rewardkit.models import Sample, Score
from rewardkit.overrides import operator_config, weighted

if TYPE_CHECKING:
    from rewardkit.client import Client


class Scorer(Protocol):
    """Scores samples with configured verifiers (a :class:`~rewardkit.RewardEngine` is one)."""

    @property
    def verifiers(self) -> dict[str, VerifierSpec]: ...

    def score(self, samples: list[Sample]) -> list[Score]: ...

    async def ascore(self, samples: list[Sample]) -> list[Score]: ...


class RemoteScorer:
    """A ``rewardkit serve`` as a :class:`Scorer`: each batch is one ``score`` call there.

    The verifiers are parsed and weighted here by the engine's own functions
    (``operator_config``, ``weighted``); the server merges and checks them as the overrides of
    a request, under its operator's limits.

    :param client: a :class:`~rewardkit.client.Client` to use (the caller closes it), or a
        function that makes one: then this scorer owns its client, :meth:`close` closes it and
        the next batch opens a new one, as a local engine starts a new pool after ``close``.
    """

    def __init__(self, client: Client | Callable[[], Client], verifiers: Any, *,
                 weights: Mapping[str, float] | Sequence[float] | None = None,
                 route_by: str | None = None, routes: Mapping[str, list[str]] | None = None,
                 timeout: float | None = None) -> None:
        specs = operator_config(None, verifiers).verifiers if verifiers is not None else []
        if not specs:
            raise ConfigError("name at least one verifier: the server's are not known here")
        if weights is not None:
            specs = weighted(specs, weights)
        self._make: Callable[[], Client] | None = None
        self._client: Client | None = None
        if callable(client):
            self._make = client
        else:
            self._client = client
        self._lock = threading.Lock()
        self.url = self.client.url
        self.specs = specs
        self.route_by = route_by
        self.routes = dict(routes) if routes is not None else None
        self.timeout = timeout

    @property
    def client(self) -> Client:
        """The HTTP client; an owned one closed by :meth:`close` is opened again."""
        with self._lock:
            if self._client is None:
                assert self._make is not None
                self._client = self._make()
            return self._client

    @property
    def verifiers(self) -> dict[str, VerifierSpec]:
        return {spec.key: spec for spec in self.specs}

    def score(self, samples: list[Sample]) -> list[Score]:
        return self.client.score(samples, self.specs, route_by=self.route_by,
                                 routes=self.routes, timeout=self.timeout)

    async def ascore(self, samples: list[Sample]) -> list[Score]:
        # The sync client in a thread: one connection pool for both forms of the functions.
        return await asyncio.to_thread(self.score, samples)

    def close(self) -> None:
        """Close the HTTP client when this scorer made it (not one it was given)."""
        if self._make is None:
            return
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def __repr__(self) -> str:
        return f"at {self.url}"

