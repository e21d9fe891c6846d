"""The manufacturing verifiers, found through their installed entry point (not imported)."""

import json

import pytest


def test_discovered_through_the_entry_point(plugin_manager):
    for name in ("iso286_fit", "torque_spec", "surface_roughness", "inspection_plan"):
        info = plugin_manager.get_verifier(name)
        assert (info.plugin, info.distribution) == ("manufacturing", "rewardkit-manufacturing")


@pytest.mark.parametrize(("fit", "answer", "reward"), [
    ("25H7", "The hole limits are 25.000 mm to 25.021 mm.", 1.0),
    ("25H7", "Limits: 25.000 / 25.021", 1.0),
    ("25H7", "Limits: 25.000 mm to 25.025 mm", 0.0),
    ("25H7", "Limits: 0.98425 in to 0.98508 in", 1.0),  # 25.0000 and 25.0210 mm
    # Before: one size inside the limits was full marks, and the nominal size is inside H.
    ("25H7", "Measured bore: 25.012 mm", 0.0),
    ("25H7", "The limits of size are: 25 mm", 0.0),
    ("40h6", "Answer: 40 mm", 0.0),
    ("25H7", "Hole 25H7: limits 25.000 mm to 25.021 mm", 1.0),  # "H7" is no size
    ("25g6", "Shaft: 24.980 to 24.993 mm", 1.0),
    ("25k6", "25.002 - 25.015 mm", 1.0),
    ("25K7", "24.985 to 25.006 mm", 1.0),
    ("60K6", "59.985 to 60.004", 1.0),
    ("100N7", "99.955 to 99.990 mm", 1.0),
    ("40F8", "40.025 to 40.064 mm", 1.0),
    ({"fit": "10h9"}, "9.964 to 10.000 mm", 1.0),
    ("25H7", "I am not sure.", 0.0),
])
def test_iso286_fit(score_sample, fit, answer, reward):
    result = score_sample("iso286_fit", answer, reference=fit)
    assert result.status == "ok" and result.reward == reward, result.reason


@pytest.mark.parametrize("fit", ["25Z7", "700H7", "25H14", "nonsense"])
def test_iso286_unsupported_reference_is_an_error(score_sample, fit):
    result = score_sample("iso286_fit", "25.000 to 25.021 mm", reference=fit)
    assert result.status == "error" and result.reward == 0.0


@pytest.mark.parametrize(("answer", "reward"), [
    ("Tighten to 25 N·m.", 1.0),
    ("Tighten to 26.5 Nm", 1.0),
    ("Torque: 18.4 ft-lb", 1.0),  # 24.95 N·m
    ("Torque: 221 in-lb", 1.0),  # 24.97 N·m
    ("Torque: 30 N*m", 0.0),
    ("Torque: 15 lbf*ft", 0.0),  # 20.3 N·m
    ("Tighten firmly.", 0.0),
    ("Torque: 25 N·m (18.4 lbf·ft)", 1.0),  # one value, in two units
    ("Torque for the M8 bolts: 25 N·m", 1.0),  # "M8" is no torque
    ("The spec is 25 N·m ± 10 %, so I went with 40.\nTorque: 25", 1.0),
    # Before: the last number of the final line was judged, not the stated value.
    ("Final torque: 40 N·m (spec is 25 N·m)", 0.0),
    ("Torque: 25 N·m or 40 N·m", 0.0),
    ("Final torque: 40\n(spec is 25 N·m)", 0.0),
    ("Torque: ٢٥ N·m", 0.0),  # not digits a consumer parses
])
def test_torque_spec(score_sample, answer, reward):
    result = score_sample("torque_spec", answer,
                          reference={"nominal": "25 N*m", "tolerance_pct": 10})
    assert result.status == "ok" and result.reward == reward, result.reason


def test_a_number_past_a_floats_range_is_no_torque(score_sample):
    """Before: "1e999" was infinity, inside every range with no maximum."""
    for answer in ("Torque: 1e999 N*m", "Torque: 99e9999 N·m"):
        result = score_sample("torque_spec", answer, reference={"min": "20 N*m"})
        assert result.status == "ok" and result.reward == 0.0, result.reason
    assert score_sample("torque_spec", "Torque: 1e9 N*m", reference={"min": "20 N*m"}).reward == 1


