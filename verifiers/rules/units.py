"""Numbers and units as the rules verifier reads them: a small grammar checked before pint.

pint parses units as Python-like expressions: it drops a ``# comment``, ignores trailing
punctuation, evaluates ``mm**(10**10**10)`` (a power bomb) and raises tokenizer errors. So a
value is held to ``NUMBER [UNIT]`` here first, and pint only ever sees unit names joined by
``*``, ``/`` and small integer powers.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

#: A stated quantity or unit longer than this is no quantity (it also bounds the regexes).
MAX_QUANTITY_CHARS = 64

#: An ASCII decimal number: ``25``, ``-0.5``, ``.5``, ``2.5e3``. No ``_``, no other script's
#: digits, no ``inf``/``nan``: a downstream consumer parses what passed.
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")
# A unit name (letters, µ, °, Ω, %) with at most a one-digit power: mm, N, °C, m^2, s**-1, m².
_FACTOR = r"[A-Za-z_µμ°Ω%]+(?:(?:\^|\*\*)-?[1-9]|[²³])?"
_UNIT = re.compile(rf"{_FACTOR}(?:[*/ ]{_FACTOR}){{0,5}}")
_AROUND_OPERATOR = re.compile(r" ?([*/]) ?")


@functools.cache
def unit_registry() -> Any:
    """pint's registry, built once per process (it takes a tenth of a second)."""
    import pint

    return pint.UnitRegistry()


@functools.lru_cache(maxsize=4096)  # a rule's unit is read for every sample it checks
def parse_unit(text: str) -> Any:
    """``text`` as a pint unit; ``ValueError`` unless it is unit names joined by ``*``, ``/``
    or a space, each with an optional one-digit power (``N*m``, ``m/s^2``, ``lbf ft``)."""
    import pint

    unit = " ".join(text.replace("·", "*").replace("⋅", "*").split())
    unit = _AROUND_OPERATOR.sub(r"\1", unit) if len(unit) <= MAX_QUANTITY_CHARS else unit
    if len(unit) > MAX_QUANTITY_CHARS or _UNIT.fullmatch(unit) is None:
        raise ValueError(f"{text!r} is not a unit (unit names joined by *, / or a space, "
                         "each with an optional power such as ^2; no numbers or brackets)")
    unit = unit.replace("µ", "u").replace("μ", "u")
    names = re.findall(r"[^*/ ^²³\-0-9]+", unit)
    registry = unit_registry()
    try:
        parsed = registry.parse_units(unit)
        # "2500 percent*mm" is 25 mm to pint, and nobody writes it so: a scaled count
        # (percent, dozen, ppm) may be a unit alone, not a factor of a compound one.
        scaled = [name for name in names if len(names) > 1
                  and registry.Quantity(1, name).dimensionless
                  and registry.Quantity(1, name).to("").magnitude != 1]
    except (pint.errors.PintError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"{text!r} is not a unit pint knows: {exc}") from None
    if scaled:
        raise ValueError(f"{text!r} is not a unit: {scaled[0]!r} scales a compound unit")
    return parsed


def parse_number(value: Any) -> float:
    """A finite float from a JSON number or a text that is exactly one ASCII number."""
    if isinstance(value, bool):
        raise ValueError("true/false is not a number")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_QUANTITY_CHARS or NUMBER.fullmatch(text) is None:
            raise ValueError(f"{value!r} is not a number")
        value = text
    elif not isinstance(value, int | float):
        raise ValueError(f"a {type(value).__name__} is not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer past a float's range
        raise ValueError("a number past a float's range") from None
    if not math.isfinite(number):  # 1e999, Infinity: above every min-only bound
        raise ValueError("not a finite number")
    return number


def parse_quantity(text: str, default_unit: str) -> Any:
    """``NUMBER [UNIT]`` as a pint quantity (a bare number takes ``default_unit``);
    ``ValueError`` for anything else: a comment, a second number, an expression."""
    text = text.strip()
    if len(text) > MAX_QUANTITY_CHARS:
        raise ValueError(f"{len(text)} characters is no quantity")
    match = NUMBER.match(text)
    if match is None:
        raise ValueError(f"{text!r} does not start with a number")
    # Magnitude and unit are split here, not by pint's expression parser, so that offset
    # units work ("120 degC") and a bare number takes the rule's unit.
    rest = text[match.end():]
    unit = parse_unit(rest) if rest.strip() else parse_unit(default_unit)
    return unit_registry().Quantity(parse_number(match.group()), unit)
