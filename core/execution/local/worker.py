"""The worker process's main loop: build verifiers, run the units the dispatcher sends.

A worker reports :data:`READY`, then reads chunks of units (samples as their plain fields)
from its pipe. Before it starts a unit it writes the unit's number and the time into its
:class:`Slot`, memory it shares with the dispatcher (``dispatcher.py``), so the dispatcher
knows which unit it is on and since when without a message per unit. Answers (pickled rows,
or :data:`SKIPPED` for a unit cancelled before it ran) go back in order, several units per
message: when the chunk is done, or before the next unit once the oldest answer held has
waited :data:`FLUSH_SECONDS`. It runs in its own process group, dies with its parent and
keeps a bounded set of verifier instances.
"""

from __future__ import annotations

import collections
import ctypes
import gc
import json
import logging
import os
import pickle
import signal
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from rewardkit.execution.interface import VerifierRef
from rewardkit.execution.units import error_result, result_row, run_unit
from rewardkit.models import Result, Sample
from rewardkit.plugins import PluginManager
from rewardkit.verifier import Verifier

log = logging.getLogger(__name__)

#: The first message of a worker that has loaded its plugins.
READY = b"ready"
#: The answer to a unit cancelled before it ran.
SKIPPED = pickle.dumps(None)
#: Longest a finished unit's answer waits in the worker for others to share its message:
#: the dispatcher then wakes a few times per chunk, not once per sample (issue 18).
FLUSH_SECONDS = 0.1
#: Bits of a slot that hold the unit count; the rest hold the start in microseconds.
_COUNT_BITS = 12
_COUNT_MASK = (1 << _COUNT_BITS) - 1


class Slot:
    """Which unit a worker is on and since when, in 8 bytes of memory shared with the pool.

    One aligned 64-bit word (a store is atomic on the platforms we run on): the
    ``time.monotonic()`` microsecond at which the worker started its latest unit, and the
    number of units it has started, modulo 4096 (a worker never holds more than a chunk).
    Only the worker writes it; the dispatcher reads it on its timer.
    """

    def __init__(self, context: Any) -> None:
        self._value = context.RawValue("q", 0)

    def mark(self, started: int) -> None:
        """Say that unit number ``started`` (counted from 1) begins now."""
        self._value.value = (int(time.monotonic() * 1e6) << _COUNT_BITS) | (started & _COUNT_MASK)

    def read(self) -> tuple[int, float]:
        """(units started, modulo 4096; monotonic second the latest one began)."""
        value: int = self._value.value
        return value & _COUNT_MASK, (value >> _COUNT_BITS) / 1e6


def running_index(started: int, answered: int) -> int:
    """Where the unit a worker is on stands among the units it holds unanswered (0 for the
    first), given :meth:`Slot.read`'s count and how many it has answered in all; -1 when
    it has started none of them yet."""
    index = (started - 1 - answered) & _COUNT_MASK
    return -1 if index == _COUNT_MASK else index


def worker_main(conn: Connection, slot: Slot, plugin_manager: PluginManager | None,
                plugin_dirs: list[str], memory_limit_mb: int | None, max_result_bytes: int,
                max_instances: int) -> None:
    os.setsid()  # own process group: the pool kills whatever the verifier started
    # What the parent loaded (preloaded verifiers) stays shared: the collector would touch,
    # and so copy, every inherited object, and spend CPU walking them on each full pass.
    gc.freeze()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # A verifier's prints must not corrupt the caller's stdout (JSON lines): send them to stderr.
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if memory_limit_mb:
        import resource

        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if plugin_manager is None:
        from rewardkit.plugins import make_plugin_manager

        plugin_manager = make_plugin_manager(plugin_dirs=plugin_dirs)
    verifiers = _Instances(plugin_manager, max_instances)
    try:
        _serve(conn, slot, verifiers, max_result_bytes)
    finally:
        verifiers.close()


def _serve(conn: Connection, slot: Slot, verifiers: _Instances, max_result_bytes: int) -> None:
    cancelled: set[int] = set()
    started = 0
    conn.send_bytes(READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        kind, body = message
        if kind == "cancel":
            cancelled.update(body)
            continue
        outbox = _Outbox(conn, max_result_bytes)
        for uid, ref, key, mode, fields in body:
            # The parent sends only cancellations while this chunk runs: read them first.
            while conn.poll():
                pending = conn.recv()
                if pending is None:
                    return
                cancelled.update(pending[1])
            outbox.flush_if_due()
            started += 1
            slot.mark(started)
            if uid in cancelled:
                cancelled.discard(uid)
                outbox.add(SKIPPED)
                continue
            samples = [Sample.model_construct(prompt=prompt, completion=completion,
                                              reference=reference, metadata=metadata)
                       for prompt, completion, reference, metadata in fields]
            try:
                verifier = verifiers.get(ref)
            except Exception as exc:
                results = [error_result(exc, key, 0.0, "cannot build verifier: ")] * len(samples)
            else:
                results = run_unit(verifier, key, mode, samples)
            outbox.add(_encode(results, max_result_bytes))
        outbox.flush()


class _Outbox:
    """Answers of finished units waiting to go back together (see the module docstring)."""

    def __init__(self, conn: Connection, max_bytes: int) -> None:
        self._conn = conn
        self._max_bytes = max_bytes
        self._answers: list[bytes] = []
        self._size = 0
        self._since = 0.0

    def add(self, answer: bytes) -> None:
        if not self._answers:
            self._since = time.monotonic()
        self._answers.append(answer)
        self._size += len(answer)

    def flush_if_due(self) -> None:
        if self._answers and (self._size >= self._max_bytes
                              or time.monotonic() - self._since >= FLUSH_SECONDS):
            self.flush()

    def flush(self) -> None:
        if self._answers:
            self._conn.send_bytes(pickle.dumps(self._answers, protocol=pickle.HIGHEST_PROTOCOL))
            self._answers = []
            self._size = 0


class _Instances:
    """A worker's verifier instances by (name, options), least recently used closed first."""

    def __init__(self, plugin_manager: PluginManager, size: int) -> None:
        self._plugin_manager = plugin_manager
        self._size = size
        self._kept: collections.OrderedDict[VerifierRef, Verifier] = collections.OrderedDict()

    def get(self, ref: VerifierRef) -> Verifier:
        """The instance for ``ref``, built on first use; raises what building raises."""
        verifier = self._kept.get(ref)
        if verifier is not None:
            self._kept.move_to_end(ref)
            return verifier
        name, options = ref
        verifier = self._plugin_manager.get_verifier(name).create(json.loads(options))
        self._kept[ref] = verifier
        while len(self._kept) > self._size:
            _close(self._kept.popitem(last=False)[1])
        return verifier

    def close(self) -> None:
        while self._kept:
            _close(self._kept.popitem()[1])


def _close(verifier: Verifier) -> None:
    try:
        verifier.close()
    except Exception:  # a verifier that fails to close must not stop the worker
        log.exception("closing verifier %r failed", verifier.name)


def _encode(results: list[Result], max_bytes: int) -> bytes:
    rows = [result_row(r) for r in results]
    try:
        data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        reason = f"result could not be serialised: {type(exc).__name__}: {exc}"
        rows = [(0.0, "error", reason, {}, r.seconds) for r in results]
        return pickle.dumps(rows)
    if len(data) > max_bytes:
        reason = f"result too large: {len(data)} bytes (limit {max_bytes})"
        rows = [(0.0, "error", reason, {}, r.seconds) for r in results]
        return pickle.dumps(rows)
    return data


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: workers still exit when the pipe closes
