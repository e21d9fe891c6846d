"""The worker process's main loop: build verifiers, run the units the dispatcher sends.

A worker reports :data:`READY`, then reads chunks of units (samples as their plain fields)
from its pipe and answers each unit with one message (pickled rows, or :data:`SKIPPED` for a
unit cancelled before it ran), so the dispatcher (``dispatcher.py``) always knows which unit
it is on. It runs in its own process group, dies with its parent and keeps a bounded set of
verifier instances.
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
from multiprocessing.connection import Connection

from rewardkit.execution.interface import VerifierRef
from rewardkit.execution.units import error_result, run_unit
from rewardkit.models import Result, Sample
from rewardkit.plugins import PluginManager
from rewardkit.verifier import Verifier

log = logging.getLogger(__name__)

#: The first message of a worker that has loaded its plugins.
READY = b"ready"
#: The answer to a unit cancelled before it ran.
SKIPPED = pickle.dumps(None)


def worker_main(conn: Connection, plugin_manager: PluginManager | None, plugin_dirs: list[str],
                 memory_limit_mb: int | None, max_result_bytes: int, max_instances: int) -> None:
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
        _serve(conn, verifiers, max_result_bytes)
    finally:
        verifiers.close()


def _serve(conn: Connection, verifiers: _Instances, max_result_bytes: int) -> None:
    cancelled: set[int] = set()
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
        for uid, ref, key, mode, fields in body:
            # The parent sends only cancellations while this chunk runs: read them first.
            while conn.poll():
                pending = conn.recv()
                if pending is None:
                    return
                cancelled.update(pending[1])
            if uid in cancelled:
                cancelled.discard(uid)
                conn.send_bytes(SKIPPED)
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
            conn.send_bytes(_encode(results, max_result_bytes))


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
    rows = [(r.reward, r.status.value, r.reason, r.details, r.seconds) for r in results]
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
