"""``exact_match``: the completion equals the reference, or one in a list, after normalising."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rewardkit import Result, Sample, Trust, Verifier, hookimpl

_SPACE = re.compile(r"\s+")


class ExactMatchOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Compare without regard to letter case.
    ignore_case: bool = False
    #: "collapse": runs of white space count as one space and the ends are trimmed;
    #: "strip": only the ends are trimmed; "ignore": all white space is removed; "exact".
    whitespace: Literal["collapse", "strip", "ignore", "exact"] = "collapse"
    #: Apply Unicode NFKC normalisation (full-width digits, ligatures) before comparing.
    unicode_normalize: bool = True
    #: The most characters of completion, and of reference texts together, it compares: a
    #: longer completion is not equal (reward 0), a longer reference an error. Keeps the
    #: work trivial (NFKC can make text 18 times longer). A request may only lower it.
    max_chars: Annotated[int, Trust.BOUNDED] = Field(default=100_000, ge=1)


class ExactMatch(Verifier):
    name = "exact_match"
    description = "1.0 when the completion equals the reference text, or one of a list of them"
    Options = ExactMatchOptions
    # 2: a list reference is several answers, an object one is an error; 3: max_chars
    version = "3"
    inline = True  # pure string work on input held to max_chars: no worker or deadline needed

    def verify(self, sample: Sample) -> Result:
        if sample.reference is None:
            return Result.skipped("sample has no reference to compare with")
        options = self.options
        assert isinstance(options, ExactMatchOptions)
        reference = sample.reference
        if isinstance(reference, dict):
            return Result.error("the reference is an object; exact_match compares text")
        # A list is several acceptable answers, as math reads one; never its Python repr,
        # which a policy could learn to print.
        wanted = list(reference) if isinstance(reference, list | tuple) else [reference]
        if not wanted or any(isinstance(item, dict | list) for item in wanted):
            return Result.error("a list reference must hold texts or numbers")
        raw = [item if isinstance(item, str) else str(item) for item in wanted]
        limit = options.max_chars
        if sum(map(len, raw)) > limit:
            return Result.error(f"the reference has {sum(map(len, raw)):,} characters; "
                                f"max_chars is {limit:,}")
        completion = sample.completion_text
        if len(completion) > limit:
            return Result(reward=0.0, reason=f"not equal (too long): the completion has "
                          f"{len(completion):,} characters; max_chars is {limit:,}",
                          details={"chars": len(completion), "max_chars": limit})
        got = normalize(completion, options)
        texts = [normalize(item, options) for item in raw]
        if got in texts:
            return Result(reward=1.0, reason="exact match")
        return Result(reward=0.0, reason="completion differs from the reference",
                      details={"expected": " | ".join(texts)[:200], "got": got[:200]})


def normalize(text: str, options: ExactMatchOptions) -> str:
    if options.unicode_normalize:
        text = unicodedata.normalize("NFKC", text)
    if options.whitespace == "collapse":
        text = _SPACE.sub(" ", text).strip()
    elif options.whitespace == "strip":
        text = text.strip()
    elif options.whitespace == "ignore":
        text = _SPACE.sub("", text)
    return text.casefold() if options.ignore_case else text


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(ExactMatch)
