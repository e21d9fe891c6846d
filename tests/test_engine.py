"""Routing, weights, options, batch and async verifiers, ordering."""

import asyncio

import pytest
from pydantic import ValidationError

from rewardkit import (
    ConfigError,
    Result,
    RewardEngine,
    Sample,
    Status,
    UnknownVerifier,
    Verifier,
    hookimpl,
)


class CharCount(Verifier):
    name = "char_count"
    description = "reward = len(completion) / 10"

    def verify(self, sample):
        return len(sample.completion_text) / 10


class Batched(Verifier):
    name = "batched"

    def verify_batch(self, samples):
        return [Result(reward=1.0, details={"batch": len(samples)}) for _ in samples]


class Waiter(Verifier):
    name = "waiter"

    async def averify(self, sample):
        await asyncio.sleep(0.01)
        return sample.completion_text == "yes"


class Plugin:
    @hookimpl
    def register_verifiers(self, register):
        register(CharCount)
        register(Batched)
        register(Waiter)


@pytest.fixture
def plugins(register_plugin):
    register_plugin(Plugin(), name="engine-test-plugin")


def test_weights_combine_and_zero_weight_is_metric_only(plugins, make_engine):
    engine = make_engine({"char_count": 2.0, "exact_match": 0.0})
    [score] = engine.score([{"completion": "abcd", "answer": "abcd"}])
    assert [r.verifier for r in score.results] == ["char_count", "exact_match"]
    assert score.results[1].reward == 1.0  # recorded...
    assert score.reward == pytest.approx(0.8)  # ...but not counted


def test_routing_by_column(plugins, make_engine):
    engine = make_engine(["char_count", "exact_match"], route_by="task",
                         routes={"qa": ["exact_match"], "both": ["char_count", "exact_match"]})
    scores = engine.score([
        {"completion": "abc", "answer": "abc", "task": "qa"},
        {"completion": "abc", "task": "char_count"},  # a verifier key routes to itself
        {"completion": "abc", "answer": "x", "task": "both"},
        {"completion": "abc", "task": "poetry"},
        {"completion": "abc"},
    ])
    assert [[r.verifier for r in s.results] for s in scores] == [
        ["exact_match"], ["char_count"], ["char_count", "exact_match"], ["routing"], ["routing"]]
    assert scores[0].reward == 1.0
    assert scores[1].reward == pytest.approx(0.3)
    assert scores[3].results[0].status is Status.ERROR
    assert "poetry" in scores[3].results[0].reason
    assert "no 'task' column" in scores[4].results[0].reason


def test_routing_without_verifier_list_uses_every_installed_verifier(plugins, make_engine):
    engine = make_engine(route_by="task")
    scores = engine.score([{"completion": "ab", "task": "char_count"},
                           {"completion": "a", "answer": "a", "task": "exact_match"}])
    assert [s.reward for s in scores] == [pytest.approx(0.2), 1.0]


def test_route_to_unconfigured_verifier_is_a_config_error(plugins, make_engine):
    with pytest.raises(ConfigError, match="unconfigured"):
        make_engine(["char_count"], route_by="task", routes={"qa": "exact_match"})


def test_unknown_verifier_suggests_close_names(plugins, make_engine):
    with pytest.raises(UnknownVerifier, match="did you mean 'char_count'"):
        make_engine(["char_cuont"])


def test_bad_options_fail_before_scoring(make_engine):
    with pytest.raises(ValidationError, match="ignore_cas"):
        make_engine([{"name": "exact_match", "options": {"ignore_cas": True}}])


def test_same_verifier_twice_with_labels(make_engine):
    engine = make_engine([
        {"name": "exact_match"},
        {"name": "exact_match", "label": "nocase", "options": {"ignore_case": True}},
    ])
    [score] = engine.score([{"completion": "ABC", "answer": "abc"}])
    assert {r.verifier: r.reward for r in score.results} == {"exact_match": 0.0, "nocase": 1.0}
    with pytest.raises(ConfigError, match="listed twice"):
        make_engine(["exact_match", "exact_match"])


def test_no_verifiers_is_an_error(make_engine):
    with pytest.raises(ConfigError, match="no verifiers"):
        make_engine()


def test_order_is_kept_across_many_samples(plugins, make_engine):
    engine = make_engine(["char_count"], workers=2, cache_size=0)
    samples = [{"completion": "x" * (i % 50)} for i in range(3000)]
    rewards = [s.reward for s in engine.score(samples)]
    assert rewards == [pytest.approx((i % 50) / 10) for i in range(3000)]


def test_batch_verifier_gets_groups(plugins, make_engine):
    engine = make_engine(["batched"], workers=2, cache_size=0)
    scores = engine.score([{"completion": str(i)} for i in range(10)])
    assert all(s.reward == 1.0 for s in scores)
    assert {s.results[0].details["batch"] for s in scores} == {5}


