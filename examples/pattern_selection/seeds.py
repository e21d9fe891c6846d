"""The experiment across seeds: per metric the median and range, per stratified success rate
a 95 % Wilson interval, and in how many seeds the paper's finding holds.

The finding, as docs/pattern-selection.md states it (the criterion, not to be tuned): the best
pattern's share rises at least 40 points, and every (pattern, stratum) cell with at least 100
samples both before and after RL moves at most 5 points.
"""

from __future__ import annotations

import statistics
from typing import Any

from rewardkit.patterns import wilson_interval

MIN_SHARE_GAIN = 0.40
MAX_CELL_CHANGE = 0.05
MIN_CELL = 100
TERMS = ("change", "selection", "competence", "interaction", "mix")


def holds(finding: dict[str, Any]) -> bool:
    drift = finding["max_abs_stratified_change"]
    return bool(finding["best_share_gain"] >= MIN_SHARE_GAIN
                and (drift is None or drift <= MAX_CELL_CHANGE))


def per_seed(summary: dict[str, Any]) -> dict[str, Any]:
    """One seed's numbers: the finding, every stratified cell with its intervals, the split."""
    finding = summary["finding"]
    cells = {}
    for label, data in summary["patterns"].items():
        for stratum, cell in data["strata"].items():
            row: dict[str, Any] = {"n_before": cell["n_before"], "n_after": cell["n_after"]}
            for when in ("before", "after"):
                n, rate = cell[f"n_{when}"], cell[f"success_{when}"]
                row[f"success_{when}"] = rate
                row[f"ci_{when}"] = (list(wilson_interval(round(rate * n), n)) if n else None)
            judged = min(cell["n_before"], cell["n_after"]) >= MIN_CELL
            row["change"] = (cell["success_after"] - cell["success_before"]) if judged else None
            cells[f"{label}/{stratum}"] = row
    split = summary["split"]
    forced = {f"{pattern}/{stratum}": cell["success_after"] - cell["success_before"]
              for pattern, strata in summary.get("forced", {}).items()
              for stratum, cell in strata.items() if cell["n"]}
    return {
        "seed": summary["settings"]["seed"], "minutes": summary["minutes"],
        "holds": holds(finding), "best_pattern": finding["best_pattern"],
        "best_share_before": summary["patterns"][finding["best_pattern"]]["share_before"],
        "best_share_after": summary["patterns"][finding["best_pattern"]]["share_after"],
        "best_share_gain": finding["best_share_gain"],
        "max_abs_stratified_change": finding["max_abs_stratified_change"],
        "cells": cells,
        "forced_change": forced,
        "split": {**{term: split[term] for term in TERMS},
                  "pooled_competence": split["pooled"]["competence"]},
    }


def spread(values: list[float | None]) -> dict[str, Any]:
    present = [v for v in values if v is not None]
    if not present:
        return {"median": None, "min": None, "max": None, "values": values}
    return {"median": statistics.median(present), "min": min(present), "max": max(present),
            "values": values}


def aggregate(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The multi-seed report written to ``seeds.json``."""
    seeds = [per_seed(s) for s in summaries]
    metrics: dict[str, Any] = {}
    for name in ("best_share_before", "best_share_after", "best_share_gain",
                 "max_abs_stratified_change", "minutes"):
        metrics[name] = spread([s[name] for s in seeds])
    for term in (*TERMS, "pooled_competence"):
        metrics[f"split/{term}"] = spread([s["split"][term] for s in seeds])
    for cell in sorted({c for s in seeds for c in s["forced_change"]}):
        metrics[f"forced/{cell}/change"] = spread([s["forced_change"].get(cell) for s in seeds])
    for cell in sorted({c for s in seeds for c in s["cells"]}):
        for field in ("success_before", "success_after", "change", "n_before", "n_after"):
            metrics[f"{cell}/{field}"] = spread([s["cells"].get(cell, {}).get(field)
                                                  for s in seeds])
    return {"criterion": {"min_share_gain": MIN_SHARE_GAIN, "max_cell_change": MAX_CELL_CHANGE,
                          "min_cell": MIN_CELL},
            "holds_in": sum(s["holds"] for s in seeds), "of": len(seeds),
            "seeds": seeds, "metrics": metrics}


def one_line(summary: dict[str, Any]) -> str:
    seed = per_seed(summary)
    drift = seed["max_abs_stratified_change"]
    return (f"{seed['best_pattern']} share {seed['best_share_before']:.1%} -> "
            f"{seed['best_share_after']:.1%}, max stratified change "
            f"{'-' if drift is None else f'{drift:.1%}'}, finding "
            f"{'holds' if seed['holds'] else 'FAILS'}")


def _pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:+.1f}" if signed else f"{value * 100:.1f} %"


def table(report: dict[str, Any]) -> str:
    """Markdown tables: one row per seed, the median and range per metric, the cells."""
    lines = [f"finding holds in {report['holds_in']} of {report['of']} seeds", "",
             "| seed | best share before → after | max stratified change | selection | "
             "competence | interaction | mix | holds | minutes |",
             "|---|---|---|---|---|---|---|---|---|"]
    for s in report["seeds"]:
        split = s["split"]
        lines.append(
            f"| {s['seed']} | {_pct(s['best_share_before'])} → {_pct(s['best_share_after'])} | "
            f"{_pct(s['max_abs_stratified_change'])} | {_pct(split['selection'], True)} | "
            f"{_pct(split['competence'], True)} | {_pct(split['interaction'], True)} | "
            f"{_pct(split['mix'], True)} | {'yes' if s['holds'] else 'NO'} | "
            f"{s['minutes']:.1f} |")
    lines += ["", "| metric | median | range |", "|---|---|---|"]
    for name, value in report["metrics"].items():
        if "/n_" in name or value["median"] is None:
            continue
        signed = name.startswith("split/") or name.endswith("/change")
        if name == "minutes":
            lines.append(f"| minutes | {value['median']:.1f} | {value['min']:.1f} – "
                         f"{value['max']:.1f} |")
            continue
        lines.append(f"| {name} | {_pct(value['median'], signed)} | "
                     f"{_pct(value['min'], signed)} – {_pct(value['max'], signed)} |")
    lines += ["", "| cell | seed | before (n) [95 % CI] | after (n) [95 % CI] | change |",
              "|---|---|---|---|---|"]
    for cell in sorted({c for s in report["seeds"] for c in s["cells"]}):
        for s in report["seeds"]:
            c = s["cells"].get(cell)
            if c is None:  # a label that seed never produced (`other`, say)
                continue
            lines.append(f"| {cell} | {s['seed']} | {_rate(c, 'before')} | {_rate(c, 'after')} | "
                         f"{_pct(c['change'], True)} |")
    return "\n".join(lines)


def _rate(cell: dict[str, Any], when: str) -> str:
    n, rate, ci = cell[f"n_{when}"], cell[f"success_{when}"], cell[f"ci_{when}"]
    if not n:
        return "– (0)"
    return f"{_pct(rate)} ({n}) [{ci[0] * 100:.1f}, {ci[1] * 100:.1f}]"
