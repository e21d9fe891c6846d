"""The rule-set schema: what a reference (or the options, or a YAML file) may say."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rewardkit.errors import one_line, validation_text


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Shown in the details, so a failure says which rule in words people use.
    description: str = ""


class QuantityRule(_Rule):
    """A physical quantity in a unit-aware range: nominal ± tolerance, or min and/or max."""

    type: Literal["quantity"]
    field: str
    unit: str
    nominal: float | None = None
    tolerance: float | None = Field(default=None, ge=0)
    min: float | None = None
    max: float | None = None
    #: Without a ``min``, the lower bound is 0: a mass or a length stated as -3 is wrong,
    #: not "at most 500". Set true for quantities that may be negative (temperatures...).
    allow_negative: bool = False

    @model_validator(mode="after")
    def _a_range(self) -> QuantityRule:
        if (self.nominal is None) != (self.tolerance is None):
            raise ValueError("'nominal' and 'tolerance' go together")
        if self.nominal is None and self.min is None and self.max is None:
            raise ValueError("a quantity rule needs nominal and tolerance, or min and/or max")
        if self.nominal is not None and (self.min is not None or self.max is not None):
            raise ValueError("give nominal and tolerance, or min/max, not both")
        return self

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        if self.nominal is not None and self.tolerance is not None:
            return self.nominal - self.tolerance, self.nominal + self.tolerance
        if self.min is None and not self.allow_negative:
            return 0.0, self.max
        return self.min, self.max


class EnumRule(_Rule):
    """The field's value is one of ``allowed``."""

    type: Literal["enum"]
    field: str
    allowed: list[str] = Field(min_length=1)
    #: None takes the verifier's ``ignore_case`` option.
    ignore_case: bool | None = None


class RegexRule(_Rule):
    """The field's text matches ``pattern`` (Python syntax, searched anywhere)."""

    type: Literal["regex"]
    field: str
    pattern: str
    ignore_case: bool | None = None

    @model_validator(mode="after")
    def _compiles(self) -> RegexRule:
        import re

        try:
            re.compile(self.pattern)
        except (re.error, OverflowError, RecursionError) as exc:  # a{4294967296}, deep (((
            raise ValueError(f"pattern {self.pattern!r} is not a valid regex: {exc}") from None
        return self


class RequiredRule(_Rule):
    """Every field in ``fields`` is present and not empty."""

    type: Literal["required"]
    fields: list[str] = Field(min_length=1)


class OrderedRule(_Rule):
    """The field (a list) holds ``sequence`` in this order; with ``exact``, nothing else."""

    type: Literal["ordered"]
    field: str
    sequence: list[str] = Field(min_length=1)
    exact: bool = False


Rule = Annotated[QuantityRule | EnumRule | RegexRule | RequiredRule | OrderedRule,
                 Field(discriminator="type")]


class RuleSet(BaseModel):
    """Rules and how their verdicts become a reward."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(min_length=1)
    #: ``all``: 1.0 only when every rule passes; ``fraction``: the share of rules passed.
    scoring: Literal["all", "fraction"] = "all"


def load_rule_set(path: str | Path) -> RuleSet:
    """A rule set from a YAML file; ``ValueError`` naming the file when it does not validate."""
    path = Path(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"rule set {path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"rule set {path}: not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"rule set {path}: not valid YAML: {one_line(exc)}") from None
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"rule set {path}: {validation_text(exc)}") from None
