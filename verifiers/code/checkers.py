"""How an I/O case's output is compared with the expected output: the ``checker`` a
reference (or the verifier's options) names, after the standard checkers of testlib, which
programming judges use.

- ``lines`` (the default): the same lines, trailing white space and trailing empty lines
  ignored. The layout is part of the answer.
- ``tokens``: the same white-space-separated tokens, in any layout (testlib's ``wcmp``).
- ``float``: tokens, where an expected number written with a fraction or an exponent
  (``0.5``, ``1e-3``) accepts any number within ``float_tolerance``, absolute or relative
  (testlib's ``rcmp6`` for 1e-6). Expected integers stay exact: a policy cannot pass an
  off-by-one on a large integer answer by printing it as a float. Exact in value, not in
  spelling: ``2.000000`` is ``2``, as a C++ reference's ``cout << 2.0`` wrote it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError

CheckerKind = Literal["lines", "tokens", "float"]
CHECKERS: tuple[CheckerKind, ...] = get_args(CheckerKind)
#: The error a ``float`` checker may accept: the options' field and a reference's key alike.
FloatTolerance = Annotated[float, Field(gt=0, lt=1)]
_TOLERANCE = TypeAdapter(FloatTolerance, config=ConfigDict(strict=True))


def float_tolerance(value: object) -> float | None:
    """``value`` as a tolerance (a number strictly between 0 and 1), else None."""
    try:
        return _TOLERANCE.validate_python(value)
    except ValidationError:
        return None


#: A decimal number as judges print them: no ``nan``, ``inf``, hex or ``1_000``. The digits
#: after a point are optional only together with the point: ``\d+\.?\d*`` would try every
#: split of a run of digits, quadratic in a token the program prints.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


def normalize_output(text: str) -> list[str]:
    """Lines with trailing white space removed, and trailing empty lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass(frozen=True)
class Checker:
    """A comparison: ``expected`` reads a case's expected output once, ``difference`` tells
    how a program's output differs from it (None: it passes)."""

    kind: CheckerKind = "lines"
    float_tolerance: float = 1e-6

    def expected(self, text: str) -> list[str]:
        """The lines (``lines``) or tokens (the others) a passing output must match."""
        return normalize_output(text) if self.kind == "lines" else text.split()

    def least_output(self, expected: list[str]) -> int:
        """Bytes the shortest passing output takes."""
        joiner = "\n" if self.kind == "lines" else " "
        return len(joiner.join(expected).encode("utf-8", "replace"))

    def difference(self, output: str, expected: list[str]) -> str | None:
        got = self.expected(output)
        if got == expected:
            return None
        unit = "line" if self.kind == "lines" else "token"
        for index, (a, b) in enumerate(zip(got, expected), start=1):
            if a != b and not (self.kind == "float" and self._close(a, b)):
                return f"{unit} {index} differs: got {a[:80]!r}"
        if len(got) != len(expected):
            return f"got {len(got)} {unit}s, expected {len(expected)}"
        return None

    def _close(self, got: str, expected: str) -> bool:
        if not (_NUMBER.fullmatch(got) and _NUMBER.fullmatch(expected)):
            return False
        if _INTEGER.fullmatch(expected):  # an integer answer: exactly, in any spelling
            # Decimal reads every spelling exactly, of any length (int() stops at 4,300
            # digits; float() rounds 1000000007.0000001 to 1000000007).
            try:
                return Decimal(got) == Decimal(expected)
            except ArithmeticError:  # an exponent past Decimal's (1e99999999999999999999)
                return False
        tolerance = self.float_tolerance
        return math.isclose(float(got), float(expected), rel_tol=tolerance, abs_tol=tolerance)
