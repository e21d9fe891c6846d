"""A real GRPO step (tiny model built in code, on the CPU) with a shadow verifier."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before huggingface_hub reads it
pytest.importorskip("trl")

from test_trl_trainers import config_kwargs, dataset, tiny_model, tiny_tokenizer

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.trl import reward_functions
from rewardkit.trl.callback import METRICS_FILE


class Half(Verifier):
    name = "half"
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=0.5, reason="always half")


class EvenHalf(Verifier):
    """Agrees with ``half`` on completions of even length, gives 0 on the others."""

    name = "even_half"
    inline = True

    def verify(self, sample: Sample) -> Result:
        even = len(sample.completion_text) % 2 == 0
        return Result(reward=0.5 if even else 0.0, reason="even" if even else "odd")


class Plugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Half)
        register(EvenHalf)


def test_grpo_logs_disagreement_and_writes_the_disagreeing_rows(tmp_path, plugin_manager,
                                                                register_plugin):
    from trl import GRPOConfig, GRPOTrainer

    register_plugin(Plugin())
    file = tmp_path / "disagreements.jsonl"
    spec = {"name": "half", "shadow": {"verifier": "even_half", "sample_rate": 1.0,
                                       "file": str(file)}}
    tokenizer = tiny_tokenizer()
    funcs = reward_functions([spec], plugin_manager=plugin_manager, workers=1, patterns=False)
    args = GRPOConfig(max_steps=1, beta=0.0, reward_weights=funcs.weights,
                      **config_kwargs(tmp_path))  # type: ignore[arg-type]
    trainer = GRPOTrainer(model=tiny_model(tokenizer), processing_class=tokenizer,
                          reward_funcs=funcs, args=args, train_dataset=dataset(),
                          callbacks=[funcs.callback])
    trainer.train()

    logs = [entry for entry in trainer.state.log_history if "rewards/half/mean" in entry]
    assert len(logs) == 1
    for entry in logs:
        assert 0.0 <= entry["rewardkit/half/disagreement_rate"] <= 1.0
        assert entry["rewardkit/half/unparseable_rate"] == 0.0
    logged = (tmp_path / METRICS_FILE).read_text()
    assert logged.count("rewardkit/half/disagreement_rate") == 1
    # Training closed the engine, which finished the shadow's work: every completion was
    # shadowed, and exactly the odd-length ones disagree.
    assert funcs.engine is not None
    final = funcs.engine.shadow_metrics()
    assert final["rewardkit/half/shadowed"] == 8
    rows = [json.loads(line) for line in file.read_text().splitlines()]
    assert rows and len(rows) == round(final["rewardkit/half/disagreement_rate"] * 8)
    prompts = {row["prompt"] for row in dataset()}
    for row in rows:
        assert len(row["completion"]) % 2 == 1 and row["prompt"] in prompts
        assert row["primary"]["reward"] == 0.5 and row["shadow"]["reward"] == 0.0
        assert row["shadow"]["reason"] == "odd" and row["verifier"] == "half"
