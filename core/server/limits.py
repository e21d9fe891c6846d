"""Limits enforced before a request reaches a route: body size, slow bodies, request rate."""

from __future__ import annotations

import asyncio
import collections
import math
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rewardkit.server.problems import problem_response

_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


class BodyLimitMiddleware:
    """Reads the whole body before the app sees it: 413 past ``max_bytes``, 408 on a stall.

    A declared ``Content-Length`` over the limit is refused before a byte is read; a body
    sent in chunks (or lying about its length) is counted as it arrives. The app then gets
    the body from memory, so parsing never starts on an oversized or unfinished body.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _NO_BODY:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(scope, receive, send, declared)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout)
            except TimeoutError:
                response = problem_response(
                    408, "request-timeout", "Request body too slow",
                    f"no body data for {self.read_timeout:g} s", instance=scope["path"],
                    headers={"Connection": "close"})
                await response(scope, receive, send)
                return
            if message["type"] == "http.disconnect":
                return  # the client left; nothing to answer
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send, size)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: waits for the client's disconnect

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        response = problem_response(
            413, "body-too-large", "Request body too large",
            f"the body has at least {size} bytes; the limit is {self.max_bytes}",
            instance=scope["path"], headers={"Connection": "close"}, limit=self.max_bytes)
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RateLimiter:
    """A token bucket per client: ``rate`` requests a second, ``burst`` at once.

    Buckets of the least recently seen clients are dropped past ``max_clients``.
    """

    def __init__(self, rate: float, burst: int, max_clients: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self._buckets: collections.OrderedDict[str, tuple[float, float]] = (
            collections.OrderedDict())

    def acquire(self, client: str) -> float:
        """Take one token; 0.0 when allowed, else the seconds until a token is free."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        tokens, last = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait


def retry_after(seconds: float) -> str:
    """A Retry-After value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
