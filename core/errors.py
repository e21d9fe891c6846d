"""Error messages as one line that names where the problem is: file, line, label, field.

pydantic's own text spans several lines, starts with "1 validation error for RulesOptions"
and ends with a documentation URL; a union field lists one complaint per member type
(``completion.str: ...; completion.list[dict[str,any]]: ...``). A user wants to know which
field of which line or verifier is wrong, and what was expected.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

# A union member's type tag in an error location ("str", "list[dict[str,any]]", "int"...).
_TYPE_TAG = re.compile(r"^(str|int|float|bool|none|bytes|list|dict|tuple|set)(\[.*\])?$|"
                       r"^[a-z-]+\[.*\]$")
_PREFIXES = ("Value error, ", "Assertion failed, ")


def exception_text(exc: BaseException) -> str:
    """``str(exc)``, but a ValidationError as ``field: problem; field: problem``."""
    return validation_text(exc) if isinstance(exc, ValidationError) else str(exc)


def one_line(exc: BaseException) -> str:
    """``exc`` as one line; a ValidationError as ``field: problem; field: problem``.

    Notes added on the way up (``exc.add_note("verifier 'po_rules'")``) come first, so the
    message reads from the outside in: ``verifier 'po_rules': rules.0.type: ...``.
    """
    text = exception_text(exc)
    notes = [note for note in getattr(exc, "__notes__", []) if isinstance(note, str)]
    text = ": ".join([*notes, text])
    return " ".join(text.split())


def validation_text(exc: ValidationError) -> str:
    """The problems of a pydantic error, one ``field: problem`` per field, ``; ``-joined."""
    by_field: dict[str, list[str]] = {}
    inputs: dict[str, object] = {}
    for error in exc.errors(include_url=False):
        parts = [str(part) for part in error["loc"] if not _TYPE_TAG.match(str(part))]
        field = ".".join(parts)
        message = str(error["msg"])
        for prefix in _PREFIXES:
            message = message.removeprefix(prefix)
        if error["type"] == "union_tag_invalid":
            ctx = error.get("ctx", {})
            message = f"unknown {ctx.get('discriminator', 'type')} {ctx.get('tag')!r} " \
                      f"(expected one of {ctx.get('expected_tags')})"
        by_field.setdefault(field, []).append(message)
        inputs[field] = error.get("input")
    problems = []
    for field, messages in by_field.items():
        if len(messages) > 1 and all(m.startswith("Input should be") for m in messages):
            # One union field, one complaint per member type: say what was given and what fits.
            wanted = " or ".join(m.removeprefix("Input should be ") for m in messages)
            message = f"got {type(inputs[field]).__name__} {inputs[field]!r}, expected {wanted}"
        else:
            message = "; ".join(dict.fromkeys(messages))
        problems.append(f"{field}: {message}" if field else message)
    return "; ".join(problems)