@pytest.mark.parametrize(("answer", "reward"), [
    ("Finish: Ra 0.8 µm", 1.0), ("Ra = 1.6 um", 1.0), ("Ra 32 µin", 1.0),
    ("Ra 3.2 µm", 0.0), ("Ra 125 microinch", 0.0), ("smooth", 0.0),
    # Before: the last number after the last "Ra" (of "Rated" too) was judged.
    ("Measured Ra = 6.3 µm, which exceeds the 1.6 µm limit.", 0.0),
    ("Ra 6.3 um. Rated finish per drawing: 0.8", 0.0),
    # Before: a max-only spec passed a negative roughness.
    ("Ra = -5 um", 0.0),
])
def test_surface_roughness(score_sample, answer, reward):
    result = score_sample("surface_roughness", answer, reference={"max": "1.6 um"})
    assert result.status == "ok" and result.reward == reward, result.reason


def test_a_negative_torque_is_below_a_max_only_spec(score_sample):
    result = score_sample("torque_spec", "Torque: -100 N*m", reference={"max": "30 N*m"})
    assert result.status == "ok" and result.reward == 0.0, result.reason


def test_bad_range_reference_is_an_error(score_sample):
    assert score_sample("torque_spec", "25 N*m", reference={"colour": "red"}).status == "error"
    assert score_sample("torque_spec", "25 N*m", reference={}).status == "error"


PLAN = """Inspection plan:
```json
{"part_number": "BRK-1042", "characteristic": "bore diameter 25H7", "gauge": "bore gauge",
 "sample_size": 5, "frequency": "every 50 parts", "steps": ["measure", "record", "disposition"]}
```"""


def test_inspection_plan(score_sample):
    assert score_sample("inspection_plan", PLAN).reward == 1.0
    partial = score_sample("inspection_plan", PLAN.replace('"bore gauge"', '"eyeball"'))
    assert partial.reward == pytest.approx(0.8)
    failed = [v for v in partial.details["rules"] if not v["passed"]]
    assert [v["field"] for v in failed] == ["gauge"]
    extra = {"rules": [{"field": "characteristic", "type": "regex", "pattern": "H7"}]}
    assert score_sample("inspection_plan", PLAN, reference=extra).reward == 1.0
    assert score_sample("inspection_plan", "Check some parts sometimes.").reward == 0.0


def test_inspection_plan_reads_references_from_data_sets(score_sample):
    """Before: a JSON-text reference's rules were ignored, a null-padded one was an error."""
    extra = {"rules": [{"field": "gauge", "type": "enum", "allowed": ["CMM"]}]}
    padded = {"rules": [{**extra["rules"][0], "pattern": None, "fields": None}]}
    for reference in (extra, json.dumps(extra), padded, json.dumps(padded)):
        result = score_sample("inspection_plan", PLAN, reference=reference)
        assert result.status == "ok" and result.reward == pytest.approx(5 / 6), result.reason


@pytest.mark.parametrize(("field", "value"), [
    ("part_number", "\u200b"), ("characteristic", "\u2060\ufeff"), ("sample_size", 2.5),
    ("sample_size", "50000 percent"), ("sample_size", "1 pi"), ("sample_size", True),
])
def test_inspection_plan_refuses_blank_and_odd_values(score_sample, field, value):
    plan = json.loads(PLAN.split("```json")[1].split("```")[0])
    result = score_sample("inspection_plan", json.dumps({**plan, field: value}))
    assert result.reward == pytest.approx(0.8), result.reason


# rewardkit.testing's probe_verifier: the plugin attacks its own verifiers, with its own
# attack families (unit confusion, tolerance-band edges) among the built-in ones.
PROBE_ROWS = {
    "torque_spec": [{"prompt": "Tightening torque for the M8 flange bolts?",
                     "reference": {"nominal": "25 N*m", "tolerance_pct": 10}}],
    "surface_roughness": [{"prompt": "Finish for the bearing seat?",
                           "reference": {"max": "1.6 um"}}],
    "iso286_fit": [{"prompt": "Limits of size for a 25H7 bore?", "reference": "25H7"}],
}


@pytest.fixture(scope="module")
def warm_units():
    """Build pint's unit registry here: the workers forked later start with it."""
    from rewardkit_manufacturing.quantities import registry

    registry()


@pytest.mark.parametrize("verifier", sorted(PROBE_ROWS))
def test_attacks_earn_nothing(warm_units, probe_verifier, verifier):
    # A megabyte of numbers is more than pint reads within a second: the deadline ends it
    # (a timeout earns nothing), which keeps this test short.
    report = probe_verifier(verifier, PROBE_ROWS[verifier], timeout=1.0,
                            only=["unit_confusion", "tolerance_band_edges", "answer_spraying",
                                  "generic"])
    own = {o.family for o in report.outcomes}
    assert {"unit_confusion", "tolerance_band_edges"} <= own
    assert report.passed, report.table()
