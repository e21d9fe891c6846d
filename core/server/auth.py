"""Bearer tokens, checked from the headers alone before a request's body is read.

:class:`AuthMiddleware` answers 401 on every route but the public ones (health checks and
the API's documents) before a byte of the body is read or parsed, so a client without a
valid token costs the server no decoding. It leaves the caller's name (a digest of the
token) in ``request.state.caller`` for the routes' ``authenticate`` dependency.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from rewardkit.server.metrics import Metrics
from rewardkit.server.problems import problem_response

#: Routes that need no token: load balancers' checks, and the API's own description.
PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/openapi.json", "/docs",
                          "/docs/oauth2-redirect", "/redoc"})


def bearer_token(authorization: str | None) -> bytes:
    """The token of an ``Authorization: Bearer <token>`` header value; b"" when there is none."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    return token.strip().encode() if scheme.lower() == "bearer" else b""


def token_matches(given: bytes, tokens: list[bytes]) -> bool:
    """Whether ``given`` is one of ``tokens``; compared with every one, each in constant
    time, so timing tells nothing."""
    matched = False
    for token in tokens:
        matched |= hmac.compare_digest(given, token)
    return matched and bool(given)


def caller_id(token: bytes) -> str:
    """How a caller is known in memory: a digest of its token, never the token."""
    return "token:" + hashlib.sha256(token).hexdigest()[:16]


def unauthorized(path: str) -> JSONResponse:
    """The 401 problem, asking for a bearer token."""
    return problem_response(401, "unauthorized", "Unauthorized",
                            "send a valid token as 'Authorization: Bearer <token>'",
                            instance=path, headers={"WWW-Authenticate": "Bearer"})


class AuthMiddleware:
    """401 from the headers alone on every non-public route, when tokens are configured."""

    def __init__(self, app: ASGIApp, tokens: list[bytes], metrics: Metrics) -> None:
        self.app = app
        self.tokens = tokens
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.tokens or scope["path"] in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        header = next((value.decode("latin-1") for name, value in scope.get("headers", ())
                       if name == b"authorization"), None)
        token = bearer_token(header)
        if not token_matches(token, self.tokens):
            self.metrics.rejected.labels("unauthorized").inc()
            await unauthorized(scope["path"])(scope, receive, send)
            return
        scope.setdefault("state", {})["caller"] = caller_id(token)  # request.state.caller
        await self.app(scope, receive, send)
