"""JSON from outside held to Unicode: what the CLI and the server read, and what results carry.

JSON can spell a lone surrogate (``"\\ud800"``), and Python's ``json`` decodes it into a
``str`` that has no UTF-8 form: one such sample made the CLI's output, or the server's
response to a whole batch, fail when written. So input that holds one is refused as invalid
JSON text (RFC 8259 §8.2 leaves its meaning undefined), and text a verifier returns is
repaired with U+FFFD.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: A ``\\uD800``-``\\uDFFF`` escape: the only way a lone surrogate gets into bytes of JSON.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(text: str | bytes) -> Any:
    """``json.loads`` that also raises :class:`json.JSONDecodeError` for bytes that are not
    UTF-8, a string that is not Unicode (a lone surrogate), nesting too deep to decode and
    an integer too long to convert."""
    if isinstance(text, bytes | bytearray):
        raw = bytes(text)
        try:  # json.loads would take UTF-16 and 32 too, and UTF-8 surrogates with them
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            doc = raw.decode("utf-8", "replace")
            raise json.JSONDecodeError("not UTF-8 text", doc, exc.start) from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer past Python's 4,300 digits
        raise json.JSONDecodeError(str(exc).split(";")[0], text, 0) from None
    if not text.isascii() or _SURROGATE_ESCAPE.search(text) is not None:
        bad = lone_surrogate(value)
        if bad is not None:
            escape = f"\\u{ord(bad):04x}"
            raise json.JSONDecodeError(
                f"a string holds the lone surrogate {escape}, which is not Unicode text",
                text, max(text.lower().find(escape), 0))
    return value


def lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in any string (or key) of ``value``, else None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            at = _surrogate_at(item)
            if at is not None:
                return item[at]
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def unicode_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (a split pair is joined)."""
    if _surrogate_at(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def unicode_data(value: Any) -> Any:
    """``value`` (JSON data) with :func:`unicode_text` applied to every string and key; the
    same object when it holds no lone surrogate."""
    if lone_surrogate(value) is None:
        return value
    return json.loads(unicode_text(json.dumps(value, ensure_ascii=False)))


def _surrogate_at(text: str) -> int | None:
    """Where ``text``'s first lone surrogate is (it has no UTF-8 form), or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None
