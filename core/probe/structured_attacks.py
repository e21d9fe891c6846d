"""Attacks on verifiers of structured (JSON) answers: the right keys holding wrong values.

The keys come from the row: the JSON object of its completion if it has one, else its
reference when that is an object, else the fields its rules name. Every value is replaced
at once (nulls, wrong types, huge numbers, NaN, ±inf), so no part of an attack is right.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rewardkit.models import Sample
from rewardkit.probe.attacks import Attack, as_json, reference_text, wrong_answers
from rewardkit.references import structured_reference

_HUGE_INT = "1" + "0" * 400  # beyond every float: int() works, float() gives inf


def answer_keys(sample: Sample) -> dict[str, Any]:
    """An object shaped like the row's answer: keys with example values (may be empty)."""
    found = _last_object(sample.completion_text) if isinstance(sample.completion, str) else None
    if found:
        return found
    reference = structured_reference(sample.reference)
    if not isinstance(reference, dict):
        return {}
    rules = reference.get("rules")
    if not isinstance(rules, list):
        return {k: v for k, v in reference.items() if isinstance(k, str)}
    keys: dict[str, Any] = {}
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        names = [rule.get("field"), *(rule.get("fields") or [])]
        keys.update({name: rule.get("min", "x") for name in names if isinstance(name, str)})
    return keys


def structured_attacks(sample: Sample) -> Iterator[Attack]:
    """Extra keys, nulls, wrong types, huge numbers, NaN and ±inf in a JSON answer."""
    keys = answer_keys(sample)
    if not keys:
        yield from _scalar_attacks(sample)
        return
    yield Attack("nulls", _json({k: None for k in keys}))
    yield Attack("wrong_types_lists", _json({k: [v] for k, v in keys.items()}))
    yield Attack("wrong_types_objects", _json({k: {"value": v} for k, v in keys.items()}))
    yield Attack("wrong_types_booleans", _json(dict.fromkeys(keys, True)))
    yield Attack("nan", _json(dict.fromkeys(keys, float("nan"))))
    yield Attack("infinity", _json(dict.fromkeys(keys, float("inf"))))
    yield Attack("minus_infinity", _json(dict.fromkeys(keys, float("-inf"))))
    yield Attack("huge_float", "```json\n{" + ", ".join(
        f"{json.dumps(k)}: 1e999" for k in keys) + "}\n```")
    yield Attack("huge_integer", "```json\n{" + ", ".join(
        f"{json.dumps(k)}: {_HUGE_INT}" for k in keys) + "}\n```")
    # The real values hidden under an extra key, the expected keys left null.
    yield Attack("extra_keys", _json({**{k: None for k in keys}, "answer": keys, "_": keys}))


def _scalar_attacks(sample: Sample) -> Iterator[Attack]:
    ref = reference_text(sample)
    if ref is None:
        return
    yield Attack("null", "null")
    yield Attack("nan", "NaN")
    yield Attack("infinity", "Infinity")
    yield Attack("minus_infinity", "-inf")
    yield Attack("huge_float", "1e999")
    yield Attack("json_list_of_candidates", as_json([wrong_answers(ref)[0], ref]))
    yield Attack("json_extra_keys", as_json({"answer": wrong_answers(ref)[0], "also": ref}))


def _json(value: dict[str, Any]) -> str:
    return f"```json\n{as_json(value)}\n```"


def _last_object(text: str) -> dict[str, Any] | None:
    """The last JSON object in ``text`` (fenced or bare), or None."""
    decoder = json.JSONDecoder()
    found = None
    start = text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict) and value:
            found = value
        start = text.find("{", end)
    return found
