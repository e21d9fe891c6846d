"""The task: two-digit addition, answered directly or with written carries.

``38+47=`` is answered either

- ``direct``: ``#### 75``, which drops the carry by a fixed rule (right only when the units
  do not carry), or
- ``carries``: ``8+7=15,3+4+1=8 #### 85``, the written column addition (always right).

Problems fall into two strata: ``carry`` (the units sum to 10 or more) and ``no_carry``.
Also here: a character tokenizer and a tiny Llama, both built in code (no downloads).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

PATTERNS = ("direct", "carries")
STRATA = ("carry", "no_carry")
CHARS = "0123456789+=#, "
SPECIAL = ("<pad>", "<eos>")


@dataclass(frozen=True)
class Problem:
    a: int
    b: int

    @property
    def prompt(self) -> str:
        return f"{self.a}+{self.b}="

    @property
    def answer(self) -> int:
        return self.a + self.b

    @property
    def stratum(self) -> str:
        return "carry" if self.a % 10 + self.b % 10 >= 10 else "no_carry"

    def opening(self, pattern: str) -> str:
        """The first characters of ``pattern``'s completion: written for the model, they force
        the pattern (the rest is the model's)."""
        return "####" if pattern == "direct" else f"{self.a % 10}+{self.b % 10}="

    def completion(self, pattern: str) -> str:
        if pattern == "direct":  # the carry into the tens is dropped
            tens = self.a // 10 + self.b // 10
            return f"#### {tens * 10 + (self.a + self.b) % 10}"
        units = self.a % 10 + self.b % 10
        carry = units // 10
        tens = self.a // 10 + self.b // 10 + carry
        return (f"{self.a % 10}+{self.b % 10}={units},"
                f"{self.a // 10}+{self.b // 10}+{carry}={tens} #### {self.answer}")


def split_problems(seed: int, held_out: float = 0.2) -> tuple[list[Problem], list[Problem]]:
    """Every two-digit pair, shuffled into (train, held-out) sets."""
    problems = [Problem(a, b) for a in range(10, 100) for b in range(10, 100)]
    random.Random(seed).shuffle(problems)
    cut = int(len(problems) * held_out)
    return problems[cut:], problems[:cut]


def draw(problems: list[Problem], n: int, carry_rate: float, rng: random.Random) -> list[Problem]:
    """``n`` problems, a ``carry_rate`` fraction of them from the carry stratum."""
    carry = [p for p in problems if p.stratum == "carry"]
    plain = [p for p in problems if p.stratum == "no_carry"]
    return [rng.choice(carry if rng.random() < carry_rate else plain) for _ in range(n)]


def make_tokenizer() -> object:
    """A character-level ``PreTrainedTokenizerFast`` (one token per character)."""
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate([*SPECIAL, *CHARS])}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<pad>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>",
                                   eos_token="<eos>", padding_side="left")


def make_model(tokenizer: object, *, hidden: int = 128, layers: int = 3, seed: int = 0) -> object:
    """A tiny Llama for ``tokenizer``'s vocabulary."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),  # type: ignore[arg-type]
        hidden_size=hidden, intermediate_size=hidden * 2, num_hidden_layers=layers,
        num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=64,
        pad_token_id=tokenizer.pad_token_id,  # type: ignore[attr-defined]
        eos_token_id=tokenizer.eos_token_id,  # type: ignore[attr-defined]
        bos_token_id=None, tie_word_embeddings=True,
    )
    return LlamaForCausalLM(config)
