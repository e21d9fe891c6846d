"""Split a change in mean reward into selection, competence and their interaction.

Between two points of training the mean reward ``R = sum_p share_p * success_p`` changes
because the model uses its reasoning patterns in other proportions, and because each
pattern succeeds more or less often::

    R_after - R_before = sum_p d(share_p) * success_p(before)      selection
                       + sum_p share_p(before) * d(success_p)      competence
                       + sum_p d(share_p) * d(success_p)           interaction

When samples carry a stratum (difficulty, source, task), the split is made within each
stratum and weighted by the stratum's mean weight at the two points; the rest of the change,
the strata themselves being drawn in other proportions, is ``mix``. Pooled success misleads:
a pattern kept only on the problems it handles looks better without being better
(docs/pattern-selection.md shows one doubling). The four terms add up to the change exactly.

Pure Python, no I/O: the TRL telemetry, ``rewardkit patterns report`` and the experiment
in ``examples/pattern_selection`` all use it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The stratum of samples that carry none.
NO_STRATUM = ""


@dataclass(frozen=True)
class Cell:
    """The samples of one pattern in one stratum: how many had a reward, and its sum."""

    n: int
    total: float

    @property
    def mean(self) -> float:
        return self.total / self.n


#: (stratum, pattern label) → its cell.
Cells = dict[tuple[str, str], Cell]


@dataclass(frozen=True)
class Terms:
    selection: float = 0.0
    competence: float = 0.0
    interaction: float = 0.0

    def __add__(self, other: Terms) -> Terms:
        return Terms(self.selection + other.selection, self.competence + other.competence,
                     self.interaction + other.interaction)

    def scaled(self, weight: float) -> Terms:
        return Terms(self.selection * weight, self.competence * weight,
                     self.interaction * weight)


@dataclass(frozen=True)
class Split:
    """A change in mean reward, split; ``selection + competence + interaction + mix`` is
    ``after - before``. ``patterns`` holds each pattern's part of the first three terms."""

    before: float
    after: float
    selection: float
    competence: float
    interaction: float
    #: The part due to the strata's weights changing (0 when the samples carry no stratum).
    mix: float
    stratified: bool
    patterns: dict[str, Terms] = field(default_factory=dict)

    @property
    def change(self) -> float:
        return self.after - self.before

    def as_dict(self) -> dict[str, object]:
        """Plain JSON types: the terms, and per pattern its selection/competence/interaction."""
        return {"before": self.before, "after": self.after, "change": self.change,
                "selection": self.selection, "competence": self.competence,
                "interaction": self.interaction, "mix": self.mix, "stratified": self.stratified,
                "patterns": {label: {"selection": t.selection, "competence": t.competence,
                                     "interaction": t.interaction}
                             for label, t in sorted(self.patterns.items())}}


def tally(labels: Sequence[str], rewards: Sequence[float | bool | None],
          strata: Sequence[str | None] | None = None, into: Cells | None = None) -> Cells:
    """Count rewards per (stratum, pattern); a None reward (not judged) is left out.

    :param labels: one pattern label per sample.
    :param rewards: one reward per sample (a pass is ``True`` or 1.0).
    :param strata: one stratum per sample, or None when the samples carry none.
    :param into: cells to add to (returned), e.g. those of earlier batches.
    """
    if len(labels) != len(rewards) or (strata is not None and len(strata) != len(labels)):
        raise ValueError(f"{len(labels)} labels, {len(rewards)} rewards and "
                         f"{'no' if strata is None else len(strata)} strata")
    cells: Cells = {} if into is None else into
    for i, (label, reward) in enumerate(zip(labels, rewards)):
        if reward is None:
            continue
        stratum = NO_STRATUM if strata is None else (strata[i] or NO_STRATUM)
        cell = cells.get((stratum, label), Cell(0, 0.0))
        cells[stratum, label] = Cell(cell.n + 1, cell.total + float(reward))
    return cells


def merge(*many: Mapping[tuple[str, str], Cell]) -> Cells:
    """The cells of several batches together."""
    merged: Cells = {}
    for cells in many:
        for key, cell in cells.items():
            old = merged.get(key, Cell(0, 0.0))
            merged[key] = Cell(old.n + cell.n, old.total + cell.total)
    return merged


def split_change(before: Mapping[tuple[str, str], Cell],
                 after: Mapping[tuple[str, str], Cell]) -> Split:
    """Split ``mean reward(after) - mean reward(before)`` into selection, competence,
    interaction and (across strata) mix.

    A pattern absent at one point takes its success at the other there, so its appearing or
    vanishing is all selection; a stratum absent at one point is all mix.
    Raises ValueError when either point has no sample with a reward.
    """
    n0, n1 = _size(before), _size(after)
    if not n0 or not n1:
        raise ValueError("both points need at least one sample with a reward")
    strata = sorted({s for s, _ in before} | {s for s, _ in after})
    total, mix = Terms(), 0.0
    patterns: dict[str, Terms] = {}
    for stratum in strata:
        old = {label: c for (s, label), c in before.items() if s == stratum and c.n}
        new = {label: c for (s, label), c in after.items() if s == stratum and c.n}
        w0, w1 = _size(old) / n0, _size(new) / n1
        r0, r1 = _mean(old), _mean(new)
        if r0 is None or r1 is None:  # the stratum is on one side only: all of it is mix
            mix += w1 * r1 if r1 is not None else -w0 * (r0 or 0.0)
            continue
        mix += (w1 - w0) * (r0 + r1) / 2
        weight = (w0 + w1) / 2
        for label, terms in _within(old, new).items():
            part = terms.scaled(weight)
            total += part
            patterns[label] = patterns.get(label, Terms()) + part
    return Split(before=_mean_all(before), after=_mean_all(after), selection=total.selection,
                 competence=total.competence, interaction=total.interaction, mix=mix,
                 stratified=strata != [NO_STRATUM], patterns=patterns)


def _within(old: Mapping[str, Cell], new: Mapping[str, Cell]) -> dict[str, Terms]:
    """Per pattern, the shift-share terms of one stratum."""
    n0, n1 = _size(old), _size(new)
    terms = {}
    for label in sorted(set(old) | set(new)):
        share0 = old[label].n / n0 if label in old else 0.0
        share1 = new[label].n / n1 if label in new else 0.0
        success0 = old[label].mean if label in old else new[label].mean
        success1 = new[label].mean if label in new else success0
        d_share, d_success = share1 - share0, success1 - success0
        terms[label] = Terms(d_share * success0, share0 * d_success, d_share * d_success)
    return terms


def _size(cells: Mapping[Any, Cell]) -> int:
    return sum(c.n for c in cells.values())


def _mean(cells: Mapping[str, Cell]) -> float | None:
    n = _size(cells)
    return sum(c.total for c in cells.values()) / n if n else None


def _mean_all(cells: Mapping[tuple[str, str], Cell]) -> float:
    return sum(c.total for c in cells.values()) / _size(cells)


def wilson_interval(passed: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a success rate (95 % by default); (0, 1) when n is 0.

    Unlike the normal approximation it stays inside [0, 1] and is honest near 0 % and 100 %,
    where pattern success rates often sit.
    """
    if n <= 0:
        return 0.0, 1.0
    p = passed / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
