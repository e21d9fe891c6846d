"""The structured answer in a completion: the last JSON object, else ``key: value`` lines."""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"```(?:json)?\s*\n(.*?)```", re.S)
_LINE = re.compile(r"^\s*[-*]?\s*([A-Za-z_][\w .-]*?)\s*[:=]\s*(.+?)\s*$")


def parse_answer(text: str) -> dict[str, Any] | None:
    """The answer's fields, or None when the completion states none.

    The last JSON object wins (fenced or bare). Without one, ``key: value`` lines are read,
    values kept as text. Keys are lower-cased with spaces and dashes as underscores, so
    "Part number: X" is ``part_number``.
    """
    for block in reversed(_FENCE.findall(text)):
        found = _last_object(block)
        if found is not None:
            return _normal_keys(found)
    found = _last_object(text)
    if found is not None:
        return _normal_keys(found)
    fields: dict[str, Any] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            key, value = match.groups()
            fields[key] = value
    return _normal_keys(fields) if fields else None


def _last_object(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    found = None
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except ValueError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            found = value
        position = text.find("{", end)
    return found


def _normal_keys(fields: dict[str, Any]) -> dict[str, Any]:
    return {str(key).strip().lower().replace(" ", "_").replace("-", "_"): value
            for key, value in fields.items()}


def normal_key(key: str) -> str:
    """A rule's field name in the form answer keys take."""
    return key.strip().lower().replace(" ", "_").replace("-", "_")
