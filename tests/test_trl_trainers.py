"""Real TRL runs (two GRPO steps, one RLOO step) on a tiny model built in code, on the CPU."""

from __future__ import annotations

import math
import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before huggingface_hub reads it
pytest.importorskip("trl")

import torch
from datasets import Dataset
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.trl import reward_functions
from rewardkit.trl.callback import METRICS_FILE

CHARS = "0123456789+=# abc"


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    vocab = {token: i for i, token in enumerate(["<pad>", "<eos>", *CHARS])}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<pad>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>",
                                   eos_token="<eos>", padding_side="left")


def tiny_model(tokenizer: PreTrainedTokenizerFast) -> LlamaForCausalLM:
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                         max_position_embeddings=32, pad_token_id=tokenizer.pad_token_id,
                         eos_token_id=tokenizer.eos_token_id, bos_token_id=None)
    return LlamaForCausalLM(config)


class Always(Verifier):
    """Inline and always applicable: every row gets at least one reward."""

    name = "always"
    description = "0.5 for every completion"
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=0.5, reason="always half")


class AlwaysPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Always)


def dataset() -> Dataset:
    # Half the rows have no answer: the math verifier skips them, so TRL must get None.
    rows = [{"prompt": f"{a}+{b}=", "answer": str(a + b) if a % 2 else None}
            for a, b in [(1, 2), (2, 3), (3, 4), (4, 5)]]
    return Dataset.from_list(rows)


def config_kwargs(tmp_path: object) -> dict[str, object]:
    return dict(output_dir=str(tmp_path), per_device_train_batch_size=8, num_generations=4,
                max_completion_length=8, learning_rate=1e-3, logging_steps=1, report_to=[],
                use_cpu=True, save_strategy="no", disable_tqdm=True, seed=0,
                gradient_checkpointing=False)


def test_grpo_logs_rewards_rates_and_patterns(tmp_path, plugin_manager, register_plugin):
    from trl import GRPOConfig, GRPOTrainer

    register_plugin(AlwaysPlugin())
    tokenizer = tiny_tokenizer()
    funcs = reward_functions(["math", "always"], plugin_manager=plugin_manager, workers=1)
    assert funcs.engine is not None and funcs.engine.pool is not None  # warm before step 1
    args = GRPOConfig(max_steps=2, beta=0.0, reward_weights=funcs.weights,
                      **config_kwargs(tmp_path))  # type: ignore[arg-type]
    trainer = GRPOTrainer(model=tiny_model(tokenizer), processing_class=tokenizer,
                          reward_funcs=funcs, args=args, train_dataset=dataset(),
                          callbacks=[funcs.callback])
    trainer.train()

    logs = [entry for entry in trainer.state.log_history if "rewards/math/mean" in entry]
    assert len(logs) == 2
    for entry in logs:
        assert entry["rewards/always/mean"] == pytest.approx(0.5)
        for key in ("math", "always"):
            for rate in ("error_rate", "timeout_rate", "skipped_rate"):
                assert f"rewardkit/{key}/{rate}" in entry
            assert entry[f"rewardkit/{key}/seconds"] >= 0
        assert entry["rewardkit/math/skipped_rate"] == pytest.approx(0.5)
        assert entry["rewardkit/math/error_rate"] == 0
        shares = {k: v for k, v in entry.items() if k.startswith("patterns/")
                  and k.endswith("/share")}
        assert shares and sum(shares.values()) == pytest.approx(1.0)
        labels = [k.split("/")[1] for k in shares]
        assert any(f"patterns/{label}/success" in entry for label in labels)
    # None reached TRL for the rows without an answer (TRL stores it as NaN).
    math_rewards = trainer._logs["rewards"]["math"]
    assert any(math.isnan(r) for r in math_rewards)
    assert any(not math.isnan(r) for r in math_rewards)
    # The verdicts' reasons and patterns are columns of the completions table.
    assert "math/reason" in trainer._logs["extra"]
    assert "pattern" in trainer._logs["extra"]
    # The callback closed the pool and kept a metrics log for `rewardkit patterns report`.
    assert funcs.engine.pool is None
    assert (tmp_path / METRICS_FILE).read_text().count("patterns/") >= 2


def test_rloo_with_async_functions(tmp_path, plugin_manager, register_plugin):
    from trl import RLOOConfig, RLOOTrainer

    register_plugin(AlwaysPlugin())
    tokenizer = tiny_tokenizer()
    funcs = reward_functions(["math", "always"], plugin_manager=plugin_manager, workers=1,
                             asynchronous=True)
    args = RLOOConfig(max_steps=1, beta=0.0, **config_kwargs(tmp_path))  # type: ignore[arg-type]
    trainer = RLOOTrainer(model=tiny_model(tokenizer), processing_class=tokenizer,
                          reward_funcs=funcs, args=args, train_dataset=dataset(),
                          callbacks=[funcs.callback])
    trainer.train()
    entry = next(e for e in trainer.state.log_history if "rewards/math/mean" in e)
    assert entry["rewards/always/mean"] == pytest.approx(0.5)
    assert entry["rewardkit/math/skipped_rate"] == pytest.approx(0.5)
    assert any(k.startswith("patterns/") for k in entry)
