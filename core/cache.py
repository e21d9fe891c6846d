"""The result cache: GRPO groups repeat the same answers, so identical work runs once."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rewardkit.lru import LRU
from rewardkit.models import Result, Sample


class ResultCache(LRU[bytes, Result]):
    """A bounded, thread-safe LRU of Results keyed by verifier and normalised sample."""

    def __init__(self, maxsize: int) -> None:
        super().__init__(maxsize)

    @property
    def maxsize(self) -> int:
        return self.limit

    def get(self, key: bytes) -> Result | None:
        result = super().get(key)
        if result is None:
            return None
        return result.model_copy(update={"cached": True, "seconds": 0.0})


def verifier_token(name: str, version: str, options: dict[str, Any]) -> bytes:
    """What identifies a configured verifier's verdicts: its name, version and options."""
    return json.dumps([name, version, options], sort_keys=True, default=repr).encode()


def cache_key(token: bytes, sample: Sample) -> bytes:
    """A digest of the verifier token and everything the verifier can see of the sample."""
    payload = json.dumps(
        [sample.prompt, sample.completion, sample.reference, sample.metadata],
        sort_keys=True, default=repr, ensure_ascii=False,
    )
    digest = hashlib.blake2b(token, digest_size=20)
    digest.update(payload.encode("utf-8", "surrogatepass"))
    return digest.digest()
