"""The HTTP client, against a real server and fake ones (its TRL use: test_trl_faces.py)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from test_server_support import running_server, score_requests

from rewardkit import Sample, Status
from rewardkit.client import (
    APIError,
    AsyncClient,
    Client,
    RetryPolicy,
    retry_after_seconds,
)


@pytest.fixture(scope="module")
def server():
    with running_server(max_batch=4, workers=2) as running:
        yield running


# --- against the real server --------------------------------------------------------------


def test_client_endpoints(server):
    with Client(server.url) as client:
        assert client.healthy()
        assert "tunable" in {v["name"] for v in client.verifiers()}
        result = client.verify("exact_match", {"completion": "7", "answer": "7"})
        assert result.status is Status.OK and result.reward == 1.0
        with pytest.raises(APIError) as error:
            client.verify("nope", Sample(completion="x"))
        assert error.value.status == 404 and "nope" in str(error.value)


def test_client_batches_big_score_calls_in_order(server):
    samples = [Sample(completion="x" * i) for i in range(10)]
    before = score_requests(server)
    with Client(server.url, batch_size=4) as client:
        scores = client.score(samples, ["tunable"])
    assert [s.reward for s in scores] == [0.0] * 3 + [1.0] * 7
    assert score_requests(server) - before == 3  # 4 + 4 + 2


def test_async_client(server):
    async def run() -> tuple[list[float], float]:
        async with AsyncClient(server.url, batch_size=3, max_concurrency=2) as client:
            assert await client.healthy()
            scores = await client.score([{"completion": "x" * i} for i in range(7)],
                                        [{"name": "tunable", "options": {"threshold": 2}}])
            result = await client.verify("tunable", {"completion": "abc"})
            return [s.reward for s in scores], result.reward

    rewards, single = asyncio.run(run())
    assert rewards == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0] and single == 1.0


def test_client_retries_a_full_queue_until_it_has_room():
    with running_server(max_pending=1, workers=1) as running, \
            Client(running.url, backoff=0.05, max_backoff=0.2) as client:
        import threading

        hold = threading.Thread(target=client.verify, args=("sleepy", {"completion": "0.7#q"}))
        hold.start()
        while running.service.pending < 1:
            time.sleep(0.01)
        start = time.monotonic()
        result = client.verify("sleepy", {"completion": "0#r"})  # 503 + Retry-After: 1, then ok
        hold.join()
    assert result.status is Status.OK
    assert time.monotonic() - start >= 0.9  # it waited as Retry-After asked


# --- retries against a fake server ----------------------------------------------------------


def scripted(*answers: int | Exception, retry_after: str = "0") -> tuple[httpx.MockTransport,
                                                                          list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if answer == 200:
            return httpx.Response(200, json={"reward": 1.0, "status": "ok", "verifier": "v",
                                             "seconds": 0.0})
        return httpx.Response(answer, headers={"Retry-After": retry_after},
                              json={"title": "busy", "status": answer})

    return httpx.MockTransport(handle), seen


def test_retries_on_503_429_and_connection_errors_with_one_idempotency_key():
    transport, seen = scripted(503, 429, httpx.ConnectError("refused"), 200)
    with Client("http://test", transport=transport, backoff=0.01) as client:
        assert client.verify("v", {"completion": "x"}).reward == 1.0
    assert len(seen) == 4
    assert len({r.headers["idempotency-key"] for r in seen}) == 1


def test_gives_up_after_the_retries():
    transport, seen = scripted(503, 503, 503)
    with Client("http://test", transport=transport, retries=2, backoff=0.01) as client, \
            pytest.raises(APIError) as error:
        client.verify("v", {"completion": "x"})
    assert error.value.status == 503 and len(seen) == 3


def test_client_errors_are_not_retried():
    transport, seen = scripted(422, 200)
    with Client("http://test", transport=transport) as client, pytest.raises(APIError):
        client.verify("v", {"completion": "x"})
    assert len(seen) == 1


def test_connection_refused_is_retried_then_raised():
    with Client("http://127.0.0.1:9", retries=2, backoff=0.01) as client, \
            pytest.raises(httpx.ConnectError):
        client.verify("v", {"completion": "x"})


def test_async_client_retries():
    async def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(503, headers={"Retry-After": "0"}, json={"title": "busy"})
        return httpx.Response(200, json={"scores": [{"reward": 1.0, "results": []}]})

    calls: list[httpx.Request] = []

    async def run() -> float:
        async with AsyncClient("http://test", transport=httpx.MockTransport(handle),
                               backoff=0.01) as client:
            return (await client.score([{"completion": "x"}], ["v"]))[0].reward

    assert asyncio.run(run()) == 1.0 and len(calls) == 3


def test_backoff_is_jittered_exponential_and_honours_retry_after():
    policy = RetryPolicy(backoff=0.5, max_backoff=4.0)
    delays = [policy.delay(attempt) for attempt in range(8) for _ in range(20)]
    assert all(0 <= d <= 4.0 for d in delays) and len(set(delays)) > 100
    asked = httpx.Response(503, headers={"Retry-After": "3"})
    assert all(3.0 <= policy.delay(0, asked) <= 3.4 for _ in range(20))
    assert retry_after_seconds(httpx.Response(503, headers={"Retry-After": "soon"})) is None
    date = httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert retry_after_seconds(date) == 0.0


def test_token_is_sent_and_never_shown():
    transport, seen = scripted(200)
    client = Client("http://test", token="s3cret", transport=transport)
    client.verify("v", {"completion": "x"})
    assert seen[0].headers["authorization"] == "Bearer s3cret"
    assert "s3cret" not in repr(client)
