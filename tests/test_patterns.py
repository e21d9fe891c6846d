"""The built-in pattern classifier, a custom one ahead of it, and `rewardkit patterns report`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rewardkit import Result, Sample, hookimpl
from rewardkit.cli import cli
from rewardkit.verifiers.patterns import classify


@pytest.mark.parametrize(("text", "label"), [
    ("#### 42", "direct"),
    ("The answer is 7.", "direct"),
    ("\\boxed{3}", "direct"),
    ("Step 1: 3 + 4 = 7\nStep 2: 7 * 2 = 14\nThe answer is 14", "step_by_step"),
    ("First, 12 apples minus 5 is 7.\nThen 7 plus 3 is 10.\n#### 10", "step_by_step"),
    ("```python\nprint(3 * 7)\n```\nThe answer is 21", "code_assisted"),
    ("x = 5 so y = 10. Let me verify: 2 * 5 = 10. Correct.\n#### 10", "self_verification"),
    ("12 * 3 = 38. Wait, that's wrong: 12 * 3 = 36.\n#### 36", "self_verification"),
    ("Case 1: n is even, so n^2 is even.\nCase 2: n is odd.\n#### 2", "case_analysis"),
    ("If n is even the sum is 0, otherwise 1. \\boxed{1}", "case_analysis"),
    ("", None),
    ("I don't know.", None),
    (" ".join(["word"] * 40), None),
])
def test_builtin_labels(text, label):
    assert classify(text) == label


def test_the_builtin_is_installed_and_asked_last(plugin_manager, register_plugin):
    sample, result = Sample(completion="#### 4"), Result(reward=1.0)
    assert plugin_manager.classify_pattern(sample, result) == "direct"

    class Mine:
        @hookimpl
        def classify_pattern(self, sample, result):  # type: ignore[no-untyped-def]
            return "mine" if "4" in sample.completion_text else None

    register_plugin(Mine())
    assert plugin_manager.classify_pattern(sample, result) == "mine"
    chat = Sample(completion=[{"role": "assistant", "content": "Step 1: a\nStep 2: b"}])
    assert plugin_manager.classify_pattern(chat, result) == "step_by_step"


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_report_from_metrics_log(tmp_path):
    write_jsonl(tmp_path / "rewardkit_metrics.jsonl", [
        {"step": 1, "patterns/direct/share": 0.75, "patterns/direct/success": 0.25,
         "patterns/step_by_step/share": 0.25, "patterns/step_by_step/success": 0.9},
        {"step": 2, "patterns/direct/share": 0.25, "patterns/direct/success": 0.3,
         "patterns/step_by_step/share": 0.75, "patterns/step_by_step/success": 0.9,
         "loss": 1.0},
    ])
    out = CliRunner().invoke(cli, ["patterns", "report", str(tmp_path)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].split()[:3] == ["pattern", "share", "first"]
    assert lines[1].split() == ["direct", "75%", "25%", "25%", "30%", "1-2"]
    assert lines[2].split() == ["step_by_step", "25%", "75%", "90%", "90%", "1-2"]
    assert (tmp_path / "patterns_report.png").stat().st_size > 1000


def test_report_from_trainer_state_and_errors(tmp_path):
    checkpoint = tmp_path / "checkpoint-2"
    checkpoint.mkdir()
    (checkpoint / "trainer_state.json").write_text(json.dumps({"log_history": [
        {"step": 1, "patterns/other/share": 1.0}, {"step": 2, "patterns/other/share": 1.0}]}))
    png = tmp_path / "fig.png"
    out = CliRunner().invoke(cli, ["patterns", "report", str(tmp_path), "-o", str(png)])
    assert out.exit_code == 0, out.output
    assert "other" in out.output and png.exists()

    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"step": 1, "loss": 0.5}\n')
    out = CliRunner().invoke(cli, ["patterns", "report", str(empty)])
    assert out.exit_code != 0 and "no patterns/<label>/share" in out.output


def test_report_shows_the_split(tmp_path):
    rows = [{"step": step, "patterns/a/share": 1.0, "patterns/selection": sel,
             "patterns/competence": comp, "patterns/interaction": 0.0, "patterns/mix": 0.01}
            for step, sel, comp in [(1, 0.0, 0.0), (2, 0.1, -0.02), (3, 0.25, -0.05)]]
    write_jsonl(tmp_path / "rewardkit_metrics.jsonl", rows)
    out = CliRunner().invoke(cli, ["patterns", "report", str(tmp_path)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    start = lines.index("change in success since the start, in points, within strata:")
    assert lines[start + 1].split() == ["step", "change", "selection", "competence",
                                        "interaction", "mix"]
    assert lines[start + 4].split() == ["3", "+21.0", "+25.0", "-5.0", "+0.0", "+1.0"]
    assert (tmp_path / "patterns_report.png").stat().st_size > 1000


def test_report_reads_the_experiments_split(tmp_path):
    split = {"selection": 0.3, "competence": 0.0, "interaction": 0.0, "mix": 0.0,
             "stratified": False}
    (tmp_path / "summary.json").write_text(json.dumps({"history": [
        {"step": 0, "patterns": {"a": {"share": 1.0, "success": 0.5}},
         "split": {**split, "selection": 0.0}},
        {"step": 10, "patterns": {"a": {"share": 1.0, "success": 0.8}}, "split": split}]}))
    out = CliRunner().invoke(cli, ["patterns", "report", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "pooled (no strata)" in out.output
    assert out.output.splitlines()[-2].split() == ["10", "+30.0", "+30.0", "+0.0", "+0.0"]
