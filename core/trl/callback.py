"""A ``transformers`` callback around a training run's reward functions.

It starts the worker pool before the first step (so step 1 does not pay for process start),
appends every logged ``rewards/``, ``rewardkit/`` and ``patterns/`` metric to
``<output_dir>/rewardkit_metrics.jsonl`` (what ``rewardkit patterns report`` reads), and stops
the pool when training ends.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from rewardkit.trl.telemetry import METRICS_FILE

if TYPE_CHECKING:
    from rewardkit.trl.rewards import RewardFunctions

__all__ = ["METRICS_FILE", "RewardkitCallback"]
_PREFIXES = ("rewards/", "rewardkit/", "patterns/", "reward")


class RewardkitCallback(TrainerCallback):
    """Warms and closes the reward functions' engine; logs their metrics to a JSONL file."""

    def __init__(self, functions: RewardFunctions) -> None:
        self.functions = functions

    def on_train_begin(self, args: TrainingArguments, state: TrainerState,
                       control: TrainerControl, **kwargs: Any) -> None:
        self.functions.warm()

    def on_log(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
               logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not logs or not state.is_world_process_zero or not args.output_dir:
            return
        kept = {k: v for k, v in logs.items()
                if k.startswith(_PREFIXES) and isinstance(v, int | float)}
        if not kept:
            return
        path = Path(args.output_dir) / METRICS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"step": state.global_step, **kept}) + "\n")

    def on_train_end(self, args: TrainingArguments, state: TrainerState,
                     control: TrainerControl, **kwargs: Any) -> None:
        self.functions.close()
