"""Judging one rule against the answer's fields: (passed, why)."""

from __future__ import annotations

import math
import re
from typing import Any

from rewardkit.verifiers.rules.answer import Conflict, normal_key, visible
from rewardkit.verifiers.rules.models import (
    EnumRule,
    OrderedRule,
    QuantityRule,
    RegexRule,
    RequiredRule,
    Rule,
)
from rewardkit.verifiers.rules.units import parse_number, parse_quantity, parse_unit, unit_registry

_ITEM_SEPARATORS = re.compile(r"\s*(?:->|→|,|;|\n)\s*")


def check(rule: Rule, fields: dict[str, Any], ignore_case: bool) -> tuple[bool, str]:
    if isinstance(rule, RequiredRule):
        missing = [f for f in rule.fields if _empty(fields.get(normal_key(f)))]
        conflicting = [f for f in rule.fields if isinstance(fields.get(normal_key(f)), Conflict)]
        if conflicting:
            return False, f"stated more than once with different values: {', '.join(conflicting)}"
        return (not missing, f"missing: {', '.join(missing)}" if missing else "all present")
    value = fields.get(normal_key(rule.field))
    if isinstance(value, Conflict):
        return False, f"field {rule.field!r} is stated more than once with different values"
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
        found = rule.compiled(fold).search(text)
        return bool(found), f"{'matches' if found else 'does not match'} /{rule.pattern}/"
    assert isinstance(rule, OrderedRule)
    return _ordered(rule, value)


def _empty(value: Any) -> bool:
    """None, text with no visible character, or a list or object of nothing but those:
    "owner": " " or "\u200b" states none."""
    if isinstance(value, str):
        return not visible(value)
    if isinstance(value, list):
        return all(_empty(item) for item in value)
    if isinstance(value, dict):
        return all(_empty(item) for item in value.values())
    return value is None


def _quantity(rule: QuantityRule, value: Any) -> tuple[bool, str]:
    import pint

    try:
        if isinstance(value, dict) and {"value", "unit"} <= set(value):
            if not isinstance(value["unit"], str):
                raise ValueError("the unit is not text")
            stated = unit_registry().Quantity(parse_number(value["value"]),
                                              parse_unit(value["unit"]))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            # A bare number: the rule's unit.
            stated = unit_registry().Quantity(parse_number(value), parse_unit(rule.unit))
        elif isinstance(value, str):
            stated = parse_quantity(value, rule.unit)
        else:  # str() of true, a list or an object is no quantity a person wrote
            raise ValueError(f"a {type(value).__name__} is not a quantity")
        magnitude = float(stated.to(parse_unit(rule.unit)).magnitude)
        if not math.isfinite(magnitude):  # finite in mm, past a float's range in nm
            raise ValueError("not a finite number")
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, ArithmeticError) as exc:
        return False, f"{value!r} is not a quantity in a unit compatible with {rule.unit}: {exc}"
    low, high = rule.bounds
    inside = ((low is None or magnitude >= low - 1e-12)
              and (high is None or magnitude <= high + 1e-12))
    span = f"[{_bound(low, '-inf')}, {_bound(high, 'inf')}]"
    verdict = "within" if inside else "outside"
    return inside, f"{value!r} = {magnitude:g} {rule.unit}, {verdict} {span} {rule.unit}"


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else f"{value:g}"


def _ordered(rule: OrderedRule, value: Any) -> tuple[bool, str]:
    items = value if isinstance(value, list) else _ITEM_SEPARATORS.split(str(value))
    steps = [str(item).strip().casefold() for item in items if visible(str(item))]
    wanted = [step.strip().casefold() for step in rule.sequence]
    if rule.exact:
        ok = steps == wanted
        return ok, "exactly the sequence" if ok else f"{steps} is not exactly {wanted}"
    # Other steps may come between, but the sequence's own steps must appear exactly as in
    # the sequence: repeating every step n times would otherwise hold any order.
    named = set(wanted)
    own = [step for step in steps if step in named]
    if own == wanted:
        return True, "steps in the required order"
    return False, f"{steps} does not hold {wanted} in order, each step once"
