"""Shadow verification: a second verifier judges a sampled share of a verifier's samples.

The engine hands each batch's (sample, primary result) pairs to :class:`ShadowRunner` just
before it returns the batch's scores; a background thread scores the sampled ones with the
shadow verifier (through the same worker pool, under the shadow's own hard deadline), counts
disagreements and unparseable pairs in :class:`ShadowMonitor`, and appends each disagreeing
sample with both verdicts to a JSONL file. The caller never waits for it: a batch that finds
``max_queued`` batches already waiting is dropped (and counted).
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rewardkit.agreement import Agreement, disagreement_row
from rewardkit.config import ShadowSpec, VerifierSpec
from rewardkit.json_text import unicode_text
from rewardkit.models import Result, Sample

if TYPE_CHECKING:
    from rewardkit.engine import RewardEngine

log = logging.getLogger(__name__)

#: Seconds :meth:`ShadowRunner.close` waits for queued shadow work before giving up on it.
CLOSE_WAIT = 60.0


@dataclass
class ShadowStats:
    """One shadowed verifier's counts since the engine started."""

    shadow: str
    agreement: Agreement = field(default_factory=Agreement)
    #: Samples offered and not shadowed because the queue was full.
    dropped: int = 0


class ShadowMonitor:
    """Counts and the disagreements file, shared by an engine and the engines derived from it."""

    def __init__(self) -> None:
        self.stats: dict[str, ShadowStats] = {}
        self._lock = threading.Lock()

    def record(self, key: str, spec: ShadowSpec, pairs: Iterable[tuple[Sample, Result, Result]]
               ) -> None:
        rows = []
        with self._lock:
            stats = self.stats.setdefault(key, ShadowStats(spec.verifier))
            for sample, primary, shadow in pairs:
                if stats.agreement.add(primary, shadow):
                    rows.append(disagreement_row(sample, primary, shadow, verifier=key,
                                                 time=round(time.time(), 3)))
            if rows:
                path = Path(spec.file)
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as handle:
                    for row in rows:
                        line = json.dumps(row, ensure_ascii=False, default=str)
                        handle.write(unicode_text(line) + "\n")  # a sample's own lone surrogate

    def register(self, key: str, spec: ShadowSpec) -> None:
        with self._lock:
            self.stats.setdefault(key, ShadowStats(spec.verifier))

    def dropped(self, key: str, spec: ShadowSpec, count: int) -> None:
        with self._lock:
            self.stats.setdefault(key, ShadowStats(spec.verifier)).dropped += count

    def metrics(self) -> dict[str, float]:
        """``rewardkit/<key>/disagreement_rate``, ``/unparseable_rate``, ``/shadowed`` and
        ``/shadow_dropped`` per shadowed verifier, over everything shadowed so far."""
        with self._lock:
            out: dict[str, float] = {}
            for key, stats in self.stats.items():
                out[f"rewardkit/{key}/disagreement_rate"] = stats.agreement.disagreement_rate
                out[f"rewardkit/{key}/unparseable_rate"] = stats.agreement.unparseable_rate
                out[f"rewardkit/{key}/shadowed"] = float(stats.agreement.total)
                out[f"rewardkit/{key}/shadow_dropped"] = float(stats.dropped)
            return out

    def summary(self) -> str:
        """One line per shadowed verifier, for the CLI's summary."""
        with self._lock:
            return "\n".join(
                f"shadow {key} vs {s.shadow}: {s.agreement.total} shadowed, disagreement rate "
                f"{s.agreement.disagreement_rate:.2%}, unparseable rate "
                f"{s.agreement.unparseable_rate:.2%}"
                + (f", {s.dropped} dropped" if s.dropped else "")
                for key, s in self.stats.items())


@dataclass
class _Shadow:
    spec: ShadowSpec
    engine: RewardEngine  # scores with the shadow verifier only, on the primary's pool


