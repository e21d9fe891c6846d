"""An HTTP client for ``rewardkit serve`` (sync and async).

:class:`Client` (sync) and :class:`AsyncClient` retry on 429, 502, 503, 504 and connection
errors with exponential backoff and full jitter, waiting at least as long as the server's
``Retry-After`` asks. Each request carries an ``Idempotency-Key``, reused by its retries,
so a retried batch is never scored twice. Big ``score`` calls are split into batches.

TRL reward functions verified by a server are the TRL adapter's own, over this client::

    reward_funcs = rewardkit.trl.reward_functions(["math"], remote="http://verifier:8000")
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from rewardkit.config import VerifierSpec
from rewardkit.json_text import unicode_data
from rewardkit.models import Result, Sample, Score

DEFAULT_TIMEOUT = 60.0
DEFAULT_BATCH_SIZE = 256
#: Statuses worth retrying: the server is busy or a proxy in front of it is.
RETRY_STATUSES = frozenset({429, 502, 503, 504})

SampleLike = Sample | Mapping[str, Any]
VerifierLike = str | VerifierSpec | Mapping[str, Any]


class APIError(Exception):
    """The server answered with an error; ``problem`` is its RFC 9457 body."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        title = problem.get("title") or f"HTTP {status}"
        detail = problem.get("detail")
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else ""))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait between attempts."""

    #: Retries after the first attempt.
    retries: int = 5
    #: Seconds the first backoff may last; it doubles each retry, up to ``max_backoff``.
    backoff: float = 0.5
    max_backoff: float = 30.0
    #: The longest ``Retry-After`` honoured (a larger one is cut to this).
    max_retry_after: float = 120.0

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry ``attempt`` (0-based): full jitter, or Retry-After."""
        ceiling = min(self.max_backoff, self.backoff * 2 ** attempt)
        wait = random.uniform(0, ceiling)
        asked = retry_after_seconds(response) if response is not None else None
        if asked is not None:
            # At least what the server asked, spread a little so clients do not return at once.
            asked = min(asked, self.max_retry_after)
            wait = max(wait, asked + random.uniform(0, 0.1 * asked + 0.05))
        return wait


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _retryable(exc: httpx.TransportError) -> bool:
    # A read timeout means the server took the request and was slow: it cancelled the work
    # when we hung up, and trying again would likely time out again.
    return not isinstance(exc, httpx.ReadTimeout)


def _raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    try:
        problem = response.json()
    except ValueError:
        problem = {"title": response.reason_phrase, "detail": response.text[:500]}
    if not isinstance(problem, dict):
        problem = {"detail": str(problem)[:500]}
    raise APIError(response.status_code, problem)


# --- request bodies --------------------------------------------------------------------


def _sample_json(sample: SampleLike) -> dict[str, Any]:
    if not isinstance(sample, Sample):
        sample = Sample.from_record(dict(sample))
    # Text with a lone surrogate has no UTF-8 form: it goes with U+FFFD in its place (as
    # UTF-8 encoders do) rather than failing a trainer's whole batch here.
    data: dict[str, Any] = unicode_data(sample.model_dump(mode="json"))
    return data


def _verifier_json(verifier: VerifierLike) -> str | dict[str, Any]:
    if isinstance(verifier, str):
        return verifier
    spec = verifier if isinstance(verifier, VerifierSpec) else VerifierSpec(**verifier)
    return spec.model_dump(mode="json", exclude_defaults=True, exclude={"inline"})


def _score_body(samples: Sequence[dict[str, Any]], verifiers: Sequence[VerifierLike] | None,
                route_by: str | None, routes: Mapping[str, list[str]] | None,
                timeout: float | None) -> dict[str, Any]:
    body: dict[str, Any] = {"samples": list(samples)}
    if verifiers is not None:
        body["verifiers"] = [_verifier_json(v) for v in verifiers]
    if route_by is not None:
        body["route_by"] = route_by
    if routes is not None:
        body["routes"] = {k: [v] if isinstance(v, str) else list(v) for k, v in routes.items()}
    if timeout is not None:
        body["timeout"] = timeout
    return body


