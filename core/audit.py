"""``rewardkit audit``: re-score a scored file with another verifier and compare verdicts.

The offline form of shadow verification. A scored line is a sample (``prompt``,
``completion``, a reference column, other columns) with its verdict: either a ``reward``
(and optionally ``status`` and ``reason``) of its own, or the ``results`` list that
``rewardkit score`` writes, joined by ``line`` to the input file it scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rewardkit import json_text
from rewardkit.agreement import Agreement, disagreement_row
from rewardkit.config import VerifierSpec
from rewardkit.engine import RewardEngine
from rewardkit.models import Result, Sample, Status
from rewardkit.plugins import PluginManager

#: Columns of a scored line that are its verdict, not part of the sample.
VERDICT_COLUMNS = ("line", "reward", "status", "reason", "results", "seconds")


class AuditInputError(ValueError):
    """A scored line that cannot be read; the message names the line."""


@dataclass
class AuditReport:
    """The confusion table of the scored verdicts against the other verifier's, and the
    disagreeing lines (as disagreement rows)."""

    against: str
    agreement: Agreement = field(default_factory=Agreement)
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def text(self, shown: int = 10) -> str:
        lines = [self.agreement.table("scored", self.against)]
        for row in self.disagreements[:shown]:
            completion = row["completion"] if isinstance(row["completion"], str) else json.dumps(
                row["completion"])
            lines += [f"line {row['line']}: scored {row['primary']['reward']:g} "
                      f"({row['primary']['reason'] or row['primary']['status']}), "
                      f"{self.against} {row['shadow']['reward']:g} "
                      f"({row['shadow']['reason'] or row['shadow']['status']})",
                      f"    {completion[:160]!r}"]
        if len(self.disagreements) > shown:
            lines.append(f"... and {len(self.disagreements) - shown} more disagreements")
        return "\n".join(lines)


def scored_pairs(scored: Iterable[str], inputs: Iterable[str] | None = None,
                 verifier: str | None = None) -> Iterator[tuple[int, Sample, Result]]:
    """(line number, sample, scored result) per non-blank line of ``scored``.

    With ``inputs`` (the file ``rewardkit score`` read), a line's ``line`` number picks its
    sample there and ``results`` its verdict (``verifier``'s, else the first). Raises
    :class:`AuditInputError` for a line that is not a scored sample.
    """
    originals = None
    if inputs is not None:
        originals = {n: line for n, line in enumerate(inputs, start=1) if line.strip()}
    for number, line in enumerate(scored, start=1):
        if not line.strip():
            continue
        try:
            record = json_text.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            result = _scored_result(record, verifier)
            if originals is not None:
                source = originals.get(int(record["line"]))
                if source is None:
                    raise ValueError(f"the input has no line {record['line']}")
                record = json_text.loads(source)
            sample = Sample.from_record(
                {k: v for k, v in record.items() if k not in VERDICT_COLUMNS})
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditInputError(f"line {number}: {exc}") from None
        yield number, sample, result


def _scored_result(record: dict[str, Any], verifier: str | None) -> Result:
    results = record.get("results")
    if isinstance(results, list) and results:
        chosen = next((r for r in results if r.get("verifier") == verifier), None)
        if chosen is None and verifier is not None:
            raise ValueError(f"no result of verifier {verifier!r}")
        chosen = chosen or results[0]
        return Result(reward=float(chosen.get("reward", 0.0)),
                      status=Status(chosen.get("status", "ok")),
                      reason=str(chosen.get("reason", "")),
                      verifier=str(chosen.get("verifier", "scored")))
    if "reward" not in record:
        raise ValueError("a scored line needs a 'reward' or a 'results' list")
    return Result(reward=float(record["reward"]), status=Status(record.get("status", "ok")),
                  reason=str(record.get("reason", "")), verifier="scored")


def audit(pairs: Iterable[tuple[int, Sample, Result]], against: str,
          options: dict[str, Any] | None = None, *, plugin_manager: PluginManager | None = None,
          timeout: float | None = None, workers: int | None = None,
          batch_size: int = 256) -> AuditReport:
    """Score every pair's sample with ``against`` (and ``options``); compare to its verdict."""
    spec = VerifierSpec(name=against, options=dict(options or {}), timeout=timeout)
    report = AuditReport(against)
    with RewardEngine([spec], plugin_manager=plugin_manager, workers=workers) as engine:
        batch: list[tuple[int, Sample, Result]] = []
        for pair in [*pairs, None]:
            if pair is not None:
                batch.append(pair)
            if batch and (pair is None or len(batch) >= batch_size):
                scores = engine.score([sample for _, sample, _ in batch])
                for (number, sample, scored), score in zip(batch, scores):
                    other = score.results[0]
                    if report.agreement.add(scored, other):
                        report.disagreements.append(
                            disagreement_row(sample, scored, other, line=number))
                batch = []
    return report


def read_lines(path: str | Path) -> list[str]:
    """The lines of a UTF-8 file; ``ValueError`` naming the file when it is not UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
