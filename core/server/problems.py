"""RFC 9457 problem details: every error the API returns, as ``application/problem+json``.

Bodies say what went wrong and what to do; they never carry a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("rewardkit.server")

PROBLEM_JSON = "application/problem+json"
#: Problem types are relative URIs under this prefix, documented in docs/server.md.
TYPE_PREFIX = "/problems/"


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str | None = None


class ProblemError(Exception):
    """Raise to answer with a problem; ``headers`` such as Retry-After go out with it."""

    def __init__(self, status: int, kind: str, title: str, detail: str = "",
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(status: int, kind: str, title: str, detail: str = "", *,
                     instance: str | None = None, headers: dict[str, str] | None = None,
                     **extra: Any) -> JSONResponse:
    body = Problem(type=TYPE_PREFIX + kind, title=title, status=status, detail=detail,
                   instance=instance, **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                        headers=headers, media_type=PROBLEM_JSON)


#: Titles of the plain HTTP errors Starlette raises itself (unknown route, wrong method).
_HTTP_KINDS = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized"}


def install_handlers(app: FastAPI) -> None:
    """Answer every error (ours, validation, routing, unexpected) with a problem body."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.status, exc.kind, exc.title, exc.detail,
                                instance=request.url.path, headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(part) for part in e.get("loc", ())], "msg": _message(e),
                   "type": str(e.get("type", ""))} for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"]) if first["loc"] else "request"
        return problem_response(422, "invalid-request", "Invalid request",
                                f"{where}: {first['msg']}", instance=request.url.path,
                                errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = _HTTP_KINDS.get(exc.status_code, f"http-{exc.status_code}")
        title = str(exc.detail) if isinstance(exc.detail, str) else "HTTP error"
        return problem_response(exc.status_code, kind, title, instance=request.url.path,
                                headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error on %s %s: %s", request.method, request.url.path,
                  type(exc).__name__, exc_info=exc)
        return problem_response(500, "internal", "Internal server error",
                                "the server failed; the error is logged",
                                instance=request.url.path)


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", ""))
    if error.get("type") == "json_invalid" and (error.get("ctx") or {}).get("error"):
        message += f": {error['ctx']['error']}"  # what is wrong, not only where
    return message


_PROBLEM_TITLES = {
    401: "Missing or invalid bearer token",
    403: "An option only the server's operator may set",
    404: "Unknown verifier",
    408: "Request body too slow",
    409: "A request with this Idempotency-Key is running",
    413: "Body or batch too large",
    422: "Invalid request, option, or a limit above the server's cap",
    429: "Rate limit exceeded (see Retry-After)",
    499: "Client closed the request",
    503: "Queue full or not ready (see Retry-After)",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for routes answering these problem statuses."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {status: {"description": _PROBLEM_TITLES[status], "model": Problem,
                     "content": {PROBLEM_JSON: {"schema": schema}}}
            for status in statuses}
