"""``Idempotency-Key``: a repeated request gets the stored response instead of running again.

Keys are scoped to the caller. A key reused with a different request is an error (422); a
key whose first request is still running answers 409. Only successful responses are kept,
so a retry after an error (a full queue, a dropped connection) runs the request again.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from rewardkit.server.problems import ProblemError

T = TypeVar("T")


@dataclass
class _Entry:
    fingerprint: str
    expires: float
    response: Any = None
    done: bool = False


class IdempotencyStore:
    """Responses by (caller, key), least recently used dropped past ``size``, expiring."""

    def __init__(self, size: int, ttl: float) -> None:
        self.size = size
        self.ttl = ttl
        self._entries: collections.OrderedDict[tuple[str, str], _Entry] = (
            collections.OrderedDict())

    async def run(self, caller: str, key: str | None, fingerprint: str,
                  produce: Callable[[], Awaitable[T]]) -> tuple[T, bool]:
        """``produce()``'s response, or the stored one; the flag is True for a replay."""
        if key is None or self.size == 0:
            return await produce(), False
        now = time.monotonic()
        slot = (caller, key)
        entry = self._entries.get(slot)
        if entry is not None and entry.expires <= now:
            del self._entries[slot]
            entry = None
        if entry is not None:
            if entry.fingerprint != fingerprint:
                raise ProblemError(422, "idempotency-key-reused", "Idempotency key reused",
                                   "this Idempotency-Key was used with a different request; "
                                   "use a new key for a new request")
            if not entry.done:
                raise ProblemError(409, "idempotency-key-in-use", "Request in progress",
                                   "a request with this Idempotency-Key is still running",
                                   headers={"Retry-After": "1"})
            self._entries.move_to_end(slot)
            return entry.response, True
        entry = _Entry(fingerprint, now + self.ttl)
        self._entries[slot] = entry
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        try:
            response = await produce()
        except BaseException:
            if self._entries.get(slot) is entry:
                del self._entries[slot]
            raise
        entry.response, entry.done = response, True
        return response, False
