"""OpenRLHF: its remote reward protocol through the real server, and its Python-file mode.

The requests are what OpenRLHF's ``SingleTurnAgentExecutor`` posts: ``query`` (prompt and
response decoded with special tokens), ``prompts`` and ``labels``, one rollout each, many
at once; it reads ``rewards``, ``scores`` and ``extra_logs`` (lists of numbers).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from test_server_support import running_server

import rewardkit.openrlhf
from rewardkit.openrlhf import completion_of

URL = "/v1/openrlhf/get_reward"
PROMPT = "<|im_start|>user\nWhat is 6*7?<|im_end|>\n<|im_start|>assistant\n"
GOOD = "<think>6 sevens</think><answer>42</answer>"


def payload(rows):
    """OpenRLHF's body for (prompt, response, label) rows."""
    return {"query": [p + r + "<|im_end|>" for p, r, _ in rows],
            "prompts": [p for p, _, _ in rows], "labels": [label for _, _, label in rows]}


@pytest.fixture(scope="module")
def server():
    engine = {"verifiers": [{"name": "math"}, {"name": "format", "weight": 0.1}],
              "timeout": 1.0}
    with running_server(engine=engine, workers=1, max_batch=8) as running:
        yield running


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_rewards_scores_and_extra_logs_in_openrlhfs_shape(http):
    rows = [(PROMPT, GOOD, "42"), (PROMPT, "#### 41", "42"), (PROMPT, "<answer>42</answer>", "42")]
    body = http.post(URL, json=payload(rows)).json()
    assert body["rewards"] == pytest.approx([1.1, 0.0, 1.0])
    assert body["scores"] == body["rewards"]
    logs = body["extra_logs"]
    assert logs["math"] == [1.0, 0.0, 1.0] and logs["format"] == [1.0, 0.0, 0.0]
    assert logs["math/failed"] == [0.0, 0.0, 0.0] and logs["routing_failed"] == [0.0] * 3
    assert all(isinstance(v, float) for values in logs.values() for v in values)


def test_concurrent_single_rollout_requests(http, server):
    """OpenRLHF posts one rollout per request, many concurrently."""
    def one(i: int) -> float:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            reply = client.post(URL, json=payload([(PROMPT, f"#### {i}", str(i % 3))]))
            return float(reply.json()["rewards"][0])

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(one, range(12)))
    assert got == [1.0 if i == i % 3 else 0.0 for i in range(12)]


def test_verifiers_and_score_verifier_from_the_url(http):
    rows = [(PROMPT, GOOD, "42"), (PROMPT, "#### 42", "42")]
    body = http.post(URL, params={"verifier": ["math", "format:0.5"],
                                  "score_verifier": "math"}, json=payload(rows)).json()
    assert body["rewards"] == pytest.approx([1.5, 1.0])
    assert body["scores"] == [1.0, 1.0]  # math's success, for --dynamic_filtering
    rows = [(PROMPT, GOOD, "42"), (PROMPT, "42", "42")]
    exact = http.post(URL, params={"verifier": "exact_match"}, json=payload(rows)).json()
    assert exact["rewards"] == [0.0, 1.0] and set(exact["extra_logs"]) == {
        "exact_match", "exact_match/failed", "routing_failed"}


def test_a_json_label_is_a_row_that_routes(http):
    labels = [json.dumps({"answer": "42", "task": "gsm"}), json.dumps({"answer": "42",
                                                                        "task": "fmt"})]
    rows = [(PROMPT, GOOD, labels[0]), (PROMPT, GOOD, labels[1])]
    # The URL cannot route; the server operator's config can: shown through the mapping.
    samples = rewardkit.openrlhf.samples_from_request(**{
        "queries": payload(rows)["query"], "prompts": payload(rows)["prompts"],
        "labels": labels})
    assert [(s.reference, s.metadata) for s in samples] == [
        ("42", {"task": "gsm"}), ("42", {"task": "fmt"})]
    assert samples[0].completion == GOOD
    code_reference = json.dumps({"cases": [{"stdin": "", "stdout": "1"}]})
    kept = rewardkit.openrlhf.samples_from_request(["print(1)"], [""], [code_reference])
    assert kept[0].reference == code_reference  # not a row: the code verifier reads it
    # A row's own "metadata" that is no object is kept under that name: one odd label in
    # a data set must not fail the whole batch.
    odd = json.dumps({"answer": "42", "metadata": "level 5", "task": "gsm"})
    [sample] = rewardkit.openrlhf.samples_from_request([GOOD], [""], [odd])
    assert (sample.reference, sample.metadata) == ("42", {"metadata": "level 5", "task": "gsm"})


def test_errors_and_timeouts_are_zero_and_logged(http):
    body = http.post(URL, params={"verifier": ["bomb", "math"]},
                     json=payload([(PROMPT, "#### 42", "42")])).json()
    assert body["rewards"] == [1.0]  # bomb timed out: 0, math 1
    assert body["extra_logs"]["bomb/failed"] == [1.0]


@pytest.mark.parametrize(("body", "params"), [
    ({"query": ["a", "b"], "prompts": ["a"], "labels": ["1", "2"]}, {}),
    ({"prompts": ["a"], "labels": ["1"]}, {}),
    ({"query": ["a"]}, {"score_verifier": "nosuch"}),
])
def test_bad_requests_are_422(http, body, params):
    reply = http.post(URL, json=body, params=params)
    assert reply.status_code == 422, reply.text
    assert "Traceback" not in reply.text


def test_too_many_queries_is_413(http):
    assert http.post(URL, json={"query": ["x"] * 9}).status_code == 413


@pytest.mark.parametrize(("query", "prompt", "completion"), [
    (PROMPT + GOOD + "<|im_end|>", PROMPT, GOOD),
    ("Q: 1+1? A: 2</s>", "Q: 1+1? A:", " 2"),
    ("2<|eot_id|>\n<|end_of_text|>", "", "2"),
    ("truncated prompt 2", "a longer prompt", "truncated prompt 2"),  # prompt not found
])
def test_completion_is_the_query_after_its_prompt(query, prompt, completion):
    assert completion_of(query, prompt) == completion


def test_python_file_mode_as_openrlhf_loads_it(tmp_path, monkeypatch):
    """``--remote_rm_url path/to/openrlhf.py``: loaded by file path, called in threads."""
    (tmp_path / "rk.yaml").write_text("verifiers: [math, 'format:0.1']\nworkers: 1\n")
    monkeypatch.setenv(rewardkit.openrlhf.CONFIG_ENV, str(tmp_path / "rk.yaml"))
    spec = importlib.util.spec_from_file_location("reward_func", rewardkit.openrlhf.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        async def rollouts():
            return await asyncio.gather(*(
                asyncio.to_thread(module.reward_func, [PROMPT + r + "<|im_end|>"], [PROMPT],
                                  ["42"]) for r in (GOOD, "#### 42", "#### 7")))

        got = asyncio.run(rollouts())
    finally:
        module.close()
    assert [g["rewards"] for g in got] == [pytest.approx([1.1]), [1.0], [0.0]]
    assert got[0]["extra_logs"]["format"] == [1.0]
