"""rewardkit as verl's reward function: ``compute_score`` and its batched form.

verl loads a custom reward function by path and name (``reward.custom_reward_function.path``
and ``.name``, ``custom_reward_function`` in older configs) and calls it per sample
(``naive`` and ``dapo`` reward managers) or per batch (``batch``)::

    compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs)
    compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kwargs)

Each sample becomes a :class:`~rewardkit.Sample` (the ground truth as reference,
``data_source`` and ``extra_info``'s keys as metadata) and is scored by one
:class:`~rewardkit.RewardEngine` per process and config, kept for the process's life, so its
worker pool stays warm. ``data_source`` routes: a config's ``routes`` map it to verifiers.

The engine's config comes from the ``config`` keyword (``reward_kwargs`` in verl's config:
a YAML/TOML path or a dict), else the file named by ``REWARDKIT_VERL_CONFIG``, else
:data:`DEFAULT_CONFIG`. A config that names no verifiers and no ``route_by`` routes by
``data_source`` over every installed verifier.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from rewardkit.engine import RewardEngine
from rewardkit.execution import json_safe
from rewardkit.models import Sample, Score
from rewardkit.process_engines import ConfigSource, close_shared_engines, shared_engine
from rewardkit.reward_columns import reward_columns

#: The environment variable naming the engine config when ``config`` is not passed.
CONFIG_ENV = "REWARDKIT_VERL_CONFIG"
#: The metadata column verl's ``data_source`` is put under (and routed by).
DATA_SOURCE = "data_source"
#: The config used when none is given: verl's example math data sets go to ``math``; any
#: other ``data_source`` must name an installed verifier (``math``, ``code``...).
DEFAULT_CONFIG: dict[str, Any] = {
    "route_by": DATA_SOURCE,
    "routes": {name: ["math"] for name in (
        "openai/gsm8k", "lighteval/MATH", "DigitalLearningGmbH/MATH-lighteval",
        "HuggingFaceH4/MATH-500", "math_dapo")},
}

VerlScore = float | dict[str, float]


def compute_score(data_source: Any, solution_str: str, ground_truth: Any,
                  extra_info: Mapping[str, Any] | None = None, *,
                  config: ConfigSource | None = None,
                  return_dict: bool = True, **kwargs: Any) -> VerlScore:
    """The reward of one verl sample: a dict with ``score`` (see :func:`verl_result`), or the
    bare float with ``return_dict=False``. Other keywords verl passes are ignored."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info],
                               config=config, return_dict=return_dict)[0]


def compute_score_batch(data_sources: Sequence[Any], solution_strs: Sequence[str],
                        ground_truths: Sequence[Any],
                        extra_infos: Sequence[Mapping[str, Any] | None] | None = None, *,
                        config: ConfigSource | None = None,
                        return_dict: bool = True, **kwargs: Any) -> list[VerlScore]:
    """The rewards of a batch, in order, scored in one engine call (verl's ``batch``
    reward manager: ``reward_manager=batch``, this function as the custom reward function)."""
    n = len(solution_strs)
    if not len(data_sources) == len(ground_truths) == n:
        raise ValueError(f"{len(data_sources)} data sources and {len(ground_truths)} ground "
                         f"truths for {n} solutions")
    infos = list(extra_infos) if extra_infos is not None else [None] * n
    engine = engine_for(config)
    samples = [to_sample(source, text, truth, info) for source, text, truth, info
               in zip(data_sources, solution_strs, ground_truths, infos)]
    keys = list(engine.verifiers)
    return [verl_result(score, keys) if return_dict else score.reward
            for score in engine.score(samples)]


def to_sample(data_source: Any, solution_str: str, ground_truth: Any,
              extra_info: Mapping[str, Any] | None) -> Sample:
    """One verl sample as a :class:`Sample` (numpy values in verl's batches become plain)."""
    info = json_safe(dict(extra_info or {}))
    info.pop("rollout_reward_scores", None)  # verl's own bookkeeping, not the row's data
    data = json_safe({"source": data_source, "truth": ground_truth})
    return Sample(prompt=str(info.get("question", "")), completion=solution_str,
                  reference=data["truth"], metadata={**info, DATA_SOURCE: data["source"]})


def verl_result(score: Score, keys: Sequence[str]) -> dict[str, float]:
    """The dict verl's reward managers accept: ``score`` (the weighted reward) and the
    :func:`~rewardkit.reward_columns.reward_columns` (``<key>``, ``<key>/failed``,
    ``routing_failed``). The keys are the same for every sample and numeric, because verl
    gathers each key into one column of the batch (``reward_extra_info``) and averages it
    in its validation metrics."""
    return {"score": score.reward, **reward_columns(score, keys)}


def engine_for(config: ConfigSource | None = None) -> RewardEngine:
    """This process's engine for ``config`` (built on first use, then reused)."""
    source = config if config is not None else os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG
    return shared_engine(source, route_by=DATA_SOURCE)


#: Stop the engines this process keeps (they also stop at interpreter exit).
close = close_shared_engines
