"""Judging one rule against the answer's fields: (passed, why)."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from rewardkit.verifiers.rules.answer import normal_key
from rewardkit.verifiers.rules.models import (
    EnumRule,
    OrderedRule,
    QuantityRule,
    RegexRule,
    RequiredRule,
    Rule,
)

_ITEM_SEPARATORS = re.compile(r"\s*(?:->|→|,|;|\n)\s*")
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


@functools.cache
def unit_registry() -> Any:
    """pint's registry, built once per process (it takes a tenth of a second)."""
    import pint

    return pint.UnitRegistry()


def check(rule: Rule, fields: dict[str, Any], ignore_case: bool) -> tuple[bool, str]:
    if isinstance(rule, RequiredRule):
        missing = [f for f in rule.fields if _empty(fields.get(normal_key(f)))]
        return (not missing, f"missing: {', '.join(missing)}" if missing else "all present")
    value = fields.get(normal_key(rule.field))
    if _empty(value):
        return False, f"field {rule.field!r} is missing"
    if isinstance(rule, QuantityRule):
        return _quantity(rule, value)
    if isinstance(rule, EnumRule):
        fold = ignore_case if rule.ignore_case is None else rule.ignore_case
        text = str(value).strip()
        allowed = {a.casefold() if fold else a for a in rule.allowed}
        ok = (text.casefold() if fold else text) in allowed
        return ok, f"{text!r} is {'' if ok else 'not '}one of {rule.allowed}"
    if isinstance(rule, RegexRule):
        fold = ignore_case if rule.ignore_case is None else rule.ignore_case
        text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
        found = re.search(rule.pattern, text, re.I if fold else 0)
        return bool(found), f"{'matches' if found else 'does not match'} /{rule.pattern}/"
    assert isinstance(rule, OrderedRule)
    return _ordered(rule, value)


def _empty(value: Any) -> bool:
    """None, blank text, or a list or object of nothing but those: "owner": " " states none."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(_empty(item) for item in value)
    if isinstance(value, dict):
        return all(_empty(item) for item in value.values())
    return value is None


def _quantity(rule: QuantityRule, value: Any) -> tuple[bool, str]:
    import pint

    registry = unit_registry()
    try:
        if isinstance(value, dict) and {"value", "unit"} <= set(value):
            stated = registry.Quantity(_number(value["value"]), str(value["unit"]))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            stated = registry.Quantity(float(value), rule.unit)  # a bare number: the rule's unit
        else:
            stated = _parse_quantity(registry, _text(value), rule.unit)
        magnitude = float(stated.to(rule.unit).magnitude)
        if not math.isfinite(magnitude):  # 1e999, Infinity: above every min-only bound
            raise ValueError("not a finite number")
    except (pint.errors.PintError, ValueError, TypeError, AttributeError) as exc:
        return False, f"{value!r} is not a quantity in a unit compatible with {rule.unit}: {exc}"
    low, high = rule.bounds
    inside = ((low is None or magnitude >= low - 1e-12)
              and (high is None or magnitude <= high + 1e-12))
    span = f"[{_bound(low, '-inf')}, {_bound(high, 'inf')}]"
    verdict = "within" if inside else "outside"
    return inside, f"{value!r} = {magnitude:g} {rule.unit}, {verdict} {span} {rule.unit}"


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("true/false is not a number")
    return float(value)


def _text(value: Any) -> str:
    if isinstance(value, bool | list | dict):  # str() of these is no quantity a person wrote
        raise TypeError(f"a {type(value).__name__} is not a quantity")
    return str(value)


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else f"{value:g}"


def _parse_quantity(registry: Any, text: str, default_unit: str) -> Any:
    # Magnitude and unit are split here, not by pint's expression parser, so that offset
    # units work ("120 degC") and a bare number takes the rule's unit.
    match = _NUMBER.match(text.replace("µ", "u").replace("μ", "u"))
    if match is None:
        raise ValueError(f"no number in {text!r}")
    magnitude, unit = match.groups()
    return registry.Quantity(float(magnitude), unit.strip() or default_unit)


def _ordered(rule: OrderedRule, value: Any) -> tuple[bool, str]:
    items = value if isinstance(value, list) else _ITEM_SEPARATORS.split(str(value))
    steps = [str(item).strip().casefold() for item in items if str(item).strip()]
    wanted = [step.strip().casefold() for step in rule.sequence]
    if rule.exact:
        ok = steps == wanted
        return ok, "exactly the sequence" if ok else f"{steps} is not exactly {wanted}"
    position = 0
    for step in steps:
        if position < len(wanted) and step == wanted[position]:
            position += 1
    if position == len(wanted):
        return True, "steps in the required order"
    return False, f"{wanted[position]!r} missing or out of order in {steps}"
