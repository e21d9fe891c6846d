"""TRL reward functions over any scorer: a local :class:`~rewardkit.RewardEngine` or a server.

``reward_functions(["math", "format:0.1"])`` gives one callable per verifier with TRL's
contract, ``fn(prompts, completions, completion_ids=None, **columns) -> list[float | None]``.
Each batch is scored once, for every verifier, through one shared engine and its warm worker
pool; each callable then returns its own verifier's column. Pass ``remote=URL`` to have a
rewardkit server do the verifying instead: the same adapter, over a
:class:`~rewardkit.trl.scorers.RemoteScorer` (same batching, memo, weights, metrics).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rewardkit.config import EngineConfig, with_training_presets
from rewardkit.engine import RewardEngine
from rewardkit.models import ROUTING, Result, Sample, Score, Status
from rewardkit.overrides import operator_config
from rewardkit.plugins import PluginManager
from rewardkit.trl.batches import reward_of, samples_from_batch
from rewardkit.trl.scorers import RemoteScorer, Scorer
from rewardkit.trl.telemetry import OTHER, PatternTelemetry

if TYPE_CHECKING:
    from rewardkit.trl.callback import RewardkitCallback

#: Seconds one HTTP request of ``remote=URL`` may take, and most samples in one.
REMOTE_REQUEST_TIMEOUT = 300.0
REMOTE_BATCH_SIZE = 1024

LogMetric = Callable[[str, float], None]
LogExtra = Callable[[str, list[Any]], None]


class _Batch:
    """One scored batch and the verifiers already served from it."""

    def __init__(self, prompts: Sequence[Any], completions: Sequence[Any]) -> None:
        # Holding the lists keeps their ids from being reused by a later batch.
        self.prompts = prompts
        self.completions = completions
        self.served: set[str] = set()
        self.scores: list[Score] | None = None
        self.task: asyncio.Future[list[Score]] | None = None

    def same(self, prompts: Sequence[Any], completions: Sequence[Any], key: str) -> bool:
        return (prompts is self.prompts and completions is self.completions
                and key not in self.served)


class BatchScorer:
    """Scores each batch once for every verifier and records its telemetry.

    TRL calls every reward function with the same ``prompts`` and ``completions`` lists;
    the first call scores the batch, the others read the memo. A verifier asking again for
    a batch it was already served means a new batch (scored again). ``scorer`` is a local
    engine or a :class:`RemoteScorer`; pattern telemetry needs a local engine's plugins.
    """

    def __init__(self, scorer: Scorer, *, reference_column: str | None = None,
                 telemetry: PatternTelemetry | None = None,
                 pattern_verifier: str | None = None) -> None:
        if telemetry is not None and not isinstance(scorer, RewardEngine):
            raise ValueError("pattern telemetry needs a local engine (its plugins label "
                             "the patterns); pass patterns=False")
        self.scorer = scorer
        self.keys = list(scorer.verifiers)
        self.reference_column = reference_column
        self.telemetry = telemetry
        self.pattern_verifier = pattern_verifier or self.keys[0]
        if self.pattern_verifier not in self.keys:
            raise ValueError(f"pattern_verifier {self.pattern_verifier!r} is not configured "
                             f"(configured: {self.keys})")
        self._lock = threading.Lock()
        self._batch: _Batch | None = None
        self._batches = 0

    def scores(self, key: str, prompts: Sequence[Any], completions: Sequence[Any],
               kwargs: Mapping[str, Any]) -> list[Score]:
        """The batch's Scores, computing them on the first verifier's call."""
        with self._lock:
            batch = self._batch
            if batch is None or not batch.same(prompts, completions, key):
                batch = self._batch = _Batch(prompts, completions)
                samples = self._samples(prompts, completions, kwargs)
                started = time.perf_counter()
                batch.scores = self.scorer.score(samples)
                self._record(samples, batch.scores, time.perf_counter() - started, kwargs)
            batch.served.add(key)
            assert batch.scores is not None
            return batch.scores

    async def ascores(self, key: str, prompts: Sequence[Any], completions: Sequence[Any],
                      kwargs: Mapping[str, Any]) -> list[Score]:
        """Like :meth:`scores`, awaiting the workers; concurrent callers share one scoring."""
        batch = self._batch
        if batch is None or batch.task is None or not batch.same(prompts, completions, key):
            batch = self._batch = _Batch(prompts, completions)
            batch.task = asyncio.ensure_future(self._ascore(prompts, completions, kwargs))
        batch.served.add(key)
        return await asyncio.shield(batch.task)

    async def _ascore(self, prompts: Sequence[Any], completions: Sequence[Any],
                      kwargs: Mapping[str, Any]) -> list[Score]:
        samples = self._samples(prompts, completions, kwargs)
        started = time.perf_counter()
        scores = await self.scorer.ascore(samples)
        self._record(samples, scores, time.perf_counter() - started, kwargs)
        return scores

    def _samples(self, prompts: Sequence[Any], completions: Sequence[Any],
                 kwargs: Mapping[str, Any]) -> list[Sample]:
        return samples_from_batch(prompts, completions, kwargs,
                                  reference_column=self.reference_column)

    def _record(self, samples: list[Sample], scores: list[Score], seconds: float,
                kwargs: Mapping[str, Any]) -> None:
        """Log the batch's verifier metrics, reasons and pattern telemetry through TRL."""
        self._batches += 1
        log_metric: LogMetric | None = kwargs.get("log_metric")
        log_extra: LogExtra | None = kwargs.get("log_extra")
        metrics: dict[str, float] = {"rewardkit/batch_seconds": seconds}
        extra: dict[str, list[Any]] = {}
        n = len(scores)
        for key in self.keys:
            results = [score.result(key) for score in scores]
            ran = [r for r in results if r is not None]
            # Rates are over the samples the verifier saw: with half the batch routed
            # elsewhere, failing all of its own is a 100 % error rate, not 50 %. A batch it
            # saw none of logs no rate (a 0 would pull the step's mean down), only its share.
            metrics[f"rewardkit/{key}/share"] = len(ran) / n if n else 0.0
            if ran:
                for status in (Status.ERROR, Status.TIMEOUT, Status.SKIPPED):
                    count = sum(r.status is status for r in ran)
                    metrics[f"rewardkit/{key}/{status.value}_rate"] = count / len(ran)
            timed = [r.seconds for r in ran if not r.cached]
            metrics[f"rewardkit/{key}/seconds"] = sum(timed) / len(timed) if timed else 0.0
            extra[f"{key}/status"] = [r.status.value if r else "not routed" for r in results]
            extra[f"{key}/reason"] = [r.reason if r else "" for r in results]
        if isinstance(self.scorer, RewardEngine):  # shadow runs so far (docs/probe.md)
            metrics.update(self.scorer.shadow_metrics())
        routing = sum(score.result(ROUTING) is not None for score in scores)
        if routing:
            metrics["rewardkit/routing_error_rate"] = routing / n
        if self.telemetry is not None:
            labels, passed = self._patterns(samples, scores)
            step = getattr(kwargs.get("trainer_state"), "global_step", None)
            metrics.update(self.telemetry.observe(labels, passed,
                                                  step if step is not None else self._batches,
                                                  self.telemetry.strata(samples)))
            extra["pattern"] = labels
        if log_metric is not None:
            for name, value in metrics.items():
                log_metric(name, value)
        if log_extra is not None:
            for column, values in extra.items():
                log_extra(column, values)

    def _patterns(self, samples: list[Sample],
                  scores: list[Score]) -> tuple[list[str], list[bool | None]]:
        labels: list[str] = []
        passed: list[bool | None] = []
        for sample, score in zip(samples, scores):
            result = _pattern_result(score, self.pattern_verifier)
            assert isinstance(self.scorer, RewardEngine)  # checked in __init__
            labels.append(self.scorer.classify_pattern(sample, result) or OTHER)
            passed.append(result.passed if result.status is Status.OK else None)
        return labels, passed


