"""Shadow verification: a second verifier judges a sampled share, off the critical path."""

from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner

from rewardkit import EngineConfig, Result, RewardEngine, Sample, Verifier, hookimpl, load_config
from rewardkit.agreement import Agreement, parse_verifier_arg
from rewardkit.cli import cli
from rewardkit.server.metrics import Metrics

ROWS = [
    {"completion": "Paris", "answer": "paris"},   # exact_match: fail, ignoring case: pass
    {"completion": "Paris", "answer": "Paris"},   # both pass
    {"completion": "Rome", "answer": "Paris"},    # both fail
    {"completion": "PARIS", "answer": "paris"},   # fail against pass
]


def shadowed(tmp_path, **shadow):
    file = tmp_path / "disagreements.jsonl"
    spec = {"name": "exact_match",
            "shadow": {"verifier": "exact_match", "options": {"ignore_case": True},
                       "sample_rate": 1.0, "file": str(file), **shadow}}
    return spec, file


def test_disagreements_are_counted_and_written_with_both_verdicts(tmp_path, plugin_manager):
    spec, file = shadowed(tmp_path)
    with RewardEngine([spec], plugin_manager=plugin_manager, workers=1) as engine:
        scores = engine.score(ROWS)
        assert [s.reward for s in scores] == [0.0, 1.0, 0.0, 0.0]  # the primary's verdicts
        assert engine.flush_shadow(30)
        metrics = engine.shadow_metrics()
    assert metrics == {"rewardkit/exact_match/disagreement_rate": 0.5,
                       "rewardkit/exact_match/unparseable_rate": 0.0,
                       "rewardkit/exact_match/shadowed": 4.0,
                       "rewardkit/exact_match/shadow_dropped": 0.0}
    rows = [json.loads(line) for line in file.read_text().splitlines()]
    assert [(r["completion"], r["reference"]) for r in rows] == [("Paris", "paris"),
                                                                 ("PARIS", "paris")]
    for row in rows:
        assert row["verifier"] == "exact_match"
        assert row["primary"] == {"verifier": "exact_match", "reward": 0.0, "status": "ok",
                                  "reason": "completion differs from the reference"}
        assert row["shadow"] == {"verifier": "exact_match~shadow", "reward": 1.0,
                                 "status": "ok", "reason": "exact match"}
    # A disagreement row is a sample again: it can be scored, or kept as a fixture.
    assert Sample.from_record(rows[0]).completion == "Paris"


def test_the_sample_rate_picks_a_reproducible_share(tmp_path, plugin_manager):
    spec, _ = shadowed(tmp_path, sample_rate=0.25)
    rows = [{"completion": str(n), "answer": str(n)} for n in range(200)]
    counts = []
    for _ in range(2):
        with RewardEngine([spec], plugin_manager=plugin_manager, workers=1) as engine:
            engine.score(rows)
            engine.flush_shadow(30)
            counts.append(engine.shadow_metrics()["rewardkit/exact_match/shadowed"])
    assert counts[0] == counts[1] and 25 <= counts[0] <= 75


class Slow(Verifier):
    """A shadow that waits until the test lets it go."""

    name = "slow_shadow"
    inline = True
    gate = threading.Event()

    def verify(self, sample: Sample) -> Result:
        self.gate.wait(10)
        return Result(reward=1.0)


class SlowPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Slow)


def test_results_return_before_the_shadow_runs_and_a_full_queue_drops(
        tmp_path, plugin_manager, register_plugin):
    """The primary's scores come back while the shadow is still blocked; batches that find
    the queue full are dropped and counted, never waited for."""
    register_plugin(SlowPlugin())
    spec = {"name": "exact_match", "shadow": {"verifier": "slow_shadow", "sample_rate": 1.0,
                                              "max_queued": 1,
                                              "file": str(tmp_path / "d.jsonl")}}
    Slow.gate.clear()
    with RewardEngine([spec], plugin_manager=plugin_manager, workers=1) as engine:
        for n in range(4):  # the first is taken by the thread, one waits, two are dropped
            assert engine.score([{"completion": str(n), "answer": str(n)}])[0].reward == 1.0
        assert engine.shadow_metrics()["rewardkit/exact_match/shadowed"] == 0
        Slow.gate.set()
        assert engine.flush_shadow(30)
        metrics = engine.shadow_metrics()
    assert metrics["rewardkit/exact_match/shadowed"] + metrics[
        "rewardkit/exact_match/shadow_dropped"] == 4
    assert metrics["rewardkit/exact_match/shadow_dropped"] >= 1
    assert metrics["rewardkit/exact_match/disagreement_rate"] == 0.0


class Unsure(Verifier):
    """Never judges: every sample is skipped (as a parser that cannot read the answer)."""

    name = "unsure"
    inline = True

    def verify(self, sample: Sample) -> Result:
        return Result.skipped("cannot read the answer")


class UnsurePlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Unsure)


def test_an_unjudged_shadow_counts_as_unparseable_not_disagreement(tmp_path, plugin_manager,
                                                                   register_plugin):
    register_plugin(UnsurePlugin())
    spec, file = shadowed(tmp_path)
    spec["shadow"] = {**spec["shadow"], "verifier": "unsure", "options": {}}
    with RewardEngine([spec], plugin_manager=plugin_manager, workers=1) as engine:
        engine.score([{"completion": "8", "answer": "7"}])
        engine.flush_shadow(30)
        metrics = engine.shadow_metrics()
    assert metrics["rewardkit/exact_match/unparseable_rate"] == 1.0
    assert metrics["rewardkit/exact_match/disagreement_rate"] == 0.0
    assert not file.exists()


