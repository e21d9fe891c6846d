"""``rewardkit new-plugin NAME``: a plugin package that installs and passes its tests as made."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from rewardkit import __version__

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

PYPROJECT = Template('''\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "rewardkit verifiers: $name"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["rewardkit>=$rewardkit_version"]

# This line is what makes rewardkit find the plugin once the package is installed.
[project.entry-points.rewardkit]
$name = "$module"
''')

MODULE = Template('''\
"""rewardkit plugin: the `$name` verifier."""

from __future__ import annotations

import re

from rewardkit import Result, Sample, Verifier, VerifierOptions, hookimpl

_ANSWER = re.compile(r"answer(?:\\s+is|\\s*:)\\s*", re.IGNORECASE)


class Options(VerifierOptions):
    """What users may set with `options:` in a config or `--option` on the command line.

    VerifierOptions refuses an option not declared here, so a misspelt one is an error.
    """

    ignore_case: bool = True


def final_answer(text: str) -> str:
    """The answer the completion ends with: its last line, after "answer is" / "answer:".

    Only the final answer counts, so the reference appearing somewhere else (among other
    candidates, or in the question echoed back) earns nothing: `rewardkit probe` checks.
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    anchors = list(_ANSWER.finditer(last))
    if anchors:
        last = last[anchors[-1].end():]
    return last.rstrip(".!").strip()


class $cls(Verifier):
    name = "$name"
    description = "1.0 when the completion's final answer is the reference"
    version = "1"  # bump when verdicts change: cached results of older versions are dropped
    Options = Options

    def verify(self, sample: Sample) -> Result:
        if sample.reference is None:
            return Result.skipped("no reference to compare with")
        options = self.options
        assert isinstance(options, Options)
        answer, wanted = final_answer(sample.completion_text), str(sample.reference).strip()
        if options.ignore_case:
            answer, wanted = answer.casefold(), wanted.casefold()
        if answer == wanted:
            return Result(reward=1.0, reason="final answer matches the reference")
        return Result(reward=0.0, reason="final answer differs from the reference",
                      details={"answer": answer[:200], "wanted": wanted})


@hookimpl
def register_verifiers(register):
    register($cls)
''')

TEST = Template('''\
"""Runs through the installed entry point, as training does (rewardkit.testing fixtures)."""

import pytest


def test_discovered_through_its_entry_point(plugin_manager):
    info = plugin_manager.get_verifier("$name")
    assert info.distribution == "$dist"


def test_found_and_not_found(score_sample):
    assert score_sample("$name", "The answer is 42.", reference="42").reward == 1.0
    result = score_sample("$name", "I do not know.", reference="42")
    assert result.status == "ok" and result.reward == 0.0


def test_options(score_sample):
    assert score_sample("$name", "PARIS", reference="paris").reward == 1.0
    assert score_sample("$name", "PARIS", reference="paris", ignore_case=False).reward == 0.0


def test_no_reference_is_skipped(score_sample):
    assert score_sample("$name", "anything").status == "skipped"


def test_unknown_option_is_refused(score_sample):
    with pytest.raises(ValueError, match="nosuch"):
        score_sample("$name", "anything", nosuch=1)


def test_attacks_earn_nothing(probe_verifier):
    """`rewardkit probe` as a test: completions built to game the verifier (the answer
    among wrong ones, tags, empty or huge text...) from rows like your data."""
    rows = [{"prompt": "What is 6 times 7?", "answer": "42"},
            {"prompt": "What is the capital of France?", "answer": "Paris"}]
    report = probe_verifier("$name", rows)
    assert report.passed, report.table()
''')

README = Template('''\
# $dist

A [rewardkit](https://pypi.org/project/rewardkit/) plugin providing the `$name` verifier.

```text
pip install -e .            # rewardkit finds the verifier through its entry point
rewardkit verifiers         # lists `$name`
rewardkit verify $name --completion "The answer is 42" --reference 42
rewardkit probe $name --data my_rows.jsonl   # attack it with completions built from your rows
pytest                      # the tests use rewardkit's fixtures (one probes the verifier)
```

Edit `$module/__init__.py` to change what the verifier checks; bump its `version` when
verdicts change.
''')


def verifier_name(name: str) -> str:
    """The verifier name a plugin NAME gives (``rewardkit-acme-rules`` → ``acme_rules``);
    ``ValueError`` when it is not a lower-case identifier."""
    name = name.removeprefix("rewardkit-").removeprefix("rewardkit_").replace("-", "_")
    if not _NAME.match(name):
        raise ValueError(f"{name!r}: a plugin name is lower-case letters, digits and _ or -")
    return name


def scaffold(name: str, parent: Path) -> Path:
    """Write the package for plugin ``name`` into ``parent``; return its folder.

    ``name`` is the verifier name (``acme_rules``); the distribution is ``rewardkit-<name>``
    with dashes and the module ``rewardkit_<name>``. Raises ``ValueError`` for a name that is
    not a lower-case identifier or a folder that already exists.
    """
    name = verifier_name(name)
    dist = f"rewardkit-{name.replace('_', '-')}"
    module = f"rewardkit_{name}"
    root = parent / dist
    if root.exists():
        raise ValueError(f"{root} already exists")
    fields = {
        "name": name,
        "dist": dist,
        "module": module,
        "cls": "".join(part.title() for part in name.split("_")),
        "rewardkit_version": __version__,
    }
    files = {
        "pyproject.toml": PYPROJECT,
        f"{module}/__init__.py": MODULE,
        "tests/test_verifier.py": TEST,
        "README.md": README,
    }
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(fields), encoding="utf-8")
    return root
