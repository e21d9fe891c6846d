"""The verifiers a manufacturing company rewards its models with, as one rewardkit plugin.

Uses only rewardkit's public API: ``Verifier``, ``Result``, ``hookimpl``, the built-in
``rules`` verifier's ``RuleSet`` and ``evaluate``, and ``structured_reference`` (so a reference
from a data set, JSON text or padded with nulls, reads as the rules verifier reads it).
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.errors import validation_text
from rewardkit.references import structured_reference
from rewardkit.verifiers.rules import RuleSet, evaluate, parse_answer
from rewardkit_manufacturing.iso286 import FitError, limits
from rewardkit_manufacturing.quantities import QUANTITY, normalise_units, quantities, quantity


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
    description = "ISO 286 hole/shaft fit: the stated limits of size match the tolerance class"
    Options = FitOptions
    version = "2"  # 2: both limits must be stated; one size inside them is no longer enough
    timeout = 5.0

    def verify(self, sample: Sample) -> Result:
        reference = structured_reference(sample.reference)
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
        if len(stated) < 2:  # the nominal size alone ("25 mm" for 25H7) is no limits of size
            return Result(reward=0.0, reason="the answer does not state both limits of size",
                          details=details)
        slack = options.limit_slack_um / 1000
        low, high = sorted(stated[-2:])
        ok = abs(low - allowed.lower_mm) <= slack and abs(high - allowed.upper_mm) <= slack
        reason = (f"stated limits {low:.4f}-{high:.4f} mm "
                  f"{'match' if ok else 'differ from'} {allowed.designation} "
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
        if self.min is None and self.max is None:
            raise ValueError("give nominal (with tolerance_pct), or min and/or max")
        # A torque or a roughness is a magnitude: without a min, the lower bound is 0, so
        # "Ra = -5 um" is not "at most 1.6 um" (as the rules verifier's quantity rule).
        low = 0.0 if self.min is None else quantity(self.min, unit).to(unit).magnitude
        high = None if self.max is None else quantity(self.max, unit).to(unit).magnitude
        return low, high


class _RangeVerifier(Verifier):
    """Judges the value the completion states, of ``unit``'s dimension, against a RangeSpec.

    The value is the one each ``label`` introduces ("Torque: 25 N·m"), with every number in a
    unit of that dimension on those lines; without a label, the numbers of the final line
    (bare ones only when none has a unit). An answer whose values differ ("40 N·m (spec is
    25 N·m)") states no one value and earns nothing.
    """

    unit = "m"
    what = "value"
    label = re.compile(r"(?!)")
    version = "3"  # 3: the labelled value, several different values refused, min 0
    timeout = 5.0

    def stated(self, text: str) -> list[Any]:
        text = normalise_units(text)
        lines, anchored = [], []
        for match in self.label.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            lines.append(text[start:end if end != -1 else len(text)])
            after = _ANCHOR.match(text, match.end())
            first = QUANTITY.match(text, after.end() if after else match.end())
            if first is not None:  # "Torque: 25" states 25 N·m even without a unit
                anchored += [q for q, _ in _with_units(first.group(), self.unit)]
        if not lines:
            lines = [_final_line(text)]
        found = [q for line in lines for q, has_unit in _with_units(line, self.unit)
                 if has_unit and q.check(self.unit)]
        if not found and not anchored:
            found = [q for line in lines for q, _ in _with_units(line, self.unit)]
        return anchored + found

    def verify(self, sample: Sample) -> Result:
        reference = structured_reference(sample.reference)
        try:
            low, high = RangeSpec.model_validate(reference).bounds(self.unit)
        except (ValidationError, ValueError) as exc:
            return Result.error(f"reference: {exc}")
        found = [q for q in self.stated(sample.completion_text) if q.check(self.unit)]
        if not found:
            return Result(reward=0.0, reason=f"no {self.what} in a unit of {self.unit} stated")
        values = [float(q.to(self.unit).magnitude) for q in found]
        value = values[0]
        details = {"stated": [f"{q:~P}" for q in found], "value": value, "unit": self.unit,
                   "low": low, "high": high}
        # The same value in two units differs by rounding: 18.4 lbf·ft is 24.95 N·m.
        if any(abs(other - value) > 0.01 * max(abs(value), 1e-9) for other in values):
            listed = ", ".join(dict.fromkeys(f"{v:.4g}" for v in values))
            return Result(reward=0.0, details=details,
                          reason=f"states several different values ({listed} {self.unit})")
        ok = (low is None or value >= low - 1e-9) and (high is None or value <= high + 1e-9)
        span = f"{_bound(low, '-inf')} to {_bound(high, 'inf')} {self.unit}"
        verdict = "within" if ok else "outside"
        return Result(reward=float(ok), details=details,
                      reason=f"{self.what} {value:.4g} {self.unit} {verdict} {span}")


# Between a label and its value: "Torque: 25", "tighten to 25", "Ra = 0.8", "torque of 25".
_ANCHOR = re.compile(r"(?:[^\S\n]*(?:[:=]|is\b|to\b|of\b|at\b))*[^\S\n]*")


def _with_units(line: str, unit: str) -> list[tuple[Any, bool]]:
    """Each number of ``line`` as a quantity (bare ones in ``unit``), and whether it had one."""
    return [(quantity(f"{magnitude} {spelt}" if spelt else magnitude, unit), bool(spelt))
            for magnitude, spelt in QUANTITY.findall(line)
            if math.isfinite(float(magnitude.replace(",", ".")))]


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else f"{value:.4g}"


class TorqueSpec(_RangeVerifier):
    name = "torque_spec"
    description = "tightening torque within spec, in any torque unit (N·m, lbf·ft, lbf·in)"
    unit = "N*m"
    what = "torque"
    label = re.compile(r"(?i)\b(?:torque|tighten(?:ed|ing)?)\b")


class SurfaceRoughness(_RangeVerifier):
    name = "surface_roughness"
    description = "surface roughness Ra within limits, in µm or µin"
    unit = "um"
    what = "Ra"
    label = re.compile(r"\bRa\b")  # not the "Ra" of "Rated"


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
        # A count: a whole number written as digits, not "2.5", "1 pi" or "50000 percent"
        # (which a quantity rule in "dimensionless" would read as 3.14 and 500).
        {"field": "sample_size", "type": "regex",
         "pattern": r"^(?:[1-9][0-9]?|[1-4][0-9][0-9]|500)$",
         "description": "sample size a whole number of parts, 1 to 500"},
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
        # As the rules verifier reads it: JSON text, or an object padded with nulls.
        reference = structured_reference(sample.reference)
        extra = reference.get("rules") if isinstance(reference, dict) else None
        if extra:
            try:
                rule_set = RuleSet.model_validate(
                    {"scoring": "fraction", "rules": [*INSPECTION_PLAN.rules, *extra]})
            except ValidationError as exc:
                return Result.error(f"reference rules: {validation_text(exc)}")
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
