"""One row format for every face: the same JSON rows through the CLI, Python, the server
(plain HTTP, as curl sends them) and the client give the same scores.

Before, ``/v1/score`` answered ``422 ... answer: Extra inputs are not permitted`` for the rows
``rewardkit score`` and ``RewardEngine.score`` take (``answer``, ``task`` and other columns):
only the Python client converted them. Now every face maps a row with ``Sample.from_record``.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from test_server_support import running_server

from rewardkit import RewardEngine
from rewardkit.cli import cli
from rewardkit.client import Client

ROWS = [
    {"prompt": "6*7?", "completion": "42", "answer": "42", "task": "em", "id": "a"},
    {"completion": "41", "solution": "42", "task": "em"},
    {"completion": "x", "reference": "X", "answer": "ignored", "task": "em"},
    {"completion": "7", "metadata": {"task": "em"}, "ground_truth": "7"},
    {"completion": "7", "answer": "7", "task": "nowhere"},
]
CONFIG = {"verifiers": ["exact_match"], "route_by": "task", "routes": {"em": ["exact_match"]}}


def outcome(scores: list[dict]) -> list[tuple]:
    return [(s["reward"], [(r["verifier"], r["status"]) for r in s["results"]])
            for s in scores]


@pytest.fixture(scope="module")
def server():
    with running_server(engine=CONFIG, workers=1) as running:
        yield running


def test_the_same_rows_score_the_same_on_every_face(server, tmp_path: Path):
    with RewardEngine(config=CONFIG, workers=1) as engine:
        python = outcome([s.model_dump() for s in engine.score(ROWS)])
    assert [reward for reward, _ in python] == [1.0, 0.0, 0.0, 1.0, 0.0]
    assert python[4][1] == [("routing", "error")]

    plain = httpx.post(f"{server.url}/v1/score", json={"samples": ROWS})
    assert plain.status_code == 200, plain.text
    with Client(server.url) as client:
        via_client = outcome([s.model_dump() for s in client.score(ROWS)])

    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    config = tmp_path / "rk.json.yaml"
    config.write_text(json.dumps(CONFIG))  # JSON is YAML
    run = CliRunner().invoke(cli, ["score", str(data), "-c", str(config), "-q",
                                   "--max-error-rate", "1"])
    assert run.exit_code == 0, run.output
    cli_scores = outcome([json.loads(line) for line in run.output.splitlines()])

    assert outcome(plain.json()["scores"]) == via_client == cli_scores == python


def test_verify_takes_the_same_rows(server):
    response = httpx.post(f"{server.url}/v1/verify/exact_match",
                          json={"sample": {"completion": "42", "answer": "42", "id": 3}})
    assert response.status_code == 200, response.text
    assert response.json()["reward"] == 1.0
