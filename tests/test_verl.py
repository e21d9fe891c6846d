"""rewardkit.verl through verl's own reward managers, in verl's environment.

verl needs omegaconf, which pins antlr4 4.9 while this environment keeps the 4.13.2 that
math-verify's LaTeX parser reads best (see docs/verl.md). So ``make install`` puts verl, hydra,
omegaconf and antlr4 4.9.3 in ``.venv/verl-env``, and the checks in verl_checks.py run in a
Python that finds that folder first, as a verl user's environment would. Never skipped.
"""

import os
import subprocess
import sys
from pathlib import Path

VERL_ENV = Path(sys.prefix) / "verl-env"
CHECKS = Path(__file__).with_name("verl_checks.py")


def test_verl_reward_managers_call_rewardkit():
    assert (VERL_ENV / "verl").is_dir(), f"verl is missing from {VERL_ENV}: run `make install`"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(VERL_ENV), *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(CHECKS)], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "skipped" not in proc.stdout, proc.stdout[-2000:]
