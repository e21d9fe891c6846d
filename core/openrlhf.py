"""rewardkit for OpenRLHF: its ``--remote_rm_url`` protocol and its Python-file reward mode.

OpenRLHF (``openrlhf/utils/agent.py``) scores each rollout by sending::

    {"query": [prompt + response, decoded with special tokens], "prompts": [prompt],
     "labels": [label]}

to ``--remote_rm_url``, or, when that is a ``.py`` file, by calling its
``reward_func(queries, prompts, labels)``. It reads back ``rewards`` (the training reward),
``scores`` (what ``--dynamic_filtering`` averages) and ``extra_logs`` (numbers it logs per
sample). :func:`samples_from_request` and :func:`openrlhf_response` are that mapping, used
by both the server's ``POST /v1/openrlhf/get_reward`` and :func:`reward_func` here.

- The completion is the query after its prompt, with trailing end-of-turn tokens
  (:data:`END_TOKENS`) removed: OpenRLHF decodes with ``skip_special_tokens=False``.
- A label is the reference. A label that is a JSON object holding one of the reference
  columns (``{"answer": "42", "task": "gsm"}``) is a row instead: its other keys become
  metadata, so a config's ``route_by`` can route by them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from rewardkit import json_text
from rewardkit.models import REFERENCE_COLUMNS, Sample, Score
from rewardkit.process_engines import ConfigSource, close_shared_engines, shared_engine
from rewardkit.reward_columns import reward_columns

#: The environment variable naming the engine config of :func:`reward_func`.
CONFIG_ENV = "REWARDKIT_OPENRLHF_CONFIG"
#: The config :func:`reward_func` uses when the variable is not set.
DEFAULT_CONFIG: dict[str, Any] = {"verifiers": ["math"]}
#: End-of-turn and end-of-text tokens of common chat templates, stripped from a response's end.
END_TOKENS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "<|end|>",
              "</s>", "<eos>", "<end_of_turn>", "<｜end▁of▁sentence｜>")


def completion_of(query: str, prompt: str) -> str:
    """The response part of ``query`` (prompt + response) without trailing end tokens."""
    start = query.find(prompt) if prompt else -1
    text = query[start + len(prompt):] if start >= 0 else query
    stripped = text.rstrip()
    while True:
        for token in END_TOKENS:
            if stripped.endswith(token):
                stripped = stripped[:-len(token)].rstrip()
                break
        else:
            return stripped


def samples_from_request(queries: Sequence[str], prompts: Sequence[str] | None = None,
                         labels: Sequence[Any] | None = None) -> list[Sample]:
    """OpenRLHF's lists as Samples; raises ``ValueError`` when their lengths differ."""
    n = len(queries)
    prompts = list(prompts) if prompts is not None else [""] * n
    labels = list(labels) if labels is not None else [None] * n
    if not len(prompts) == len(labels) == n:
        raise ValueError(f"{n} queries, {len(prompts)} prompts and {len(labels)} labels: "
                         "OpenRLHF sends one of each per rollout")
    samples = []
    for query, prompt, label in zip(queries, prompts, labels):
        record = _label_row(label)
        record.update(prompt=prompt, completion=completion_of(query, prompt))
        samples.append(Sample.from_record(record))
    return samples


def _label_row(label: Any) -> dict[str, Any]:
    if isinstance(label, str) and label.lstrip().startswith("{"):
        try:
            row = json_text.loads(label)
        except ValueError:
            row = None
        if isinstance(row, dict) and any(column in row for column in REFERENCE_COLUMNS):
            row = {key: value for key, value in row.items()
                   if key not in ("prompt", "completion")}
            if not isinstance(row.get("metadata") or {}, dict):
                # A data set's own "metadata" text is kept, not a reason to fail the batch.
                row["metadata"] = {"metadata": row["metadata"]}
            return row
    return {"reference": label}


def openrlhf_response(scores: Sequence[Score], keys: Sequence[str],
                      score_verifier: str | None = None) -> dict[str, Any]:
    """The JSON OpenRLHF reads: ``rewards`` (weighted rewards), ``scores`` (the rewards, or
    ``score_verifier``'s reward when given: dynamic filtering wants a 0-1 success) and
    ``extra_logs`` (the :func:`~rewardkit.reward_columns.reward_columns`, one list each)."""
    columns = [reward_columns(score, keys) for score in scores]
    rewards = [score.reward for score in scores]
    success = rewards if score_verifier is None else [row[score_verifier] for row in columns]
    extra = {name: [row[name] for row in columns] for name in (columns[0] if columns else {})}
    return {"rewards": rewards, "scores": success, "extra_logs": extra}


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[Any],
                **kwargs: Any) -> dict[str, Any]:
    """OpenRLHF's Python-file reward: ``--remote_rm_url /path/to/rewardkit/openrlhf.py``.

    The engine config is the file named by ``REWARDKIT_OPENRLHF_CONFIG`` (else
    :data:`DEFAULT_CONFIG`); one engine per process serves every call.
    """
    source: ConfigSource = os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG
    engine = shared_engine(source)
    scores = engine.score(samples_from_request(queries, prompts, labels))
    return openrlhf_response(scores, list(engine.verifiers))


#: Stop the engines this process keeps (they also stop at interpreter exit).
close = close_shared_engines
