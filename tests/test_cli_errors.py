"""A mistake in a config, a rule set or an input line stops `rewardkit` with one clear line."""

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from rewardkit import Sample
from rewardkit.errors import one_line


def rk(*args: str, cwd: Path | None = None, input: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rewardkit", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=120)


def _config(folder: Path, rules: str | None) -> Path:
    folder.mkdir()
    (folder / "rk.yaml").write_text(
        "verifiers:\n  - {name: rules, label: po_rules, options: {rules_file: po.yaml}}\n")
    if rules is not None:
        (folder / "po.yaml").write_text(rules)
    return folder / "rk.yaml"


@pytest.mark.parametrize("rules, message", [
    (None, "verifier 'po_rules': rule set {folder}/po.yaml: cannot read: "
           "No such file or directory"),
    ("rules:\n  - {type: quantiy, field: w, unit: kg, max: 5}\n",
     "verifier 'po_rules': rule set {folder}/po.yaml: rules.0: unknown 'type' 'quantiy' "
     "(expected one of 'quantity', 'enum', 'regex', 'required', 'ordered')"),
])
def test_rules_file_problems_are_one_line_naming_config_and_label(tmp_path, rules, message):
    """Before: a 40-line traceback, and a relative rules_file was read from the working
    directory rather than beside the config."""
    config = _config(tmp_path / "conf", rules)
    proc = rk("score", "-", "-c", str(config), cwd=tmp_path)
    assert proc.returncode == 1
    folder = config.parent
    assert proc.stderr == f"Error: {config}: {message.format(folder=folder)}\n"


def test_a_relative_rules_file_is_read_beside_the_config(tmp_path):
    config = _config(tmp_path / "conf", "rules:\n  - {type: enum, field: c, allowed: [red]}\n")
    proc = rk("score", "-", "-c", str(config), "-q", cwd=tmp_path,
              input='{"completion": "c: red"}\n')
    assert proc.returncode == 0, proc.stderr
    assert '"reward": 1.0' in proc.stdout


def test_bad_option_has_no_pydantic_noise():
    """Before: "1 validation error for RulesOptions", the input echoed and a pydantic URL."""
    proc = rk("verify", "rules", "--completion", "x", "--option", 'rules={"rules": []}')
    assert proc.returncode == 1
    assert proc.stderr == ("Error: verifier 'rules': rules.rules: List should have at least "
                           "1 item after validation, not 0\n")


def test_input_line_errors_name_one_line_number_and_say_what_was_expected(tmp_path):
    """Before: `line 2: invalid JSON: ... line 1 column 30 (char 29)` (two line numbers) and
    `completion.str: ...; completion.list[dict[str,any]]: ...` for a numeric completion."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"completion": "a", "answer": "a"}\n{"completion": "a", "answer":\n'
                      '{"completion": 5, "answer": "a"}\n')
    proc = rk("score", str(source), "-v", "exact_match")
    assert "skipped line 2: invalid JSON at column 31: Expecting value\n" in proc.stderr
    assert ("skipped line 3: invalid sample: completion: got int 5, expected a valid string "
            "or a valid list\n") in proc.stderr


def test_lines_nested_too_deep_are_skipped_and_the_rest_scored(tmp_path):
    """Valid JSON nested 3,000 deep (a few KB, from a data set): before, looking for the
    ``--keep`` column raised a RecursionError traceback before any line was scored."""
    deep = "[" * 3000 + "]" * 3000
    source = tmp_path / "in.jsonl"
    source.write_text(f'{{"completion": "a", "answer": "a", "id": 1}}\n'
                      f'{{"completion": "a", "answer": "a", "id": 2, "x": {deep}}}\n'
                      f'{{"completion": "a", "answer": "a", "id": 3}}\n')
    proc = rk("score", str(source), "-v", "exact_match", "--keep", "id")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "skipped line 2" in proc.stderr
    assert [line.count('"id"') for line in proc.stdout.splitlines()] == [1, 1]


def test_a_file_that_is_not_utf8_is_one_line_naming_it(tmp_path):
    """Before: a config that was not UTF-8 ended `score` with a traceback; probe and audit
    printed the codec's message without saying which file."""
    latin1 = "# café\n".encode("latin-1")
    config = tmp_path / "rk.yaml"
    config.write_bytes(b"verifiers: [exact_match]\n" + latin1)
    rules = _config(tmp_path / "conf", None).parent / "po.yaml"
    rules.write_bytes(b"rules: []\n" + latin1)
    data = tmp_path / "rows.jsonl"
    data.write_bytes(b'{"completion": "1", "reference": "1"}\n' + latin1)
    scored = tmp_path / "scored.jsonl"
    scored.write_bytes(latin1)
    for args, message in [
        (("score", "-", "-c", str(config)), f"config {config} is not UTF-8 text (byte 30)"),
        (("score", "-", "-c", str(rules.parent / "rk.yaml")),
         f"verifier 'po_rules': rule set {rules}: not UTF-8 text (byte 15)"),
        (("probe", "exact_match", "-d", str(data)), f"{data}: not UTF-8 text (byte 43)"),
        (("audit", str(scored), "--against", "exact_match"),
         f"{scored}: not UTF-8 text (byte 5)"),
    ]:
        proc = rk(*args, cwd=tmp_path)
        assert proc.returncode == 1, args
        assert "Traceback" not in proc.stderr
        assert message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_one_line_of_a_validation_error():
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"completion": "a", "extra": 1, "metadata": 3})
    text = one_line(caught.value)
    assert "\n" not in text and "pydantic.dev" not in text and "validation error" not in text
    assert text == ("metadata: Input should be a valid dictionary; "
                    "extra: Extra inputs are not permitted")