def test_async_verifier_runs_in_workers_and_inline(plugins, make_engine):
    engine = make_engine(["waiter"], cache_size=0)
    assert [s.reward for s in engine.score([{"completion": "yes"}, {"completion": "no"}])] == [
        1.0, 0.0]
    inline = make_engine([{"name": "waiter", "inline": True}], cache_size=0)
    scores = asyncio.run(inline.ascore([{"completion": "yes"}, {"completion": "no"}]))
    assert [s.reward for s in scores] == [1.0, 0.0]


def test_ascore_matches_score(plugins, make_engine):
    engine = make_engine(["char_count", "exact_match"], cache_size=0)
    samples = [Sample(completion="x" * i, reference="xx") for i in range(20)]
    sync = [s.reward for s in engine.score(samples)]
    assert [s.reward for s in asyncio.run(engine.ascore(samples))] == sync


def test_ascore_cancellation_cancels_queued_work(faulty, make_engine):
    engine = make_engine(["faulty"], timeout=30, workers=1, cache_size=0)

    async def main():
        task = asyncio.create_task(engine.ascore([{"completion": "hang"}] + [
            {"completion": f"ok{i}"} for i in range(50)]))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert engine.pool is not None and engine.pool.queued == 0


def test_score_iter_streams_in_order(plugins, make_engine):
    engine = make_engine(["char_count"], cache_size=0)
    samples = ({"completion": "x" * (i % 7)} for i in range(100))
    rewards = [s.reward for s in engine.score_iter(samples, batch_size=16)]
    assert rewards == [pytest.approx((i % 7) / 10) for i in range(100)]


def test_engine_from_yaml_and_toml_config(plugins, plugin_manager, tmp_path):
    yaml_file = tmp_path / "rk.yaml"
    yaml_file.write_text("verifiers:\n  - name: char_count\n    weight: 0.5\n"
                         "timeout: 3\nworkers: 1\n")
    toml_file = tmp_path / "pyproject.toml"
    toml_file.write_text('[tool.rewardkit]\nverifiers = ["char_count:2"]\nworkers = 1\n')
    for path, expected in ((yaml_file, 0.15), (toml_file, 0.6)):
        with RewardEngine(config=path, plugin_manager=plugin_manager) as engine:
            assert engine.score([{"completion": "abc"}])[0].reward == pytest.approx(expected)


def test_bad_config_file_names_the_problem(tmp_path, plugin_manager):
    bad = tmp_path / "bad.yaml"
    bad.write_text("verifiers: [exact_match]\ntimeout: -1\n")
    with pytest.raises(ConfigError, match=r"(?s)bad\.yaml.*timeout"):
        RewardEngine(config=bad, plugin_manager=plugin_manager)
    broken = tmp_path / "broken.toml"
    broken.write_text("verifiers = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        RewardEngine(config=broken, plugin_manager=plugin_manager)
    with pytest.raises(ConfigError, match="cannot read"):
        RewardEngine(config=tmp_path / "missing.yaml", plugin_manager=plugin_manager)


def test_engines_share_one_pool(plugins, plugin_manager):
    from rewardkit.execution.local import WorkerPool

    with WorkerPool(plugin_manager, workers=2) as pool:
        strict = RewardEngine([{"name": "exact_match", "inline": False}], pool=pool)
        loose = RewardEngine([{"name": "exact_match", "inline": False,
                               "options": {"ignore_case": True}}], pool=pool)
        sample = {"completion": "ABC", "answer": "abc"}
        assert strict.score([sample])[0].reward == 0.0
        assert loose.score([sample])[0].reward == 1.0
        strict.close()  # a shared pool outlives the engines that use it
        assert loose.score([{"completion": "x", "answer": "X"}])[0].reward == 1.0
        assert strict.pool is pool and pool.restarts == 0
    with pytest.raises(ConfigError, match=r"engine.s plugin manager"):
        from rewardkit import make_plugin_manager

        RewardEngine(["char_count"], pool=pool, plugin_manager=make_plugin_manager())


class Slow(CharCount):
    name = "slow"
    timeout = 3.0


class SlowPlugin:
    @hookimpl
    def register_verifiers(self, register):
        register(Slow)


def test_timeout_precedence(plugins, register_plugin, make_engine):
    register_plugin(SlowPlugin())

    def timeouts(engine):
        return engine.timeouts

    assert timeouts(make_engine(["slow", "char_count"])) == {"slow": 3.0, "char_count": 10.0}
    assert timeouts(make_engine(["slow", "char_count"], timeout=1)) == {"slow": 1.0,
                                                                       "char_count": 1.0}
    assert timeouts(make_engine([{"name": "slow", "timeout": 7}], timeout=1)) == {"slow": 7.0}
    capped = make_engine([{"name": "slow", "timeout": 7}, "char_count"], max_timeout=2)
    assert timeouts(capped) == {"slow": 2.0, "char_count": 2.0}
