"""The built-in `rules` verifier: each rule type, answer formats, scoring, rule-set errors."""

import json

import pytest

from rewardkit.verifiers.rules import RuleSet, evaluate, parse_answer

DIAMETER = {"field": "diameter", "type": "quantity", "nominal": 25.0, "tolerance": 0.05,
            "unit": "mm"}
MATERIAL = {"field": "material", "type": "enum", "allowed": ["6061-T6", "7075-T6"]}


def judge(rules, fields, scoring="all", ignore_case=False):
    return evaluate(RuleSet.model_validate({"rules": rules, "scoring": scoring}), fields,
                    ignore_case=ignore_case)


@pytest.mark.parametrize(("value", "passed"), [
    ("25.02 mm", True), ("0.9843 in", True), ("25020 um", True), ("25020 µm", True),
    ("2.5 cm", True), (25.0, True), ({"value": 25.04, "unit": "mm"}, True), ("25.04", True),
    ("25.06 mm", False), ("0.99 in", False), ("24.9 mm", False), ("25 kg", False),
    ("about twenty-five", False), ("", False), (None, False),
])
def test_quantity_with_units(value, passed):
    fields = {} if value is None else {"diameter": value}
    result = judge([DIAMETER], fields)
    assert result.passed is passed, result.reason


@pytest.mark.parametrize(("rule", "value", "passed"), [
    ({"min": 10, "max": 20, "unit": "N*m"}, "15 N*m", True),
    ({"min": 10, "max": 20, "unit": "N*m"}, "11 lbf*ft", True),  # 14.9 N·m
    ({"min": 10, "max": 20, "unit": "N*m"}, "16 lbf*ft", False),  # 21.7 N·m
    ({"max": 1.6, "unit": "um"}, "0.8 um", True),
    ({"max": 1.6, "unit": "um"}, "63 microinch", False),  # 1.6002 µm
    ({"min": 100, "unit": "degC"}, "120 degC", True),
    # Before: a max-only rule read as [-inf, 500] kg and passed a mass of -3 kg.
    ({"max": 500, "unit": "kg"}, "-3 kg", False),
    ({"max": 500, "unit": "kg"}, "0 kg", True),
    ({"max": 500, "unit": "kg", "allow_negative": True}, "-3 kg", True),
    ({"max": 10, "unit": "degC", "allow_negative": True}, "-5 degC", True),
    # Before: a magnitude past a float's range was infinity, above every min-only bound,
    # and true/false was the number 1/0.
    ({"min": 10, "unit": "N*m"}, "1e999 N*m", False),
    ({"min": 10, "unit": "N*m"}, float("inf"), False),
    ({"min": 10, "unit": "N*m"}, {"value": "inf", "unit": "N*m"}, False),
    ({"min": 10, "unit": "N*m"}, "1e300 N*m", True),  # large, but a number
    ({"min": 0.5, "max": 2, "unit": "kg"}, True, False),
    ({"min": 0.5, "max": 2, "unit": "kg"}, {"value": True, "unit": "kg"}, False),
    ({"min": 0.5, "max": 2, "unit": "kg"}, ["1 kg", "9 kg"], False),
])
def test_quantity_min_max(rule, value, passed):
    result = judge([{"field": "x", "type": "quantity", **rule}], {"x": value})
    assert result.passed is passed, result.reason


@pytest.mark.parametrize(("rule", "value", "ignore_case", "passed"), [
    (MATERIAL, "6061-T6", False, True),
    (MATERIAL, "6061-t6", False, False),
    (MATERIAL, "6061-t6", True, True),
    ({**MATERIAL, "ignore_case": True}, " 7075-t6 ", False, True),
    (MATERIAL, "steel", True, False),
])
def test_enum(rule, value, ignore_case, passed):
    assert judge([rule], {"material": value}, ignore_case=ignore_case).passed is passed


