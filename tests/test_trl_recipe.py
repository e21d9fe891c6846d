"""docs/trl.md's recipe runs offline as written, and every verifier a doc names exists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from rewardkit import get_plugin_manager

ROOT = Path(__file__).parent.parent
RECIPE = re.compile(r'^```python title="grpo_offline.py"\n(.*?)^```', re.S | re.M)


def test_the_trl_recipe_trains_two_steps_offline(tmp_path):
    """Before: the page trained Qwen/Qwen2.5-0.5B-Instruct (a download) and named a
    `format` verifier that did not exist."""
    script = RECIPE.findall((ROOT / "docs" / "trl.md").read_text())
    assert len(script) == 1, "docs/trl.md has one grpo_offline.py recipe"
    (tmp_path / "grpo_offline.py").write_text(script[0])
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "grpo_offline.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rewards/format/mean" in proc.stdout


# Verifier names as the docs write them: reward_functions(["math", "format:0.1"]),
# YAML `{name: length, ...}`, JSON/Python `"name": "math"`.
NAMED = [
    re.compile(r"reward_functions\(\[([^\]]*)\]"),
    re.compile(r"\{name: ([\w-]+)[,}]"),
    re.compile(r"\"name\": \"([\w-]+)\""),
]


def test_every_verifier_a_doc_names_is_installed():
    installed = set(get_plugin_manager().get_verifiers())
    pages = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
    for page in pages:
        text = page.read_text()
        names = set()
        for pattern in NAMED:
            for found in pattern.findall(text):
                quoted = re.findall(r"[\"']([\w-]+)(?::[\d.]+)?[\"']", found)
                names |= set(quoted) or {found}
        unknown = {name for name in names if name not in installed}
        # Pages that build their own verifiers name them too: defined in the page itself.
        unknown = {name for name in unknown if f'name = "{name}"' not in text}
        assert not unknown, f"{page.name} names verifiers that do not exist: {sorted(unknown)}"
