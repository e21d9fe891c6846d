"""Reward-function batches as TRL passes them, to Samples and back to one reward per row.

The TRL adapter's one mapping, whichever scorer (a local engine or a server) it uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rewardkit.execution import json_safe
from rewardkit.models import ROUTING, Sample, Score, Status

#: Keyword arguments TRL passes that are not dataset columns.
NOT_COLUMNS = frozenset({"prompts", "completions", "completion_ids", "trainer_state",
                         "log_extra", "log_metric", "environments"})

def samples_from_batch(prompts: Sequence[Any], completions: Sequence[Any],
                       columns: Mapping[str, Any] | None = None, *,
                       reference_column: str | None = None) -> list[Sample]:
    """A TRL reward batch as Samples.

    ``prompts``/``completions`` are text or chat message lists (TRL's conversational format).
    A dataset column given per row (a list as long as the batch) goes into each sample: the
    ``reference_column``, else the first of ``reference``/``answer``/``solution``/
    ``ground_truth``, becomes the reference and the rest metadata. TRL's own keyword
    arguments (``trainer_state``, ``log_metric``...) are left out.
    """
    n = len(completions)
    if len(prompts) != n:
        raise ValueError(f"{len(prompts)} prompts for {n} completions")
    per_row = {name: values for name, values in (columns or {}).items()
               if name not in NOT_COLUMNS and isinstance(values, list | tuple)
               and len(values) == n}
    samples = []
    for i in range(n):
        # json_safe: tensors and numpy scalars in dataset columns become plain numbers.
        record = json_safe({name: values[i] for name, values in per_row.items()})
        record.update(json_safe({"prompt": prompts[i], "completion": completions[i]}))
        samples.append(Sample.from_record(record, reference_column=reference_column))
    return samples


def reward_of(score: Score, key: str) -> float | None:
    """TRL's value for one verifier: skipped or not routed → None; error, timeout → 0.0."""
    result = score.result(key)
    if result is None:
        return 0.0 if score.result(ROUTING) is not None else None
    if result.status is Status.SKIPPED:
        return None
    return result.reward