def test_a_bad_shadow_fails_when_the_engine_is_made(tmp_path, plugin_manager):
    spec, _ = shadowed(tmp_path)
    spec["shadow"]["verifier"] = "nosuch"
    with pytest.raises(KeyError, match="nosuch"):
        RewardEngine([spec], plugin_manager=plugin_manager, workers=1)
    spec["shadow"] = {"verifier": "exact_match", "options": {"bogus": 1}}
    with pytest.raises(ValueError, match="bogus"):
        RewardEngine([spec], plugin_manager=plugin_manager, workers=1)


def test_the_config_file_key_and_its_relative_file(tmp_path):
    path = tmp_path / "rk.yaml"
    path.write_text("verifiers:\n  - name: math\n    shadow:\n      verifier: math\n"
                    "      options: {preset: strict}\n      sample_rate: 0.05\n"
                    "      file: logs/disagreements.jsonl\n")
    config = load_config(path)
    shadow = config.verifiers[0].shadow
    assert shadow is not None and shadow.sample_rate == 0.05
    assert shadow.options == {"preset": "strict"}
    assert shadow.file == str(tmp_path / "logs" / "disagreements.jsonl")
    with pytest.raises(ValueError, match="sample_rate"):
        EngineConfig.model_validate({"verifiers": [{"name": "math", "shadow": {
            "verifier": "math", "sample_rate": 0}}]})


def test_prometheus_exports_the_rates(tmp_path, plugin_manager):
    spec, _ = shadowed(tmp_path)
    with RewardEngine([spec], plugin_manager=plugin_manager, workers=1) as engine:
        engine.score(ROWS)
        engine.flush_shadow(30)
        metrics = Metrics()
        metrics.watch_shadow(engine.shadow_metrics)
        text = metrics.render().decode()
    assert 'rewardkit_shadow_disagreement_rate{verifier="exact_match"} 0.5' in text
    assert 'rewardkit_shadow_unparseable_rate{verifier="exact_match"} 0.0' in text
    assert 'rewardkit_shadow_samples{verifier="exact_match"} 4.0' in text


def test_the_server_exports_shadow_metrics_and_refuses_a_client_shadow(tmp_path):
    """A request may not add a shadow: it would make the server write a file it names."""
    from fastapi.testclient import TestClient

    from rewardkit.server import ServerSettings, create_app

    spec, file = shadowed(tmp_path)
    settings = ServerSettings(engine={"verifiers": [spec], "workers": 1})
    app = create_app(settings)
    with TestClient(app) as client:
        samples = [{"completion": r["completion"], "reference": r["answer"]} for r in ROWS]
        response = client.post("/v1/score", json={"samples": samples})
        assert response.status_code == 200, response.text
        assert app.state.service.engine.flush_shadow(30)
        text = client.get("/metrics").text
        evil = {"name": "exact_match", "shadow": {"verifier": "exact_match",
                                                  "file": str(tmp_path / "evil.jsonl")}}
        refused = client.post("/v1/score", json={"samples": samples[:1],
                                                   "verifiers": [evil]})
    assert 'rewardkit_shadow_disagreement_rate{verifier="exact_match"} 0.5' in text
    assert len(file.read_text().splitlines()) == 2
    assert refused.status_code == 422 and not (tmp_path / "evil.jsonl").exists()


def test_the_cli_summary_shows_the_disagreement_rate(tmp_path):
    spec, file = shadowed(tmp_path)
    config = tmp_path / "rk.json.yaml"
    config.write_text(json.dumps({"verifiers": [spec], "workers": 1}))
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    result = CliRunner().invoke(cli, ["score", str(data), "-c", str(config), "-o",
                                      str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert ("shadow exact_match vs exact_match: 4 shadowed, disagreement rate 50.00%, "
            "unparseable rate 0.00%") in result.output
    assert len(file.read_text().splitlines()) == 2


def test_agreement_table_and_verifier_argument():
    table = Agreement()
    table.add(Result(reward=1.0), Result(reward=0.0))
    table.add(Result(reward=0.0), Result(reward=0.0))
    table.add(Result(reward=1.0), Result.error("boom"))
    assert (table.disagreements, table.unparseable, table.total) == (1, 1, 3)
    assert "pass" in table.table() and "disagreement rate 33.33%" in table.table()
    assert parse_verifier_arg("math:preset=strict,max_answer_chars=50") == (
        "math", {"preset": "strict", "max_answer_chars": 50})
    assert parse_verifier_arg('math:{"preset": "strict"}') == ("math", {"preset": "strict"})
    assert parse_verifier_arg("exact_match") == ("exact_match", {})
    with pytest.raises(ValueError):
        parse_verifier_arg("math:preset")


def test_a_hanging_shadow_is_cut_by_its_own_deadline(tmp_path, plugin_manager, faulty):
    """The shadow's `timeout` is a hard deadline in a worker: a hang ends as unparseable."""
    spec = {"name": "exact_match", "shadow": {"verifier": "faulty", "sample_rate": 1.0,
                                              "timeout": 0.5,
                                              "file": str(tmp_path / "d.jsonl")}}
    with RewardEngine([spec], plugin_manager=plugin_manager, workers=1) as engine:
        assert engine.score([{"completion": "hang", "answer": "hang"}])[0].reward == 1.0
        assert engine.flush_shadow(30)
        metrics = engine.shadow_metrics()
    assert metrics["rewardkit/exact_match/unparseable_rate"] == 1.0
    assert metrics["rewardkit/exact_match/shadowed"] == 1