def _verify_body(sample: SampleLike, options: Mapping[str, Any] | None,
                 timeout: float | None) -> dict[str, Any]:
    body: dict[str, Any] = {"sample": _sample_json(sample), "options": dict(options or {})}
    if timeout is not None:
        body["timeout"] = timeout
    return body


def _chunks(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def _keys(base: str | None, count: int) -> list[str]:
    base = base or uuid.uuid4().hex
    return [base] if count == 1 else [f"{base}:{i}" for i in range(count)]


def _scores(response: httpx.Response) -> list[Score]:
    return [Score.model_validate(item) for item in response.json()["scores"]]


class _Base:
    def __init__(self, url: str, token: str | None, timeout: float | httpx.Timeout,
                 retries: int, backoff: float, max_backoff: float, batch_size: int) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.url = url
        self.retry = RetryPolicy(retries=retries, backoff=backoff, max_backoff=max_backoff)
        self.batch_size = batch_size
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._timeout = timeout

    def __repr__(self) -> str:  # never shows the token
        return f"<{type(self).__name__} {self.url}>"


class Client(_Base):
    """A synchronous client of a rewardkit server.

    :param url: the server's base URL, e.g. ``http://127.0.0.1:8000``.
    :param token: a bearer token, when the server requires one.
    :param timeout: seconds per HTTP request (or an ``httpx.Timeout``).
    :param retries: retries after a 429/502/503/504 or a connection error.
    :param backoff: the first backoff ceiling in seconds; doubles per retry up to ``max_backoff``.
    :param batch_size: most samples per ``/v1/score`` request; bigger calls are split.
    :param transport: an httpx transport (tests, proxies).
    """

    def __init__(self, url: str, *, token: str | None = None,
                 timeout: float | httpx.Timeout = DEFAULT_TIMEOUT, retries: int = 5,
                 backoff: float = 0.5, max_backoff: float = 30.0,
                 batch_size: int = DEFAULT_BATCH_SIZE,
                 transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(url, token, timeout, retries, backoff, max_backoff, batch_size)
        self._http = httpx.Client(base_url=url, headers=self._headers, timeout=timeout,
                                  transport=transport)

    def request(self, method: str, path: str, *, json: Any = None,
                idempotency_key: str | None = None) -> httpx.Response:
        """Send a request, retrying as the policy says; raises :class:`APIError` on failure."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        attempt = 0
        while True:
            try:
                response = self._http.request(method, path, json=json, headers=headers)
            except httpx.TransportError as exc:
                if attempt >= self.retry.retries or not _retryable(exc):
                    raise
                time.sleep(self.retry.delay(attempt))
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= self.retry.retries:
                    _raise_for(response)
                    return response
                time.sleep(self.retry.delay(attempt, response))
            attempt += 1

    def verifiers(self) -> list[dict[str, Any]]:
        """The server's installed verifiers (name, plugin, description, options schema...)."""
        found: list[dict[str, Any]] = self.request("GET", "/v1/verifiers").json()["verifiers"]
        return found

    def verify(self, verifier: str, sample: SampleLike, *,
               options: Mapping[str, Any] | None = None, timeout: float | None = None,
               idempotency_key: str | None = None) -> Result:
        """One verifier's Result for one sample."""
        response = self.request("POST", f"/v1/verify/{verifier}",
                                json=_verify_body(sample, options, timeout),
                                idempotency_key=idempotency_key or uuid.uuid4().hex)
        return Result.model_validate(response.json())

    def score(self, samples: Iterable[SampleLike],
              verifiers: Sequence[VerifierLike] | None = None, *, route_by: str | None = None,
              routes: Mapping[str, list[str]] | None = None, timeout: float | None = None,
              idempotency_key: str | None = None) -> list[Score]:
        """Scores for ``samples``, in order, sent ``batch_size`` at a time.

        Without ``verifiers`` the server's configured verifiers are used.
        """
        items = [_sample_json(s) for s in samples]
        chunks = _chunks(items, self.batch_size)
        scores: list[Score] = []
        for chunk, key in zip(chunks, _keys(idempotency_key, len(chunks))):
            body = _score_body(chunk, verifiers, route_by, routes, timeout)
            scores += _scores(self.request("POST", "/v1/score", json=body, idempotency_key=key))
        return scores

    def healthy(self) -> bool:
        """True when ``/healthz`` answers (no retries)."""
        try:
            return self._http.get("/healthz").is_success
        except httpx.TransportError:
            return False

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Base):
    """The asynchronous twin of :class:`Client`; batches of one call go out concurrently.

    :param max_concurrency: batches of one ``score`` call in flight at once.
    """

    def __init__(self, url: str, *, token: str | None = None,
                 timeout: float | httpx.Timeout = DEFAULT_TIMEOUT, retries: int = 5,
                 backoff: float = 0.5, max_backoff: float = 30.0,
                 batch_size: int = DEFAULT_BATCH_SIZE, max_concurrency: int = 4,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(url, token, timeout, retries, backoff, max_backoff, batch_size)
        self.max_concurrency = max_concurrency
        self._http = httpx.AsyncClient(base_url=url, headers=self._headers, timeout=timeout,
                                       transport=transport)

    async def request(self, method: str, path: str, *, json: Any = None,
                      idempotency_key: str | None = None) -> httpx.Response:
        """Send a request, retrying as the policy says; raises :class:`APIError` on failure."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        attempt = 0
        while True:
            try:
                response = await self._http.request(method, path, json=json, headers=headers)
            except httpx.TransportError as exc:
                if attempt >= self.retry.retries or not _retryable(exc):
                    raise
                await asyncio.sleep(self.retry.delay(attempt))
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= self.retry.retries:
                    _raise_for(response)
                    return response
                await asyncio.sleep(self.retry.delay(attempt, response))
            attempt += 1

    async def verifiers(self) -> list[dict[str, Any]]:
        """The server's installed verifiers (name, plugin, description, options schema...)."""
        response = await self.request("GET", "/v1/verifiers")
        found: list[dict[str, Any]] = response.json()["verifiers"]
        return found

    async def verify(self, verifier: str, sample: SampleLike, *,
                     options: Mapping[str, Any] | None = None, timeout: float | None = None,
                     idempotency_key: str | None = None) -> Result:
        """One verifier's Result for one sample."""
        response = await self.request("POST", f"/v1/verify/{verifier}",
                                      json=_verify_body(sample, options, timeout),
                                      idempotency_key=idempotency_key or uuid.uuid4().hex)
        return Result.model_validate(response.json())

    async def score(self, samples: Iterable[SampleLike],
                    verifiers: Sequence[VerifierLike] | None = None, *,
                    route_by: str | None = None, routes: Mapping[str, list[str]] | None = None,
                    timeout: float | None = None,
                    idempotency_key: str | None = None) -> list[Score]:
        """Scores for ``samples``, in order; batches go out up to ``max_concurrency`` at once."""
        items = [_sample_json(s) for s in samples]
        chunks = _chunks(items, self.batch_size)
        gate = asyncio.Semaphore(self.max_concurrency)

        async def one(chunk: list[dict[str, Any]], key: str) -> list[Score]:
            async with gate:
                body = _score_body(chunk, verifiers, route_by, routes, timeout)
                return _scores(await self.request("POST", "/v1/score", json=body,
                                                  idempotency_key=key))

        parts = await asyncio.gather(*(one(chunk, key) for chunk, key
                                       in zip(chunks, _keys(idempotency_key, len(chunks)))))
        return [score for part in parts for score in part]

    async def healthy(self) -> bool:
        """True when ``/healthz`` answers (no retries)."""
        try:
            return (await self._http.get("/healthz")).is_success
        except httpx.TransportError:
            return False

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


__all__ = ["APIError", "AsyncClient", "Client", "RetryPolicy", "retry_after_seconds"]
