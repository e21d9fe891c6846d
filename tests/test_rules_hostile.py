"""The `rules` verifier against hostile completions and rule sets from the internet.

Each case earned a reward, or an error or a timeout instead of a plain 0, before.
"""

import json
import time

import pytest

from rewardkit.verifiers.rules import RuleSet, evaluate, parse_answer
from rewardkit.verifiers.rules.answer import Conflict

DIAMETER = {"field": "diameter", "type": "quantity", "nominal": 25.0, "tolerance": 0.05,
            "unit": "mm"}


def judge(rule, value):
    return evaluate(RuleSet.model_validate({"rules": [rule]}), {rule["field"]: value})


# --- rule sets: units and bounds are checked when the rule set is validated ---------------

@pytest.mark.parametrize(("change", "message"), [
    ({"unit": "milimeter"}, "not a unit pint knows"),
    ({"unit": "mm*2"}, "is not a unit"),
    ({"unit": "mm # comment"}, "is not a unit"),
    ({"unit": "mm**(10**10**10)"}, "is not a unit"),
    ({"unit": "percent*mm"}, "scales a compound unit"),
    ({"tolerance": float("inf")}, "finite number"),
    ({"tolerance": True}, "valid number"),
    ({"tolerance": "0.05"}, "valid number"),
    ({"tolerance": -0.05}, "greater than or equal to 0"),
    ({"nominal": float("nan")}, "finite number"),
    ({"nominal": 1e308, "tolerance": 1e308}, "past a float's range"),
    ({"nominal": None, "tolerance": None, "min": float("nan")}, "finite number"),
    ({"nominal": None, "tolerance": None, "min": 5, "max": 1}, "'min' 5 is above 'max' 1"),
    ({"nominal": None, "tolerance": None, "max": 10**400}, "valid number"),
    ({"allow_negative": "yes"}, "valid boolean"),
])
def test_bad_units_and_bounds_are_refused(change, message):
    rule = {key: value for key, value in {**DIAMETER, **change}.items() if value is not None}
    with pytest.raises(ValueError, match=message):
        RuleSet.model_validate({"rules": [rule]})


@pytest.mark.parametrize("unit", ["mm", "N*m", "N·m", "lbf ft", "m/s^2", "m²", "degC", "°C",
                                  "µm", "dimensionless", "percent", "rad/s"])
def test_units_people_write_validate(unit):
    RuleSet.model_validate({"rules": [{**DIAMETER, "unit": unit}]})


def test_misspelt_unit_stops_the_engine_wherever_the_rule_set_comes_from(make_engine, tmp_path,
                                                                         score_sample):
    """Before: every sample scored 0 with status ok, the job ran on."""
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("rules:\n  - {type: quantity, field: diameter, nominal: 25.0,"
                        " tolerance: 0.05, unit: milimeter}\n")
    with pytest.raises(ValueError, match=r"bad\.yaml.*milimeter"):
        make_engine([{"name": "rules", "options": {"rules_file": str(bad_file)}}])
    bad = {"rules": [{**DIAMETER, "unit": "mm*2"}]}
    with pytest.raises(ValueError, match=r"mm\*2"):
        make_engine([{"name": "rules", "options": {"rules": bad}}])
    for reference in (bad, json.dumps(bad)):
        result = score_sample("rules", '{"diameter": "25 mm"}', reference=reference)
        assert result.status == "error" and "mm*2" in result.reason, result.reason


def test_non_finite_reference_bounds_are_an_error(score_sample):
    reference = ('{"rules": [{"type": "quantity", "field": "diameter", "unit": "mm",'
                 ' "nominal": 25, "tolerance": 1e999}]}')
    result = score_sample("rules", '{"diameter": "99999 mm"}', reference=reference)
    assert result.status == "error" and "finite" in result.reason


# --- quantity values: exactly a number and a unit -------------------------------------------

