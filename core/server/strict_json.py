"""Request bodies decoded by :func:`rewardkit.json_text.loads`: UTF-8 and Unicode only.

FastAPI decodes a JSON body with ``json.loads``, which takes a lone surrogate escape and
answers nesting too deep with a bare 400. Routes of this class refuse both as invalid JSON
(422, saying why), through FastAPI's own path for a body that does not decode.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from rewardkit import json_text


class _StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = json_text.loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An ``APIRoute`` whose handler reads the body as :class:`_StrictJSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_StrictJSONRequest(request.scope, request.receive))

        return strict
