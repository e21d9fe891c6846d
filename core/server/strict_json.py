"""Request bodies decoded by :func:`rewardkit.json_text.loads`: UTF-8, Unicode, shallow.

FastAPI decodes a JSON body with ``json.loads``, which takes a lone surrogate escape and
answers nesting too deep with a bare 400. Routes of this class refuse both as invalid JSON
(422, saying why), through FastAPI's own path for a body that does not decode.

Nesting is held to :data:`MAX_DEPTH` levels, far below what every later step can handle:
pydantic serialises at most 255 levels (the idempotency fingerprint, the engine's config
key), and a deeper reference or column once made a whole batch a 500.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from rewardkit import json_text

#: The deepest nesting of arrays and objects a request body may have.
MAX_DEPTH = 64
#: Bodies larger than this are decoded in a thread, so the event loop stays free.
OFFLOAD_BYTES = 64 * 1024


def loads(raw: bytes) -> Any:
    """:func:`json_text.loads`, also raising :class:`json.JSONDecodeError` for nesting
    deeper than :data:`MAX_DEPTH`."""
    value = json_text.loads(raw)
    if nesting_depth(value, MAX_DEPTH) > MAX_DEPTH:
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels of arrays and "
                                   "objects", "", 0)
    return value


def nesting_depth(value: Any, stop: int) -> int:
    """How deep arrays and objects nest in ``value`` (a scalar: 0), counted up to ``stop + 1``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > stop:
            return deepest
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))
    return deepest


class _StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            self._json = await asyncio.to_thread(loads, raw) if len(raw) > OFFLOAD_BYTES \
                else loads(raw)
        return self._json


class StrictJSONRoute(APIRoute):
    """An ``APIRoute`` whose handler reads the body as :class:`_StrictJSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_StrictJSONRequest(request.scope, request.receive))

        return strict
