"""What one client (with a valid token, or none) can make the server do, over real HTTP.

Each test is a finding of the red team (notes in the commit): inline verifiers a client names,
spec fields of the operator lost, idempotency memory, deep bodies, costly options, bodies
read before the 401, one client holding the queue.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, field_validator
from test_server_support import running_server

from rewardkit import EngineConfig, Result, Sample, Verifier, VerifierSpec, hookimpl
from rewardkit.engine import derive_config
from rewardkit.server.idempotency import ENTRY_OVERHEAD, IdempotencyStore
from rewardkit.server.strict_json import MAX_DEPTH

PROBLEM = "application/problem+json"


class InlineSleepy(Verifier):
    """Declares itself inline; sleeps the seconds its completion starts with; says where."""

    name = "inline_sleepy"
    inline = True
    cacheable = False

    def verify(self, sample: Sample) -> Result:
        time.sleep(float(sample.completion_text.split("#")[0]))
        return Result(reward=1.0, details={"pid": os.getpid(),
                                           "thread": threading.current_thread().name})


class SlowOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delay: float = 0.0

    @field_validator("delay")
    @classmethod
    def _costly(cls, value: float) -> float:
        time.sleep(value)  # a validator that costs CPU (a client's regexes, say)
        return value


class SlowOptionsVerifier(Verifier):
    name = "slow_options"
    Options = SlowOptions

    def verify(self, sample: Sample) -> float:
        return 1.0


class LimitsPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(InlineSleepy)
        register(SlowOptionsVerifier)


PLUGINS = (LimitsPlugin(),)


def assert_problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"/problems/{kind}"
    return body


@contextmanager
def healthz_watch(url: str) -> Iterator[list[float]]:
    """Poll /healthz in a thread meanwhile; yields the latencies seen."""
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=url, timeout=30) as probe:
            while not stop.is_set():
                start = time.monotonic()
                probe.get("/healthz")
                latencies.append(time.monotonic() - start)
                time.sleep(0.02)

    thread = threading.Thread(target=poll)
    thread.start()
    time.sleep(0.1)
    try:
        yield latencies
    finally:
        stop.set()
        thread.join()


@pytest.fixture(scope="module")
def server():
    with running_server(workers=1, max_timeout=5.0, plugins=PLUGINS,
                        max_body_bytes=2 * 1024 * 1024) as running:
        yield running


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=20) as client:
        yield client


# --- 1. inline verifiers: only where the operator says so, never on the event loop -----


def test_a_verifier_a_client_names_runs_in_a_worker_under_its_deadline(http):
    """Before: a verifier declared inline ran in the server process, without a deadline,
    whichever client named it (8 MB to exact_match stalled the server 22 s, 1.27 GB)."""
    result = http.post("/v1/verify/inline_sleepy",
                       json={"sample": {"completion": "0#where"}}).json()
    assert result["status"] == "ok"
    assert result["details"]["pid"] != os.getpid()  # a worker process, not the server
    start = time.monotonic()
    late = http.post("/v1/verify/inline_sleepy",
                     json={"sample": {"completion": "3#late"}, "timeout": 0.5}).json()
    assert late["status"] == "timeout" and time.monotonic() - start < 2.5


def test_inline_only_where_the_operator_says_so_and_off_the_event_loop():
    engine = {"verifiers": [{"name": "inline_sleepy", "inline": True}]}
    with running_server(engine=engine, workers=1, plugins=PLUGINS) as running, \
            httpx.Client(base_url=running.url, timeout=20) as http:
        with healthz_watch(running.url) as latencies:
            result = http.post("/v1/score", json={"samples": [{"completion": "1#here"}]}
                               ).json()["scores"][0]["results"][0]
        inline = result["details"]
        assert inline["pid"] == os.getpid()  # in the server process, as configured...
        assert inline["thread"].startswith("asyncio")  # the loop's worker threads
        assert max(latencies) < 0.5  # ...but not on its event loop
        # A request naming it keeps the operator's spec (inline: true), with its options.
        named = http.post("/v1/verify/inline_sleepy", json={"sample": {"completion": "0#x"}})
        assert named.json()["details"]["pid"] == os.getpid()


def test_inline_verifiers_bound_their_own_work(http):
    huge = {"completion": "\ufdfa" * 100_001, "reference": "x"}
    result = http.post("/v1/verify/exact_match", json={"sample": huge,
                                                       "options": {"ignore_case": True}}).json()
    assert (result["status"], result["reward"]) == ("ok", 0.0)
    assert "max_chars" in result["reason"] and "too long" in result["reason"]
    long_reference = http.post("/v1/verify/exact_match", json={
        "sample": {"completion": "x", "reference": ["y" * 60_000, "z" * 60_000]}}).json()
    assert long_reference["status"] == "error" and "max_chars" in long_reference["reason"]
    words = " ".join(str(i) for i in range(40_000))  # 228,890 characters
    repeated = http.post("/v1/verify/repetition", json={"sample": {"completion": words},
                                                        "options": {"n": 64}}).json()
    assert repeated["reward"] == -1.0 and "max_chars" in repeated["reason"]
    formatted = http.post("/v1/verify/format", json={"sample": {"completion": words}}).json()
    assert formatted["reward"] == 0.0 and "max_chars" in formatted["reason"]
    # A request may lower the bound, never raise it above the operator's value.
    lowered = http.post("/v1/verify/exact_match", json={
        "sample": {"completion": "abcdef", "reference": "abcdef"}, "options": {"max_chars": 5}})
    assert "max_chars" in lowered.json()["reason"]
    raised = http.post("/v1/verify/exact_match", json={
        "sample": {"completion": "a", "reference": "a"}, "options": {"max_chars": 10**7}})
    assert assert_problem(raised, 422, "limit-exceeded")["option"] == \
        "exact_match.options.max_chars"


# --- 2. a request's spec keeps the operator's spec-level fields -----------------------------


def test_a_request_keeps_every_field_of_the_operators_spec():
    """Before: the spec was the client's copy, so the operator's ``inline: false`` (and
    ``shadow``) were lost whenever a request named the verifier."""
    from rewardkit import get_plugin_manager

    operator = EngineConfig(verifiers=[{
        "name": "exact_match", "inline": False, "options": {"ignore_case": True},
        "shadow": {"verifier": "exact_match", "sample_rate": 0.5}}])
    request = VerifierSpec(name="exact_match", options={"whitespace": "strip"}, inline=True,
                           weight=2.0, timeout=3)
    [spec] = derive_config(operator, get_plugin_manager(), verifiers=[request],
                           max_timeout=10).verifiers
    assert spec.inline is False and spec.shadow == operator.verifiers[0].shadow
    assert spec.options == {"ignore_case": True, "whitespace": "strip"}
    assert (spec.weight, spec.timeout) == (2.0, 3)
    # A verifier the operator did not configure gets none of the request's own fields.
    [other] = derive_config(operator, get_plugin_manager(), verifiers=[
        VerifierSpec(name="repetition", inline=True)]).verifiers
    assert other.inline is None and other.shadow is None


# --- 3. idempotency keys: a digest of the body, bounded bytes, per caller -------------------


def test_idempotency_keeps_a_digest_not_the_body(server, http):
    """Before: each key kept the whole body as its fingerprint (7 MB → 9.7 MiB kept)."""
    body = {"sample": {"completion": "a" * 1_000_000, "reference": "b"}}
    first = http.post("/v1/verify/exact_match", json=body, headers={"Idempotency-Key": "big"})
    again = http.post("/v1/verify/exact_match", json=body, headers={"Idempotency-Key": "big"})
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    store: IdempotencyStore = server.app.state.idempotency
    assert store.bytes < 2_000
    body["sample"]["completion"] = "c"  # another body with the same key: still a 422
    assert_problem(http.post("/v1/verify/exact_match", json=body,
                             headers={"Idempotency-Key": "big"}), 422, "idempotency-key-reused")


class _Answer(BaseModel):
    text: str


def _respond(store: IdempotencyStore, caller: str, key: str, text: str) -> bool:
    """Store an answer; True when it came back replayed."""
    async def produce() -> _Answer:
        return _Answer(text=text)

    response = asyncio.run(store.respond(caller, key, "t", key.encode(), produce))
    return response.headers.get("Idempotent-Replayed") == "true"


def test_idempotency_store_is_bounded_by_bytes_per_caller():
    answer = "x" * 1000
    per_entry = ENTRY_OVERHEAD + 2 + len(_Answer(text=answer).model_dump_json())
    store = IdempotencyStore(size=100, ttl=60, max_bytes=10 * per_entry,
                             caller_bytes=3 * per_entry)
    for index in range(5):
        _respond(store, "a", f"a{index}", answer)
    assert store.bytes <= 3 * per_entry and len(store) == 3  # a's oldest went
    assert _respond(store, "a", "a4", answer)  # its newest are replayed
    assert not _respond(store, "a", "a0", answer)  # its oldest ran again
    for index in range(3):
        _respond(store, "b", f"b{index}", answer)
    for index in range(3):
        _respond(store, "c", f"c{index}", answer)
    # The store is full (10 entries' worth): d cannot push out a's, b's or c's keys.
    for index in range(3):
        _respond(store, "d", f"d{index}", answer)
    assert store.bytes <= 10 * per_entry
    assert all(_respond(store, caller, f"{caller}{index}", answer)
               for caller in "bc" for index in range(3))


def test_idempotency_never_drops_a_key_whose_request_still_runs():
    store = IdempotencyStore(size=1, ttl=60)

    async def scenario() -> None:
        started, release = asyncio.Event(), asyncio.Event()

        async def slow() -> _Answer:
            started.set()
            await release.wait()
            return _Answer(text="slow")

        running = asyncio.ensure_future(store.respond("a", "k1", "t", b"k1", slow))
        await started.wait()

        async def fast() -> _Answer:
            return _Answer(text="fast")

        await store.respond("a", "k2", "t", b"k2", fast)  # no room: not stored
        with pytest.raises(Exception, match="still running"):
            await store.respond("a", "k1", "t", b"k1", fast)
        release.set()
        await running

    asyncio.run(scenario())
    assert _respond(store, "a", "k1", "slow")


# --- 4. nesting: a clear 422 when reading the body, never a 500 -----------------------------


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(("path", "raw"), [
    ("/v1/verify/exact_match", '{"sample": {"completion": "x", "answer": %s}}'),
    ("/v1/verify/exact_match", '{"sample": {"completion": "x", "answer": "x", "col": %s}}'),
    ("/v1/verify/exact_match", '{"sample": {"completion": "x"}, "options": {"a": %s}}'),
    ("/v1/score", '{"samples": [{"completion": "4", "answer": "4"}, '
                  '{"completion": "x", "tag": %s}], "verifiers": ["exact_match"]}'),
    ("/v1/openrlhf/get_reward", '{"query": ["4"], "labels": [%s]}'),
])
@pytest.mark.parametrize("levels", [256, 300, 100_000])
def test_too_deep_a_body_is_a_422_when_read(http, path, raw, levels):
    """Before: nesting of 256 or more anywhere made the fingerprint's model_dump_json raise,
    and the whole batch was answered 500."""
    response = http.post(path, content=(raw % deep(levels)).encode(),
                         headers={"content-type": "application/json",
                                  "Idempotency-Key": f"deep-{levels}"})
    body = assert_problem(response, 422, "invalid-request")
    assert "nested" in body["detail"]  # too deep to decode at all, or past MAX_DEPTH


def test_nesting_within_the_limit_is_served(http):
    raw = '{"sample": {"completion": "x", "answer": "x", "col": ' + deep(MAX_DEPTH - 3) + "}}"
    response = http.post("/v1/verify/exact_match", content=raw.encode(),
                         headers={"content-type": "application/json",
                                  "Idempotency-Key": "shallow"})
    assert response.status_code == 200 and response.json()["reward"] == 1.0


# --- 5. costly options: bounded, and validated off the event loop ---------------------------


def test_a_huge_rule_set_regex_is_refused_at_once(server, http):
    """Before: a 4 MB alternation was compiled on the event loop, stalling it 17 s."""
    pattern = "(?:x" + "|ab" * 500_000 + ")"  # 1.5 MB
    rules = {"rules": [{"type": "regex", "field": "a", "pattern": pattern}]}
    with healthz_watch(server.url) as latencies:
        start = time.monotonic()
        response = http.post("/v1/verify/rules", json={"sample": {"completion": "a: 1"},
                                                       "options": {"rules": rules}})
        took = time.monotonic() - start
    body = assert_problem(response, 422, "invalid-options")
    assert "at most 1,000" in body["detail"]
    assert took < 2 and max(latencies) < 0.5
    many = {"rules": [{"type": "regex", "field": "a", "pattern": "a" * 900}] * 20}
    body = assert_problem(http.post("/v1/verify/rules", json={
        "sample": {"completion": "a: 1"}, "options": {"rules": many}}), 422, "invalid-options")
    assert "together" in body["detail"]


def test_option_validation_runs_off_the_event_loop(server, http):
    with healthz_watch(server.url) as latencies:
        result = http.post("/v1/verify/slow_options", json={"sample": {"completion": "x"},
                                                            "options": {"delay": 1.0}})
    assert result.status_code == 200
    assert max(latencies) < 0.5


# --- 6. no token: 401 before the body is read -----------------------------------------------


def test_a_request_without_a_token_is_refused_before_its_body_is_read():
    """Before: the body was read (waiting for all of it) and parsed before the 401."""
    with running_server(tokens=["t0ken"], read_timeout=5, workers=1) as running:
        port = int(running.url.rsplit(":", 1)[1])
        for auth in (b"", b"Authorization: Bearer wrong\r\n"):
            answer: Any
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\n" + auth +
                             b"Content-Type: application/json\r\n"
                             b"Content-Length: 8000000\r\n\r\n{")  # and never the rest
                start = time.monotonic()
                answer = b""
                while b"}" not in answer and (chunk := sock.recv(65536)):
                    answer += chunk  # the headers, then the problem body
                assert time.monotonic() - start < 2
            answer = answer.decode()
            assert answer.startswith("HTTP/1.1 401"), answer
            assert "/problems/unauthorized" in answer
            assert "www-authenticate: bearer" in answer.lower()
        with httpx.Client(base_url=running.url) as http:
            assert http.get("/healthz").status_code == 200
            assert http.get("/openapi.json").status_code == 200
            ok = http.post("/v1/verify/exact_match",
                           json={"sample": {"completion": "x", "reference": "x"}},
                           headers={"Authorization": "Bearer t0ken"})
            assert ok.status_code == 200
            metrics = http.get("/metrics", headers={"Authorization": "Bearer t0ken"}).text
            assert 'rewardkit_rejected_requests_total{reason="unauthorized"} 2.0' in metrics


# --- 7. one client cannot hold the whole queue ------------------------------------------------


def test_each_caller_has_its_own_cap_on_pending_samples():
    with running_server(tokens=["token-a", "token-b"], max_caller_pending=2, workers=1,
                        plugins=PLUGINS) as running, \
            httpx.Client(base_url=running.url, timeout=20) as http:
        a = {"Authorization": "Bearer token-a"}
        b = {"Authorization": "Bearer token-b"}
        slow = {"samples": [{"completion": f"0.8#{i}"} for i in range(2)],
                "verifiers": ["inline_sleepy"]}
        first = threading.Thread(target=httpx.post, args=(f"{running.url}/v1/score",),
                                 kwargs={"json": slow, "headers": a, "timeout": 20})
        first.start()
        deadline = time.monotonic() + 5
        while running.service.pending < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        more = http.post("/v1/verify/inline_sleepy", json={"sample": {"completion": "0#a"}},
                         headers=a)
        body = assert_problem(more, 429, "too-many-pending")
        assert body["limit"] == 2 and int(more.headers["retry-after"]) >= 1
        other = http.post("/v1/verify/inline_sleepy", json={"sample": {"completion": "0#b"}},
                          headers=b)
        assert other.status_code == 200  # admitted: b has its own share of the queue
        first.join()
