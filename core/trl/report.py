"""Read pattern telemetry back from a run and show it: a table and a matplotlib figure.

A run is any of: the ``rewardkit_metrics.jsonl`` the callback writes, a ``trainer_state.json``
(its ``log_history``), a JSONL of logged metric dicts with a ``step``, the ``summary.json``
of ``examples/pattern_selection``, or a folder holding one of these (checkpoints included).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rewardkit.trl.telemetry import METRICS_FILE

_METRIC = re.compile(r"^patterns/(?P<label>.+)/(?P<kind>share|success)$")


@dataclass
class Point:
    step: int
    share: float | None = None
    success: float | None = None


#: label → its points in step order.
History = dict[str, list[Point]]


class RunNotFound(ValueError):
    """The path holds no pattern telemetry that can be read."""


def load_history(path: str | Path) -> History:
    """Each pattern's share and success per step from ``path`` (a file or a run folder)."""
    path = Path(path)
    file = _find(path) if path.is_dir() else path
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RunNotFound(f"cannot read {file}: {exc.strerror or exc}") from None
    records = _records(file, text)
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


def plot(history: History, out: str | Path, title: str = "") -> Path:
    """Draw share and success per pattern over steps into the PNG ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (shares, successes) = plt.subplots(1, 2, figsize=(10.4, 4), sharex=True)
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
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
