"""`rewardkit probe`: attacks built from real rows; gameable verifiers are caught, built-ins not.

The built-in verifiers are probed here with rows like their users' data. An attack that earns
reward against a built-in is either fixed or listed in KNOWN_LIMITS (and in docs/probe.md),
so the test pins today's behaviour: a new hole fails it, and so does a fixed one.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rewardkit import Result, Sample, Verifier, hookimpl
from rewardkit.probe import Attack, AttackFamily, families, probe

MATH_ROWS = [{"prompt": "What is 3 + 4? Put the final answer in \\boxed{}.", "answer": "7"},
             {"prompt": "Simplify 10/4.", "answer": "\\frac{5}{2}"}]
TEXT_ROWS = [{"prompt": "What is the capital of France?", "answer": "Paris"},
             {"prompt": "Is 7 prime? Answer yes or no.", "answer": "yes"}]
RULES_ROWS = [{
    "prompt": "Give the order as JSON with sku and quantity.",
    "completion": '{"sku": "AB-12", "quantity": 5}',
    "reference": {"rules": [
        {"type": "required", "fields": ["sku", "quantity"]},
        {"field": "sku", "type": "regex", "pattern": "^[A-Z]{2}-\\d+$"},
        {"field": "quantity", "type": "quantity", "min": 1, "max": 10,
         "unit": "dimensionless"},
    ]},
}]
CODE_ROWS = [
    {"prompt": "Write add(a, b).", "reference": {"tests": "assert add(1, 2) == 3\n"
                                                           "assert add(-1, 1) == 0"}},
    {"prompt": "Read two numbers and print their sum.",
     "reference": {"cases": [{"stdin": "1 2\n", "stdout": "3\n"},
                             {"stdin": "5 5\n", "stdout": "10\n"}]}},
    {"prompt": "Read two numbers and print their product (an APPS row).",
     "reference": {"input_output": json.dumps({"inputs": ["2 3\n"], "outputs": ["6\n"]})}},
]

#: (verifier, options, rows, attacks that earn reward today). Add a verifier here to probe it
#: in the suite (the shaping verifiers go here once they are merged).
PROBED: list[tuple[str, dict[str, object], list[dict[str, object]], set[str]]] = [
    ("exact_match", {}, MATH_ROWS + TEXT_ROWS, set()),
    ("math", {"preset": "strict"}, MATH_ROWS, set()),
    ("math", {}, MATH_ROWS[:1], {
        "answer_spraying/either", "format/duplicated_answer", "format/unclosed_think",
        "generic/control_characters"}),
    ("rules", {}, RULES_ROWS, set()),
    ("format", {}, MATH_ROWS, set()),
    ("length", {}, MATH_ROWS, set()),
    ("repetition", {}, MATH_ROWS, set()),
]

#: Why each attack above earns reward (docs/probe.md lists the same).
KNOWN_LIMITS = {
    "format/duplicated_answer": "lenient math reads the last <answer> tag; earlier tags "
                                "holding other answers are a hedge only under strict",
    "answer_spraying/either": "lenient math (evaluation) takes the first candidate",
    "format/unclosed_think": "lenient math reads answers inside <think>",
    "generic/control_characters": "lenient math reads the text after a carriage return",
}


@pytest.fixture(scope="module")
def warm_math():
    """Parse once in this process: the workers forked later start with sympy warm."""
    from rewardkit.verifiers.math import MathVerifier

    MathVerifier().verify(Sample(completion="\\boxed{\\sqrt{2}/2}", reference="1/\\sqrt{2}"))


@pytest.mark.parametrize(("verifier", "options", "rows", "earning"), PROBED,
                         ids=[f"{v}-{o.get('preset', 'default')}" for v, o, _, _ in PROBED])
def test_builtin_verifiers_under_probe(warm_math, probe_verifier, verifier, options, rows,
                                       earning):
    report = probe_verifier(verifier, rows, **options)
    assert set(report.earning_attacks) == earning, report.table()
    assert earning <= set(KNOWN_LIMITS)
    assert report.outcomes and all(o.result.status.value in ("ok", "error", "timeout", "skipped")
                                   for o in report.outcomes)


def test_the_code_verifier_under_probe(probe_verifier):
    """Early exits, raising functions, always-equal objects and tampered assertions: none
    passes, because the tests run in their own sandbox and only plain data crosses."""
    report = probe_verifier("code", CODE_ROWS, only=["code"], time_limit=3.0)
    names = {o.attack for o in report.outcomes}
    assert {o.row for o in report.outcomes} == {1, 2, 3}  # rows count from 1: the APPS one too
    assert {"exit_zero", "functions_raise", "always_equal_result",
            "tamper_with_assertions"} <= names
    assert report.passed, report.table()


class Contains(Verifier):
    """Gameable on purpose: 1.0 when the reference occurs anywhere in the completion."""

    name = "contains_gameable"
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result(reward=float(str(sample.reference) in sample.completion_text))


class GameablePlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Contains)


def test_a_gameable_verifier_is_caught(register_plugin, probe_verifier):
    register_plugin(GameablePlugin())
    report = probe_verifier("contains_gameable", TEXT_ROWS)
    assert not report.passed
    assert {"answer_spraying/many_candidates", "answer_spraying/or",
            "generic/reference_in_1mb"} <= set(report.earning_attacks)
    families_table = report.table()
    assert "FAILED" in families_table and "answer_spraying" in families_table
    worst = next(r for r in report.by_family() if r.family == "answer_spraying").worst
    assert worst and worst[0].reward == 1.0


def test_the_threshold_decides_what_earns(register_plugin, probe_verifier):
    register_plugin(GameablePlugin())
    assert probe_verifier("contains_gameable", TEXT_ROWS[:1], threshold=1.0).passed


GAMEABLE_MODULE = '''
from rewardkit import Result, Verifier, hookimpl


class Contains(Verifier):
    name = "contains"
    inline = True

    def verify(self, sample):
        return Result(reward=float(str(sample.reference) in sample.completion_text))


@hookimpl
def register_verifiers(register):
    register(Contains)
'''


@pytest.fixture(scope="module")
def gameable_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gameable")
    (folder / "contains.py").write_text(GAMEABLE_MODULE)
    (folder / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in TEXT_ROWS))
    return folder


def test_the_cli_exits_non_zero_and_names_the_attack(gameable_dir):
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "probe", "contains",
                           "--data", str(gameable_dir / "rows.jsonl"), "--family",
                           "answer_spraying", "--plugins-dir", str(gameable_dir)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "answer_spraying/many_candidates (row 1) reward=1" in proc.stdout
    assert "probe of 'contains' FAILED" in proc.stdout
    assert "attacks earning reward: answer_spraying/" in proc.stderr


def test_the_cli_passes_a_sound_verifier_with_json_output(gameable_dir):
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "probe", "exact_match",
                           "--data", str(gameable_dir / "rows.jsonl"), "--json",
                           "--family", "answer_spraying", "--family", "format"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["passed"] and report["earned"] == []
    assert {f["family"] for f in report["families"]} == {"answer_spraying", "format"}


def test_an_unknown_family_is_refused(probe_verifier):
    with pytest.raises(ValueError, match="unknown attack family nosuch"):
        probe_verifier("exact_match", TEXT_ROWS, only=["nosuch"])


def test_attacks_are_built_from_the_rows():
    """Each attack uses the row's prompt and reference, and never is the reference itself."""
    sample = Sample(prompt="The answer to 6*7 is one of 41 or 42?", completion="",
                    reference="42")
    built = {f.name: list(f.build(sample)) for f in families()}
    echo = [a for a in built["generic"] if a.name.startswith("prompt_echo")]
    assert echo == [Attack("prompt_echo_with_reference", sample.prompt)]
    spraying = {a.name: a.completion for a in built["answer_spraying"]}
    assert "42" in spraying["or"] and "43" in spraying["or"]
    assert all(a.completion != "42" for attacks in built.values() for a in attacks)
    assert next(a for a in built["generic"] if a.name == "nested_braces_1mb").completion \
        .count("{") == 1 << 19


