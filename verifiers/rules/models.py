"""The rule-set schema: what a reference (or the options, or a YAML file) may say."""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from rewardkit.errors import one_line, validation_text
from rewardkit.verifiers.rules.units import parse_unit

#: Bounds on a rule set, wherever it comes from (a request's ``rules`` option, a reference,
#: a file): compiling a client's regexes costs CPU, so their size is held down (a 4 MB
#: alternation once took 17 s). Each regex's length, all regexes' length together, the rules.
MAX_PATTERN_CHARS = 1_000
MAX_PATTERNS_CHARS = 10_000
MAX_RULES = 500
#: Items of a rule's list (allowed values, required fields, an ordered sequence).
MAX_ITEMS = 1_000

#: A bound of a quantity rule: a JSON number (not true, not "25"), finite (not NaN, 1e999).
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Shown in the details, so a failure says which rule in words people use.
    description: str = ""


class QuantityRule(_Rule):
    """A physical quantity in a unit-aware range: nominal ± tolerance, or min and/or max."""

    type: Literal["quantity"]
    field: str
    #: A unit as :func:`~rewardkit.verifiers.rules.units.parse_unit` reads it ("N*m").
    unit: str
    nominal: Number | None = None
    tolerance: Number | None = Field(default=None, ge=0)
    min: Number | None = None
    max: Number | None = None
    #: Without a ``min``, the lower bound is 0: a mass or a length stated as -3 is wrong,
    #: not "at most 500". Set true for quantities that may be negative (temperatures...).
    allow_negative: StrictBool = False

    @field_validator("unit")
    @classmethod
    def _a_unit(cls, unit: str) -> str:
        parse_unit(unit)  # a misspelt unit stops the job, not every sample's reward
        return unit

    @model_validator(mode="after")
    def _a_range(self) -> QuantityRule:
        if (self.nominal is None) != (self.tolerance is None):
            raise ValueError("'nominal' and 'tolerance' go together")
        if self.nominal is None and self.min is None and self.max is None:
            raise ValueError("a quantity rule needs nominal and tolerance, or min and/or max")
        if self.nominal is not None and (self.min is not None or self.max is not None):
            raise ValueError("give nominal and tolerance, or min/max, not both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' {self.min:g} is above 'max' {self.max:g}")
        if not all(math.isfinite(bound) for bound in self.bounds if bound is not None):
            raise ValueError("nominal ± tolerance is past a float's range")
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
    allowed: list[str] = Field(min_length=1, max_length=MAX_ITEMS)
    #: None takes the verifier's ``ignore_case`` option.
    ignore_case: StrictBool | None = None


class RegexRule(_Rule):
    """The field's text matches ``pattern`` (Python syntax, searched anywhere).

    Matched with ``re.ASCII`` (``\\d`` is 0-9, ``\\w`` and ``\\b`` are ASCII) and with ``$``
    meaning the very end, not also before a final newline: "PN-1234\\n" is no ``^PN-\\d{4}$``.
    """

    type: Literal["regex"]
    field: str
    pattern: str = Field(max_length=MAX_PATTERN_CHARS)
    ignore_case: StrictBool | None = None

    @model_validator(mode="after")
    def _compiles(self) -> RegexRule:
        try:
            self.compiled(fold=False)
        except (re.error, OverflowError, RecursionError, ValueError) as exc:  # a{4294967296}
            raise ValueError(f"pattern {self.pattern!r} is not a valid regex: {exc}") from None
        return self

    def compiled(self, fold: bool) -> re.Pattern[str]:
        return _compiled(self.pattern, fold)


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str, fold: bool) -> re.Pattern[str]:
    # Once per pattern, not per sample checked: the rewrite walks the whole pattern.
    return re.compile(strict_end(pattern), re.ASCII | (re.I if fold else 0))


def strict_end(pattern: str) -> str:
    """``pattern`` with each ``$`` anchor kept from matching before a final newline."""
    out = []
    in_class = False
    first = index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":  # an escape (\$ too) is copied as it is
            out.append(pattern[index:index + 2])
            index += 2
            continue
        if in_class:
            in_class = not (char == "]" and index > first)  # "[]" and "[^]" hold a "]"
        elif char == "[":
            in_class = True
            first = index + 1 + (pattern[index + 1:index + 2] == "^")
        elif char == "$":
            char = r"(?!\n\Z)$"
        out.append(char)
        index += 1
    return "".join(out)


class RequiredRule(_Rule):
    """Every field in ``fields`` is present and not empty."""

    type: Literal["required"]
    fields: list[str] = Field(min_length=1, max_length=MAX_ITEMS)


class OrderedRule(_Rule):
    """The field (a list) holds ``sequence`` in this order; with ``exact``, nothing else."""

    type: Literal["ordered"]
    field: str
    sequence: list[str] = Field(min_length=1, max_length=MAX_ITEMS)
    exact: StrictBool = False


Rule = Annotated[QuantityRule | EnumRule | RegexRule | RequiredRule | OrderedRule,
                 Field(discriminator="type")]


class RuleSet(BaseModel):
    """Rules and how their verdicts become a reward."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(min_length=1, max_length=MAX_RULES)
    #: ``all``: 1.0 only when every rule passes; ``fraction``: the share of rules passed.
    scoring: Literal["all", "fraction"] = "all"

    @model_validator(mode="before")
    @classmethod
    def _bounded(cls, data: Any) -> Any:
        # Before the rules are validated, so no regex of an oversized set is compiled.
        rules = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(rules, list):
            return data
        if len(rules) > MAX_RULES:
            raise ValueError(f"{len(rules):,} rules; a rule set holds at most {MAX_RULES}")
        sizes = [len(rule["pattern"]) if isinstance(rule, dict)
                 and isinstance(rule.get("pattern"), str) else 0 for rule in rules]
        for index, size in enumerate(sizes):
            if size > MAX_PATTERN_CHARS:
                raise ValueError(f"rules[{index}].pattern has {size:,} characters; a regex "
                                 f"may have at most {MAX_PATTERN_CHARS:,}")
        total = sum(sizes)
        if total > MAX_PATTERNS_CHARS:
            raise ValueError(f"the rule set's regex patterns have {total:,} characters "
                             f"together; at most {MAX_PATTERNS_CHARS:,}")
        return data


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
