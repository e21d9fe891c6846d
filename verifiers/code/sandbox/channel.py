"""The harness's end of the JSON-lines channel to a runner: bounded, with deadlines.

Replies are read with a size cap, so a sandbox that floods the channel costs the harness at most
``max_line`` bytes; every read and write honours the run's deadline. Parsing a reply is linear
in its size: JSON integers longer than any the codec sends (it tags big ones as hex text) are
refused rather than converted (decimal conversion is quadratic), and nesting is bounded by
the JSON parser's recursion check.
"""

from __future__ import annotations

import json
import select
import time
from collections.abc import Callable
from typing import Any

from rewardkit.verifiers.code.sandbox import LimitHit

#: ``read(timeout)`` returns bytes, b"" at end of stream, or raises TimeoutError.
ReadFn = Callable[[float], bytes]
#: ``write(data, timeout)`` writes everything or raises TimeoutError / OSError.
WriteFn = Callable[[bytes, float], None]


class Channel:
    def __init__(self, read: ReadFn, write: WriteFn, max_line: int) -> None:
        self._read = read
        self._write = write
        self._max_line = max_line
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no newline

    def send(self, message: dict[str, Any], deadline: float) -> None:
        try:
            data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        except (ValueError, RecursionError):  # a relayed value too deep to write back out
            raise LimitHit("crash", "a message the channel cannot carry") from None
        try:
            self._write(data, _left(deadline))
        except TimeoutError:
            raise LimitHit("timeout", "the sandbox stopped reading its input") from None
        except OSError as exc:
            raise LimitHit("crash", f"the sandbox ended ({exc.strerror or exc})") from None

    def receive(self, deadline: float) -> dict[str, Any]:
        while True:
            # From where the last look ended: a reply trickled in byte by byte is scanned
            # once, not once per byte.
            end = self._buffer.find(b"\n", self._scanned)
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[:end + 1]
                self._scanned = 0
                return _parse(line)
            self._scanned = len(self._buffer)
            if len(self._buffer) > self._max_line:
                raise LimitHit("output", f"the sandbox sent more than {self._max_line} bytes")
            try:
                chunk = self._read(_left(deadline))
            except TimeoutError:
                raise LimitHit("timeout", "time limit exceeded") from None
            except OSError as exc:
                raise LimitHit("crash", f"the sandbox ended ({exc})") from None
            if not chunk:
                raise LimitHit("crash", "the sandbox ended before it answered")
            self._buffer += chunk


def write_all(target: Any, send: Callable[[memoryview], int], data: bytes,
              timeout: float) -> None:
    """Write all of ``data`` with ``send`` to a non-blocking ``target`` (a socket or a pipe
    descriptor) within ``timeout`` seconds, else raise TimeoutError."""
    view = memoryview(data)
    deadline = time.monotonic() + timeout
    while view:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        _, ready, _ = select.select([], [target], [], left)
        if ready:
            try:
                view = view[send(view):]
            except BlockingIOError:
                continue


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise LimitHit("timeout", "time limit exceeded")
    return left


#: Digits of the longest JSON integer a reply may hold (the codec sends at most 19).
MAX_INT_DIGITS = 40


def _small_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise ValueError("integer too long")
    return int(text)


def _parse(line: bytes) -> dict[str, Any]:
    try:
        message = json.loads(line, parse_int=_small_int)
    except (ValueError, RecursionError):
        raise LimitHit("crash", "the sandbox sent a malformed reply") from None
    if not isinstance(message, dict):
        raise LimitHit("crash", "the sandbox sent a malformed reply")
    return message