def _pattern_result(score: Score, key: str) -> Result:
    """The result a sample's pattern success is judged by: ``key``'s, else its first ok one."""
    result = score.result(key)
    if result is not None:
        return result
    return next((r for r in score.results if r.status is Status.OK),
                score.results[0] if score.results else Result.skipped("no verifier ran"))


class RewardFunction:
    """One verifier's TRL reward function; ``__name__`` is the verifier key.

    ``fn(prompts, completions, completion_ids=None, **columns) -> list[float | None]``:
    None where the verifier does not apply (``skipped``, or routed elsewhere), 0.0 for an
    error or timeout, else the verifier's reward. ``weight`` is its configured weight, for
    ``GRPOConfig(reward_weights=...)``.
    """

    __name__: str

    def __init__(self, key: str, weight: float, scorer: BatchScorer) -> None:
        self.__name__ = self.__qualname__ = key
        self.weight = weight
        self.scorer = scorer

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any],
                 completion_ids: Sequence[Any] | None = None,
                 **kwargs: Any) -> list[float | None]:
        scores = self.scorer.scores(self.__name__, prompts, completions, kwargs)
        return [reward_of(score, self.__name__) for score in scores]

    def __repr__(self) -> str:
        where = "(local engine)" if isinstance(self.scorer.scorer, RewardEngine) else (
            repr(self.scorer.scorer))
        return f"<reward function {self.__name__!r} {where}>"


