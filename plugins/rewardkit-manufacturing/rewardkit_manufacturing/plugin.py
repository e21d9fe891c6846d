"""The verifiers a manufacturing company rewards its models with, as one rewardkit plugin.

Uses only rewardkit's public API: ``Verifier``, ``Result``, ``hookimpl`` and the built-in
``rules`` verifier's ``RuleSet`` and ``evaluate``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.verifiers.rules import RuleSet, evaluate, parse_answer
from rewardkit_manufacturing.iso286 import FitError, limits
from rewardkit_manufacturing.quantities import quantities, quantity


def _final_line(text: str) -> str:
    """The last line that states a number: where a worked answer ends."""
    for line in reversed(text.strip().splitlines()):
        if any(ch.isdigit() for ch in line):
            return line
    return ""


class FitOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: How far stated limits may be from the table's, in µm (rounding in the answer).
    limit_slack_um: float = Field(default=0.5, ge=0)


class Iso286Fit(Verifier):
    name = "iso286_fit"
    description = "ISO 286 hole/shaft fit: stated limits (or a size) match the tolerance class"
    Options = FitOptions
    timeout = 5.0

    def verify(self, sample: Sample) -> Result:
        reference = sample.reference
        designation = reference.get("fit") if isinstance(reference, dict) else reference
        try:
            allowed = limits(str(designation))
        except FitError as exc:
            return Result.error(f"reference: {exc}")
        options = self.options
        assert isinstance(options, FitOptions)
        stated = [q.to("mm").magnitude for q in quantities(_final_line(sample.completion_text),
                                                           "mm")]
        stated = [s for s in stated if abs(s - (allowed.lower_mm + allowed.upper_mm) / 2) < 50]
        details: dict[str, Any] = {"fit": allowed.designation, "kind": allowed.kind,
                                   "lower_mm": allowed.lower_mm, "upper_mm": allowed.upper_mm,
                                   "stated_mm": stated}
        if not stated:
            return Result(reward=0.0, reason="no dimension stated", details=details)
        slack = options.limit_slack_um / 1000
        if len(stated) >= 2:
            low, high = sorted(stated[-2:])
            ok = abs(low - allowed.lower_mm) <= slack and abs(high - allowed.upper_mm) <= slack
            reason = (f"stated limits {low:.4f}-{high:.4f} mm "
                      f"{'match' if ok else 'differ from'} {allowed.designation} "
                      f"({allowed.lower_mm:.4f}-{allowed.upper_mm:.4f} mm)")
            return Result(reward=float(ok), reason=reason, details=details)
        size = stated[-1]
        ok = allowed.contains(size)
        reason = (f"{size:.4f} mm is {'inside' if ok else 'outside'} {allowed.designation} "
                  f"({allowed.lower_mm:.4f}-{allowed.upper_mm:.4f} mm)")
        return Result(reward=float(ok), reason=reason, details=details)


class RangeSpec(BaseModel):
    """A nominal value with a ± percentage, or min and/or max; each a number or '25 N*m'."""

    model_config = ConfigDict(extra="forbid")

    nominal: float | str | None = None
    tolerance_pct: float | None = Field(default=None, ge=0)
    min: float | str | None = None
    max: float | str | None = None

    def bounds(self, unit: str) -> tuple[float | None, float | None]:
        if self.nominal is not None:
            nominal = quantity(self.nominal, unit).to(unit).magnitude
            spread = abs(nominal) * (self.tolerance_pct or 0.0) / 100
            return nominal - spread, nominal + spread
        low = None if self.min is None else quantity(self.min, unit).to(unit).magnitude
        high = None if self.max is None else quantity(self.max, unit).to(unit).magnitude
        if low is None and high is None:
            raise ValueError("give nominal (with tolerance_pct), or min and/or max")
        return low, high


class _RangeVerifier(Verifier):
    """Judges the last quantity of ``unit``'s dimension in the completion against a RangeSpec."""

    unit = "m"
    what = "value"
    version = "2"  # 2: a magnitude past a float's range is no quantity
    timeout = 5.0

    def pick(self, sample: Sample) -> list[Any]:
        return quantities(_final_line(sample.completion_text), self.unit)

    def verify(self, sample: Sample) -> Result:
        try:
            low, high = RangeSpec.model_validate(sample.reference).bounds(self.unit)
        except (ValidationError, ValueError) as exc:
            return Result.error(f"reference: {exc}")
        found = [q for q in self.pick(sample) if q.check(self.unit)]
        if not found:
            return Result(reward=0.0, reason=f"no {self.what} in a unit of {self.unit} stated")
        value = float(found[-1].to(self.unit).magnitude)
        ok = (low is None or value >= low - 1e-9) and (high is None or value <= high + 1e-9)
        span = f"{_bound(low, '-inf')} to {_bound(high, 'inf')} {self.unit}"
        verdict = "within" if ok else "outside"
        return Result(reward=float(ok),
                      reason=f"{self.what} {value:.4g} {self.unit} {verdict} {span}",
                      details={"stated": f"{found[-1]:~P}", "value": value, "unit": self.unit,
                               "low": low, "high": high})


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else f"{value:.4g}"


