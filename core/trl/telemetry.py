"""Reasoning-pattern telemetry: each pattern's share and success per training step.

RLVR mostly moves a model toward the reasoning patterns it already has that succeed most
often, while each pattern's own success rate stays about the same (Chen, Li and Zou,
arXiv 2506.04695). :class:`PatternTelemetry` turns one batch of (label, verdict) pairs into
metrics that show this happening, splits the change in success since the start of the run
into selection and competence (:mod:`rewardkit.patterns`), and warns about the two things
worth stopping a run for: one pattern collapsing to nearly every completion, and a pattern
that usually succeeds suddenly failing (more often a broken verifier than a broken model).

Nothing here imports torch or TRL: the adapter hands the metrics to TRL's ``log_metric``.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from rewardkit.models import Sample
from rewardkit.patterns import Cells, Split, merge, split_change, tally

#: The label of completions no ``classify_pattern`` implementation labels.
OTHER = "other"
#: The metrics log ``RewardkitCallback`` keeps in the trainer's output folder.
METRICS_FILE = "rewardkit_metrics.jsonl"

logger = logging.getLogger("rewardkit.trl")


@dataclass
class PatternStats:
    """One pattern in one batch: how many completions used it, how many were judged, passed."""

    count: int = 0
    judged: int = 0  #: completions whose verdict was ``ok`` (error/timeout/skipped say nothing)
    passed: int = 0

    @property
    def success(self) -> float | None:
        """Fraction of judged completions that passed; None when none was judged."""
        return self.passed / self.judged if self.judged else None


@dataclass
class PatternTelemetry:
    """Per-step share and success per pattern, with collapse and strong-pattern-failing warnings.

    :param collapse_share: a pattern with at least this share of a batch counts as collapsed.
    :param strong_success: a pattern whose success over earlier batches is at least this
        is "usually strong".
    :param failing_drop: a strong pattern whose success in a batch falls this far below its
        history (absolute) raises the failing warning.
    :param min_batch: fewest completions of a pattern in a batch for either warning.
    :param min_history: fewest judged completions of history before a pattern counts as strong.
    :param rearm_margin: after a collapse warning, the pattern's share must fall this far
        below ``collapse_share`` before it can warn again.
    :param window: batches pooled on each side of the selection/competence split: the first
        ``window`` batches are the start, the latest ``window`` are now, and the sliding
        split compares the ``window`` batches before those with them.
    :param stratum_key: the sample metadata key (a dataset column) whose value is a
        sample's stratum; the split is made within strata when samples carry it, else pooled.
    """

    collapse_share: float = 0.95
    strong_success: float = 0.7
    failing_drop: float = 0.3
    min_batch: int = 8
    min_history: int = 64
    #: A collapsed pattern warns again only after its share fell this far below the line.
    rearm_margin: float = 0.15
    window: int = 10
    stratum_key: str | None = "stratum"
    #: Every label seen so far; each gets a share (0 when absent) in every later batch.
    labels: list[str] = field(default_factory=list)
    #: Judged and passed completions per label over all batches so far.
    history: dict[str, PatternStats] = field(default_factory=dict)
    #: The warnings raised so far, newest last (also sent to the ``rewardkit.trl`` logger).
    warnings: list[str] = field(default_factory=list)
    _collapsed: str | None = None
    _failing: set[str] = field(default_factory=set)
    _start: Cells = field(default_factory=dict)
    _start_batches: int = 0
    _recent: deque[Cells] = field(default_factory=deque)

    def strata(self, samples: Sequence[Sample]) -> list[str | None] | None:
        """Each sample's stratum (its ``stratum_key`` metadata), or None when none has one."""
        if self.stratum_key is None:
            return None
        values = [sample.metadata.get(self.stratum_key) for sample in samples]
        if all(value is None for value in values):
            return None
        return [None if value is None else str(value) for value in values]

    def observe(self, labels: Sequence[str | None], passed: Sequence[bool | None],
                step: int | None = None,
                strata: Sequence[str | None] | None = None) -> dict[str, float]:
        """Record one batch; return its metrics.

        :param labels: one pattern label per completion (None counts as ``"other"``).
        :param passed: per completion, whether it passed; None when its verdict was not
            ``ok`` (it counts toward the share, not toward the success rate).
        :param step: the training step, for the warnings' text.
        :param strata: one stratum per completion (see :meth:`strata`), or None.

        Returns ``patterns/<label>/share`` for every label seen so far,
        ``patterns/<label>/success`` for the labels judged in this batch,
        ``patterns/entropy`` (nats; 0 when one pattern has every completion), and the split
        of the change in success (see :meth:`split_metrics`).
        """
        if len(labels) != len(passed):
            raise ValueError(f"{len(labels)} labels for {len(passed)} verdicts")
        batch: dict[str, PatternStats] = {}
        for label, verdict in zip(labels, passed):
            stats = batch.setdefault(label or OTHER, PatternStats())
            stats.count += 1
            if verdict is not None:
                stats.judged += 1
                stats.passed += bool(verdict)
        for label in sorted(batch):
            if label not in self.labels:
                self.labels.append(label)
        total = len(labels)
        metrics: dict[str, float] = {}
        if not total:
            return metrics
        entropy = 0.0
        for label in self.labels:
            stats = batch.get(label, PatternStats())
            share = stats.count / total
            metrics[f"patterns/{label}/share"] = share
            if stats.success is not None:
                metrics[f"patterns/{label}/success"] = stats.success
            if share > 0:
                entropy -= share * math.log(share)
        metrics["patterns/entropy"] = entropy
        where = f"step {step}" if step is not None else "this batch"
        self._check_collapse(batch, total, where)
        self._check_failing(batch, where)
        for label, stats in batch.items():
            past = self.history.setdefault(label, PatternStats())
            past.count += stats.count
            past.judged += stats.judged
            past.passed += stats.passed
        cells = tally([label or OTHER for label in labels], passed, strata)
        if self._start_batches < self.window:
            self._start = merge(self._start, cells)
            self._start_batches += 1
        self._recent.append(cells)
        while len(self._recent) > 2 * self.window:
            self._recent.popleft()
        metrics.update(self.split_metrics())
        return metrics

    def split_metrics(self) -> dict[str, float]:
        """The change in success split into selection, competence and interaction (and
        ``mix``, the strata's weights changing, when samples carry a stratum).

        ``patterns/<term>``: since the start (the first ``window`` batches) to now (the
        latest ``window``); ``patterns/window/<term>``: from the ``window`` batches before
        now to now, once ``2 * window`` batches were seen. Terms add up to the change.
        """
        recent = list(self._recent)
        metrics = _split_metrics("patterns", self._start, merge(*recent[-self.window:]))
        if len(recent) == 2 * self.window:
            metrics.update(_split_metrics("patterns/window", merge(*recent[:self.window]),
                                          merge(*recent[self.window:])))
        return metrics

    def _check_collapse(self, batch: dict[str, PatternStats], total: int, where: str) -> None:
        top, stats = max(batch.items(), key=lambda item: item[1].count)
        if total >= self.min_batch and stats.count / total >= self.collapse_share:
            if self._collapsed != top:
                self._warn(f"pattern collapse at {where}: {top!r} has {stats.count / total:.0%} "
                           f"of {total} completions; the others no longer get explored")
            self._collapsed = top
        elif self._collapsed is not None:
            # Re-armed only after a clear recovery, so a share hovering at the line warns once.
            share = batch.get(self._collapsed, PatternStats()).count / total
            if share < self.collapse_share - self.rearm_margin:
                self._collapsed = None

    def _check_failing(self, batch: dict[str, PatternStats], where: str) -> None:
        for label, stats in batch.items():
            past = self.history.get(label)
            if past is None or past.judged < self.min_history or stats.judged < self.min_batch:
                continue
            usual, now = past.success, stats.success
            assert usual is not None and now is not None
            if usual >= self.strong_success and now <= usual - self.failing_drop:
                if label not in self._failing:
                    self._warn(f"strong pattern failing at {where}: {label!r} passed {usual:.0%} "
                               f"of {past.judged} earlier completions but {now:.0%} of "
                               f"{stats.judged} now; check the verifier (answer format, "
                               f"references, timeouts) before blaming the model")
                self._failing.add(label)
            else:
                self._failing.discard(label)

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        logger.warning(message)


def _split_metrics(prefix: str, before: Cells, after: Cells) -> dict[str, float]:
    try:
        split: Split = split_change(before, after)
    except ValueError:  # nothing judged on one side: no success to split
        return {}
    metrics = {f"{prefix}/selection": split.selection, f"{prefix}/competence": split.competence,
               f"{prefix}/interaction": split.interaction}
    if split.stratified:
        metrics[f"{prefix}/mix"] = split.mix
    return metrics
