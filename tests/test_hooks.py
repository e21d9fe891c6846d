"""prepare_sample and classify_pattern, called through the engine."""

from rewardkit import Verifier, hookimpl


class DropThink:
    @hookimpl
    def prepare_sample(self, sample, verifier):
        if verifier == "exact_match" and isinstance(sample.completion, str):
            sample.completion = sample.completion.split("</think>")[-1]


class Upper:
    @hookimpl
    def prepare_sample(self, sample):  # fewer arguments than the spec is allowed
        if isinstance(sample.completion, str):
            sample.completion = sample.completion.strip().upper()


def test_prepare_sample_chains_and_leaves_input_alone(register_plugin, make_engine):
    register_plugin(Upper())
    register_plugin(DropThink())  # registered last, so it runs first (pluggy's order)
    engine = make_engine(["exact_match"])
    raw = {"completion": "<think>hmm, 41?</think> paris", "answer": "PARIS"}
    [score] = engine.score([raw])
    assert score.reward == 1.0
    assert raw["completion"].startswith("<think>")


def test_prepare_sample_sees_verifier_name(register_plugin, make_engine):
    seen = []

    class Spy:
        @hookimpl
        def prepare_sample(self, sample, verifier):
            seen.append(verifier)

    register_plugin(Spy())
    engine = make_engine([{"name": "exact_match", "label": "em"}])
    engine.score([{"completion": "a", "answer": "a"}])
    assert seen == ["exact_match"]


def test_classify_pattern_first_label_wins(register_plugin, make_engine):
    class Code:
        @hookimpl
        def classify_pattern(self, sample, result):
            return "code_assisted" if "```" in sample.completion_text else None

    class Fallback:
        @hookimpl(trylast=True)
        def classify_pattern(self):
            return "direct"

    register_plugin(Fallback())
    register_plugin(Code())
    engine = make_engine(["exact_match"])
    [score] = engine.score([{"completion": "```py\n1```", "answer": "1"}])
    from rewardkit import Sample

    label = engine.classify_pattern(Sample(completion="```x```"), score.results[0])
    assert label == "code_assisted"
    assert engine.classify_pattern(Sample(completion="42"), score.results[0]) == "direct"


def test_no_classifier_gives_none():
    from rewardkit import Result, RewardEngine, Sample, make_plugin_manager
    from rewardkit.verifiers import exact_match

    pm = make_plugin_manager(load_entry_points=False)  # not even the built-in classifier
    pm.register(exact_match)
    with RewardEngine(["exact_match"], plugin_manager=pm) as engine:
        assert engine.classify_pattern(Sample(completion="42"), Result()) is None


def test_registering_an_instance_keeps_its_options(register_plugin, make_engine):
    from rewardkit.verifiers.exact_match import ExactMatch

    class Configured(ExactMatch):
        name = "caseless"

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):
            register(Configured({"ignore_case": True}))

    register_plugin(Plugin())
    assert make_engine(["caseless"]).score([{"completion": "A", "answer": "a"}])[0].reward == 1.0
    assert isinstance(Configured(), Verifier)


class Fails:
    """A plugin whose hooks raise on one kind of sample, as a company plugin's bug would."""

    @hookimpl
    def prepare_sample(self, sample, verifier):
        if sample.completion_text == "boom":
            raise RuntimeError("prepare failed")

    @hookimpl(tryfirst=True)
    def classify_pattern(self, sample, result):
        if sample.completion_text == "boom!":
            raise RuntimeError("classify failed")


def test_a_prepare_sample_that_raises_is_that_samples_error(register_plugin, make_engine):
    """Before: the exception ended ``score`` for the whole batch (a dead training step)."""
    register_plugin(Fails())
    engine = make_engine(["exact_match", "length"])
    scores = engine.score([{"completion": "1", "answer": "1"},
                           {"completion": "boom", "answer": "1"}])
    assert scores[0].results[0].passed
    for result in scores[1].results:  # every verifier the sample was prepared for
        assert result.status.value == "error" and result.reward == 0.0
        assert result.reason == "prepare_sample: RuntimeError: prepare failed"
        assert "prepare failed" in result.details["traceback"]


def test_a_classify_pattern_that_raises_leaves_the_sample_unlabelled(
        plugin_manager, register_plugin, caplog):
    """Before: pattern telemetry raised out of TRL's reward function and ended the step."""
    from rewardkit.trl import reward_functions

    register_plugin(Fails())
    patterns = []
    with reward_functions(["exact_match"], plugin_manager=plugin_manager,
                          workers=1) as functions:
        for _ in range(2):
            rewards = functions[0](
                prompts=["q"] * 3, completions=["1", "boom!", "```x```"],
                answer=["1", "boom!", "2"],
                log_extra=lambda column, values: column == "pattern" and patterns.append(values))
            assert rewards == [1.0, 1.0, 0.0]
    assert patterns[-1][1] == "other"
    warnings = [r for r in caplog.records if "classify_pattern raised" in r.getMessage()]
    assert len(warnings) == 1  # once, with the traceback, not once per sample
    assert "classify failed" in caplog.text