@pytest.mark.parametrize("value", [
    "25 mm # measured 40", "diameter = 25 mm # measured 40", "25 mm == 1", "25 mm'", "25 mm;",
    "25 mm!", "25 mm?", "25 mm$", "25 mm~", "25 mm:", "25 mm...", "25 mm\\", "25 mm(",
    "25 mm**(10**10**5)", "25 mm**(10**10**10)", "25 mm**2", "٢٥ mm", "２５ mm", "2_5",
    "2500 percent*mm", "25" + " " * 20_000 + "mm", 10**400, "1" + "0" * 400 + " mm",
    {"value": "٢٥", "unit": "mm"}, {"value": 25, "unit": "mm(("}, {"value": 25, "unit": 1},
])
def test_a_quantity_is_exactly_a_number_and_a_unit(value):
    result = judge(DIAMETER, value)
    assert result.reward == 0.0, result.reason


@pytest.mark.parametrize("value", ["25 mm", "25mm", "+25.0 mm", "0.9843 in", "25020 µm",
                                   "2.5 cm", "25 millimeter", "25e0 mm", " 25 ", 25,
                                   {"value": "25", "unit": "mm"}])
def test_quantities_people_write_still_pass(value):
    result = judge(DIAMETER, value)
    assert result.reward == 1.0, result.reason


@pytest.mark.parametrize(("completion", "reward"), [
    ('{"diameter": 1' + "0" * 400 + "}", 0.0),
    ('{"diameter": "25 mm("}', 0.0),
    ('{"diameter": "25 mm**(10**10**5)"}', 0.0),
    ('{"diameter": "25 mm**(10**10**10)"}', 0.0),
    ("a" + " " * 20_000 + "x", 0.0),
    # An object that never closes is no answer; the one before it is.
    ('{"diameter": "25 mm"}\n' + '{"a":[' * 300 + "1," * 150_000, 1.0),
    ('{"diameter": "25 mm", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", 0.0),
    ('{"diameter": "25 mm", "x": ' + "[" * 900 + "]" * 900 + "}", 0.0),
])
def test_hostile_completions_are_a_quick_plain_result(score_sample, completion, reward):
    """Before: OverflowError, TokenError, ValueError, RecursionError, or a timeout."""
    started = time.monotonic()
    result = score_sample("rules", completion, reference={"rules": [DIAMETER]})
    assert result.status == "ok" and result.reward == reward, result.reason
    # Generous for a loaded machine: the quadratic scans and the power bomb took minutes.
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("text", [
    "a" + " " * 200_000 + "x",
    '{"diameter": "25 mm"}\n' + '{"a":[' * 3_000 + "1," * 500_000,
    "{" + '"\\\\' * 300_000,
])
def test_finding_the_answer_is_linear(text):
    started = time.process_time()  # in-process work: CPU time is immune to a loaded machine
    parse_answer(text)
    assert time.process_time() - started < 5


# --- which object is the answer ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "fields"), [
    # Before: a fenced object beat a later bare one.
    ('```json\n{"d": "25 mm"}\n```\nCorrection, final answer:\n{"d": "40 mm"}', {"d": "40 mm"}),
    ('{"d": 1}\n```json\n{"d": 2}\n```\nthen {"d": 3}', {"d": 3}),
    ('```\nprose\n```\n{"d": 4}\n```\nmore\n```', {"d": 4}),
    # Before: the outer object did not parse, so a nested one was the answer.
    ('{\n  // final\n  "d": "40 mm",\n  "spec": {"d": "25 mm"}\n}', None),
    ('{"d": "40 mm", "spec": {"d": "25 mm"},}', None),
    ("{'d': '40 mm', 'spec': {\"d\": \"25 mm\"}}", None),
    ('{"d": "1"}\n{"d": "40 mm", "spec": {"d": "25 mm"},}', {"d": "1"}),
    ('{"d": "x {\\"d\\": 9}"}', {"d": 'x {"d": 9}'}),
    # Lines are read outside every {...}, so a broken object's lines are no answer either.
    ("Material: steel {see note}\nd = 25 mm", {"material": "steel", "d": "25 mm"}),
    ('{\n  d: 40 mm,\n}\nnotes: x', {"notes": "x"}),
])
def test_the_last_top_level_object_is_the_answer(text, fields):
    assert parse_answer(text) == fields


