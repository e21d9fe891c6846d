"""Where ``rewardkit score`` writes its lines, and how it reports progress while it runs.

Scored lines are written as they finish and flushed at once, so an interrupted run keeps
what it scored. A file target is written under ``<target>.partial`` and replaces the target
only when the run succeeds: an interrupted or failed run leaves an older target untouched and
its partial output beside it, where ``--resume`` picks it up.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

#: The suffix of a run's output until the run succeeds.
PARTIAL = ".partial"


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold back SIGINT for the block, then hand it to the handler it was held from."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and callable(previous):
        previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt


class ResultsWriter:
    """JSON lines to standard output (``-``) or to a file, kept as ``<file>.partial`` until
    :meth:`commit`.

    :param resume: continue the ``.partial`` file a failed run left: its complete lines are
        kept (a line cut short by the interruption is dropped) and :attr:`resume_after` is
        the last input line they cover.
    """

    def __init__(self, target: str, *, resume: bool = False) -> None:
        self.target = target
        self.written = 0
        self.resume_after = 0
        self.partial: Path | None = None
        self._stream: IO[str]
        if target == "-":
            self._stream = sys.stdout
            return
        self.partial = Path(target + PARTIAL)
        if resume and self.partial.exists():
            self.written, self.resume_after = _keep_complete_lines(self.partial)
            self._stream = self.partial.open("a", encoding="utf-8")
        else:
            self._stream = self.partial.open("w", encoding="utf-8")

    def write(self, row: dict[str, Any]) -> None:
        line = json.dumps(row, ensure_ascii=False) + "\n"
        # A Ctrl-C waits until the line is written, flushed and counted: one landing inside
        # the write would leave a line on the target that the count and --resume miss.
        with _sigint_deferred():
            self._stream.write(line)
            # Flushed per line: verification is far slower than a write, and a line handed
            # back is a line a Ctrl-C cannot take away.
            self._stream.flush()
            self.written += 1

    def commit(self) -> None:
        """The run succeeded: the partial file becomes the target."""
        self._close()
        if self.partial is not None:
            os.replace(self.partial, self.target)

    def keep(self) -> str:
        """The run failed: close, leave any older target as it was; say where the lines are."""
        self._close()
        return "standard output" if self.partial is None else str(self.partial)

    def _close(self) -> None:
        if self.partial is not None and not self._stream.closed:
            self._stream.close()


def _keep_complete_lines(path: Path) -> tuple[int, int]:
    """(lines, last input line number) of the complete lines in ``path``; the rest is cut."""
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    lines = data[:end].splitlines()
    if end != len(data):
        with path.open("r+b") as handle:
            handle.truncate(end)
    last = 0
    if lines:
        try:
            last = int(json.loads(lines[-1])["line"])
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"{path} is not the output of an interrupted `rewardkit score`: "
                             "its last line has no line number") from None
    return len(lines), last


class Progress:
    """Progress on standard error: a bar on a terminal, else a line every ``interval`` s.

    A log file or CI console gets ``scored 90 of 300 (30%), 11.2/s, ETA 19 s`` lines rather
    than one ``scoring`` label and silence until the end.
    """

    def __init__(self, total: int | None, *, hidden: bool = False, interval: float = 10.0,
                 stream: IO[str] | None = None) -> None:
        self.total = total
        self.done = 0
        self.hidden = hidden
        self.interval = interval
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._start = self._last = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.hidden:
            return
        now = time.monotonic()
        if self.tty:
            if now - self._last >= 0.1 or self.done == self.total:
                self._last = now
                self.stream.write("\r" + self.line(now))
                self.stream.flush()
        elif now - self._last >= self.interval:
            self._last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if not self.hidden and self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = (now or time.monotonic()) - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.total is None:
            return f"scored {self.done}, {rate:.1f}/s"
        share = self.done / self.total if self.total else 1.0
        text = f"scored {self.done} of {self.total} ({share:.0%}), {rate:.1f}/s"
        if rate > 0 and self.done < self.total:
            text += f", ETA {(self.total - self.done) / rate:.0f} s"
        return text