class UnitFamilyPlugin:
    @hookimpl
    def register_probes(self, register):  # type: ignore[no-untyped-def]
        def build(sample):  # type: ignore[no-untyped-def]
            yield Attack("shout", str(sample.reference).upper() + "!!!")

        register(AttackFamily("shouting", build, "the reference in capitals"))


def test_plugins_add_families_through_register_probes(register_plugin, plugin_manager,
                                                      probe_verifier):
    register_plugin(UnitFamilyPlugin(), name="shouting-plugin")
    assert "shouting" in [f.name for f in families(plugin_manager)]
    report = probe_verifier("exact_match", TEXT_ROWS, only=["shouting"], ignore_case=True)
    assert [o.attack for o in report.outcomes] == ["shout", "shout"]
    assert report.passed  # "PARIS!!!" is not "Paris", even ignoring case


def test_a_family_name_taken_twice_is_an_error(register_plugin, plugin_manager):
    class Twice:
        @hookimpl
        def register_probes(self, register):  # type: ignore[no-untyped-def]
            register(AttackFamily("generic", lambda sample: []))

    register_plugin(Twice(), name="twice")
    with pytest.raises(ValueError, match="generic"):
        families(plugin_manager)


def test_a_failing_register_probes_is_recorded_not_fatal(register_plugin, plugin_manager):
    class Broken:
        @hookimpl
        def register_probes(self, register):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    register_plugin(Broken(), name="broken-probes")
    assert "generic" in [f.name for f in families(plugin_manager)]
    assert any(f.plugin == "broken-probes" and "boom" in f.error
               for f in plugin_manager.failures)


def test_probe_needs_rows():
    with pytest.raises(ValueError, match="at least one row"):
        probe("exact_match", [])
