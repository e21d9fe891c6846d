"""Comparing two verifiers' results on one sample: the vocabulary of shadow runs and audits.

A result is *judged* when its status is ``ok``; a judged result *passes* with a positive
reward. Two results *disagree* when both are judged and their rewards differ (by more than
:data:`TOLERANCE`); a pair where either is not judged (error, timeout, skipped) counts as
*unparseable*, not as a disagreement, so a broken shadow does not read as a wrong primary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from rewardkit.models import Result, Sample, Status

#: Rewards closer than this are the same verdict.
TOLERANCE = 1e-6

Verdict = Literal["pass", "fail", "unjudged"]
VERDICTS: tuple[Verdict, ...] = ("pass", "fail", "unjudged")


def verdict(result: Result) -> Verdict:
    """``pass`` (ok, reward > 0), ``fail`` (ok, reward 0) or ``unjudged`` (any other status)."""
    if result.status is not Status.OK:
        return "unjudged"
    return "pass" if result.reward > 0 else "fail"


def disagree(first: Result, second: Result) -> bool:
    """Both judged, and their rewards differ."""
    return (first.status is Status.OK and second.status is Status.OK
            and abs(first.reward - second.reward) > TOLERANCE)


def unparseable(first: Result, second: Result) -> bool:
    """Either result is not a judgement (error, timeout or skipped)."""
    return first.status is not Status.OK or second.status is not Status.OK


def result_fields(result: Result) -> dict[str, Any]:
    """What a disagreement row keeps of a result."""
    return {"verifier": result.verifier, "reward": result.reward,
            "status": result.status.value, "reason": result.reason}


def disagreement_row(sample: Sample, primary: Result, other: Result,
                     **extra: Any) -> dict[str, Any]:
    """One JSON line for a disagreements file: the sample's columns as ``rewardkit score``
    reads them (so the file can be scored again, or kept as regression fixtures) and both
    verdicts with their reasons."""
    return {
        **extra,
        "prompt": sample.prompt,
        "completion": sample.completion,
        "reference": sample.reference,
        "metadata": sample.metadata,
        "primary": result_fields(primary),
        "shadow": result_fields(other),
    }


@dataclass
class Agreement:
    """Counts of paired verdicts: the confusion table of one verifier against another."""

    cells: dict[tuple[Verdict, Verdict], int] = field(default_factory=dict)
    disagreements: int = 0
    unparseable: int = 0

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def add(self, primary: Result, other: Result) -> bool:
        """Count one pair; True when it is a disagreement."""
        cell = (verdict(primary), verdict(other))
        self.cells[cell] = self.cells.get(cell, 0) + 1
        self.unparseable += unparseable(primary, other)
        disagreed = disagree(primary, other)
        self.disagreements += disagreed
        return disagreed

    @property
    def disagreement_rate(self) -> float:
        return self.disagreements / self.total if self.total else 0.0

    @property
    def unparseable_rate(self) -> float:
        return self.unparseable / self.total if self.total else 0.0

    def table(self, primary: str = "primary", other: str = "other") -> str:
        """The confusion table: rows are ``primary``'s verdicts, columns ``other``'s."""
        corner = f"{primary} \\ {other}"
        header = (corner, *VERDICTS)
        rows = [header] + [(row, *(str(self.cells.get((row, col), 0)) for col in VERDICTS))
                           for row in VERDICTS]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
        lines.append(f"{self.total} pairs: disagreement rate {self.disagreement_rate:.2%} "
                     f"({self.disagreements}), unparseable rate {self.unparseable_rate:.2%} "
                     f"({self.unparseable})")
        return "\n".join(lines)


def parse_verifier_arg(text: str) -> tuple[str, dict[str, Any]]:
    """``NAME``, ``NAME:{"json": "options"}`` or ``NAME:key=value,key=value`` (values read
    as JSON when they parse), as ``audit --against`` takes it. ``ValueError`` when malformed."""
    name, sep, rest = text.partition(":")
    if not name:
        raise ValueError(f"{text!r}: a verifier name is needed before ':'")
    if not sep or not rest.strip():
        return name, {}
    if rest.lstrip().startswith("{"):
        decoded = json.loads(rest)
        if not isinstance(decoded, dict):
            raise ValueError(f"{text!r}: the options must be a JSON object")
        return name, decoded
    options: dict[str, Any] = {}
    for item in rest.split(","):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"{text!r}: options are key=value pairs separated by commas")
        try:
            options[key.strip()] = json.loads(value)
        except ValueError:
            options[key.strip()] = value
    return name, options
