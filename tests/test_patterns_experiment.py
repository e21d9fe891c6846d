"""examples/pattern_selection/run.py --smoke: every stage runs and writes the documented files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")
RUN = Path(__file__).parent.parent / "examples" / "pattern_selection" / "run.py"


def test_smoke_run_writes_summary_and_figure(tmp_path):
    command = [sys.executable, str(RUN), "--out", str(tmp_path), "--smoke", "--no-regimes"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert set(summary) >= {"patterns", "settings", "minutes"}
    for cell in summary["patterns"].values():
        assert set(cell) >= {"share_before", "share_after", "success_before", "success_after",
                             "strata"}
        for stratum in cell["strata"].values():
            assert set(stratum) == {"n_before", "n_after", "success_before", "success_after"}
            if stratum["n_before"] == 0:
                assert stratum["success_before"] is None
    assert (tmp_path / "patterns.png").stat().st_size > 1000
