"""The result cache: GRPO groups repeat the same answers, so identical work runs once."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rewardkit.lru import LRU
from rewardkit.models import Result, Sample


class ResultCache(LRU[bytes, Result]):
    """A bounded, thread-safe LRU of Results keyed by verifier and normalised sample."""

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
    """A digest of the verifier token and everything the verifier can see of the sample.

    Each field goes in as a kind byte, its length and its bytes (text as UTF-8, anything
    else as canonical JSON), so no two different samples feed the digest the same bytes.
    Texts, the usual case, skip the JSON encoder: it cost more than the rest of scoring a
    sample in the parent (issue 18).
    """
    digest = hashlib.blake2b(token, digest_size=20)
    prompt, completion, reference, metadata = (sample.prompt, sample.completion,
                                               sample.reference, sample.metadata)
    if (type(prompt) is str and type(completion) is str and type(reference) is str
            and not metadata):
        # The usual sample, in one update: the lengths in characters split the joined text
        # back into its fields, and the "t" keeps it apart from the general form below.
        digest.update(b"t%d,%d,%d;" % (len(prompt), len(completion), len(reference)))
        digest.update((prompt + completion + reference).encode("utf-8", "surrogatepass"))
        return digest.digest()
    for value in (prompt, completion, reference, metadata):
        if type(value) is str:
            data, kind = value.encode("utf-8", "surrogatepass"), b"s"
        elif not value and type(value) is dict:
            data, kind = b"", b"e"
        else:
            data = json.dumps(value, sort_keys=True, default=repr,
                              ensure_ascii=False).encode("utf-8", "surrogatepass")
            kind = b"j"
        digest.update(kind + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()
