"""RewardEngine: config → routing → preparation → cache → execution → weighted Scores.

Every face (CLI, server, trainer adapter, remote client) scores through this class; none
verifies anything itself or talks to plugins by another path. The operator's config is merged
once, by :func:`operator_config`; a client's overrides of it (a server request, a trainer's
weights) go through :meth:`RewardEngine.derive`, which checks them with :func:`derive_config`
(``overrides.py``) and shares the parent's pool, cache and plugins.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rewardkit.cache import ResultCache, cache_key, verifier_token
from rewardkit.catalog import Catalog, catalog
from rewardkit.config import DEFAULT_TIMEOUT, ConfigError, EngineConfig, VerifierSpec
from rewardkit.execution import (
    Batch,
    Executor,
    Mode,
    PoolClosed,
    VerifierRef,
    arun_unit,
    mode_of,
    run_unit,
    start_executor,
)
from rewardkit.execution.units import error_result
from rewardkit.models import ROUTING, Result, Sample, Score, Status
from rewardkit.overrides import LimitExceeded as LimitExceeded
from rewardkit.overrides import OptionForbidden as OptionForbidden
from rewardkit.overrides import derive_config as derive_config
from rewardkit.overrides import operator_config, weighted
from rewardkit.plugins import PluginError, PluginManager, get_plugin_manager, make_plugin_manager
from rewardkit.shadow import ShadowRunner
from rewardkit.verifier import Verifier

log = logging.getLogger(__name__)
_T = TypeVar("_T")

NO_VERIFIERS = "no verifiers configured: name at least one"
#: Batches larger than this are prepared off the event loop by :meth:`RewardEngine.ascore`.
ASYNC_OFFLOAD = 16
#: Largest group of samples handed to one ``verify_batch`` call.
MAX_BATCH = 64

#: Engines derived from one parent kept built (by their config), oldest dropped first.
DERIVED_CACHE_SIZE = 32

SampleLike = Sample | Mapping[str, Any]
VerifiersArg = Iterable[str | VerifierSpec | Mapping[str, Any]] | Mapping[str, Any]


@dataclass
class _Slot:
    """A configured verifier: its spec, its instance and how the engine runs it."""

    spec: VerifierSpec
    verifier: Verifier
    mode: Mode
    timeout: float
    inline: bool
    ref: VerifierRef  # what a worker builds the verifier from
    token: bytes | None  # identifies its verdicts in the cache; None: never cached


@dataclass(slots=True)  # one per distinct sample: no __dict__ for the collector to walk
class _Job:
    """Work for one verifier on one distinct (prepared) sample, wanted at ``targets``."""

    sample: Sample
    cache_key: bytes | None
    targets: list[tuple[int, int]] = field(default_factory=list)
    result: Result | None = None


@dataclass
class _Plan:
    """One submitted batch: a result slot per (sample, verifier) and the jobs that fill them."""

    keys: list[list[str]]
    results: list[list[Result | None]]
    jobs: dict[str, list[_Job]]
    #: What the executor is working on: each batch's Results belong to its jobs, in order.
    pending: list[tuple[Batch, list[_Job]]] = field(default_factory=list)


class RewardEngine:
    """Scores samples with configured verifiers, in worker processes under hard deadlines.

    :param verifiers: verifier names (``"math"``, ``"math:0.5"`` with a weight), specs or
        dicts, or a mapping of name → weight. Overrides the config's list when given.
    :param config: an :class:`EngineConfig`, a dict of its fields, or a YAML/TOML file path.
    :param plugin_manager: the plugins to take verifiers from (default: the installed ones).
    :param pool: an executor (:func:`start_executor`) to share with other engines (a
        trainer's reward functions); it must use the same plugin manager, and this engine's
        :meth:`close` leaves it running (engines from :meth:`derive` share their parent's).
        By default the engine starts its own.
    :param cache: a :class:`ResultCache` to share with other engines.
    :param settings: any other :class:`EngineConfig` field (``route_by``, ``timeout``,
        ``workers``, ``cache_size``, ...), overriding the config.

    Raises :class:`ConfigError` for a config that cannot be used, ``UnknownVerifier`` for a
    name no plugin registers, and pydantic's ``ValidationError`` for bad verifier options;
    all before any scoring starts. Use it as a context manager, or call :meth:`close`, to
    stop its worker processes.
    """

    def __init__(self, verifiers: VerifiersArg | None = None, *,
                 config: EngineConfig | Mapping[str, Any] | str | Path | None = None,
                 plugin_manager: PluginManager | None = None, pool: Executor | None = None,
                 cache: ResultCache | None = None, **settings: Any) -> None:
        self._setup(operator_config(config, verifiers, **settings), plugin_manager, pool, cache,
                    parent=None, base=False)

    @classmethod
    def base(cls, config: EngineConfig, plugin_manager: PluginManager | None = None,
             derived_cache_size: int = DERIVED_CACHE_SIZE) -> RewardEngine:
        """An operator's engine that may name no verifiers: the parent of derived ones.

        A server's config may leave every verifier to its requests; scoring with such an
        engine itself raises :class:`ConfigError`.
        """
        engine = cls.__new__(cls)
        engine._setup(config, plugin_manager, None, None, parent=None, base=True)
        engine._derived_size = derived_cache_size
        return engine

    def _setup(self, config: EngineConfig, plugin_manager: PluginManager | None,
               pool: Executor | None, cache: ResultCache | None, *,
               parent: RewardEngine | None, base: bool,
               inline_needs_operator: bool = False) -> None:
        self.config = config
        self._inline_needs_operator = inline_needs_operator
        if pool is not None and plugin_manager is None:
            plugin_manager = pool.plugin_manager
        self.plugins = _plugin_manager_for(self.config, plugin_manager)
        if pool is not None and pool.plugin_manager is not self.plugins:
            raise ConfigError("a shared worker pool must use the engine's plugin manager")
        self.plugins.require(self.config.require)
        specs = self.config.verifiers
        if not specs and self.config.route_by:
            specs = [VerifierSpec(name=name) for name in self.plugins.get_verifiers()]
        if not specs and not base:
            raise ConfigError(NO_VERIFIERS)
        self._slots: dict[str, _Slot] = {}
        for spec in specs:
            try:
                self._slots[spec.key] = self._make_slot(spec)
            except ValueError as exc:  # bad options or files: say which verifier
                exc.add_note(f"verifier {spec.key!r}")
                raise
        for value, keys in self.config.routes.items():
            unknown = [key for key in keys if key not in self._slots]
            if unknown:
                raise ConfigError(f"route {value!r} names unconfigured verifiers: {unknown}")
        self.cache = cache if cache is not None else ResultCache(self.config.cache_size)
        self._parent = parent
        self._pool: Executor | None = pool
        self._owns_pool = pool is None and parent is None
        self._pool_lock = threading.Lock()
        self._derived: collections.OrderedDict[str, RewardEngine] = collections.OrderedDict()
        self._derived_size = DERIVED_CACHE_SIZE
        self._classify_failed = False  # logged once
        # Shadow verifiers (a spec's ``shadow``): built now, so a bad one fails here.
        self._shadow = ShadowRunner.attach(self, specs, parent)

    def derive(self, verifiers: VerifiersArg | None = None, *,
               weights: Mapping[str, float] | Sequence[float] | None = None,
               route_by: str | None = None, routes: Mapping[str, list[str]] | None = None,
               timeout: float | None = None, max_timeout: float | None = None,
               max_memory_mb: int | None = None,
               inline_needs_operator: bool = False) -> RewardEngine:
        """An engine for a client's overrides of this engine's config (a server request's,
        a trainer's weights), sharing this engine's worker pool, cache and plugins.

        The overrides are checked by :func:`derive_config` the same way for every face:
        :class:`OptionForbidden` for an option only the operator may set,
        :class:`LimitExceeded` above ``max_timeout``/``max_memory_mb`` or a bounded option's
        operator value, ``UnknownVerifier``, pydantic's ``ValidationError`` for bad options,
        :class:`ConfigError` for weights naming unconfigured verifiers. With
        ``inline_needs_operator`` (the server) only verifiers whose operator spec says
        ``inline: true`` run inline. The same overrides return the same (kept) engine;
        closing it leaves the pool to this one. Safe to call from several threads.
        """
        specs = None if verifiers is None else _specs(verifiers)
        config = derive_config(self.config, self.plugins, verifiers=specs, route_by=route_by,
                               routes=routes, timeout=timeout, max_timeout=max_timeout,
                               max_memory_mb=max_memory_mb)
        if weights is not None:
            config = config.model_copy(update={"verifiers": weighted(config.verifiers, weights)})
        key = f"{inline_needs_operator}:{config.model_dump_json()}"
        with self._pool_lock:
            engine = self._derived.get(key)
            if engine is not None:
                self._derived.move_to_end(key)
                return engine
        built = RewardEngine.__new__(RewardEngine)
        built._setup(config, self.plugins, None, self.cache, parent=self, base=False,
                     inline_needs_operator=inline_needs_operator)
        with self._pool_lock:
            engine = self._derived.setdefault(key, built)
            self._derived.move_to_end(key)
            dropped = [] if engine is built else [built]  # another thread built it first
            while len(self._derived) > self._derived_size:
                dropped.append(self._derived.popitem(last=False)[1])
        for old in dropped:
            old.close()  # its own verifier instances; the shared pool stays up
        return engine

    def _make_slot(self, spec: VerifierSpec) -> _Slot:
        info = self.plugins.get_verifier(spec.name)
        verifier = info.create(spec.options)
        timeout = spec.timeout or self.config.timeout or verifier.timeout or DEFAULT_TIMEOUT
        if self.config.max_timeout is not None:
            timeout = min(timeout, self.config.max_timeout)
        inline = verifier.inline if spec.inline is None else spec.inline
        if self._inline_needs_operator:
            # A client's choice of verifier runs in a worker, under its deadline and memory
            # limit, unless the operator's own spec said ``inline: true``.
            inline = spec.inline is True
        options = verifier.options.model_dump(mode="json")
        ref = (spec.name, json.dumps(options, sort_keys=True))
        token = None
        if verifier.cacheable and self.config.cache_size > 0:
            token = verifier_token(spec.name, verifier.version, options)
        return _Slot(spec, verifier, mode_of(verifier), timeout, inline, ref, token)

    @property
    def verifiers(self) -> dict[str, VerifierSpec]:
        """The configured verifiers by the key their results carry."""
        return {key: slot.spec for key, slot in self._slots.items()}

    @property
    def timeouts(self) -> dict[str, float]:
        """Each configured verifier's hard deadline per sample, in seconds, as it applies.

        The spec's ``timeout``, else the config's, else the verifier's own, else 10 s; never
        more than the config's ``max_timeout``.
        """
        return {key: slot.timeout for key, slot in self._slots.items()}

    # --- scoring -----------------------------------------------------------------------

    def score(self, samples: Iterable[SampleLike]) -> list[Score]:
        """Score ``samples``; one :class:`Score` per sample, in input order.

        A verifier that raises, hangs, crashes its worker or returns something unusable
        gives that sample an ``error``/``timeout`` Result with reward 0; the rest are scored.
        """
        return self._wait(self._submit(samples))

    async def ascore(self, samples: Iterable[SampleLike], *,
                     offload: bool = False) -> list[Score]:
        """Like :meth:`score`, awaiting the workers without blocking the event loop.

        Inline verifiers that only implement ``averify`` are awaited on the caller's loop.
        A batch of more than :data:`ASYNC_OFFLOAD` samples (any batch, with ``offload``) is
        read, routed, hashed and run through inline sync verifiers in a thread, so the loop
        stays free for other requests. Cancelling the awaiting task cancels the work not yet
        started.
        """
        items = list(samples)
        offload = offload or len(items) > ASYNC_OFFLOAD
        if offload:
            plan = await _off_loop(self._submit, items, False, cancel=self._cancel)
        else:
            plan = self._submit(items, run_async_inline=False)
        try:
            await self._run_async_inline(plan)
            results = await asyncio.gather(
                *(asyncio.wrap_future(batch.future) for batch, _ in plan.pending))
        except BaseException:
            self._cancel(plan)
            raise
        for (_, jobs), batch_results in zip(plan.pending, results):
            for job, result in zip(jobs, batch_results):
                job.result = result
        if offload:
            return await asyncio.to_thread(self._finish, plan)
        return self._finish(plan)

    def score_iter(self, samples: Iterable[SampleLike], batch_size: int = 1024) -> Iterator[Score]:
        """Score a stream lazily, in order, keeping two batches in flight so workers never idle."""
        window: collections.deque[_Plan] = collections.deque()
        iterator = iter(samples)
        try:
            while batch := list(itertools.islice(iterator, batch_size)):
                window.append(self._submit(batch))
                if len(window) > 1:
                    yield from self._wait(window.popleft())
            while window:
                yield from self._wait(window.popleft())
        finally:
            for plan in window:
                self._cancel(plan)

    def _wait(self, plan: _Plan) -> list[Score]:
        """Block until ``plan``'s pooled jobs are done; on an interruption, cancel the rest."""
        for batch, jobs in plan.pending:
            try:
                results = batch.result()
            except BaseException:
                self._cancel(plan)
                raise
            for job, result in zip(jobs, results):
                job.result = result
        return self._finish(plan)

    def catalog(self) -> Catalog:
        """The verifiers this engine's plugins offer (options schema, types, defaults) and
        the plugins that failed to load: what ``rewardkit verifiers`` and
        ``GET /v1/verifiers`` list."""
        return catalog(self.plugins)

    def classify_pattern(self, sample: Sample, result: Result) -> str | None:
        """The reasoning-pattern label plugins give ``sample``, or None.

        None too when a ``classify_pattern`` implementation raises: telemetry must not
        end a training step (the first failure is logged with its traceback).
        """
        try:
            return self.plugins.classify_pattern(sample, result)
        except Exception:
            if not self._classify_failed:
                self._classify_failed = True
                log.warning("classify_pattern raised; such samples count as unlabelled",
                            exc_info=True)
            return None

    def warm(self) -> None:
        """Start the worker processes now rather than on the first batch (when any verifier
        runs in them)."""
        if any(not slot.inline for slot in self._slots.values()):
            self._get_pool()

    def start_pool(self) -> Executor:
        """Start the worker processes now, for the engines :meth:`derive` will give."""
        return self._get_pool()

    def shadow_metrics(self) -> dict[str, float]:
        """Disagreement with each shadow verifier so far: ``rewardkit/<key>/disagreement_rate``,
        ``/unparseable_rate``, ``/shadowed``, ``/shadow_dropped`` (empty without shadows).
        Shared with the engines :meth:`derive` gives."""
        return self._shadow.monitor.metrics() if self._shadow is not None else {}

    def shadow_summary(self) -> str:
        """One line per shadowed verifier (empty without shadows), for a terminal."""
        return self._shadow.monitor.summary() if self._shadow is not None else ""

    def flush_shadow(self, timeout: float = 60.0) -> bool:
        """Wait (at most ``timeout`` s) for the shadow work queued so far, here and in the
        engines :meth:`derive` gave; False when time ran out."""
        with self._pool_lock:
            engines = [self, *self._derived.values()]
        return all([e._shadow.flush(timeout) for e in engines if e._shadow is not None])

    def close(self) -> None:
        """Close this engine's own verifier instances and stop its worker processes (not a
        shared pool's). Scoring again starts new ones. Queued shadow work is finished first."""
        if self._shadow is not None:
            self._shadow.close()
        with self._pool_lock:
            derived, self._derived = list(self._derived.values()), collections.OrderedDict()
        for engine in derived:
            engine.close()
        for slot in self._slots.values():
            try:
                slot.verifier.close()
            except Exception:  # Verifier.close must not raise; one that does stops nothing
                log.exception("closing verifier %r failed", slot.spec.key)
        if not self._owns_pool:
            return
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> RewardEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pool(self) -> Executor | None:
        """The worker pool, once started (for metrics: size, busy, queued, restarts)."""
        return self._parent.pool if self._parent is not None else self._pool

    # --- the steps -----------------------------------------------------------------------

    def _submit(self, samples: Iterable[SampleLike], run_async_inline: bool = True) -> _Plan:
        if not self._slots:
            raise ConfigError(NO_VERIFIERS)
        items = [_as_sample(sample) for sample in samples]
        keys = [self._route(sample) for sample in items]
        plan = _Plan(keys=[k if isinstance(k, list) else [] for k in keys],
                     results=[[None] * len(k) if isinstance(k, list) else [k] for k in keys],
                     jobs={})
        prepare = self.plugins.has_prepare_sample()
        # Identical (verifier, prepared sample) pairs in one batch run once.
        index: dict[bytes, _Job] = {}
        for i, sample in enumerate(items):
            for j, key in enumerate(plan.keys[i]):
                slot = self._slots[key]
                prepared = sample
                if prepare:
                    try:
                        prepared = self.plugins.prepare_sample(sample, slot.spec.name)
                    except Exception as exc:  # this sample's error, not the batch's
                        plan.results[i][j] = error_result(exc, key, 0.0,
                                                          prefix="prepare_sample: ")
                        continue
                try:
                    ck = cache_key(slot.token, prepared) if slot.token is not None else None
                except (RecursionError, ValueError):  # nested past JSON's limit, or circular
                    ck = None  # not cached: its verifier (or the pool) says what it is
                if ck is not None:
                    hit = self.cache.get(ck)
                    if hit is not None:
                        hit.verifier = key  # a fresh copy; another label may have cached it
                        plan.results[i][j] = hit
                        continue
                    known = index.get(ck)
                    if known is not None:
                        known.targets.append((i, j))
                        continue
                job = _Job(prepared, ck, [(i, j)])
                plan.jobs.setdefault(key, []).append(job)
                if ck is not None:
                    index[ck] = job
        for key, jobs in plan.jobs.items():
            slot = self._slots[key]
            if slot.inline:
                if slot.mode is not Mode.ASYNC or run_async_inline:
                    self._run_inline(slot, key, jobs)
            else:
                self._run_pooled(plan, slot, key, jobs)
        return plan

    def _route(self, sample: Sample) -> list[str] | Result:
        column = self.config.route_by
        if column is None:
            return list(self._slots)
        value = sample.metadata.get(column)
        if value is None:
            return Result.error(f"sample has no {column!r} column to route by", verifier=ROUTING)
        value = str(value)
        keys = self.config.routes.get(value)
        if keys is None and value in self._slots:
            keys = [value]
        if keys is None:
            known = sorted(set(self.config.routes) | set(self._slots))
            return Result.error(
                f"{column}={value!r} names no configured verifier or route (known: {known})",
                verifier=ROUTING,
            )
        return keys

    def _run_inline(self, slot: _Slot, key: str, jobs: list[_Job]) -> None:
        for batch in _batches(jobs, slot.mode):
            results = run_unit(slot.verifier, key, slot.mode, [job.sample for job in batch])
            for job, result in zip(batch, results):
                job.result = result

    async def _run_async_inline(self, plan: _Plan) -> None:
        for key, jobs in plan.jobs.items():
            slot = self._slots[key]
            if slot.inline and slot.mode is Mode.ASYNC:
                results = await arun_unit(slot.verifier, key, [job.sample for job in jobs])
                for job, result in zip(jobs, results):
                    job.result = result

    def _run_pooled(self, plan: _Plan, slot: _Slot, key: str, jobs: list[_Job]) -> None:
        for group in _batches(jobs, slot.mode, self.config.worker_count):
            try:
                batch = self._get_pool().submit(slot.ref, key, slot.mode,
                                                [j.sample for j in group], slot.timeout)
            except PoolClosed as exc:
                for job in group:
                    job.result = Result.error(str(exc), verifier=key)
                continue
            plan.pending.append((batch, group))

    def _get_pool(self) -> Executor:
        if self._parent is not None:
            return self._parent._get_pool()
        with self._pool_lock:
            if self._pool is None:
                self._pool = self._start_executor()
            return self._pool

    def _start_executor(self) -> Executor:
        return start_executor(self.config, self.plugins)

    @staticmethod
    def _cancel(plan: _Plan) -> None:
        for batch, _ in plan.pending:
            batch.cancel()

    def _finish(self, plan: _Plan) -> list[Score]:
        for jobs in plan.jobs.values():
            for job in jobs:
                result = job.result
                assert result is not None
                if job.cache_key is not None and result.status in (Status.OK, Status.SKIPPED):
                    self.cache.put(job.cache_key, result)
                (i, j), *repeats = job.targets
                plan.results[i][j] = result
                for i, j in repeats:  # perhaps under another label of the same verifier
                    plan.results[i][j] = result.model_copy(
                        update={"cached": True, "seconds": 0.0, "verifier": plan.keys[i][j]})
        if self._shadow is not None:  # after the results are complete, before they return
            for key, jobs in plan.jobs.items():
                self._shadow.offer(key, [(job.sample, job.result) for job in jobs
                                         if job.result is not None])
        weights = {key: slot.spec.weight for key, slot in self._slots.items()}
        scores = []
        for keys, results in zip(plan.keys, plan.results):
            done = [r for r in results if r is not None]
            reward = math.fsum(weights[key] * r.reward
                               for key, r in zip(keys, done) if weights[key] != 0)
            scores.append(Score(reward=reward, results=done))
        return scores


def _batches(jobs: list[_Job], mode: Mode, workers: int = 1) -> Iterator[list[_Job]]:
    """Jobs grouped for submission: all at once for per-sample units, else verify_batch groups."""
    if mode is Mode.ONE:
        yield jobs
        return
    size = max(1, min(MAX_BATCH, math.ceil(len(jobs) / workers)))
    for start in range(0, len(jobs), size):
        yield jobs[start:start + size]


def _plugin_manager_for(config: EngineConfig, given: PluginManager | None) -> PluginManager:
    try:
        if given is None:
            if not config.plugins_dir:
                return get_plugin_manager()
            return make_plugin_manager(plugin_dirs=config.plugins_dir)
        # A manager the caller owns is never changed (it may serve other engines or tests).
        missing = [str(folder) for folder in config.plugins_dir
                   if str(Path(folder).resolve()) not in given.plugin_dirs]
        if missing:
            raise ConfigError(f"plugins_dir {missing} is not loaded in the plugin manager "
                              "given; load it there (load_directory) or pass no manager")
        return given
    except PluginError as exc:
        raise ConfigError(str(exc)) from None


async def _off_loop(function: Callable[..., _T], *args: Any,
                   cancel: Callable[[_T], None]) -> _T:
    """``function(*args)`` in a thread; if the caller is cancelled meanwhile, its result
    (work already handed to the executor) is given to ``cancel`` once the thread is done."""
    running = asyncio.ensure_future(asyncio.to_thread(function, *args))
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        def undo(done: asyncio.Future[_T]) -> None:
            if not done.cancelled() and done.exception() is None:
                cancel(done.result())

        running.add_done_callback(undo)
        raise


def _as_sample(sample: SampleLike) -> Sample:
    if isinstance(sample, Sample):
        return sample
    if isinstance(sample, Mapping):
        return Sample.from_record(dict(sample))
    raise TypeError(f"expected a Sample or a mapping, not {type(sample).__name__}")


def _specs(verifiers: VerifiersArg) -> list[VerifierSpec]:
    return operator_config(None, verifiers).verifiers


def score(samples: Iterable[SampleLike], verifiers: VerifiersArg, **settings: Any) -> list[Score]:
    """Score ``samples`` once with a temporary engine (see :class:`RewardEngine`)."""
    with RewardEngine(verifiers, **settings) as engine:
        return engine.score(samples)


def verify(verifier: str, sample: SampleLike, **options: Any) -> Result:
    """Judge one sample with one verifier and ``options``, in a temporary engine."""
    spec = VerifierSpec(name=verifier, options=options)
    with RewardEngine([spec], workers=1) as engine:
        return engine.score([sample])[0].results[0]

