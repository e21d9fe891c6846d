"""Prometheus metrics: requests, latency, verdicts by verifier and status, pool saturation.

Each app has its own registry, so several apps (tests, several servers in one process) never
share counters. With several uvicorn worker processes each has its own: scrape every one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rewardkit.execution import Executor
from rewardkit.models import Result

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    10.0, 30.0, 60.0)


class Metrics:
    """The counters and histograms of one app."""

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created: scrape noise
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("rewardkit_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("rewardkit_http_request_duration_seconds",
                                 "Time to answer an HTTP request", ["method", "route"],
                                 buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.verdicts = Counter("rewardkit_verifications", "Verifier results returned",
                                ["verifier", "status"], registry=self.registry)
        self.rejected = Counter("rewardkit_rejected_requests",
                                "Requests refused by a limit, by reason", ["reason"],
                                registry=self.registry)

    def count_results(self, results: Iterable[Result],
                      labels: Mapping[str, str] | None = None) -> None:
        """Count ``results`` under ``labels[result.verifier]`` (by default the key itself)."""
        labels = labels or {}
        for result in results:
            key = result.verifier
            self.verdicts.labels(labels.get(key, key), result.status.value).inc()

    def watch_pool(self, pool: Callable[[], Executor | None],
                   pending: Callable[[], int]) -> None:
        self.registry.register(_PoolCollector(pool, pending))

    def watch_shadow(self, metrics: Callable[[], dict[str, float]]) -> None:
        """Export shadow verification (``RewardEngine.shadow_metrics``) as labelled gauges."""
        self.registry.register(_ShadowCollector(metrics))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _PoolCollector(Collector):
    def __init__(self, pool: Callable[[], Executor | None], pending: Callable[[], int]) -> None:
        self._pool = pool
        self._pending = pending

    def collect(self) -> Iterator[Metric]:
        pool = self._pool()
        size, busy, queued, restarts = (
            (pool.size, pool.busy, pool.queued, pool.restarts) if pool else (0, 0, 0, 0))
        yield GaugeMetricFamily("rewardkit_pool_workers", "Worker processes", value=size)
        yield GaugeMetricFamily("rewardkit_pool_busy_workers", "Workers with work in hand",
                                value=busy)
        yield GaugeMetricFamily("rewardkit_pool_queued_units", "Units waiting for a worker",
                                value=queued)
        yield GaugeMetricFamily("rewardkit_pool_saturation", "Busy workers / workers",
                                value=busy / size if size else 0.0)
        yield CounterMetricFamily("rewardkit_pool_restarts", "Workers replaced after a "
                                  "timeout or a crash", value=restarts)
        yield GaugeMetricFamily("rewardkit_pending_samples",
                                "Samples admitted and not yet scored", value=self._pending())
        health = getattr(pool, "health", None)  # the ray executor's view of its nodes
        if callable(health):
            state = health()
            yield GaugeMetricFamily("rewardkit_ray_nodes", "Ray nodes holding a live actor",
                                    value=len(state["nodes"]))
            yield GaugeMetricFamily("rewardkit_ray_nodes_lost",
                                    "Ray nodes lost while they held actors",
                                    value=len(state["lost_nodes"]))


class _ShadowCollector(Collector):
    """``rewardkit_shadow_disagreement_rate{verifier=...}`` and its companions."""

    _NAMES = {
        "disagreement_rate": ("rewardkit_shadow_disagreement_rate",
                              "Share of shadowed samples where the shadow verifier disagrees"),
        "unparseable_rate": ("rewardkit_shadow_unparseable_rate",
                             "Share of shadowed samples either verifier could not judge"),
        "shadowed": ("rewardkit_shadow_samples", "Samples judged by a shadow verifier"),
        "shadow_dropped": ("rewardkit_shadow_dropped_samples",
                           "Sampled samples not shadowed because the shadow queue was full"),
    }

    def __init__(self, metrics: Callable[[], dict[str, float]]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        values = self._metrics()
        for suffix, (name, help_text) in self._NAMES.items():
            family = GaugeMetricFamily(name, help_text, labels=["verifier"])
            for key, value in values.items():
                verifier, _, metric = key.removeprefix("rewardkit/").rpartition("/")
                if metric == suffix:
                    family.add_metric([verifier], value)
            yield family


class MetricsMiddleware:
    """Counts every HTTP answer by route template (not raw path: bounded label values)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            # A client may send any token as the method: each would be series kept forever.
            method = scope["method"] if scope["method"] in _METHODS else "other"
            code = str(status) if status else "disconnected"
            self.metrics.requests.labels(method, template, code).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - start)