def test_verifiers_lists_options_with_types_and_defaults():
    """Before: `rewardkit verifiers` showed names only and --json left the options out."""
    text = rk("verifiers").stdout
    block = text[text.index("exact_match  ["):]
    assert "    options (--option NAME=VALUE):\n      ignore_case: bool = false\n" in block
    assert '      whitespace: "collapse" | "strip" | "ignore" | "exact" = "collapse"' in block
    import json

    rows = {row["name"]: row for row in json.loads(rk("verifiers", "--json").stdout)}
    assert rows["rules"]["options"]["properties"]["missing_answer"]["default"] == "zero"


def test_readme_lists_every_command_and_the_venv():
    """Before: the README left out `serve` and `patterns`, and never said how to reach the
    venv's `rewardkit`."""
    import click

    from rewardkit.cli import cli

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for name, command in cli.commands.items():
        names = [f"{name} {sub}" for sub in command.commands] \
            if isinstance(command, click.Group) else [name]
        for full in names:
            assert f"`rewardkit {full}" in readme, full
    assert "source .venv/bin/activate" in readme and ".venv/bin/rewardkit" in readme


def test_the_shadowing_clone_folder_the_readme_describes(tmp_path):
    """The README's troubleshooting entry: a folder named `rewardkit` beside a script."""
    (tmp_path / "rewardkit" / "core").mkdir(parents=True)
    proc = subprocess.run([sys.executable, "-c", "from rewardkit import RewardEngine"],
                          cwd=tmp_path, capture_output=True, text=True)
    message = "cannot import name 'RewardEngine' from 'rewardkit' (unknown location)"
    assert message in proc.stderr
    assert message in (Path(__file__).parent.parent / "README.md").read_text()


@pytest.mark.parametrize("verifier, message", [
    ("{name: rules, label: po_rules, options: {rules_file: missing.yaml}}",
     "verifier 'po_rules': rule set {folder}/missing.yaml: cannot read"),
    ("maths", "no verifier named 'maths'"),
])
def test_serve_refuses_to_start_with_a_config_score_rejects(tmp_path, verifier, message):
    """Before: serve started, /readyz said ready, and every request got a 422."""
    config = tmp_path / "bad.yaml"
    config.write_text(f"verifiers:\n  - {verifier}\n")
    proc = rk("serve", "--config", str(config), "--port", "0")
    assert proc.returncode == 1
    assert message.format(folder=tmp_path) in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
