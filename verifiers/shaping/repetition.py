"""``repetition``: a penalty for repeated word n-grams (open-r1's repetition penalty).

With the completion's lower-cased words ``w``, its n-grams ``G`` (``len(w) - n + 1`` of
them) and ``U`` the distinct ones::

    reward = max_penalty * (1 - |U| / |G|)        (0 when there are fewer than n words)

So a completion without a repeated n-gram gets 0 and one that repeats a single n-gram over
and over approaches ``max_penalty``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from rewardkit import Result, Sample, Trust, Verifier, VerifierOptions, hookimpl


class RepetitionOptions(VerifierOptions):
    #: Words per n-gram.
    n: int = Field(default=3, ge=1, le=64)
    #: The reward of a completion that is one n-gram repeated (at the limit); at most 0.
    max_penalty: float = Field(default=-1.0, le=0.0)
    #: The longest completion it judges, in characters; a longer one gets ``max_penalty``.
    #: Keeps the work trivial. A request may only lower it.
    max_chars: Annotated[int, Trust.BOUNDED] = Field(default=200_000, ge=1)


class RepetitionVerifier(Verifier):
    name = "repetition"
    description = "penalty (≤ 0) growing with the share of repeated word n-grams"
    Options = RepetitionOptions
    version = "2"  # 2: max_chars
    inline = True  # one pass over at most max_chars characters: cannot hang

    def verify(self, sample: Sample) -> Result:
        options = self.options
        assert isinstance(options, RepetitionOptions)
        text = sample.completion_text
        if len(text) > options.max_chars:
            return Result(reward=options.max_penalty,
                          reason=f"too long: the completion has {len(text):,} characters; "
                                 f"max_chars is {options.max_chars:,}",
                          details={"chars": len(text), "max_chars": options.max_chars})
        words = text.lower().split()
        total = len(words) - options.n + 1
        if total <= 0:
            return Result(reward=0.0, reason=f"fewer than {options.n} words",
                          details={"ngrams": 0, "distinct": 0})
        # Hashes, not the n-gram tuples: memory grows with the words, not words × n.
        distinct = len({hash(tuple(words[i:i + options.n])) for i in range(total)})
        repeated = 1.0 - distinct / total
        return Result(reward=options.max_penalty * repeated if repeated else 0.0,
                      reason=f"{total - distinct} of {total} {options.n}-grams repeat",
                      details={"ngrams": total, "distinct": distinct})


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(RepetitionVerifier)
