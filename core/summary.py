"""Per-verifier statistics of a scoring run: counts by status, mean reward, latency percentiles."""

from __future__ import annotations

import math
from collections.abc import Iterable

from pydantic import BaseModel, Field

from rewardkit.models import Result, Status


class VerifierStats(BaseModel):
    verifier: str
    count: int = 0
    reward_sum: float = 0.0
    statuses: dict[Status, int] = Field(default_factory=lambda: dict.fromkeys(Status, 0))
    seconds: list[float] = Field(default_factory=list, repr=False)

    @property
    def mean_reward(self) -> float:
        return self.reward_sum / self.count if self.count else 0.0

    def percentile(self, q: float) -> float:
        """The ``q`` quantile (0..1) of seconds, nearest-rank; 0 when there are none."""
        if not self.seconds:
            return 0.0
        ordered = sorted(self.seconds)
        rank = max(1, math.ceil(q * len(ordered)))
        return ordered[rank - 1]


class Summary:
    """Accumulates Results as they stream by; :meth:`table` renders them for a terminal."""

    def __init__(self) -> None:
        self.stats: dict[str, VerifierStats] = {}

    def add(self, results: Iterable[Result]) -> None:
        for result in results:
            stats = self.stats.get(result.verifier)
            if stats is None:
                stats = self.stats[result.verifier] = VerifierStats(verifier=result.verifier)
            stats.count += 1
            stats.reward_sum += result.reward
            stats.statuses[result.status] += 1
            stats.seconds.append(result.seconds)

    def table(self) -> str:
        header = ("verifier", "count", "mean", *(status.value for status in Status),
                  "p50 s", "p95 s")
        rows = [header] + [
            (
                s.verifier, str(s.count), f"{s.mean_reward:.3f}",
                *(str(s.statuses[status]) for status in Status),
                f"{s.percentile(0.5):.4f}", f"{s.percentile(0.95):.4f}",
            )
            for s in self.stats.values()
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                      for i, (cell, w) in enumerate(zip(row, widths)))
            for row in rows
        ]
        return "\n".join(lines)
