"""`rewardkit new-plugin`: the package it makes installs with pip and passes its own tests."""

import os
import subprocess
import sys

import pytest

from rewardkit.scaffold import scaffold


def test_scaffolded_plugin_installs_and_passes_its_tests_unchanged(tmp_path):
    made = subprocess.run([sys.executable, "-m", "rewardkit", "new-plugin", "acme-rules", "-d",
                           str(tmp_path)], capture_output=True, text=True, check=True)
    root = tmp_path / "rewardkit-acme-rules"
    assert f"created {root}" in made.stdout
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(site), str(root)], check=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    tests = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                            str(root / "tests")], cwd=tmp_path, env=env, capture_output=True,
                           text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "6 passed" in tests.stdout
    # The scaffold's suite probes its verifier (rewardkit.testing's probe_verifier fixture).
    assert "test_verifier.py::test_attacks_earn_nothing PASSED" in tests.stdout
    listed = subprocess.run([sys.executable, "-m", "rewardkit", "verifiers"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert "acme_rules  [acme_rules from rewardkit-acme-rules 0.1.0]" in listed


@pytest.mark.parametrize("name", ["Acme", "1acme", "acme rules", ""])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError, match="lower-case"):
        scaffold(name, tmp_path)


def test_existing_folder_is_not_overwritten(tmp_path):
    scaffold("acme", tmp_path)
    with pytest.raises(ValueError, match="already exists"):
        scaffold("acme", tmp_path)
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "new-plugin", "acme", "-d",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1 and "already exists" in proc.stderr


def test_scaffolded_options_refuse_an_unknown_option(tmp_path):
    """Before: the template's Options was a plain BaseModel, which ignores unknown fields,
    so `--option nosuch=1` returned `ok` and the typo went unnoticed."""
    root = scaffold("acme_opts", tmp_path)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "acme_opts.py").write_text((root / "rewardkit_acme_opts/__init__.py").read_text())
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "verify", "acme_opts",
                           "--completion", "42", "--reference", "42", "--option", "nosuch=1",
                           "--plugins-dir", str(plugins)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("Error: verifier 'acme_opts': nosuch: "
                                   "Extra inputs are not permitted")


def test_a_name_taken_by_an_installed_verifier_is_refused(tmp_path):
    """Before: `new-plugin math` made a plugin whose name collides with the built-in."""
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "new-plugin", "math", "-d",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "a verifier named 'math' is already installed (from rewardkit)" in proc.stderr
    assert not (tmp_path / "rewardkit-math").exists()
