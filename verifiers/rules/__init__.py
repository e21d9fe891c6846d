"""``rules``: declarative business rules over a completion's structured answer.

The completion states its answer as a JSON object (fenced or bare; the last one wins) or as
``key: value`` lines. The rule set comes from the sample's reference, else from the
``rules`` option, else from the YAML file the ``rules_file`` option names. Other plugins
build on :func:`evaluate` and :class:`RuleSet` (the manufacturing plugin does).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from rewardkit import Result, Sample, Trust, Verifier, hookimpl
from rewardkit.errors import validation_text
from rewardkit.references import structured_reference
from rewardkit.verifiers.rules.answer import parse_answer
from rewardkit.verifiers.rules.checks import check
from rewardkit.verifiers.rules.models import Rule, RuleSet, load_rule_set

__all__ = ["Rule", "RuleSet", "RulesVerifier", "evaluate", "load_rule_set", "parse_answer"]


class RulesOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: A rule set for samples whose reference carries none.
    rules: RuleSet | None = None
    #: A YAML file holding the rule set (read when the engine starts). A path on the host:
    #: only the operator may set it; a request sends ``rules`` instead.
    rules_file: Annotated[str | None, Trust.OPERATOR] = None
    #: Default for enum and regex rules that do not say.
    ignore_case: bool = False
    #: A completion with no structured answer: reward 0 (``zero``) or ``skipped``.
    missing_answer: Literal["zero", "skipped"] = "zero"


def evaluate(rule_set: RuleSet, fields: dict[str, Any], *, ignore_case: bool = False) -> Result:
    """Judge ``fields`` against ``rule_set``; the details list every rule's verdict and why."""
    verdicts = []
    for index, rule in enumerate(rule_set.rules):
        passed, why = check(rule, fields, ignore_case)
        verdicts.append({
            "rule": index,
            "type": rule.type,
            "field": getattr(rule, "field", None),
            "description": rule.description,
            "passed": passed,
            "reason": why,
        })
    passed_count = sum(v["passed"] for v in verdicts)
    if rule_set.scoring == "fraction":
        reward = passed_count / len(verdicts)
    else:
        reward = float(passed_count == len(verdicts))
    failed = [f"{v['field'] or v['type']}: {v['reason']}" for v in verdicts if not v["passed"]]
    reason = f"{passed_count}/{len(verdicts)} rules passed"
    if failed:
        reason += "; failed: " + "; ".join(failed)
    return Result(reward=reward, reason=reason, details={"rules": verdicts})


class RulesVerifier(Verifier):
    name = "rules"
    description = "declarative business rules (quantities with units, enums, regex, order)"
    Options = RulesOptions
    # 2: no infinite quantities or true/false numbers; blank is not present. 3: a value is
    # exactly a number and a unit; last object wins unfenced; duplicate keys conflict;
    # invisible text is blank; regexes ASCII with a strict $; ordered steps once each.
    version = "3"
    timeout = 5.0  # user regexes and unit parsing run under the worker's deadline

    def __init__(self, options: BaseModel | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        opts = self._opts()
        if opts.rules_file and opts.rules is None:
            opts.rules = load_rule_set(opts.rules_file)

    def _opts(self) -> RulesOptions:
        assert isinstance(self.options, RulesOptions)
        return self.options

    def verify(self, sample: Sample) -> Result:
        options = self._opts()
        rule_set = options.rules
        # A reference from a data set may be JSON text, or an object padded with nulls.
        reference = structured_reference(sample.reference)
        if isinstance(reference, dict) and "rules" in reference:
            try:
                rule_set = RuleSet.model_validate(reference)
            except ValidationError as exc:
                return Result.error(
                    f"invalid rule set in the reference: {validation_text(exc)}")
        if rule_set is None:
            return Result.error("no rule set: the reference carries none and no rules option")
        fields = parse_answer(sample.completion_text)
        if fields is None:
            reason = "the completion states no JSON object or key: value lines"
            return Result.skipped(reason) if options.missing_answer == "skipped" else Result(
                reward=0.0, reason=reason)
        return evaluate(rule_set, fields, ignore_case=options.ignore_case)


@hookimpl
def register_verifiers(register):  # type: ignore[no-untyped-def]
    register(RulesVerifier)