class TorqueSpec(_RangeVerifier):
    name = "torque_spec"
    description = "tightening torque within spec, in any torque unit (N·m, lbf·ft, lbf·in)"
    unit = "N*m"
    what = "torque"


class SurfaceRoughness(_RangeVerifier):
    name = "surface_roughness"
    description = "surface roughness Ra within limits, in µm or µin"
    unit = "um"
    what = "Ra"

    def pick(self, sample: Sample) -> list[Any]:
        text = sample.completion_text
        marker = text.rfind("Ra")
        return quantities(text[marker:] if marker != -1 else _final_line(text), self.unit)


INSPECTION_PLAN = RuleSet.model_validate({
    "scoring": "fraction",
    "rules": [
        {"type": "required", "fields": ["part_number", "characteristic", "gauge",
                                        "sample_size", "frequency"],
         "description": "every plan names these"},
        {"field": "gauge", "type": "enum", "ignore_case": True,
         "allowed": ["caliper", "micrometer", "bore gauge", "height gauge", "CMM",
                     "go/no-go gauge", "surface profilometer", "torque wrench"],
         "description": "a gauge from the calibrated-gauge list"},
        {"field": "sample_size", "type": "quantity", "min": 1, "max": 500, "unit": "dimensionless",
         "description": "sample size between 1 and 500 parts"},
        {"field": "frequency", "type": "regex", "ignore_case": True,
         "pattern": r"\b(every|each|per|first|last)\b|\b\d+\s*(parts?|pcs|lots?|hours?|h)\b",
         "description": "a stated frequency"},
        {"field": "steps", "type": "ordered", "sequence": ["measure", "record", "disposition"],
         "description": "measure, then record, then disposition"},
    ],
})


class InspectionPlan(Verifier):
    name = "inspection_plan"
    description = "inspection plan complete per company rules (built on the rules verifier)"
    timeout = 5.0

    def verify(self, sample: Sample) -> Result:
        fields = parse_answer(sample.completion_text)
        if fields is None:
            return Result(reward=0.0, reason="no structured inspection plan stated")
        rule_set = INSPECTION_PLAN
        extra = sample.reference.get("rules") if isinstance(sample.reference, dict) else None
        if extra:
            try:
                rule_set = RuleSet.model_validate(
                    {"scoring": "fraction", "rules": [*INSPECTION_PLAN.rules, *extra]})
            except ValidationError as exc:
                return Result.error(f"reference rules: {exc}")
        return evaluate(rule_set, fields, ignore_case=True)


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    for verifier in (Iso286Fit, TorqueSpec, SurfaceRoughness, InspectionPlan):
        register(verifier)


@hookimpl
def register_probes(register):  # type: ignore[no-untyped-def]
    from rewardkit.probe import AttackFamily
    from rewardkit_manufacturing.probes import tolerance_band_edges, unit_confusion

    register(AttackFamily("unit_confusion", unit_confusion,
                          "the band's number in another unit of the same kind"))
    register(AttackFamily("tolerance_band_edges", tolerance_band_edges,
                          "values just outside the tolerance band or fit limits"))
