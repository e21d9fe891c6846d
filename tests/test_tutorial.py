"""Runs docs/tutorial.md as a newcomer would: every command and file, in order.

Fenced blocks with a ``title="PATH"`` are written to PATH; ``console`` blocks run each
``$ command`` with bash and check that every line shown under it appears in its output;
other ``python`` blocks run as scripts. The one liberty taken: ``pip install -e DIR``
installs into a folder of this test (put on PYTHONPATH) instead of the shared venv.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

PAGE = Path(__file__).parent.parent / "docs" / "tutorial.md"
BLOCK = re.compile(r'^```(\w+)(?: title="([^"]+)")?\n(.*?)^```', re.S | re.M)


def console_steps(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.strip() and steps:
            steps[-1][1].append(line.strip())
    return steps


def test_tutorial_runs_as_written(tmp_path):
    site = tmp_path / "site"
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONPATH": str(site), "PATH": f"{bindir}:{os.environ['PATH']}"}
    ran = 0
    for language, title, body in BLOCK.findall(PAGE.read_text()):
        if title:
            path = tmp_path / title
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body)
        elif language == "console":
            for command, expected in console_steps(body):
                command = re.sub(r"^pip install -e (\S+)",
                                 rf"pip install -q --no-deps --no-build-isolation "
                                 rf"--target {site} \1", command)
                proc = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env,
                                      capture_output=True, text=True, timeout=300)
                output = proc.stdout + proc.stderr
                assert proc.returncode == 0, f"$ {command}\n{output}"
                squeezed = " ".join(output.split())
                for line in expected:
                    assert " ".join(line.split()) in squeezed, f"$ {command}: {line!r}\n{output}"
                ran += 1
        elif language == "python":
            script = tmp_path / "step.py"
            script.write_text(body)
            proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, proc.stderr
            ran += 1
    assert ran >= 7
    assert (tmp_path / "scored.jsonl").read_text().count("\n") == 2
