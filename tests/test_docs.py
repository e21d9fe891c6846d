"""The docs say what the code does: every hook is documented, every Python sample runs."""

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rewardkit import hookspecs

ROOT = Path(__file__).parent.parent
# The tutorial needs its plugin installed first: tests/test_tutorial.py runs it whole.
PAGES = [p for p in [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
         if p.name != "tutorial.md"]
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def hook_specs() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "rewardkit_spec")
    }


def test_every_hook_has_a_page_with_its_arguments():
    documented = {}
    for page in (ROOT / "docs" / "hooks").glob("*.md"):
        title = re.match(r"# (\w+)\(([^)]*)\)\n", page.read_text())
        assert title and title[1] == page.stem, f"{page.name}: title must be '# {page.stem}(...)'"
        documented[title[1]] = title[2]
    specs = hook_specs()
    assert set(documented) == set(specs), "docs/hooks/ and hookspecs.py list different hooks"
    index = (ROOT / "docs" / "hooks.md").read_text()
    assert all(f"(hooks/{name}.md)" in index for name in specs), "docs/hooks.md links each hook"
    for name, signature in specs.items():
        arguments = [a.strip() for a in documented[name].split(",") if a.strip()]
        assert arguments == list(signature.parameters), f"{name}: arguments differ"


def test_every_hook_has_a_docstring_with_params():
    for name, signature in hook_specs().items():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        for parameter in signature.parameters:
            assert f":param {parameter}:" in doc, f"{name} does not document {parameter}"


@pytest.mark.parametrize("page", [p for p in PAGES if FENCE.search(p.read_text())],
                         ids=lambda p: p.name)
def test_python_samples_run(page, tmp_path):
    """A page's ```python blocks run in order, as one script, in an empty folder."""
    script = tmp_path / "page.py"
    script.write_text("\n\n".join(FENCE.findall(page.read_text())))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
