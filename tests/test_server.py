"""The REST service over real HTTP: every endpoint, limit and error, auth, idempotency."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time

import httpx
import pytest
from click.testing import CliRunner
from test_server_support import running_server

from rewardkit.cli import cli
from rewardkit.config import ConfigError
from rewardkit.server import ServerSettings, check_bind

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def server():
    with running_server(max_batch=8, max_body_bytes=4096, max_timeout=5.0,
                        max_memory_mb=512) as running:
        yield running


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def assert_problem(response: httpx.Response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"/problems/{kind}"
    assert body["title"]
    assert "Traceback" not in response.text
    return body


# --- endpoints -------------------------------------------------------------------------


def test_health_ready_and_openapi(http):
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz").json()
    assert ready["status"] == "ready" and ready["workers"] == 2
    paths = http.get("/openapi.json").json()["paths"]
    assert {"/v1/verifiers", "/v1/verify/{verifier}", "/v1/score", "/healthz", "/readyz",
            "/metrics"} <= set(paths)


def test_verifiers_lists_the_catalog(http):
    body = http.get("/v1/verifiers").json()
    names = {v["name"]: v for v in body["verifiers"]}
    assert {"exact_match", "sleepy", "tunable"} <= set(names)
    assert names["tunable"]["options"]["properties"]["threshold"]["default"] == 3
    assert names["exact_match"]["distribution"] == "rewardkit"
    assert isinstance(body["failures"], list)


def test_verify_one_sample(http):
    response = http.post("/v1/verify/exact_match",
                         json={"sample": {"completion": " 42 ", "reference": "42"}})
    assert response.status_code == 200
    result = response.json()
    assert result["reward"] == 1.0 and result["status"] == "ok"
    assert result["verifier"] == "exact_match"


def test_verify_with_options_and_chat_completion(http):
    sample = {"prompt": [{"role": "user", "content": "say hi"}],
              "completion": [{"role": "assistant", "content": "hi"}]}
    short = http.post("/v1/verify/tunable", json={"sample": sample}).json()
    lenient = http.post("/v1/verify/tunable",
                        json={"sample": sample, "options": {"threshold": 2}}).json()
    assert (short["reward"], lenient["reward"]) == (0.0, 1.0)


def test_score_batch_in_order_with_weights_and_routing(http):
    samples = [{"completion": "42", "reference": "42", "metadata": {"task": "exact"}},
               {"completion": "long enough", "metadata": {"task": "length"}},
               {"completion": "nope", "reference": "42", "metadata": {"task": "exact"}}]
    body = {"samples": samples,
            "verifiers": ["exact_match:2", {"name": "tunable", "label": "length"}],
            "route_by": "task", "routes": {"exact": ["exact_match"]}}
    scores = http.post("/v1/score", json=body).json()["scores"]
    assert [s["reward"] for s in scores] == [2.0, 1.0, 0.0]
    assert [[r["verifier"] for r in s["results"]] for s in scores] == [
        ["exact_match"], ["length"], ["exact_match"]]


def test_score_uses_the_server_config_by_default():
    engine = {"verifiers": [{"name": "tunable", "options": {"threshold": 1}}]}
    with running_server(engine=engine, workers=1) as running:
        response = httpx.post(f"{running.url}/v1/score", json={"samples": [{"completion": "x"}]})
    assert response.json()["scores"][0]["results"][0]["verifier"] == "tunable"
    assert response.json()["scores"][0]["reward"] == 1.0


def test_verifier_errors_are_results_without_tracebacks(http):
    result = http.post("/v1/verify/boom", json={"sample": {"completion": "x"}}).json()
    assert result["status"] == "error" and "kaboom" in result["reason"]
    assert "traceback" not in result["details"]


def test_hung_verifier_times_out_under_a_capped_deadline(http):
    start = time.monotonic()
    result = http.post("/v1/verify/bomb", json={"sample": {"completion": "a"},
                                               "timeout": 0.5}).json()
    assert result["status"] == "timeout" and result["reward"] == 0.0
    assert time.monotonic() - start < 4


def test_metrics(http):
    http.post("/v1/verify/exact_match", json={"sample": {"completion": "1", "reference": "1"}})
    text = http.get("/metrics").text
    assert 'rewardkit_http_requests_total{method="POST",route="/v1/verify/{verifier}"' in text
    assert 'rewardkit_verifications_total{status="ok",verifier="exact_match"}' in text
    assert "rewardkit_http_request_duration_seconds_bucket" in text
    for gauge in ("rewardkit_pool_workers 2.0", "rewardkit_pool_saturation",
                  "rewardkit_pool_queued_units", "rewardkit_pending_samples"):
        assert gauge in text


def test_clients_cannot_mint_metric_series(http):
    """Before: each HTTP method a client made up, and each verifier label of its requests,
    became series the server kept for good (a memory leak any client could drive)."""
    for index in range(3):
        http.request(f"BREW{index}", "/v1/verifiers")
        http.post("/v1/score", json={"samples": [{"completion": "1", "reference": "1"}],
                                     "verifiers": [{"name": "exact_match",
                                                    "label": f"mine-{index}"}]})
    text = http.get("/metrics").text
    assert "BREW" not in text and "mine-" not in text
    assert 'rewardkit_http_requests_total{method="other",route="/v1/verifiers",status="405"}' \
        in text
    assert 'rewardkit_verifications_total{status="ok",verifier="exact_match"}' in text


# --- limits and errors -------------------------------------------------------------------


def test_unknown_verifier_is_404(http):
    assert_problem(http.post("/v1/verify/nope", json={"sample": {"completion": "x"}}),
                   404, "unknown-verifier")
    assert_problem(http.post("/v1/score", json={"samples": [{"completion": "x"}],
                                                 "verifiers": ["nope"]}), 404,
                   "unknown-verifier")


def test_unknown_route_is_a_problem(http):
    assert_problem(http.get("/v1/nothing"), 404, "not-found")


@pytest.mark.parametrize("body", [
    {"sample": {"prompt": "no completion"}},
    {"sample": {"completion": "x", "metadata": "not an object"}},
    {"sample": {"completion": 42}},
    {"sample": {"completion": "x"}, "timeout": -1},
    "not an object",
])
def test_invalid_sample_is_422(http, body):
    problem = assert_problem(http.post("/v1/verify/exact_match", json=body), 422,
                             "invalid-request")
    assert problem["errors"]


def test_malformed_json_is_422(http):
    response = http.post("/v1/score", content=b"{not json",
                         headers={"content-type": "application/json"})
    assert_problem(response, 422, "invalid-request")


def test_invalid_option_is_422(http):
    body = {"sample": {"completion": "x"}, "options": {"threshold": "many"}}
    problem = assert_problem(http.post("/v1/verify/tunable", json=body), 422,
                             "invalid-options")
    assert "threshold" in problem["detail"]


@pytest.mark.parametrize(("url", "body"), [
    ("/v1/verify/tunable", {"sample": {"completion": "x"}, "timeout": 6}),
    ("/v1/verify/tunable", {"sample": {"completion": "x"}, "options": {"timeout_s": 60}}),
    ("/v1/verify/tunable", {"sample": {"completion": "x"}, "options": {"memory_mb": 4096}}),
    ("/v1/score", {"samples": [], "verifiers": [{"name": "tunable", "timeout": 10}]}),
    ("/v1/score", {"samples": [], "verifiers": ["tunable"], "timeout": 5.5}),
])
def test_clients_cannot_raise_deadlines_or_memory_past_the_caps(http, url, body):
    problem = assert_problem(http.post(url, json=body), 422, "limit-exceeded")
    assert "at most" in problem["detail"]


def test_within_the_caps_is_fine(http):
    body = {"sample": {"completion": "xyz"}, "timeout": 5,
            "options": {"timeout_s": 4, "memory_mb": 256}}
    assert http.post("/v1/verify/tunable", json=body).json()["reward"] == 1.0


def test_batch_too_large_is_413(http):
    body = {"samples": [{"completion": str(i)} for i in range(9)], "verifiers": ["tunable"]}
    problem = assert_problem(http.post("/v1/score", json=body), 413, "batch-too-large")
    assert problem["limit"] == 8


def test_body_too_large_is_413_before_parsing(http):
    big = b'{"samples": [' + b" " * 5000 + b"]}"
    response = http.post("/v1/score", content=big, headers={"content-type": "application/json"})
    assert_problem(response, 413, "body-too-large")


def test_streamed_body_too_large_is_413(http):
    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"samples": ['
        for _ in range(10):
            yield b" " * 1000
        yield b"]}"

    response = http.post("/v1/score", content=chunks(),
                         headers={"content-type": "application/json"})
    assert_problem(response, 413, "body-too-large")


def test_slow_body_is_408():
    with running_server(read_timeout=0.3, workers=1) as running:
        port = int(running.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            start = time.monotonic()
            answer = b""
            while chunk := sock.recv(4096):  # the server closes the connection after it
                answer += chunk
            answer = answer.decode()
        assert answer.startswith("HTTP/1.1 408")
        assert PROBLEM in answer and "request-timeout" in answer
        assert time.monotonic() - start < 3


def test_queue_full_is_503_with_retry_after():
    with running_server(max_pending=2, workers=1) as running:
        slow = {"samples": [{"completion": f"0.6#{i}"} for i in range(2)],
                "verifiers": ["sleepy"]}
        with httpx.Client(base_url=running.url, timeout=10) as http:
            first = threading.Thread(target=http.post, args=("/v1/score",), kwargs={"json": slow})
            first.start()
            deadline = time.monotonic() + 5
            while running.service.pending < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            start = time.monotonic()
            response = http.post("/v1/verify/sleepy", json={"sample": {"completion": "0#x"}})
            assert time.monotonic() - start < 0.5  # answered at once, not queued
            assert_problem(response, 503, "queue-full")
            assert int(response.headers["retry-after"]) >= 1
            assert http.get("/readyz").status_code == 503
            first.join()
            assert http.get("/readyz").status_code == 200


def test_rate_limit_is_429_per_token():
    with running_server(rate_limit=1.0, rate_burst=2, tokens=["a-token", "b-token"],
                        workers=1) as running:
        body = {"sample": {"completion": "x"}}
        a = {"Authorization": "Bearer a-token"}
        b = {"Authorization": "Bearer b-token"}
        with httpx.Client(base_url=running.url) as http:
            codes = [http.post("/v1/verify/tunable", json=body, headers=a).status_code
                     for _ in range(3)]
            assert codes == [200, 200, 429]
            response = http.post("/v1/verify/tunable", json=body, headers=a)
            assert_problem(response, 429, "rate-limited")
            assert int(response.headers["retry-after"]) >= 1
            # Another token has its own bucket.
            assert http.post("/v1/verify/tunable", json=body, headers=b).status_code == 200


# --- auth --------------------------------------------------------------------------------


def test_bearer_tokens(caplog):
    caplog.set_level(logging.DEBUG)
    with running_server(tokens=["s3cret-one", "s3cret-two"], workers=1) as running, \
            httpx.Client(base_url=running.url) as http:
        body = {"sample": {"completion": "x", "reference": "x"}}
        missing = http.post("/v1/verify/exact_match", json=body)
        assert_problem(missing, 401, "unauthorized")
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = http.post("/v1/verify/exact_match", json=body,
                          headers={"Authorization": "Bearer s3cret-on"})
        assert_problem(wrong, 401, "unauthorized")
        for token in ("s3cret-one", "s3cret-two"):
            ok = http.post("/v1/verify/exact_match", json=body,
                           headers={"Authorization": f"Bearer {token}"})
            assert ok.status_code == 200
        assert_problem(http.get("/v1/verifiers"), 401, "unauthorized")
        assert_problem(http.get("/metrics"), 401, "unauthorized")
        assert http.get("/healthz").status_code == 200  # load balancers need no token
        assert http.get("/readyz").status_code == 200
    assert "s3cret" not in caplog.text


def test_tokens_from_the_environment(monkeypatch):
    from rewardkit.server.settings import tokens_from_env

    monkeypatch.setenv("REWARDKIT_API_TOKENS", " one, two ,,")
    assert tokens_from_env(("cli",)) == ["cli", "one", "two"]


def test_no_token_means_loopback_only():
    open_settings = ServerSettings()
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_bind(host, open_settings, insecure=False)
    with pytest.raises(ConfigError, match="without authentication"):
        check_bind("0.0.0.0", open_settings, insecure=False)
    check_bind("0.0.0.0", open_settings, insecure=True)
    check_bind("0.0.0.0", ServerSettings(tokens=["t"]), insecure=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1 and "without authentication" in result.output


def test_settings_never_show_tokens():
    settings = ServerSettings(tokens=["hunter2"])
    assert "hunter2" not in repr(settings) and "hunter2" not in settings.model_dump_json()


# --- idempotency -------------------------------------------------------------------------


def test_idempotency_key_replays_the_stored_response(http):
    body = {"sample": {"completion": "0.05#idem"}}
    headers = {"Idempotency-Key": "k-1"}
    first = http.post("/v1/verify/sleepy", json=body, headers=headers)
    again = http.post("/v1/verify/sleepy", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()  # same seconds, cached False: not run again
    fresh = http.post("/v1/verify/sleepy", json=body, headers={"Idempotency-Key": "k-2"})
    assert fresh.json()["cached"] is True  # a new key runs again (here from the cache)


def test_idempotency_key_with_another_body_is_422(http):
    headers = {"Idempotency-Key": "k-3"}
    body = {"samples": [{"completion": "a"}], "verifiers": ["tunable"]}
    assert http.post("/v1/score", json=body, headers=headers).status_code == 200
    body["samples"][0]["completion"] = "b"
    assert_problem(http.post("/v1/score", json=body, headers=headers), 422,
                   "idempotency-key-reused")


def test_failed_requests_are_not_stored(http):
    headers = {"Idempotency-Key": "k-4"}
    body = {"sample": {"completion": "x"}}
    assert http.post("/v1/verify/nope", json=body, headers=headers).status_code == 404
    assert http.post("/v1/verify/nope", json=body, headers=headers).status_code == 404


# --- event loop and disconnects ---------------------------------------------------------


def test_healthz_stays_fast_while_every_worker_is_busy(server, http):
    busy = {"samples": [{"completion": f"1.0#busy{i}"} for i in range(4)],
            "verifiers": ["sleepy"]}
    worker = threading.Thread(target=http.post, args=("/v1/score",), kwargs={"json": busy})
    worker.start()
    try:
        deadline = time.monotonic() + 5
        while server.service.pool.busy < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        with httpx.Client(base_url=server.url) as probe:
            times = []
            for _ in range(10):
                start = time.monotonic()
                assert probe.get("/healthz").status_code == 200
                times.append(time.monotonic() - start)
        assert server.service.pool.busy == 2
        assert max(times) < 0.2
    finally:
        worker.join()


def test_client_disconnect_cancels_its_work():
    with running_server(workers=1) as running:
        body = {"samples": [{"completion": f"0.25#gone{i}"} for i in range(20)],
                "verifiers": ["sleepy"]}
        start = time.monotonic()

        async def leave_early() -> None:
            async with httpx.AsyncClient(base_url=running.url) as client:
                with pytest.raises(httpx.ReadTimeout):
                    await client.post("/v1/score", json=body, timeout=0.4)

        asyncio.run(leave_early())
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            ready = httpx.get(f"{running.url}/readyz").json()
            if ready["pending_samples"] == 0 and ready["queued_units"] == 0:
                break
            time.sleep(0.02)
        assert ready["pending_samples"] == 0 and ready["queued_units"] == 0
        result = httpx.post(f"{running.url}/v1/verify/sleepy",
                            json={"sample": {"completion": "0#after"}}, timeout=10).json()
        assert result["status"] == "ok"
        # 5 s of work was queued. The pool drops every unit not yet handed to the worker; the
        # chunk the worker holds (half the queue, see the pool's chunking) still runs.
        assert time.monotonic() - start < 4.0
        metrics = httpx.get(f"{running.url}/metrics").text
        assert 'route="/v1/score",status="499"' in metrics


def test_a_verifiers_own_default_deadline_is_cut_to_the_cap():
    with running_server(max_timeout=0.4, workers=1) as running:  # bomb's own default: 1 s
        result = httpx.post(f"{running.url}/v1/verify/bomb",
                            json={"sample": {"completion": "cap"}}, timeout=10).json()
    assert result["status"] == "timeout" and result["seconds"] <= 0.41
