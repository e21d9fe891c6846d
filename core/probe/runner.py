"""Run attack families against one verifier and report which earned reward."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rewardkit.config import VerifierSpec
from rewardkit.engine import RewardEngine
from rewardkit.models import Content, Result, Sample
from rewardkit.plugins import PluginManager, get_plugin_manager
from rewardkit.probe.attacks import Attack, AttackFamily, builtin_families, reference_text
from rewardkit.probe.attacks import same_text as _same_text

#: Rows of the user's data an attack run is built from, by default.
DEFAULT_ROWS = 5
#: Worst completions kept per family for the report.
WORST_KEPT = 3
#: Characters of a completion shown in the report.
PREVIEW_CHARS = 120


@dataclass(frozen=True)
class AttackOutcome:
    """One attack on one row and the verifier's result."""

    family: str
    attack: str
    row: int
    completion: Content
    result: Result

    @property
    def reward(self) -> float:
        return self.result.reward

    def preview(self) -> str:
        text = self.completion if isinstance(self.completion, str) else json.dumps(
            self.completion)
        shown = repr(text[:PREVIEW_CHARS])
        return shown + (f" (+{len(text) - PREVIEW_CHARS:,} chars)"
                        if len(text) > PREVIEW_CHARS else "")


@dataclass
class FamilyReport:
    """A family's attacks, how many earned more than the threshold, and the worst ones."""

    family: str
    attacks: int = 0
    earned: int = 0
    max_reward: float = 0.0
    worst: list[AttackOutcome] = field(default_factory=list)


@dataclass
class ProbeReport:
    """The outcome of :func:`probe`: per family, and every attack that earned reward."""

    verifier: str
    threshold: float
    rows: int
    outcomes: list[AttackOutcome]
    families: list[str]

    @property
    def earned(self) -> list[AttackOutcome]:
        """Attacks whose reward is above the threshold, highest first."""
        hits = [o for o in self.outcomes if o.reward > self.threshold]
        return sorted(hits, key=lambda o: (-o.reward, o.family, o.attack, o.row))

    @property
    def passed(self) -> bool:
        """True when no attack earned more than the threshold."""
        return not self.earned

    @property
    def earning_attacks(self) -> list[str]:
        """``family/attack`` of every attack that earned reward on some row, sorted."""
        return sorted({f"{o.family}/{o.attack}" for o in self.earned})

    def by_family(self) -> list[FamilyReport]:
        """One report per family, the most rewarded first."""
        reports = {name: FamilyReport(name) for name in self.families}
        for outcome in self.outcomes:
            report = reports[outcome.family]
            report.attacks += 1
            report.earned += outcome.reward > self.threshold
            report.max_reward = max(report.max_reward, outcome.reward)
        for report in reports.values():
            mine = [o for o in self.outcomes if o.family == report.family and o.reward > 0]
            report.worst = sorted(mine, key=lambda o: -o.reward)[:WORST_KEPT]
        return sorted(reports.values(), key=lambda r: (-r.max_reward, -r.earned, r.family))

    def table(self) -> str:
        """The families by reward earned, then the worst completions: for a terminal."""
        header = ("family", "attacks", "earned", "max reward")
        rows = [header] + [(r.family, str(r.attacks), str(r.earned), f"{r.max_reward:g}")
                           for r in self.by_family()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                           for i, (cell, w) in enumerate(zip(row, widths))) for row in rows]
        earned = self.earned
        if earned:
            lines += ["", f"attacks earning more than {self.threshold:g}:"]
            for outcome in earned[:10]:
                lines.append(f"  {outcome.family}/{outcome.attack} (row {outcome.row}) "
                             f"reward={outcome.reward:g}: {outcome.preview()}")
                if outcome.result.reason:
                    lines.append(f"      reason: {outcome.result.reason[:200]}")
            if len(earned) > 10:
                lines.append(f"  ... and {len(earned) - 10} more")
        verdict = "FAILED" if earned else "passed"
        lines += ["", f"probe of {self.verifier!r} {verdict}: {len(earned)} of "
                      f"{len(self.outcomes)} attacks on {self.rows} rows earned more than "
                      f"{self.threshold:g}"]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verifier": self.verifier,
            "threshold": self.threshold,
            "rows": self.rows,
            "passed": self.passed,
            "families": [{"family": r.family, "attacks": r.attacks, "earned": r.earned,
                          "max_reward": r.max_reward,
                          "worst": [{"attack": o.attack, "row": o.row, "reward": o.reward,
                                     "completion": o.preview()} for o in r.worst]}
                         for r in self.by_family()],
            "earned": [{"family": o.family, "attack": o.attack, "row": o.row,
                        "reward": o.reward, "reason": o.result.reason,
                        "completion": o.preview()} for o in self.earned],
        }


