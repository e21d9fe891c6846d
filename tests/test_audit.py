"""`rewardkit audit`: re-score a scored file with another verifier; confusion and disagreements."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rewardkit.cli import cli

SCORED = [
    {"completion": "Paris", "answer": "paris", "reward": 0.0},
    {"completion": "Paris", "answer": "Paris", "reward": 1.0},
    {"completion": "Rome", "answer": "Paris", "reward": 0.0},
    {"completion": "PARIS", "answer": "paris", "reward": 0.0, "reason": "case differs"},
]


def write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_confusion_table_disagreements_and_output(tmp_path):
    scored = write(tmp_path / "scored.jsonl", SCORED)
    out = tmp_path / "disagreements.jsonl"
    result = CliRunner().invoke(cli, ["audit", str(scored), "--against",
                                      "exact_match:ignore_case=true", "-o", str(out),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == ["scored \\ exact_match  pass  fail  unjudged",
                         "pass                     1     0         0",
                         "fail                     2     1         0",
                         "unjudged                 0     0         0"]
    assert "4 pairs: disagreement rate 50.00% (2), unparseable rate 0.00% (0)" in result.output
    assert "line 4: scored 0 (case differs), exact_match 1 (exact match)" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["line"] for row in rows] == [1, 4]
    assert rows[1]["primary"]["reason"] == "case differs" and rows[1]["shadow"]["reward"] == 1


def test_max_disagreement_fails_the_run(tmp_path):
    scored = write(tmp_path / "scored.jsonl", SCORED)
    result = CliRunner().invoke(cli, ["audit", str(scored), "--against",
                                      'exact_match:{"ignore_case": true}',
                                      "--max-disagreement", "0.25", "--workers", "1"])
    assert result.exit_code == 1
    assert "disagreement rate 50.00% is above --max-disagreement 0.25" in result.output


def test_the_output_of_score_joined_to_its_input(tmp_path):
    data = write(tmp_path / "in.jsonl", [{k: v for k, v in row.items() if k != "reward"}
                                         for row in SCORED])
    scored = tmp_path / "scored.jsonl"
    runner = CliRunner()
    done = runner.invoke(cli, ["score", str(data), "-v", "exact_match", "-o", str(scored),
                               "--workers", "1", "-q"])
    assert done.exit_code == 0, done.output
    result = runner.invoke(cli, ["audit", str(scored), "--input", str(data), "--against",
                                 "exact_match:ignore_case=true", "--verifier", "exact_match",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "disagreement rate 50.00% (2)" in result.output


def test_a_line_without_a_verdict_is_named(tmp_path):
    scored = write(tmp_path / "scored.jsonl", [SCORED[0], {"completion": "x"}])
    result = CliRunner().invoke(cli, ["audit", str(scored), "--against", "exact_match"])
    assert result.exit_code == 1
    assert "line 2: a scored line needs a 'reward' or a 'results' list" in result.output
