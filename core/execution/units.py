"""Running a unit: a verifier on samples, whatever happens turned into Results.

Used inside worker processes (``local/worker.py``, Ray actors) and, for verifiers declared
``inline``, in the calling process by the engine.
Nothing a verifier does here (raise, return garbage, return something unserialisable)
escapes as an exception: every sample gets a Result.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import time
import traceback
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rewardkit.errors import exception_text
from rewardkit.execution.interface import Batch, Mode, VerifierRef
from rewardkit.json_text import unicode_text
from rewardkit.models import Result, Sample, Status
from rewardkit.verifier import Verifier, to_result

MAX_REASON_CHARS = 2000
_T = TypeVar("_T")


@dataclass(eq=False, slots=True)
class Work:
    """A verifier over samples under a deadline, and where their Results go (``batch``'s
    slots from ``start`` on): what the local pool's units (``local/backlog.py``) and Ray's
    chunks (``ray.py``) share."""

    ref: VerifierRef
    key: str
    mode: Mode
    samples: list[Sample]
    timeout: float
    batch: Batch
    start: int

    def deliver(self, results: Sequence[Result]) -> None:
        """Hand this work's Results to whoever waits for them."""
        self.batch.set(self.start, results)

    def fail(self, status: Status, reason: str, seconds: float = 0.0) -> None:
        """Give every sample the same ``status`` Result (a timeout, a dead worker)."""
        each = seconds / max(len(self.samples), 1)
        self.deliver([Result(status=status, reason=reason, verifier=self.key, seconds=each)
                      for _ in self.samples])


def mode_of(verifier: Verifier) -> Mode:
    """The way the engine calls ``verifier``: batch if it has one, else sync, else async."""
    if verifier.has_batch():
        return Mode.BATCH
    if verifier.has_sync() or not verifier.has_async():
        return Mode.ONE
    return Mode.ASYNC


def run_unit(verifier: Verifier, key: str, mode: Mode, samples: Sequence[Sample]) -> list[Result]:
    """Verify ``samples`` with ``verifier``; one Result per sample, labelled ``key``."""
    start = time.perf_counter()
    try:
        if mode is Mode.ONE:
            return [_run_one(verifier, key, sample) for sample in samples]
        if mode is Mode.BATCH:
            verdicts: Sequence[Any] = verifier.verify_batch(samples)
        else:
            verdicts = _run_coroutine(_gather(verifier, samples))
        if len(verdicts) != len(samples):
            raise ValueError(f"returned {len(verdicts)} verdicts for {len(samples)} samples")
    except Exception as exc:
        seconds = time.perf_counter() - start
        return [error_result(exc, key, seconds / len(samples)) for _ in samples]
    seconds = (time.perf_counter() - start) / max(len(samples), 1)
    return [_checked(verdict, key, seconds) for verdict in verdicts]


async def arun_unit(verifier: Verifier, key: str, samples: Sequence[Sample]) -> list[Result]:
    """:func:`run_unit` for an ``averify`` verifier, awaited on the caller's event loop."""
    start = time.perf_counter()
    verdicts = await _gather(verifier, samples)
    seconds = (time.perf_counter() - start) / max(len(samples), 1)
    return [_checked(verdict, key, seconds) for verdict in verdicts]


def _run_coroutine(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` to the end from sync code, even when this thread already runs an
    event loop (a sync ``score()`` in Jupyter): then on a fresh loop in another thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="rewardkit-async") as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _gather(verifier: Verifier, samples: Sequence[Sample]) -> list[Any]:
    return await asyncio.gather(*(verifier.averify(s) for s in samples), return_exceptions=True)


def _run_one(verifier: Verifier, key: str, sample: Sample) -> Result:
    start = time.perf_counter()
    try:
        verdict = verifier.verify(sample)
    except (Exception, SystemExit) as exc:
        return error_result(exc, key, time.perf_counter() - start)
    return _checked(verdict, key, time.perf_counter() - start)


def _checked(verdict: object, key: str, seconds: float) -> Result:
    if isinstance(verdict, BaseException):  # from gather(return_exceptions=True)
        return error_result(verdict, key, seconds)
    try:
        result = to_result(verdict, key, seconds)
        if result.details:
            result.details = json_safe(result.details)
    except Exception as exc:
        return error_result(exc, key, seconds, prefix="invalid result: ")
    if len(result.reason) > MAX_REASON_CHARS:
        result.reason = result.reason[:MAX_REASON_CHARS] + "... [truncated]"
    result.reason = unicode_text(result.reason)
    return result


#: A Result as plain data, the way it crosses a process boundary.
ResultRow = tuple[float, str, str, dict[str, Any], float]
_RESULT_FIELDS = set(Result.model_fields)
_STATUSES = {status.value: status for status in Status}


def result_row(result: Result) -> ResultRow:
    """``result`` as plain data, without its verifier (the parent knows it)."""
    return result.reward, result.status.value, result.reason, result.details, result.seconds


def result_from_row(row: ResultRow, key: str) -> Result:
    """The Result a worker sent as :func:`result_row`, labelled ``key``, not validated again.

    What ``Result.model_construct`` does, without its loop over the fields: the worker
    built a validated Result, and the parent builds one per sample (issue 18: a third of
    the parent's per-sample CPU went to ``model_construct``).
    """
    reward, status, reason, details, seconds = row
    result = Result.__new__(Result)
    _set_attr(result, "__dict__", {"reward": reward, "status": _STATUSES[status],
                                   "reason": reason, "details": details, "verifier": key,
                                   "seconds": seconds, "cached": False})
    _set_attr(result, "__pydantic_fields_set__", _RESULT_FIELDS.copy())
    _set_attr(result, "__pydantic_extra__", None)
    _set_attr(result, "__pydantic_private__", None)
    return result


_set_attr = object.__setattr__


def error_result(exc: BaseException, key: str, seconds: float, prefix: str = "") -> Result:
    """An ``error`` Result that names the exception and keeps the end of its traceback."""
    reason = f"{prefix}{type(exc).__name__}: {exception_text(exc)}"[:MAX_REASON_CHARS]
    reason = unicode_text(reason)
    tb = unicode_text("".join(traceback.format_exception(exc)[-3:])[-4000:])
    return Result(status=Status.ERROR, reason=reason, details={"traceback": tb},
                  verifier=key, seconds=seconds)


def json_safe(details: dict[str, Any]) -> dict[str, Any]:
    """``details`` as plain JSON data: numpy scalars become numbers, other objects text, and
    every string Unicode (see :mod:`rewardkit.json_text`), so any output can write it."""
    text = unicode_text(json.dumps(details, default=_json_default, ensure_ascii=False))
    safe: dict[str, Any] = json.loads(text)
    return safe


def _json_default(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy and torch scalars
        try:
            return value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return repr(value)
