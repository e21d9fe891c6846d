"""Structured references as data sets carry them: JSON text, or objects padded with nulls.

A Hugging Face ``datasets`` column of dicts is stored as one Arrow struct: every row gets
every key any row has, the missing ones set to null (a regex rule gains ``allowed: null``).
A column cannot mix dicts and strings either, so a structured reference is often stored as
JSON text. Verifiers that take a structured reference read it through
:func:`structured_reference`, so both shapes mean what the author wrote.
"""

from __future__ import annotations

from typing import Any

from rewardkit import json_text


def structured_reference(reference: Any) -> Any:
    """``reference`` with JSON object/array text decoded and null-valued keys dropped.

    Keys whose value is null are absent, at any depth (in lists of objects too). Text that
    does not start with ``{`` or ``[``, or does not parse, is returned unchanged.
    """
    if isinstance(reference, str) and reference.lstrip().startswith(("{", "[")):
        try:
            reference = json_text.loads(reference)
        except ValueError:
            return reference
    return without_nulls(reference)


def without_nulls(value: Any) -> Any:
    """``value`` with every null-valued dict key removed, recursively."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value