@pytest.mark.parametrize("text", [
    '{"diameter": "40 mm", "Diameter": "25 mm"}',
    '{"diameter": "40 mm", "diameter": "25 mm"}',
    '{"diameter": "40 mm", "dia\u200bmeter": "25 mm"}',
    '{"diameter": "40 mm", " DIAMETER ": "25 mm"}',
    "Diameter: 40 mm\ndiameter: 25 mm",
])
def test_a_field_stated_twice_differently_fails(text):
    """Before: the later key won, so either of two answers could earn the reward."""
    fields = parse_answer(text)
    assert isinstance(fields["diameter"], Conflict)
    rules = RuleSet.model_validate({"rules": [DIAMETER, {"type": "required",
                                                         "fields": ["diameter"]}]})
    result = evaluate(rules, fields)
    assert [v["passed"] for v in result.details["rules"]] == [False, False]
    assert "more than once" in result.details["rules"][0]["reason"]


def test_a_field_stated_twice_alike_is_stated_once():
    assert parse_answer('{"diameter": "25 mm", "Diameter": "25 mm"}') == {"diameter": "25 mm"}


# --- required, regex, ordered -----------------------------------------------------------------

@pytest.mark.parametrize("blank", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u3164", "\u2800",
                                   "\u180e", " \u200b\u2060 ", ["\u200b"], {"a": "\u3164"}])
def test_invisible_text_is_not_present(blank):
    """Before: a zero-width space or a Hangul filler counted as a stated field."""
    rules = RuleSet.model_validate({"rules": [{"type": "required", "fields": ["inspector"]}]})
    assert evaluate(rules, {"inspector": blank}).reward == 0.0


@pytest.mark.parametrize("stated", ["N/A", "-", "é", "李"])
def test_visible_text_is_present(stated):
    """Placeholders count as stated: a rule set that refuses them adds a regex rule."""
    rules = RuleSet.model_validate({"rules": [{"type": "required", "fields": ["inspector"]}]})
    assert evaluate(rules, {"inspector": stated}).reward == 1.0


@pytest.mark.parametrize(("pattern", "value", "passed"), [
    (r"^PN-\d{4}$", "PN-1234", True),
    (r"^PN-\d{4}$", "PN-1234\n", False),  # before: $ matched before the final newline
    (r"^PN-\d{4}$", "PN-١٢٣٤", False),  # before: \d matched any script's digits
    (r"^PN-\d{4}$", "PN-１２３４", False),
    (r"^PN-\d{4}\Z", "PN-1234\n", False),
    (r"cost \$5$", "cost $5", True),
    (r"[$]", "a$b", True),
    (r"(?m)^PN$", "PN\nx", True),
    (r"deburr", "deburr all edges\n", True),
])
def test_regex_is_ascii_with_a_strict_end(pattern, value, passed):
    result = judge({"field": "pn", "type": "regex", "pattern": pattern}, value)
    assert result.passed is passed, result.reason


@pytest.mark.parametrize(("value", "passed"), [
    ("pack, inspect, clean, pack, inspect, clean, pack, inspect, clean", False),
    ("clean, clean, inspect, pack", False),
    ("clean -> deburr -> inspect -> pack", True),
    (["clean", "\u200b", "inspect", "pack"], True),
])
def test_ordered_steps_appear_once_each(value, passed):
    """Before: repeating every step n times held the sequence in any order."""
    rule = {"field": "steps", "type": "ordered", "sequence": ["clean", "inspect", "pack"]}
    assert judge(rule, value).passed is passed
