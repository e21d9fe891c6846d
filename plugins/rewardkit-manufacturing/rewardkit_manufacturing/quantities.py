"""Reading quantities that people write ("0.9843 in", "25 N·m", "Ra 0.8 µm") with pint."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

# ASCII digits only ("٢٥" and "２５" are no number a consumer parses), not inside a word
# or a designation ("M8", "H7").
_NUMBER = r"(?<![\w.,])[-+]?(?:[0-9]+(?:[.,][0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
# Spellings of units that pint does not read as written on drawings and in manuals.
_SPELLINGS = [
    (re.compile(r"(?i)\b(?:n[·.\-*]?m|newton[- ]?met(?:er|re)s?)\b"), "N*m"),
    (re.compile(r"(?i)\b(?:ft[·.\-*]?lbf?|lbf?[·.\-*]?ft|foot[- ]pounds?)\b"), "lbf*ft"),
    (re.compile(r"(?i)\b(?:in[·.\-*]?lbf?|lbf?[·.\-*]?in|inch[- ]pounds?)\b"), "lbf*in"),
    (re.compile(r"(?:µ|μ|micro-?)\s*in(?:ch(?:es)?)?\b"), "microinch"),
    (re.compile(r"(?:µ|μ)m\b"), "um"),
    (re.compile(r"(?i)\bmicrons?\b"), "um"),
    (re.compile(r'(?<=\d)\s*"'), " in"),
]
# Not followed by a letter, "*" or "%" ("10 %" is no length).
QUANTITY = re.compile(
    rf"({_NUMBER})\s*(N\*m|lbf\*ft|lbf\*in|microinch|um|mm|cm|m|in|inch(?:es)?|ft|kgf\*m)?(?![\w*%])"
)


@functools.cache
def registry() -> Any:
    import pint

    return pint.UnitRegistry()


def normalise_units(text: str) -> str:
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def quantities(text: str, default_unit: str) -> list[Any]:
    """Every number in ``text`` as a pint quantity, in order; bare numbers take ``default_unit``."""
    found = []
    for magnitude, unit in QUANTITY.findall(normalise_units(text)):
        number = float(magnitude.replace(",", "."))
        if math.isfinite(number):  # "1e999" is infinity: above every min-only bound
            found.append(registry().Quantity(number, unit or default_unit))
    return found


def quantity(value: Any, default_unit: str) -> Any:
    """One quantity from a number (in ``default_unit``) or a text such as ``"25 N·m"``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return registry().Quantity(float(value), default_unit)
    found = quantities(str(value), default_unit)
    if len(found) != 1:
        raise ValueError(f"{value!r} is not one quantity")
    return found[0]