class AsyncRewardFunction(RewardFunction):
    """The awaitable form, for trainers that ``await`` async reward functions (TRL ≥ 0.20)."""

    async def __call__(  # type: ignore[override]
            self, prompts: Sequence[Any], completions: Sequence[Any],
            completion_ids: Sequence[Any] | None = None,
            **kwargs: Any) -> list[float | None]:
        scores = await self.scorer.ascores(self.__name__, prompts, completions, kwargs)
        return [reward_of(score, self.__name__) for score in scores]


class RewardFunctions(list[Callable[..., Any]]):
    """The reward functions, in verifier order, plus what a training run needs around them.

    Pass the list itself as ``reward_funcs``, ``weights`` as ``reward_weights`` and
    ``callback`` in ``callbacks`` (it warms the pool before step 1, keeps a metrics log
    in the output folder for ``rewardkit patterns report`` and closes the pool at the end).
    """

    def __init__(self, functions: Iterable[Callable[..., Any]],
                 engine: RewardEngine | None = None,
                 telemetry: PatternTelemetry | None = None,
                 remote: RemoteScorer | None = None) -> None:
        super().__init__(functions)
        self.engine = engine  # None when a server verifies (``remote``)
        self.telemetry = telemetry
        self.remote = remote

    @property
    def names(self) -> list[str]:
        return [str(getattr(fn, "__name__", "")) for fn in self]

    @property
    def weights(self) -> list[float]:
        return [float(getattr(fn, "weight", 1.0)) for fn in self]

    @property
    def callback(self) -> RewardkitCallback:
        """A ``transformers.TrainerCallback`` for these functions (imports transformers)."""
        from rewardkit.trl.callback import RewardkitCallback

        return RewardkitCallback(self)

    def warm(self) -> None:
        """Start the worker pool now (a no-op for remote or inline-only verifiers)."""
        if self.engine is not None:
            self.engine.warm()

    def close(self) -> None:
        """Stop the worker pool (or close the HTTP client made for ``remote=URL``); calling
        a function again starts a new pool (or client), as a second ``trainer.train()``
        does after the callback closed them."""
        if self.engine is not None:
            self.engine.close()
        if self.remote is not None:
            self.remote.close()

    def __enter__(self) -> RewardFunctions:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reward_functions(verifiers: Any = None, *,
                     weights: Mapping[str, float] | Sequence[float] | None = None,
                     route_by: str | None = None,
                     routes: Mapping[str, list[str]] | None = None,
                     config: EngineConfig | Mapping[str, Any] | str | Path | None = None,
                     remote: Any = None,
                     token: str | None = None,
                     reference_column: str | None = None,
                     timeout: float | None = None,
                     workers: int | None = None,
                     plugin_manager: PluginManager | None = None,
                     patterns: bool | PatternTelemetry = True,
                     pattern_verifier: str | None = None,
                     asynchronous: bool = False,
                     warm: bool = True,
                     **settings: Any) -> RewardFunctions:
    """Reward functions for TRL trainers (``GRPOTrainer``, ``RLOOTrainer``), one per verifier.

    :param verifiers: names (``"math"``, ``"math:0.5"``), specs or dicts, or name → weight;
        None takes the config's list.
    :param weights: per-verifier weights, by key or in order (``fn.weight``,
        ``functions.weights``); TRL applies them through ``reward_weights``.
    :param route_by: a dataset column whose value picks each sample's verifiers; a verifier
        not picked for a sample gives None for it.
    :param routes: column value → verifier keys (see :class:`~rewardkit.EngineConfig`).
    :param config: an engine config (object, dict or YAML/TOML path).
    :param remote: a server URL or a ``rewardkit.client.Client``: verify there instead, with
        callables of the same shape (no local engine, no pattern telemetry).
    :param token: the server's bearer token (``remote`` only).
    :param reference_column: the column holding the ground truth (default: ``reference``,
        ``answer``, ``solution`` or ``ground_truth``).
    :param timeout: per-sample deadline in seconds.
    :param workers: worker processes of the local pool.
    :param plugin_manager: the plugins to use (default: the installed ones).
    :param patterns: log reasoning-pattern telemetry (``patterns/<label>/share`` and
        ``/success``); pass a :class:`PatternTelemetry` to tune its warnings.
    :param pattern_verifier: the verifier whose verdict is a pattern's success (default:
        the first one).
    :param asynchronous: return ``async`` callables, which TRL awaits concurrently.
    :param warm: start the worker pool now, before the trainer's first step.
    :param settings: any other :class:`~rewardkit.EngineConfig` field.
    """
    telemetry = None
    if patterns is not False:
        telemetry = patterns if isinstance(patterns, PatternTelemetry) else PatternTelemetry()
    engine: RewardEngine | None = None
    remote_scorer: RemoteScorer | None = None
    if remote is not None:
        local = {"config": config, "workers": workers, "plugin_manager": plugin_manager,
                 **settings}
        given = sorted(name for name, value in local.items() if value is not None)
        if given:
            raise TypeError(f"{', '.join(given)} configure a local engine; with remote= the "
                            "server's configuration applies")
        remote_scorer = _remote_scorer(remote, verifiers, token=token, weights=weights,
                                       route_by=route_by, routes=routes, timeout=timeout)
        scorer: Scorer = remote_scorer
        telemetry = None  # labelling patterns needs the plugins, which live on the server
    else:
        operator = operator_config(config, verifiers, route_by=route_by, routes=routes,
                                   timeout=timeout, workers=workers, **settings)
        # Training defaults (a spec's own options win) are the operator's, not a client's
        # override: they go into the operator's config, and the engine is built once.
        if operator.verifiers:
            operator = operator.model_copy(
                update={"verifiers": with_training_presets(operator.verifiers)})
        engine = RewardEngine(config=operator, plugin_manager=plugin_manager)
        # A route_by over every installed verifier: its list is known once the engine has
        # expanded it (the plugins are the engine's to ask).
        specs = list(engine.verifiers.values())
        trained = with_training_presets(specs)
        if trained != specs:
            engine.close()
            engine = RewardEngine(config=operator.model_copy(update={"verifiers": trained}),
                                  plugin_manager=engine.plugins)
        scorer = engine if weights is None else engine.derive(weights=weights)
    batch_scorer = BatchScorer(scorer, reference_column=reference_column, telemetry=telemetry,
                               pattern_verifier=pattern_verifier)
    kind = AsyncRewardFunction if asynchronous else RewardFunction
    functions = RewardFunctions(
        [kind(key, spec.weight, batch_scorer) for key, spec in scorer.verifiers.items()],
        engine=engine, telemetry=telemetry, remote=remote_scorer)
    if warm:
        functions.warm()
    return functions



def _remote_scorer(remote: Any, verifiers: Any, *, token: str | None,
                   **options: Any) -> RemoteScorer:
    try:
        from rewardkit.client import Client
    except ImportError as exc:
        raise ImportError(f"remote reward functions need rewardkit.client and its HTTP "
                          f"client (pip install 'rewardkit[server]'): {exc}") from exc
    if isinstance(remote, str):
        def connect() -> Client:
            return Client(remote, token=token, timeout=REMOTE_REQUEST_TIMEOUT,
                          batch_size=REMOTE_BATCH_SIZE)

        return RemoteScorer(connect, verifiers, **options)
    if not isinstance(remote, Client):
        raise TypeError(f"remote= takes a server URL or a rewardkit.client.Client, "
                        f"not {type(remote).__name__}")
    return RemoteScorer(remote, verifiers, **options)
