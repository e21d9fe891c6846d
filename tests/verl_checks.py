"""rewardkit.verl through verl's own reward managers (the ``verl`` package, CPU only).

Run by tests/test_verl.py in verl's environment (``.venv/verl-env`` first on the path); not
collected on its own: its name does not match ``test_*.py``.

verl's legacy managers (``naive``, ``batch``) and its reward loop (``load_reward_manager``,
as the trainer builds it from ``reward.custom_reward_function``) decode a real ``DataProto``
batch with a tokenizer and call rewardkit's functions as they call any custom reward.
"""

from __future__ import annotations

import importlib
import textwrap
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from rewardkit import verl as rk_verl

# verl is imported by the fixture below, not at collection: importing it sets up logging and
# Ray flags.

CHARS = "".join(sorted(set("0123456789#+-*/=<>()[]{}:;.,'\"_ \nabcdefghijklmnopqrstuvwxyz"
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
PROMPT_LEN, RESPONSE_LEN = 8, 48


@pytest.fixture(scope="module")
def api() -> Any:
    """verl's modules, and a tokenizer with one token per character (decoding gives back
    the exact text; no hub download)."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {"<pad>": 0, **{c: i + 1 for i, c in enumerate(CHARS)}}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<pad>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    yield SimpleNamespace(
        tokenizer=PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>"),
        verl=importlib.import_module("verl"),
        managers=importlib.import_module("verl.workers.reward_manager"),
        reward=importlib.import_module("verl.trainer.ppo.reward"),
        OmegaConf=importlib.import_module("omegaconf").OmegaConf,
    )
    rk_verl.close()

# (data_source, prompt, response, ground truth, expected score)
ROWS = [
    ("openai/gsm8k", "6*7=?", "6*7 is 42.\n#### 42", "42", 1.0),
    ("openai/gsm8k", "2+2=?", "#### 5", "4", 0.0),
    ("format_only", "say", "<think>hm</think><answer>1</answer>", "", 0.1),
    ("nowhere", "x", "#### 1", "1", 0.0),       # no route: routing_failed, score 0
]
CONFIG = {
    "verifiers": [{"name": "math"}, {"name": "format", "weight": 0.1}],
    "route_by": "data_source",
    "routes": {"openai/gsm8k": ["math", "format"], "format_only": ["format"]},
    "workers": 1,
}


def data_proto(api, rows) -> Any:
    """A batch as verl's rollout leaves it: left-padded prompts, right-padded responses."""
    import torch

    prompts, responses, masks = [], [], []
    for _, prompt, response, _, _ in rows:
        p = api.tokenizer(prompt, add_special_tokens=False)["input_ids"][-PROMPT_LEN:]
        r = api.tokenizer(response, add_special_tokens=False)["input_ids"][:RESPONSE_LEN]
        prompts.append([0] * (PROMPT_LEN - len(p)) + p)
        responses.append(r + [0] * (RESPONSE_LEN - len(r)))
        masks.append([0] * (PROMPT_LEN - len(p)) + [1] * (len(p) + len(r))
                     + [0] * (RESPONSE_LEN - len(r)))
    tensors = {"prompts": torch.tensor(prompts), "responses": torch.tensor(responses),
               "attention_mask": torch.tensor(masks)}
    tensors["input_ids"] = torch.cat([tensors["prompts"], tensors["responses"]], dim=1)
    non_tensors = {
        "data_source": np.array([row[0] for row in rows], dtype=object),
        "reward_model": np.array([{"ground_truth": row[3], "style": "rule"} for row in rows],
                                 dtype=object),
        "extra_info": np.array([{"index": np.int64(i), "split": "train"}
                                for i in range(len(rows))], dtype=object),
    }
    return api.verl.DataProto.from_dict(tensors=tensors, non_tensors=non_tensors)


def last_token_rewards(reward_tensor: Any) -> list[float]:
    return [round(float(row.sum()), 6) for row in reward_tensor]


EXPECTED = [row[4] for row in ROWS]


def test_naive_reward_manager_calls_compute_score_per_sample(api):
    def score(**kwargs):
        return rk_verl.compute_score(**kwargs, config=CONFIG)

    manager = api.managers.NaiveRewardManager(tokenizer=api.tokenizer, num_examine=0,
                                              compute_score=score)
    out = manager(data_proto(api, ROWS), return_dict=True)
    assert last_token_rewards(out["reward_tensor"]) == EXPECTED
    info = out["reward_extra_info"]
    assert info["math"] == [1.0, 0.0, 0.0, 0.0] and info["format"] == [0.0, 0.0, 1.0, 0.0]
    assert info["routing_failed"] == [0.0, 0.0, 0.0, 1.0]
    assert all(len(values) == len(ROWS) for values in info.values())  # one column per key
    # Each reward sits on the response's last real token, as verl expects.
    lengths = [len(row[2]) for row in ROWS]
    assert [int(out["reward_tensor"][i].nonzero().max()) for i in (0, 2)] == [
        lengths[0] - 1, lengths[2] - 1]


def test_batch_reward_manager_calls_the_batched_form_once(api):
    calls = []

    def score_batch(**kwargs):
        calls.append(len(kwargs["solution_strs"]))
        return rk_verl.compute_score_batch(**kwargs, config=CONFIG)

    manager = api.managers.BatchRewardManager(tokenizer=api.tokenizer, num_examine=0,
                                              compute_score=score_batch)
    data = data_proto(api, ROWS)
    out = manager(data, return_dict=True)
    assert calls == [len(ROWS)]
    assert last_token_rewards(out["reward_tensor"]) == EXPECTED
    assert data.batch["acc"].tolist() == pytest.approx(EXPECTED)


def test_reward_loop_loads_it_from_the_trainer_config(api):
    """verl ≥ 0.6's reward loop, built from ``reward.custom_reward_function`` as the trainer
    builds it, with the rewardkit config as ``reward_kwargs`` and a float result."""
    config = api.OmegaConf.create({"reward": {
        "custom_reward_function": {"path": rk_verl.__file__, "name": "compute_score",
                                   "reward_kwargs": {"config": CONFIG, "return_dict": False}},
        "reward_manager": {"source": "register", "name": "naive"},
    }})
    manager = api.reward.load_reward_manager(config, api.tokenizer)
    data = data_proto(api, ROWS)
    got = [manager.loop.run_until_complete(manager.run_single(data[i:i + 1]))
           for i in range(len(ROWS))]
    assert [g["reward_score"] for g in got] == EXPECTED
    assert got[0]["reward_extra_info"] == {"acc": 1.0}


def test_one_engine_per_process_and_config(api):
    first = rk_verl.engine_for(CONFIG)
    rk_verl.compute_score("openai/gsm8k", "#### 4", "4", None, config=CONFIG)
    assert rk_verl.engine_for(dict(CONFIG)) is first
    assert rk_verl.engine_for({**CONFIG, "workers": 2}) is not first


def test_default_config_routes_verl_math_sets_and_verifier_names(api, monkeypatch):
    monkeypatch.delenv(rk_verl.CONFIG_ENV, raising=False)
    assert rk_verl.compute_score("lighteval/MATH", "so \\boxed{\\frac12}", "0.5",
                                 return_dict=False) == 1.0
    assert rk_verl.compute_score("exact_match", "yes", "yes")["exact_match"] == 1.0
    # math gets the training preset: a hedged answer scores 0 (as in the TRL adapter)
    assert rk_verl.compute_score("openai/gsm8k", "#### 3 or 4", "4", return_dict=False) == 0.0


def test_hung_verifier_times_out_with_reward_zero(api, tmp_path, monkeypatch):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slow.py").write_text(textwrap.dedent("""
        import time
        from rewardkit import Verifier, hookimpl

        class Hang(Verifier):
            name = "hang"

            def verify(self, sample):
                time.sleep(60)
                return 1.0

        @hookimpl
        def register_verifiers(register):
            register(Hang)
    """))
    (tmp_path / "rk.yaml").write_text(
        "verifiers: [hang]\nplugins_dir: plugins\ntimeout: 0.5\nworkers: 1\n")
    monkeypatch.setenv(rk_verl.CONFIG_ENV, str(tmp_path / "rk.yaml"))
    got = rk_verl.compute_score("any", "x", "y")
    assert got == {"score": 0.0, "hang": 0.0, "hang/failed": 1.0, "routing_failed": 0.0}
