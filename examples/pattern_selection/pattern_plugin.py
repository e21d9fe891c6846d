"""The experiment's pattern classifier: a rewardkit plugin of a few lines."""

from __future__ import annotations

from rewardkit import Result, Sample, hookimpl


@hookimpl
def classify_pattern(sample: Sample, result: Result) -> str | None:
    text = sample.completion_text.lstrip()
    if text.startswith("####"):
        return "direct"
    if "+" in text.partition("####")[0]:
        return "carries"
    # Say "other" rather than None: the built-in classifier must not label malformed output.
    return "other"
