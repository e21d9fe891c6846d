"""``Idempotency-Key``: a repeated request gets the stored response instead of running again.

Keys are scoped to the caller. A key reused with a different request is an error (422); a
key whose first request is still running answers 409. Only successful responses are kept,
so a retry after an error (a full queue, a dropped connection) runs the request again.

What is kept per key is a SHA-256 of the request (its path and body bytes) and the
response's JSON bytes. The store
is bounded by entries and bytes per caller and by bytes overall; a caller makes room only by
dropping its own oldest answered keys, never another caller's, and never a key whose request
still runs. A response that does not fit is answered but not stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import BaseModel
from starlette.responses import Response

from rewardkit.server.problems import ProblemError

#: The response header of a replayed answer.
REPLAYED = "Idempotent-Replayed"
#: Bytes counted for an entry besides its key and response (the digest, the bookkeeping).
ENTRY_OVERHEAD = 256
#: Bodies larger than this are hashed in a thread (hashlib lets go of the GIL).
HASH_OFFLOAD_BYTES = 256 * 1024


@dataclass(eq=False)
class _Entry:
    caller: str
    key: str
    fingerprint: bytes
    expires: float
    response: bytes = b""
    done: bool = False

    @property
    def cost(self) -> int:
        return ENTRY_OVERHEAD + len(self.key) + len(self.response)


class IdempotencyStore:
    """Answers by (caller, key), expiring after ``ttl`` seconds.

    :param size: entries each caller may have (0 turns keys off).
    :param max_bytes: bytes of all entries together.
    :param caller_bytes: bytes of one caller's entries.
    """

    def __init__(self, size: int, ttl: float, max_bytes: int = 64 * 1024 * 1024,
                 caller_bytes: int = 16 * 1024 * 1024) -> None:
        self.size = size
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.caller_bytes = caller_bytes
        self.bytes = 0
        # Per caller, least recently used first; and every entry in the order it was made
        # (the order they expire in, as every entry lives ``ttl``).
        self._callers: dict[str, dict[str, _Entry]] = {}
        self._caller_bytes: dict[str, int] = {}
        self._made: dict[tuple[str, str], _Entry] = {}

    def __len__(self) -> int:
        return len(self._made)

    async def respond(self, caller: str, key: str | None, scope: str, body: bytes,
                      produce: Callable[[], Awaitable[BaseModel]]) -> Response:
        """``produce()``'s response as JSON, or the stored one for a repeated key (with the
        ``Idempotent-Replayed: true`` header). ``scope`` and ``body`` identify the request:
        the same key with another body is refused."""
        if key is None or self.size == 0:
            return _json(await produce())
        fingerprint = (await asyncio.to_thread(_fingerprint, scope, body)
                       if len(body) > HASH_OFFLOAD_BYTES else _fingerprint(scope, body))
        now = time.monotonic()
        self._expire(now)
        entry = self._callers.get(caller, {}).get(key)
        if entry is not None:
            if entry.fingerprint != fingerprint:
                raise ProblemError(422, "idempotency-key-reused", "Idempotency key reused",
                                   "this Idempotency-Key was used with a different request; "
                                   "use a new key for a new request")
            if not entry.done:
                raise ProblemError(409, "idempotency-key-in-use", "Request in progress",
                                   "a request with this Idempotency-Key is still running",
                                   headers={"Retry-After": "1"})
            mine = self._callers[caller]
            mine[key] = mine.pop(key)  # most recently used
            return _json(entry.response, replayed=True)
        entry = _Entry(caller, key, fingerprint, now + self.ttl)
        stored = self._admit(entry, entry.cost)
        try:
            answer = (await produce()).model_dump_json().encode()
        except BaseException:
            if stored:
                self._remove(entry)
            raise
        if stored and self._made.get((caller, key)) is entry:
            if self._room(caller, len(answer), 0, keep=entry):
                entry.response, entry.done = answer, True
                self._grow(caller, len(answer))
            else:
                self._remove(entry)  # too big to keep: answered, not stored
        return _json(answer)

    # --- bookkeeping ---------------------------------------------------------------------

    def _admit(self, entry: _Entry, cost: int) -> bool:
        if not self._room(entry.caller, cost, 1, keep=None):
            return False
        self._callers.setdefault(entry.caller, {})[entry.key] = entry
        self._made[(entry.caller, entry.key)] = entry
        self._grow(entry.caller, cost)
        return True

    def _room(self, caller: str, more: int, entries: int, keep: _Entry | None) -> bool:
        """Make room for ``more`` bytes and ``entries`` entries of ``caller``'s by dropping
        its own oldest answered entries (never ``keep``, never one still running); False when
        that is not enough."""
        mine = self._callers.get(caller, {})

        def fits() -> bool:
            return (len(mine) + entries <= self.size
                    and self._caller_bytes.get(caller, 0) + more <= self.caller_bytes
                    and self.bytes + more <= self.max_bytes)

        if fits():
            return True
        for old in [e for e in mine.values() if e.done and e is not keep]:
            self._remove(old)
            if fits():
                return True
        return False

    def _grow(self, caller: str, cost: int) -> None:
        self.bytes += cost
        self._caller_bytes[caller] = self._caller_bytes.get(caller, 0) + cost

    def _remove(self, entry: _Entry) -> None:
        if self._made.get((entry.caller, entry.key)) is not entry:
            return
        del self._made[(entry.caller, entry.key)]
        mine = self._callers[entry.caller]
        del mine[entry.key]
        self._grow(entry.caller, -entry.cost)
        if not mine:
            del self._callers[entry.caller]
            del self._caller_bytes[entry.caller]

    def _expire(self, now: float) -> None:
        expired = []
        for entry in self._made.values():
            if entry.expires > now:
                break
            if entry.done:  # a request still running keeps its key
                expired.append(entry)
        for entry in expired:
            self._remove(entry)


def _fingerprint(scope: str, body: bytes) -> bytes:
    digest = hashlib.sha256(scope.encode())
    digest.update(b"\0")
    digest.update(body)
    return digest.digest()


def _json(answer: BaseModel | bytes, *, replayed: bool = False) -> Response:
    content = answer if isinstance(answer, bytes) else answer.model_dump_json().encode()
    headers = {REPLAYED: "true"} if replayed else None
    return Response(content, media_type="application/json", headers=headers)
