"""The result cache: identical work runs once, within a batch and across batches."""

from rewardkit import Verifier, hookimpl

CALLS: list[str] = []


class Counting(Verifier):
    name = "counting"
    inline = True  # runs in this process, so the calls can be counted

    def verify(self, sample):
        CALLS.append(sample.completion_text)
        return sample.completion_text == sample.reference


class NotCacheable(Counting):
    name = "fresh"
    cacheable = False


class Plugin:
    @hookimpl
    def register_verifiers(self, register):
        register(Counting)
        register(NotCacheable)


def test_grpo_group_repeats_run_once(register_plugin, make_engine):
    register_plugin(Plugin())
    CALLS.clear()
    engine = make_engine(["counting"])
    group = [{"prompt": "p", "completion": c, "answer": "4"} for c in ["4", "5", "4", "4"]]
    scores = engine.score(group)
    assert [s.reward for s in scores] == [1.0, 0.0, 1.0, 1.0]
    assert CALLS == ["4", "5"]
    assert [s.results[0].cached for s in scores] == [False, False, True, True]
    engine.score(group)  # the next step repeats the same answers
    assert CALLS == ["4", "5"]
    assert engine.cache.hits >= 4


def test_a_result_shared_between_labels_carries_each_ones_label(register_plugin, make_engine):
    """Two labels of one verifier with the same options share verdicts; before, the shared
    result kept the label of the one that ran it, so ``score.result(label)`` found nothing
    for the other (TRL read its reward as skipped), in a batch and from the cache, and a
    server's derived engines handed one client's label to another."""
    register_plugin(Plugin())
    CALLS.clear()
    engine = make_engine([{"name": "counting", "label": "a"},
                          {"name": "counting", "label": "b", "weight": 2.0}])
    [score] = engine.score([{"completion": "4", "answer": "4"}])
    assert CALLS == ["4"]
    assert [(r.verifier, r.cached) for r in score.results] == [("a", False), ("b", True)]
    assert score.result("b") is not None and score.reward == 3.0
    other = engine.derive([{"name": "counting", "label": "c"}])
    [score] = other.score([{"completion": "4", "answer": "4"}])  # from the shared cache
    assert CALLS == ["4"] and [r.verifier for r in score.results] == ["c"]


def test_key_covers_reference_options_and_version(register_plugin, make_engine):
    register_plugin(Plugin())
    CALLS.clear()
    engine = make_engine(["counting"])
    engine.score([{"completion": "4", "answer": "4"}, {"completion": "4", "answer": "5"}])
    assert len(CALLS) == 2
    Counting.version = "2"
    try:
        make_engine(["counting"]).score([{"completion": "4", "answer": "4"}])
    finally:
        Counting.version = "1"
    assert len(CALLS) == 3


def test_cache_is_bounded_and_can_be_off(register_plugin, make_engine):
    register_plugin(Plugin())
    engine = make_engine(["counting"], cache_size=10)
    engine.score([{"completion": str(i), "answer": "1"} for i in range(50)])
    assert len(engine.cache) == 10
    CALLS.clear()
    make_engine(["counting"], cache_size=0).score([{"completion": "a", "answer": "a"}] * 3)
    assert CALLS == ["a"] * 3


def test_uncacheable_verifier_always_runs(register_plugin, make_engine):
    register_plugin(Plugin())
    CALLS.clear()
    make_engine(["fresh"]).score([{"completion": "a", "answer": "a"}] * 3)
    assert CALLS == ["a"] * 3


def test_errors_are_not_cached(faulty, make_engine):
    engine = make_engine(["faulty"], timeout=1)
    first = engine.score([{"completion": "raise"}])[0].results[0]
    second = engine.score([{"completion": "raise"}])[0].results[0]
    assert first.status == second.status == "error"
    assert not second.cached


def test_key_tells_apart_fields_that_run_together_or_change_type():
    """Each field enters the digest with its kind and length: texts that concatenate to the
    same string, or the same text as another JSON type, give different keys."""
    from rewardkit import Sample
    from rewardkit.cache import cache_key

    token = b"verifier"
    different = [
        (Sample(prompt="ab", completion="c"), Sample(prompt="a", completion="bc")),
        (Sample(prompt="ab", completion="c", reference="d"),
         Sample(prompt="a", completion="bc", reference="d")),
        (Sample(completion="é", reference="x"), Sample(completion="e", reference="\u0301x")),
        (Sample(completion="x", reference="1"), Sample(completion="x", reference=1)),
        (Sample(completion="x", reference=None), Sample(completion="x", reference="null")),
        (Sample(completion="x", reference=""), Sample(completion="x", reference={})),
        (Sample(completion="x"), Sample(completion="x", metadata={"k": ""})),
    ]
    for one, other in different:
        assert cache_key(token, one) != cache_key(token, other), (one, other)
    assert cache_key(token, Sample(completion="x", metadata={"a": 1, "b": 2})) == \
        cache_key(token, Sample(completion="x", metadata={"b": 2, "a": 1}))