class ShadowRunner:
    """An engine's shadow verifiers and the thread that runs them off the critical path."""

    def __init__(self, monitor: ShadowMonitor, shadows: dict[str, _Shadow]) -> None:
        self.monitor = monitor
        self._shadows = shadows
        self._queue: queue.Queue[tuple[str, list[tuple[Sample, Result]]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @classmethod
    def attach(cls, engine: RewardEngine, specs: Iterable[VerifierSpec],
               parent: RewardEngine | None) -> ShadowRunner | None:
        """The runner for ``engine``'s shadowed specs, or None when none has a shadow.

        The shadow engines are built here, so an unknown shadow verifier or bad options
        fail when the engine is made, not during training.
        """
        shadows: dict[str, _Shadow] = {}
        for spec in specs:
            if spec.shadow is None:
                continue
            shadow_spec = VerifierSpec(name=spec.shadow.verifier, options=spec.shadow.options,
                                       timeout=spec.shadow.timeout, label=f"{spec.key}~shadow")
            config = engine.config.model_copy(update={
                "verifiers": [shadow_spec], "route_by": None, "routes": {}})
            child = engine.__class__.__new__(engine.__class__)
            try:
                child._setup(config, engine.plugins, None, engine.cache, parent=engine,
                             base=False)
            except ValueError as exc:
                exc.add_note(f"shadow of verifier {spec.key!r}")
                raise
            shadows[spec.key] = _Shadow(spec.shadow, child)
        if not shadows:
            return None
        parent_runner = getattr(parent, "_shadow", None) if parent is not None else None
        monitor = parent_runner.monitor if parent_runner is not None else ShadowMonitor()
        for key, shadow in shadows.items():  # metrics from the start, 0 until judged
            monitor.register(key, shadow.spec)
        return cls(monitor, shadows)

    def offer(self, key: str, pairs: list[tuple[Sample, Result]]) -> None:
        """Queue the sampled share of ``key``'s (sample, primary result) pairs; never blocks."""
        shadow = self._shadows.get(key)
        if shadow is None:
            return
        chosen = [(s, r) for s, r in pairs if _sampled(s, key, shadow.spec.sample_rate)]
        if not chosen:
            return
        if self._queue.qsize() >= shadow.spec.max_queued:
            self.monitor.dropped(key, shadow.spec, len(chosen))
            return
        self._ensure_thread()
        self._queue.put((key, chosen))

    @property
    def keys(self) -> list[str]:
        return list(self._shadows)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rewardkit-shadow",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            key, pairs = item
            shadow = self._shadows[key]
            try:
                scores = shadow.engine.score([sample for sample, _ in pairs])
                self.monitor.record(key, shadow.spec, [
                    (sample, primary, score.results[0])
                    for (sample, primary), score in zip(pairs, scores)])
            except Exception:  # a broken shadow must never reach training
                log.exception("shadow verification of %r failed", key)
                self.monitor.dropped(key, shadow.spec, len(pairs))
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def close(self, wait: float = CLOSE_WAIT) -> None:
        """Finish the queued shadow work (waiting at most ``wait`` seconds), stop the thread
        and close the shadow engines. Safe to call twice; a later batch starts a new thread,
        as a closed engine that scores again starts new workers."""
        if not self.flush(wait):
            # Out of time: what is still queued is dropped, so no batch reaches the pool
            # after the engine stopped it (which would start a new one).
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    self.monitor.dropped(item[0], self._shadows[item[0]].spec, len(item[1]))
                self._queue.task_done()
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join(1.0)
        for shadow in self._shadows.values():
            shadow.engine.close()

    def flush(self, wait: float = CLOSE_WAIT) -> bool:
        """Wait (at most ``wait`` seconds) until the work queued so far has been shadowed;
        False when time ran out first."""
        deadline = time.monotonic() + wait
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._queue.all_tasks_done.wait(left)
        return True


def _sampled(sample: Sample, key: str, rate: float) -> bool:
    """Whether ``sample`` is in the shadowed share: a hash, so the choice is reproducible."""
    if rate >= 1:
        return True
    digest = hashlib.blake2b(f"{key}\0{sample.model_dump_json()}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < rate
