"""Read pattern telemetry back from a run and show it: tables and a matplotlib figure.

A run is any of: the ``rewardkit_metrics.jsonl`` the callback writes, a ``trainer_state.json``
(its ``log_history``), a JSONL of logged metric dicts with a ``step``, the ``summary.json``
of ``examples/pattern_selection``, or a folder holding one of these (checkpoints included).
Besides each pattern's share and success, the report shows how the change in success since
the start splits into selection, competence, interaction and mix (:mod:`rewardkit.patterns`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rewardkit.trl.telemetry import METRICS_FILE

_METRIC = re.compile(r"^patterns/(?P<label>.+)/(?P<kind>share|success)$")
#: The split's terms, as ``patterns/<term>`` metrics or in a ``split`` record.
TERMS = ("selection", "competence", "interaction", "mix")


@dataclass
class Point:
    step: int
    share: float | None = None
    success: float | None = None


#: label → its points in step order.
History = dict[str, list[Point]]


@dataclass
class SplitPoint:
    """The change in success from the start to ``step``, split (mix None: no strata)."""

    step: int
    selection: float
    competence: float
    interaction: float
    mix: float | None = None

    @property
    def change(self) -> float:
        return self.selection + self.competence + self.interaction + (self.mix or 0.0)


class RunNotFound(ValueError):
    """The path holds no pattern telemetry that can be read."""


def load_history(path: str | Path) -> History:
    """Each pattern's share and success per step from ``path`` (a file or a run folder)."""
    file, records = _load(path)
    history: dict[str, dict[int, Point]] = {}
    for record in records:
        step = record.get("step")
        if not isinstance(step, int):
            continue
        if isinstance(record.get("patterns"), dict):  # the experiment's evaluations
            for label, cell in record["patterns"].items():
                point = history.setdefault(label, {}).setdefault(step, Point(step))
                point.share, point.success = cell.get("share"), cell.get("success")
            continue
        for key, value in record.items():
            match = _METRIC.match(key)
            if match and isinstance(value, int | float):
                point = history.setdefault(match["label"], {}).setdefault(step, Point(step))
                setattr(point, match["kind"], float(value))
    if not history:
        raise RunNotFound(f"{file} holds no patterns/<label>/share metrics")
    return {label: [points[s] for s in sorted(points)] for label, points in sorted(history.items())}


def load_split(path: str | Path) -> list[SplitPoint]:
    """The selection/competence split since the start, per step, from ``path``: the
    telemetry's ``patterns/<term>`` metrics or the experiment's ``split`` records; empty
    when the run logged none (runs from before the split existed)."""
    points: dict[int, SplitPoint] = {}
    for record in _load(path)[1]:
        step = record.get("step")
        logged = record.get("split")
        terms: dict[str, Any] = logged if isinstance(logged, dict) else {
            term: record[f"patterns/{term}"] for term in TERMS if f"patterns/{term}" in record}
        values = {t: float(v) for t, v in terms.items()
                  if t in TERMS and isinstance(v, int | float)}
        if isinstance(step, int) and all(t in values for t in TERMS[:3]):
            stratified = terms.get("stratified", "mix" in values)
            points[step] = SplitPoint(step, values["selection"], values["competence"],
                                      values["interaction"],
                                      values.get("mix") if stratified else None)
    return [points[step] for step in sorted(points)]


def _load(path: str | Path) -> tuple[Path, list[dict[str, Any]]]:
    path = Path(path)
    file = _find(path) if path.is_dir() else path
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RunNotFound(f"cannot read {file}: {exc.strerror or exc}") from None
    return file, _records(file, text)


def _find(folder: Path) -> Path:
    candidates = [folder / METRICS_FILE, folder / "summary.json", folder / "trainer_state.json"]
    checkpoints = sorted(folder.glob("checkpoint-*/trainer_state.json"),
                         key=lambda p: int(p.parent.name.rpartition("-")[2] or 0))
    for candidate in [*candidates, *reversed(checkpoints)]:
        if candidate.is_file():
            return candidate
    raise RunNotFound(f"{folder} has no {METRICS_FILE}, summary.json or trainer_state.json")


def _records(file: Path, text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        for key in ("log_history", "history"):
            if isinstance(data.get(key), list):
                return [r for r in data[key] if isinstance(r, dict)]
        return [data]
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise RunNotFound(f"{file}:{number}: not a JSON line") from None
        if isinstance(record, dict):
            records.append(record)
    return records


def table(history: History) -> str:
    """One row per pattern: share and success at the first and last step, and their change."""
    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    def first_last(points: list[Point], kind: str) -> tuple[float | None, float | None]:
        values = [getattr(p, kind) for p in points if getattr(p, kind) is not None]
        return (values[0], values[-1]) if values else (None, None)

    rows = [("pattern", "share first", "share last", "success first", "success last", "steps")]
    for label, points in history.items():
        share, success = first_last(points, "share"), first_last(points, "success")
        rows.append((label, pct(share[0]), pct(share[1]), pct(success[0]), pct(success[1]),
                     f"{points[0].step}-{points[-1].step}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                     for row in rows)


def split_table(split: list[SplitPoint], rows: int = 6) -> str:
    """The split at up to ``rows`` steps spread over the run (the last always), in points."""
    if not split:
        return "no selection/competence split in this log (patterns/selection is not logged)"
    count = min(rows, len(split))
    picked = {split[round(i * (len(split) - 1) / max(count - 1, 1))].step for i in range(count)}
    stratified = split[-1].mix is not None
    header = ["step", "change", *TERMS[:3], *(["mix"] if stratified else [])]
    lines = [header]
    for point in (p for p in split if p.step in picked):
        values = [point.change, point.selection, point.competence, point.interaction]
        if stratified:
            values.append(point.mix or 0.0)
        lines.append([str(point.step), *(f"{v * 100:+.1f}" for v in values)])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    where = "within strata" if stratified else "pooled (no strata)"
    return (f"change in success since the start, in points, {where}:\n"
            + "\n".join("  ".join(cell.rjust(w) if i else cell.ljust(w)
                                  for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
                        for row in lines))


def plot(history: History, out: str | Path, title: str = "",
         split: list[SplitPoint] | None = None) -> Path:
    """Draw share and success per pattern over steps into the PNG ``out``, and the
    selection/competence split when ``split`` has points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = 3 if split else 2
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 4), sharex=True)
    shares, successes = axes[0], axes[1]
    for label, points in history.items():
        line = shares.plot([p.step for p in points],
                           [p.share if p.share is not None else 0.0 for p in points],
                           label=label)[0]
        judged = [p for p in points if p.success is not None]
        if judged:
            successes.plot([p.step for p in judged], [p.success for p in judged],
                           color=line.get_color(), label=label)
    shares.set(title="share of completions", xlabel="step", ylim=(0, 1))
    successes.set(title="success rate", xlabel="step", ylim=(-0.02, 1.02))
    shares.legend(fontsize=8)
    if split:
        steps = [p.step for p in split]
        for term in TERMS:
            values = [getattr(p, term) for p in split]
            if all(v is not None for v in values):
                axes[2].plot(steps, values, label=term)
        axes[2].plot(steps, [p.change for p in split], color="black", linestyle="--",
                     label="change")
        axes[2].axhline(0, color="gray", linewidth=0.5)
        axes[2].set(title="change in success since the start", xlabel="step")
        axes[2].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
