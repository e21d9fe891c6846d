"""The structured answer in a completion: the last JSON object, else ``key: value`` lines."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

#: An object nested deeper than this (objects and arrays together) is no answer: json's
#: decoder recurses, and so would every later look at the value.
MAX_DEPTH = 64

# One pass over the characters that shape JSON; everything else is skipped by the regex.
_SHAPING = re.compile(r'[{}\[\]"\\]')
_KEY = re.compile(r"[A-Za-z_][\w .-]*")
_SEPARATOR = re.compile(r"[:=]")
# Letters and symbols that render as nothing (Hangul fillers, the blank Braille pattern).
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


class Conflict:
    """The value of a field the answer states more than once, differently: no rule passes it."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values

    def __repr__(self) -> str:
        return f"Conflict({self.values!r})"


def parse_answer(text: str) -> dict[str, Any] | None:
    """The answer's fields, or None when the completion states none.

    The last top-level JSON object that parses wins, fenced or not; an object nested in one
    that does not parse (a comment, a trailing comma) is never the answer. Without one,
    ``key: value`` lines outside any ``{...}`` are read, values kept as text. Keys are
    compared as :func:`normal_key` writes them; a key stated twice with different values
    holds a :class:`Conflict`.
    """
    found, outside = _last_object(text)
    if found is not None:
        return found
    pairs = []
    for line in outside.splitlines():
        separator = _SEPARATOR.search(line)
        if separator is None:
            continue
        key = line[:separator.start()].strip().removeprefix("-").removeprefix("*").strip()
        value = line[separator.end():].strip()
        if value and _KEY.fullmatch(key):
            pairs.append((key, value))
    return _normal_keys(pairs) if pairs else None


def _last_object(text: str) -> tuple[dict[str, Any] | None, str]:
    """The last top-level ``{...}`` that parses as a JSON object, and the text outside
    every closed top-level ``{...}``. Linear: each character is looked at once."""
    found = None
    outside: list[str] = []
    kept_from = 0  # start of the text not yet known to be inside a span
    braces = nesting = deepest = 0
    start = 0
    in_string = False
    escaped_at = -1
    for match in _SHAPING.finditer(text):
        at, char = match.start(), match.group()
        if braces == 0:
            if char == "{":
                braces, nesting, deepest, start, in_string = 1, 1, 1, at, False
            continue
        if at == escaped_at:
            continue
        if in_string:
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            nesting += 1
            deepest = max(deepest, nesting)
            braces += char == "{"
        elif char in "}]":
            nesting -= 1
            braces -= char == "}"
            if braces == 0:
                outside.append(text[kept_from:start])
                kept_from = at + 1
                decoded = _decode(text[start:at + 1]) if deepest <= MAX_DEPTH else None
                found = decoded if decoded is not None else found
    outside.append(text[kept_from:])
    return found, "\n".join(outside)


def _decode(span: str) -> dict[str, Any] | None:
    try:
        value = json.loads(span, object_pairs_hook=_exact_keys)
    except (ValueError, RecursionError):  # not JSON, an integer past 4,300 digits
        return None
    if not isinstance(value, dict):
        return None
    return _normal_keys(list(value.items()))


def _exact_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key, value in pairs:
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def _normal_keys(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in pairs:
        name = normal_key(str(key))
        fields[name] = _merge(fields[name], value) if name in fields else value
    return fields


def _merge(first: Any, second: Any) -> Any:
    # {"diameter": "40 mm", "Diameter": "25 mm"} states two answers: neither is taken.
    if type(first) is type(second) and first == second and not isinstance(first, Conflict):
        return first
    earlier = first.values if isinstance(first, Conflict) else [first]
    return Conflict([*earlier, second])


def normal_key(key: str) -> str:
    """A key as rules compare it: NFKC, invisible characters dropped, lower case, runs of
    spaces and dashes as ``_`` ("Part number" and "part-number" are ``part_number``)."""
    key = unicodedata.normalize("NFKC", key)
    key = "".join(char for char in key if char.isspace() or visible(char))
    return "_".join(key.casefold().split()).replace("-", "_")


def visible(text: str) -> bool:
    """Whether ``text`` has a character that shows: not a space, a control or format
    character (U+200B, U+2060, U+FEFF, U+00AD), a lone combining mark or a blank letter."""
    return any(char not in _BLANK and unicodedata.category(char)[0] not in "ZCM"
               for char in text)
