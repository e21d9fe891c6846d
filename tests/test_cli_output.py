"""`rewardkit score` output: written as scored, kept on Ctrl-C, never emptying an old target."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rewardkit.output import Progress, ResultsWriter

SLOW = '''
import os, time
from rewardkit import Verifier, hookimpl

class SlowEq(Verifier):
    name = "slow_eq"
    def verify(self, sample):
        time.sleep(float(os.environ.get("SLOW_SECONDS", "0")))
        return float(sample.completion_text == str(sample.reference))

@hookimpl
def register_verifiers(register):
    register(SlowEq)
'''


# Long enough (50 s at 0.05 s a sample on two workers) that a test process starved on a loaded
# machine still interrupts the run before it ends; a run finishes in seconds when SLOW_SECONDS=0.
LINES = 2000


def _inputs(tmp_path: Path, count: int = LINES) -> Path:
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slow_eq.py").write_text(SLOW)
    source = tmp_path / "long.jsonl"
    source.write_text("".join(json.dumps({"completion": str(i), "answer": str(i % 2)}) + "\n"
                              for i in range(count)))
    return source


def _start(tmp_path: Path, *args: str, seconds: str, stdout: int | None = None
           ) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rewardkit", "score", str(tmp_path / "long.jsonl"), "-v",
         "slow_eq", "--workers", "2", "--plugins-dir", str(tmp_path / "plugins"), *args],
        stdout=stdout if stdout is not None else subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "SLOW_SECONDS": seconds},
        start_new_session=True,  # Ctrl-C signals the whole foreground group: so does the test
        # A shell's background job ignores SIGINT and children inherit that; a terminal's
        # foreground job, which these tests play, does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_lines(path: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and path.read_text().count("\n") >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never reached {count} lines")


def test_ctrl_c_keeps_scored_lines_and_the_old_target_then_resume_finishes(tmp_path):
    """Before: results came back in batches of 1024 and click's atomic file replaced the
    target on any exit, so a Ctrl-C after 90 of 300 samples left a 0-byte target."""
    _inputs(tmp_path)
    target = tmp_path / "long.scored.jsonl"
    target.write_text("old results\n")
    partial = tmp_path / "long.scored.jsonl.partial"
    proc = _start(tmp_path, "-o", str(target), seconds="0.05")
    _wait_for_lines(partial, 20, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert target.read_text() == "old results\n"
    rows = [json.loads(line) for line in partial.read_text().splitlines()]
    assert len(rows) >= 20
    assert [row["line"] for row in rows] == list(range(1, len(rows) + 1))
    assert f"interrupted: {len(rows)} of {LINES} lines written to {partial}" in stderr
    assert "--resume" in stderr and "Traceback" not in stderr

    proc = _start(tmp_path, "-o", str(target), "--resume", seconds="0")
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["line"] for row in rows] == list(range(1, LINES + 1))
    assert [row["reward"] for row in rows[:4]] == [1.0, 1.0, 0.0, 0.0]
    assert not partial.exists()
    assert f"{LINES} of {LINES} lines written to {target}" in stderr


def test_ctrl_c_on_standard_output_keeps_the_lines_written(tmp_path):
    """Before: stdout got nothing until a batch of 1024 was done: 0 lines on Ctrl-C."""
    _inputs(tmp_path)
    proc = _start(tmp_path, seconds="0.05", stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first = [proc.stdout.readline() for _ in range(10)]
    os.killpg(proc.pid, signal.SIGINT)
    rest = proc.stdout.read()  # communicate() would skip what readline() buffered
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.wait(timeout=60)
    lines = first + rest.splitlines(keepends=True)
    assert proc.returncode == 130
    assert [json.loads(line)["line"] for line in lines] == list(range(1, len(lines) + 1))
    assert f"interrupted: {len(lines)} of {LINES} lines written to standard output" in stderr


def test_strict_stop_leaves_the_target_and_keeps_the_lines_before(tmp_path):
    """Before: a --strict stop emptied an existing target through the atomic file."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"completion": "a", "answer": "a"}\n' * 3 + "{oops\n")
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "score", str(source), "-v",
                           "exact_match", "--strict", "-o", str(target)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert target.read_text() == "old\n"
    assert "line 4: invalid JSON at column 2" in proc.stderr
    assert "stopped: 3 of 4 lines written" in proc.stderr
    assert len((tmp_path / "out.jsonl.partial").read_text().splitlines()) == 3


def test_resume_drops_a_line_cut_short(tmp_path):
    partial = tmp_path / "out.jsonl.partial"
    partial.write_text('{"line": 1}\n{"line": 3}\n{"li')
    writer = ResultsWriter(str(tmp_path / "out.jsonl"), resume=True)
    assert (writer.written, writer.resume_after) == (2, 3)
    writer.write({"line": 4})
    writer.commit()
    assert (tmp_path / "out.jsonl").read_text() == '{"line": 1}\n{"line": 3}\n{"line": 4}\n'


class _Log:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def test_progress_outside_a_terminal_prints_periodic_lines():
    """Before: a log file got the label `scoring` and nothing else until the end."""
    log = _Log()
    progress = Progress(300, interval=0.0, stream=log)  # type: ignore[arg-type]
    time.sleep(0.01)
    for _ in range(3):
        progress.advance()
    lines = log.text.splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith("scored 3 of 300 (1%), ") and "/s, ETA " in lines[-1]


@pytest.mark.parametrize("args, message", [
    (["--route-by", "tsk"], "no line has the column 'tsk' to route by"),
    (["--max-error-rate", "0.4"], "2 of 3 lines (67%) were malformed or got an error"),
])
def test_bad_runs_exit_non_zero(tmp_path, args, message):
    """Before: a misspelled --route-by made every line an error, and the run exited 0."""
    source = tmp_path / "in.jsonl"
    source.write_text('{"completion": "a", "answer": "a", "task": "exact_match"}\n'
                      '{"completion": "a", "answer": "a", "task": "nosuch"}\n'
                      '{"completion": "a", "answer": "a", "task": "nosuch"}\n')
    base = [sys.executable, "-m", "rewardkit", "score", str(source), "-v", "exact_match"]
    if "--max-error-rate" in args:
        base += ["--route-by", "task"]
    proc = subprocess.run([*base, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_every_line_an_error_exits_non_zero(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"completion": "a", "answer": "a", "task": "nosuch"}\n' * 2)
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "score", str(source), "-v",
                           "exact_match", "--route-by", "task"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "2 of 2 lines (100%)" in proc.stderr
    assert len(proc.stdout.splitlines()) == 2  # the lines are still written


def test_resume_refuses_a_file_that_is_not_partial_output(tmp_path):
    (tmp_path / "out.jsonl.partial").write_text("hello\n")
    with pytest.raises(ValueError, match="not the output of an interrupted"):
        ResultsWriter(str(tmp_path / "out.jsonl"), resume=True)


def test_route_by_column_in_no_line_of_standard_input_fails_after_the_run():
    """Standard input cannot be read twice, so the check comes at its end."""
    proc = subprocess.run([sys.executable, "-m", "rewardkit", "score", "-", "-v", "exact_match",
                           "--route-by", "tsk"], input='{"completion": "a", "answer": "a"}\n',
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == ("stopped: 1 line written to standard output\n"
                           "Error: standard input: no line has the column 'tsk' to route by "
                           "(--route-by)\n")


KEEP_ROWS = [
    {"id": "a", "completion": "1", "answer": "1", "task": "t1", "metadata": {"src": "gsm"}},
    {"id": "b", "completion": "2", "answer": "1", "reward": 0.3},
    {"completion": "3", "answer": "3", "metadata": {"task": "t3"}},
]


@pytest.fixture
def keep_input(tmp_path: Path) -> Path:
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in KEEP_ROWS) + "not json\n")
    return source


def _score(*args: str) -> tuple[int, list[dict], str]:
    from click.testing import CliRunner

    from rewardkit.cli import cli

    run = CliRunner().invoke(cli, ["score", *args, "-v", "exact_match",
                                                   "--max-error-rate", "1"])
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    return run.exit_code, lines, run.stderr


def test_keep_writes_chosen_input_columns_beside_the_results(keep_input):
    """Scored lines carried only `line`: joining them back needed the input file."""
    code, lines, _ = _score(str(keep_input), "--keep", "id", "--keep", "task")
    assert code == 0
    assert [(row["line"], row["id"], row["task"]) for row in lines] == [
        (1, "a", "t1"), (2, "b", None), (3, None, "t3")]  # a metadata column is a column too
    assert list(lines[0]) == ["line", "id", "task", "reward", "results"]
    assert [row["reward"] for row in lines] == [1.0, 0.0, 1.0]


def test_keep_all_writes_every_input_column_but_not_over_the_outputs_own(keep_input):
    code, lines, stderr = _score(str(keep_input), "--keep-all")
    assert code == 0
    assert {k: v for k, v in lines[0].items() if k not in ("line", "reward", "results")} == \
        KEEP_ROWS[0]
    assert lines[1]["reward"] == 0.0 and lines[1]["id"] == "b"  # the output's own reward
    assert stderr.count("column 'reward' is not kept") == 1


@pytest.mark.parametrize("args, message", [
    (["--keep", "reward"], "'reward' is a field of the output"),
    (["--keep", "nosuch"], "no line has the column 'nosuch' to keep"),
    (["--keep", "id", "--keep-all"], "either"),
])
def test_keep_mistakes_are_caught_at_start(keep_input, args, message):
    code, lines, stderr = _score(str(keep_input), *args)
    assert code != 0 and not lines
    assert message in stderr