@pytest.mark.parametrize(("rule", "value", "passed"), [
    ({"field": "notes", "type": "regex", "pattern": "deburr"}, "deburr all edges", True),
    ({"field": "notes", "type": "regex", "pattern": "deburr"}, "Deburr", False),
    ({"field": "notes", "type": "regex", "pattern": "deburr", "ignore_case": True}, "Deburr",
     True),
    ({"field": "notes", "type": "regex", "pattern": r"^\d{3}-\d{2}$"}, "123-45", True),
    ({"type": "required", "fields": ["notes", "material"]}, "x", False),
    ({"type": "required", "fields": ["notes"]}, "x", True),
    # Before: blank text, and lists or objects of nothing, counted as stated.
    ({"type": "required", "fields": ["notes"]}, " ", False),
    ({"type": "required", "fields": ["notes"]}, ["", " \n"], False),
    ({"type": "required", "fields": ["notes"]}, {"text": None}, False),
    ({"field": "steps", "type": "ordered", "sequence": ["clean", "inspect", "pack"]},
     "clean -> deburr -> inspect -> pack", True),
    ({"field": "steps", "type": "ordered", "sequence": ["clean", "inspect", "pack"]},
     ["Clean", "Pack", "Inspect"], False),
    ({"field": "steps", "type": "ordered", "sequence": ["clean", "inspect"], "exact": True},
     "clean, deburr, inspect", False),
    ({"field": "steps", "type": "ordered", "sequence": ["clean", "inspect"], "exact": True},
     "clean, inspect", True),
])
def test_regex_required_ordered(rule, value, passed):
    field = rule.get("field", "notes")
    assert judge([rule], {field: value}).passed is passed


def test_fraction_scoring_and_details():
    result = judge([DIAMETER, MATERIAL, {"type": "required", "fields": ["notes"]}],
                   {"diameter": "25.1 mm", "material": "6061-T6"}, scoring="fraction")
    assert result.reward == pytest.approx(1 / 3)
    verdicts = result.details["rules"]
    assert [v["passed"] for v in verdicts] == [False, True, False]
    assert "outside [24.95, 25.05] mm" in verdicts[0]["reason"]
    assert "missing: notes" in verdicts[2]["reason"]
    assert result.reason.startswith("1/3 rules passed; failed: diameter:")


@pytest.mark.parametrize(("text", "fields"), [
    ('Here:\n```json\n{"a": 1}\n```\nfinal:\n```json\n{"a": 2, "B c": 3}\n```', {"a": 2, "b_c": 3}),
    ('thinking {"a": 1} then {"a": 5}', {"a": 5}),
    ("Part number: X-1\nMaterial = 6061-T6\n- Notes: deburr", {"part_number": "X-1",
                                                              "material": "6061-T6",
                                                              "notes": "deburr"}),
    ("no structure at all", None),
])
def test_parse_answer(text, fields):
    assert parse_answer(text) == fields


@pytest.mark.parametrize(("rules", "message"), [
    ([{"field": "d", "type": "quantity", "unit": "mm"}], "needs nominal and tolerance"),
    ([{"field": "d", "type": "quantity", "unit": "mm", "nominal": 1}], "go together"),
    ([{"field": "d", "type": "colour"}], "does not match any of the expected tags"),
    ([{"field": "d", "type": "regex", "pattern": "("}], "not a valid regex"),
    ([], "at least 1 item"),
])
def test_rule_set_errors_are_clear(rules, message):
    with pytest.raises(ValueError, match=message):
        RuleSet.model_validate({"rules": rules})


def test_through_the_engine(score_sample, tmp_path):
    reference = {"rules": [DIAMETER, MATERIAL], "scoring": "all"}
    good = '```json\n{"diameter": "0.9843 in", "material": "7075-T6"}\n```'
    assert score_sample("rules", good, reference=reference).reward == 1.0
    assert score_sample("rules", "diameter: 26 mm\nmaterial: 7075-T6",
                        reference=reference).reward == 0.0
    bad = score_sample("rules", good, reference={"rules": [{"type": "nope"}]})
    assert bad.status == "error" and "invalid rule set" in bad.reason
    assert score_sample("rules", good).status == "error"  # no rule set anywhere
    assert score_sample("rules", "prose only", reference=reference,
                        missing_answer="skipped").status == "skipped"
    rules_file = tmp_path / "part.yaml"
    rules_file.write_text("rules:\n  - {field: material, type: enum, allowed: [6061-T6]}\n")
    assert score_sample("rules", "material: 6061-T6", rules_file=str(rules_file)).reward == 1.0
    assert score_sample("rules", json.dumps({"material": "6061-T6"}),
                        rules={"rules": [MATERIAL]}).reward == 1.0


def test_bad_rules_file_fails_before_scoring(make_engine, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [{field: x, type: quantity, unit: mm}]\n")
    with pytest.raises(ValueError, match=r"bad\.yaml"):
        make_engine([{"name": "rules", "options": {"rules_file": str(bad)}}])
