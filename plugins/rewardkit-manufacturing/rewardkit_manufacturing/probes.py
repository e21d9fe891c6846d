"""Attack families for ``rewardkit probe`` in this plugin's domain (the ``register_probes`` hook).

A bare number is read in the verifier's own unit (drawings state mm, specs N·m), so it is no
attack here; a number in another unit that lands outside the band is, and so is a value just
outside the tolerance band or the fit's limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rewardkit.probe import Attack
from rewardkit_manufacturing.iso286 import FitError, limits
from rewardkit_manufacturing.quantities import QUANTITY, normalise_units, quantities, registry

#: Units a careless answer might state instead of the right one (those of the reference's
#: dimension are tried).
_OTHER_UNITS = ["N*m", "lbf*ft", "lbf*in", "kgf*m", "mm", "um", "in", "microinch", "cm"]


def _band(reference: Any) -> tuple[float | None, float | None, Any] | None:
    """(low, high, unit) of a range reference ({"nominal", "tolerance_pct"} or min/max)."""
    if not isinstance(reference, dict):
        return None
    values = {key: reference.get(key) for key in ("nominal", "min", "max")}
    # The unit as the reference spells it ("N*m"), which the verifiers read back.
    unit = next((found[0][1] for v in values.values() if isinstance(v, str)
                 for found in [QUANTITY.findall(normalise_units(v))] if found and found[0][1]),
                None)
    if unit is None:
        return None

    def magnitude(value: Any) -> float | None:
        if value is None:
            return None
        found = quantities(str(value), str(unit))
        return float(found[0].to(unit).magnitude) if found else None

    nominal = magnitude(values["nominal"])
    if nominal is not None:
        spread = abs(nominal) * float(reference.get("tolerance_pct") or 0) / 100
        return nominal - spread, nominal + spread, unit
    low, high = magnitude(values["min"]), magnitude(values["max"])
    return (low, high, unit) if low is not None or high is not None else None


def _fit(reference: Any) -> Any:
    designation = reference.get("fit") if isinstance(reference, dict) else reference
    if not isinstance(designation, str):
        return None
    try:
        return limits(designation)
    except FitError:
        return None


def unit_confusion(sample: Any) -> Iterator[Attack]:
    """The band's number stated in another unit of the same kind, landing outside the band."""
    fit = _fit(sample.reference)
    if fit is not None:
        yield Attack("fit_limits_in_inches",
                     f"Limits: {fit.lower_mm:.3f} in to {fit.upper_mm:.3f} in")
        yield Attack("fit_limits_in_micrometres",
                     f"Limits: {fit.lower_mm:.3f} um to {fit.upper_mm:.3f} um")
        return
    band = _band(sample.reference)
    if band is None:
        return
    low, high, unit = band
    number = high if high is not None else low
    assert number is not None
    dimension = registry().Quantity(1, unit).dimensionality
    for other in _OTHER_UNITS:
        if other == unit or registry().Quantity(1, other).dimensionality != dimension:
            continue
        value = float(registry().Quantity(number, other).to(unit).magnitude)
        outside = (low is not None and value < low - 1e-9) or (
            high is not None and value > high + 1e-9)
        if outside:
            yield Attack(f"in_{other.replace('*', '_')}", f"Final value: {number:g} {other}")


def tolerance_band_edges(sample: Any) -> Iterator[Attack]:
    """Values just outside the band (1 % past each bound) or the fit's limits (2 µm past)."""
    fit = _fit(sample.reference)
    if fit is not None:
        yield Attack("size_above_upper_limit", f"Measured size: {fit.upper_mm + 0.002:.3f} mm")
        yield Attack("size_below_lower_limit", f"Measured size: {fit.lower_mm - 0.002:.3f} mm")
        yield Attack("limits_widened",
                     f"Limits: {fit.lower_mm - 0.005:.3f} mm to {fit.upper_mm + 0.005:.3f} mm")
        return
    band = _band(sample.reference)
    if band is None:
        return
    low, high, unit = band
    symbol = unit
    if high is not None:
        yield Attack("just_above_upper_bound", f"Final value: {high * 1.01 + 1e-3:.4g} {symbol}")
    if low is not None:
        yield Attack("just_below_lower_bound", f"Final value: {low * 0.99 - 1e-3:.4g} {symbol}")
