"""rewardkit's TRL face: reward functions for ``GRPOTrainer``/``RLOOTrainer`` and pattern telemetry.

::

    from rewardkit.trl import reward_functions

    funcs = reward_functions(["math", "format:0.1"])          # local engine, warm pool
    # funcs = reward_functions(["math"], remote="http://verifier:8000")  # same shape, remote
    trainer = GRPOTrainer(model, reward_funcs=funcs, callbacks=[funcs.callback],
                          args=GRPOConfig(reward_weights=funcs.weights, ...), ...)

Importing this package does not import torch, TRL or transformers; ``funcs.callback`` does.
"""

from rewardkit.trl.batches import reward_of, samples_from_batch
from rewardkit.trl.rewards import (
    AsyncRewardFunction,
    BatchScorer,
    RewardFunction,
    RewardFunctions,
    reward_functions,
)
from rewardkit.trl.scorers import RemoteScorer, Scorer
from rewardkit.trl.telemetry import OTHER, PatternStats, PatternTelemetry

__all__ = [
    "OTHER",
    "AsyncRewardFunction",
    "BatchScorer",
    "PatternStats",
    "PatternTelemetry",
    "RemoteScorer",
    "RewardFunction",
    "RewardFunctions",
    "Scorer",
    "reward_functions",
    "reward_of",
    "samples_from_batch",
]
