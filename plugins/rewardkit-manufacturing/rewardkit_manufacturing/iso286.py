"""ISO 286-1 limits of size for common hole and shaft fits, nominal sizes up to 500 mm.

Standard tolerance grades IT5 to IT11 and the fundamental deviations of the tolerance
classes most drawings use (holes F G H K N P, shafts f g h k n p), in micrometres, from the
tables of ISO 286-2 (valid for k and K in grades 4 to 7, N and P up to grade 8).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

#: Upper bounds (mm, inclusive) of the nominal size ranges; the first range starts above 0.
SIZE_STEPS = (3, 6, 10, 18, 30, 50, 80, 120, 180, 250, 315, 400, 500)

IT = {  # standard tolerance, µm, per size range
    5: (4, 5, 6, 8, 9, 11, 13, 15, 18, 20, 23, 25, 27),
    6: (6, 8, 9, 11, 13, 16, 19, 22, 25, 29, 32, 36, 40),
    7: (10, 12, 15, 18, 21, 25, 30, 35, 40, 46, 52, 57, 63),
    8: (14, 18, 22, 27, 33, 39, 46, 54, 63, 72, 81, 89, 97),
    9: (25, 30, 36, 43, 52, 62, 74, 87, 100, 115, 130, 140, 155),
    10: (40, 48, 58, 70, 84, 100, 120, 140, 160, 185, 210, 230, 250),
    11: (60, 75, 90, 110, 130, 160, 190, 220, 250, 290, 320, 360, 400),
}

# Shaft fundamental deviations, µm: es (upper) for f g h, ei (lower) for k n p.
SHAFT_UPPER = {
    "f": (-6, -10, -13, -16, -20, -25, -30, -36, -43, -50, -56, -62, -68),
    "g": (-2, -4, -5, -6, -7, -9, -10, -12, -14, -15, -17, -18, -20),
    "h": (0,) * 13,
}
SHAFT_LOWER = {
    "k": (0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5),
    "n": (4, 8, 10, 12, 15, 17, 20, 23, 27, 31, 34, 37, 40),
    "p": (6, 12, 15, 18, 22, 26, 32, 37, 43, 50, 56, 62, 68),
}
# Hole fundamental deviations: EI (lower) for F G H mirror the shafts' es.
HOLE_LOWER = {letter.upper(): tuple(-d for d in values) for letter, values in SHAFT_UPPER.items()}
# ES (upper) for K N P: the matching shaft's ei, negated, plus delta = IT(n) - IT(n-1)
# (ISO 286-1's rule for these classes up to IT8; delta is 0 up to 3 mm).
HOLE_UPPER_BASE = {letter.upper(): tuple(-d for d in values)
                   for letter, values in SHAFT_LOWER.items()}
_DELTA_GRADES = {"K": {6, 7, 8}, "N": {6, 7, 8}, "P": {6, 7}}

_CODE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z])\s*(\d{1,2})\s*$")


class FitError(ValueError):
    """A fit designation this table does not cover, or that is malformed."""


@dataclass(frozen=True)
class Limits:
    """The limits of size a tolerance class allows, in millimetres."""

    designation: str
    kind: str  # "hole" or "shaft"
    lower_mm: float
    upper_mm: float

    def contains(self, size_mm: float, slack_mm: float = 0.0) -> bool:
        return self.lower_mm - slack_mm <= size_mm <= self.upper_mm + slack_mm


def limits(designation: str) -> Limits:
    """``"25H7"`` → a hole of 25.000 to 25.021 mm. Raises :class:`FitError` when not covered."""
    match = _CODE.match(designation)
    if match is None:
        raise FitError(f"{designation!r} is not a fit designation like 25H7 or 40 g6")
    size_text, letter, grade_text = match.groups()
    size, grade = float(size_text), int(grade_text)
    if not 0 < size <= SIZE_STEPS[-1]:
        raise FitError(f"nominal size {size:g} mm is outside 0-500 mm")
    if grade not in IT:
        raise FitError(f"tolerance grade IT{grade} is not covered (IT5 to IT11)")
    step = bisect.bisect_left(SIZE_STEPS, size)
    tolerance = IT[grade][step]
    if letter.islower():
        if letter in SHAFT_UPPER:
            upper = SHAFT_UPPER[letter][step]
            lower = upper - tolerance
        elif letter in SHAFT_LOWER:
            lower = SHAFT_LOWER[letter][step] if (letter != "k" or 4 <= grade <= 7) else 0
            upper = lower + tolerance
        else:
            raise FitError(f"shaft class {letter!r} is not covered (f g h k n p)")
        kind = "shaft"
    else:
        if letter in HOLE_LOWER:
            lower = HOLE_LOWER[letter][step]
            upper = lower + tolerance
        elif letter in HOLE_UPPER_BASE:
            if grade not in _DELTA_GRADES[letter]:
                grades = ", ".join(map(str, sorted(_DELTA_GRADES[letter])))
                raise FitError(f"hole class {letter}{grade} is not covered (grades {grades})")
            delta = 0 if step == 0 else IT[grade][step] - IT[grade - 1][step]
            upper = HOLE_UPPER_BASE[letter][step] + delta
            lower = upper - tolerance
        else:
            raise FitError(f"hole class {letter!r} is not covered (F G H K N P)")
        kind = "hole"
    return Limits(f"{size:g}{letter}{grade}", kind, round(size + lower / 1000, 4),
                  round(size + upper / 1000, 4))