def families(plugin_manager: PluginManager | None = None) -> list[AttackFamily]:
    """The built-in attack families, then those plugins register (``register_probes``).

    Raises ``ValueError`` when two families share a name.
    """
    found = builtin_families()
    pm = plugin_manager or get_plugin_manager()
    found += pm.attack_families()
    names = [family.name for family in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"attack family {', '.join(duplicates)} is registered twice")
    return found


def probe(verifier: str, rows: Iterable[Sample | Mapping[str, Any]], *,
          options: Mapping[str, Any] | None = None, threshold: float = 0.0,
          only: Sequence[str] | None = None, max_rows: int = DEFAULT_ROWS, seed: int = 0,
          plugin_manager: PluginManager | None = None, timeout: float | None = None,
          workers: int = 1) -> ProbeReport:
    """Attack ``verifier`` (with ``options``) with completions built from ``rows``.

    :param rows: real rows of the user's data (``prompt``, a reference column, any other
        columns; a ``completion`` is used by the structured family when present).
    :param threshold: an attack *earns* when its reward is above this.
    :param only: the families to run (default: all, plugins' included).
    :param max_rows: rows sampled (with ``seed``) when there are more.
    :param timeout: hard deadline per attack, in seconds (default: the verifier's).

    Raises ``UnknownVerifier``, pydantic's ``ValidationError`` for bad options and
    ``ValueError`` for an unknown family or no rows.
    """
    pm = plugin_manager or get_plugin_manager()
    samples = [row if isinstance(row, Sample) else Sample.from_record(
        {"completion": "", **row}) for row in rows]
    if not samples:
        raise ValueError("probe needs at least one row of data to build attacks from")
    chosen = _sampled(samples, max_rows, seed)
    available = families(pm)
    if only is not None:
        unknown = sorted(set(only) - {f.name for f in available})
        if unknown:
            raise ValueError(f"unknown attack family {', '.join(unknown)} "
                             f"(known: {', '.join(f.name for f in available)})")
        available = [f for f in available if f.name in only]
    planned: list[tuple[str, Attack, int, Sample]] = []
    for row, sample in chosen:
        ref = reference_text(sample)
        for family in available:
            for attack in family.build(sample):
                if _same_text(attack.completion, ref):
                    continue  # the reference itself is an answer, not an attack
                attacked = sample.model_copy(update={"completion": attack.completion})
                planned.append((family.name, attack, row, attacked))
    spec = VerifierSpec(name=verifier, options=dict(options or {}), timeout=timeout)
    with RewardEngine([spec], plugin_manager=pm, workers=workers, cache_size=0) as engine:
        scores = engine.score([attacked for *_, attacked in planned])
    outcomes = [AttackOutcome(family, attack.name, row, attack.completion, score.results[0])
                for (family, attack, row, _), score in zip(planned, scores)]
    return ProbeReport(verifier=verifier, threshold=threshold, rows=len(chosen),
                       outcomes=outcomes, families=[f.name for f in available])


def _sampled(samples: list[Sample], count: int, seed: int) -> list[tuple[int, Sample]]:
    """Up to ``count`` rows with their 1-based row numbers, in file order."""
    numbered = list(enumerate(samples, start=1))
    if len(numbered) <= count:
        return numbered
    return sorted(random.Random(seed).sample(numbered, count), key=lambda item: item[0])
