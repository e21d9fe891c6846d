"""The `rewardkit` command, run as a user runs it: a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RK = [sys.executable, "-m", "rewardkit"]
HERE = Path(__file__).parent
ROOT = HERE.parent

# A plugin module found through --plugins-dir would be issue 5; here a dist-info does it.
SLOW_PLUGIN = '''
import time
from rewardkit import Verifier, hookimpl

class Sleepy(Verifier):
    name = "sleepy"
    def verify(self, sample):
        if sample.completion_text == "hang":
            time.sleep(600)
        return 1.0

@hookimpl
def register_verifiers(register):
    register(Sleepy)
'''


def run(*args: str, input: str | None = None, env: dict | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*RK, *args], input=input, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_verifiers_json_lists_builtins_with_plugin():
    rows = json.loads(run("verifiers", "--json").stdout)
    by_name = {row["name"]: row for row in rows}
    assert by_name["exact_match"]["plugin"] == "exact_match"
    assert by_name["exact_match"]["distribution"] == "rewardkit"


def test_verifiers_reports_broken_plugin(tmp_path):
    from test_plugins import install_fake_distribution

    install_fake_distribution(tmp_path, "rewardkit-broken",
                              {"rk_broken": "raise RuntimeError('x')"}, {"broken": "rk_broken"})
    proc = run("verifiers", env={"PYTHONPATH": str(tmp_path)})
    assert "exact_match" in proc.stdout
    assert "plugin broken (rewardkit-broken) failed to load: RuntimeError: x" in proc.stderr


def test_verify_text_and_json():
    proc = run("verify", "exact_match", "--completion", " PARIS ", "--reference", "paris",
               "--option", "ignore_case=true")
    assert proc.stdout.startswith("ok  reward=1")
    result = json.loads(run("verify", "exact_match", "--completion", "1.5", "--reference",
                            "1.50", "--json").stdout)
    assert result["status"] == "ok" and result["reward"] == 0.0  # "1.50" stays text


def test_verify_bad_option_and_unknown_verifier_fail_clearly():
    proc = run("verify", "exact_match", "--completion", "a", "--option", "nope=1", check=False)
    assert proc.returncode == 1 and "nope" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("verify", "exakt_match", "--completion", "a", check=False)
    assert proc.returncode == 1 and "did you mean 'exact_match'" in proc.stderr
    proc = run("verify", "exact_match", "--completion", "a", "--option", "novalue", check=False)
    assert proc.returncode == 2 and "KEY=VALUE" in proc.stderr


def test_score_file_in_order_with_summary_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"completion": "a", "answer": "a"}),
        "{not json",
        "",
        json.dumps({"completion": "b", "answer": "a"}),
        json.dumps({"answer": "no completion"}),
        json.dumps({"completion": "c", "answer": "c", "id": 9}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    proc = run("score", str(source), "--verifier", "exact_match:2", "-o", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["line"] for row in rows] == [1, 4, 6]
    assert [row["reward"] for row in rows] == [2.0, 0.0, 2.0]
    result = rows[0]["results"][0]
    assert set(result) == {"verifier", "reward", "status", "reason", "seconds"}
    assert "line 2: invalid JSON" in proc.stderr
    assert "line 5: invalid sample: completion: Field required" in proc.stderr
    assert "2 malformed line(s) skipped" in proc.stderr
    summary = proc.stderr.splitlines()
    header = next(line for line in summary if line.startswith("verifier"))
    assert header.split() == ["verifier", "count", "mean", "ok", "error", "timeout", "skipped",
                              "p50", "s", "p95", "s"]
    row = next(line for line in summary if line.startswith("exact_match")).split()
    assert row[1:3] == ["3", "0.667"]


def test_score_strict_stops_on_bad_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"completion": "a", "answer": "a"}\n[1, 2]\n')
    proc = run("score", str(source), "-v", "exact_match", "--strict", check=False)
    assert proc.returncode == 1
    assert "line 2: invalid sample" in proc.stderr


def test_score_stdin_routes_and_config(tmp_path):
    config = tmp_path / "rk.yaml"
    config.write_text("route_by: task\nverifiers:\n  - exact_match\n"
                      "  - {name: exact_match, label: loose, options: {ignore_case: true}}\n")
    data = "\n".join(json.dumps(row) for row in [
        {"completion": "A", "answer": "a", "task": "exact_match"},
        {"completion": "A", "answer": "a", "task": "loose"},
        {"completion": "A", "answer": "a", "task": "poetry"},
    ])
    proc = run("score", "-", "--config", str(config), "-q", input=data)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [row["reward"] for row in rows] == [0.0, 1.0, 0.0]
    assert rows[2]["results"][0]["status"] == "error"
    assert proc.stderr == ""


def test_score_timeout_and_workers_flags(tmp_path):
    from test_plugins import install_fake_distribution

    install_fake_distribution(tmp_path, "rewardkit-sleepy", {"rk_sleepy": SLOW_PLUGIN},
                              {"sleepy": "rk_sleepy"})
    data = "\n".join(json.dumps({"completion": c}) for c in ["ok", "hang", "ok"])
    proc = run("score", "-", "-v", "sleepy", "--timeout", "1", "--workers", "2", input=data,
               env={"PYTHONPATH": str(tmp_path)})
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [row["results"][0]["status"] for row in rows] == ["ok", "timeout", "ok"]
    row = next(line for line in proc.stderr.splitlines() if line.startswith("sleepy"))
    assert row.split()[3:7] == ["2", "0", "1", "0"]


@pytest.mark.parametrize("args, message", [
    (["score", "missing.jsonl", "-v", "exact_match"], "cannot read missing.jsonl"),
    (["score", "-", "-v", "exact_match:heavy"], "weight after ':' must be a number"),
    (["score", "-", "-v", "exact_match", "--require", "company-rules"],
     "required plugins are missing: company-rules"),
    (["score", "-"], "no verifiers configured"),
])
def test_score_usage_errors(args, message):
    proc = run(*args, input="", check=False)
    assert proc.returncode != 0
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_console_script_installed():
    script = Path(sys.executable).parent / "rewardkit"
    assert subprocess.run([str(script), "--version"], capture_output=True, text=True,
                          check=True).stdout.startswith("rewardkit, version")


def test_plugins_dir_option(tmp_path):
    from test_plugins import GOOD

    (tmp_path / "shout.py").write_text(GOOD)
    listed = run("verifiers", "--plugins-dir", str(tmp_path)).stdout
    assert f"shout  [shout from {tmp_path / 'shout.py'}]" in listed
    assert run("verify", "shout", "--completion", "HEY", "--plugins-dir",
               str(tmp_path)).stdout.startswith("ok  reward=1")
    proc = run("score", "-", "-v", "shout", "--plugins-dir", str(tmp_path), "-q",
               input='{"completion": "HEY"}\n{"completion": "hey"}\n')
    assert [json.loads(line)["reward"] for line in proc.stdout.splitlines()] == [1.0, 0.0]
    proc = run("verifiers", "--plugins-dir", str(tmp_path / "nope"), check=False)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
