"""A Score as flat numeric columns, for trainers that log per-sample numbers (verl, OpenRLHF)."""

from __future__ import annotations

from collections.abc import Sequence

from rewardkit.models import ROUTING, Score, Status


def reward_columns(score: Score, keys: Sequence[str]) -> dict[str, float]:
    """For every configured verifier, ``<key>`` (its reward; 0 when it did not run) and
    ``<key>/failed`` (1 on an error or timeout), plus ``routing_failed`` (1 when the routing
    column matched nothing). Every sample gets the same keys: trainers gather each key into
    one column of the batch and average it."""
    out: dict[str, float] = {}
    for key in keys:
        result = score.result(key)
        out[key] = result.reward if result is not None else 0.0
        out[f"{key}/failed"] = float(result is not None and result.status in
                                     (Status.ERROR, Status.TIMEOUT))
    out["routing_failed"] = float(score.result(ROUTING) is not None)
    return out
