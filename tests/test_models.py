import pytest
from pydantic import ValidationError

from rewardkit import (
    Result,
    RewardEngine,
    Sample,
    Status,
    Verifier,
    VerifierSpec,
    hookimpl,
    make_plugin_manager,
)


def test_from_record_takes_reference_columns_in_order():
    sample = Sample.from_record({"prompt": "p", "completion": "c", "answer": "4", "id": 7})
    assert sample.reference == "4"
    assert sample.metadata == {"id": 7}
    explicit = Sample.from_record({"completion": "c", "answer": "4", "gold": "5"},
                                  reference_column="gold")
    assert explicit.reference == "5" and explicit.metadata == {"answer": "4"}


def test_from_record_merges_metadata_column():
    sample = Sample.from_record({"completion": "c", "task": "math", "metadata": {"level": 3}})
    assert sample.metadata == {"task": "math", "level": 3}


@pytest.mark.parametrize("record", [{"prompt": "no completion"}, ["not", "a", "dict"],
                                    {"completion": "c", "metadata": [1]}])
def test_from_record_rejects_bad_records(record):
    with pytest.raises(ValueError):
        Sample.from_record(record)


def test_a_nan_reference_is_no_reference():
    """pandas writes a missing answer as NaN, and a JSON line may carry it (``json`` reads
    ``NaN``). Before: the math verifier read it as the text "nan" and rewarded
    ``\\boxed{nan}`` (plain math-verify parses no answer from it), and exact_match rewarded
    "nan": a policy could learn to answer "nan" wherever a data set lacked an answer."""
    nan = float("nan")
    assert Sample(completion="nan", reference=nan).reference is None
    assert Sample.from_record({"completion": "nan", "answer": nan}).reference is None
    assert Sample.from_record({"completion": "c", "answer": 0.5}).reference == 0.5
    with RewardEngine(["math", "exact_match"], workers=1) as engine:
        scores = engine.score([{"completion": text, "reference": nan}
                               for text in ("\\boxed{nan}", "nan", "NaN", "\\boxed{NaN}")])
    for score in scores:
        assert score.reward == 0.0
        assert {r.status for r in score.results} == {Status.SKIPPED}


def test_chat_messages_give_plain_text():
    sample = Sample(
        prompt=[{"role": "system", "content": "s"}, {"role": "user", "content": "q"}],
        completion=[{"role": "assistant", "content": "the answer"}],
    )
    assert sample.prompt_text == "q"
    assert sample.completion_text == "the answer"


def test_message_content_without_text():
    def text(content):  # type: ignore[no-untyped-def]
        return Sample(completion=[{"role": "assistant", "content": content}]).completion_text

    assert text(None) == ""  # tool calls only; before: the text "None"
    assert text([{"type": "text", "text": "a"}, {"type": "image"}, {"type": "text", "text": None},
                 {"type": "text", "text": "b"}]) == "ab"  # before: TypeError on None
    with pytest.raises(TypeError, match="must be text or a list of parts, not dict"):
        text({"answer": 1})


def test_content_that_is_not_text_is_an_error_not_its_repr():
    """Before: a message whose content was a dict was judged as its repr, and math found
    the 1 in ``{'answer': 1}``: a pass for a completion that states no answer."""
    content = [{"role": "assistant", "content": {"answer": 1}}]
    with RewardEngine(["math", "exact_match"], workers=1) as engine:
        [score] = engine.score([{"completion": content, "reference": "1"}])
    assert score.reward == 0.0
    assert {r.status for r in score.results} == {Status.ERROR}


@pytest.mark.parametrize("status", ["error", "timeout", "skipped"])
def test_only_ok_carries_reward(status):
    result = Result(reward=1.0, status=status)
    assert result.reward == 0.0 and not result.passed


def test_reward_must_be_finite():
    with pytest.raises(ValidationError):
        Result(reward=float("inf"))


def test_a_reward_past_float32_is_the_verifiers_error_not_an_overflow():
    """Before: a verifier's 1e308 was a pass whose weighted sum was infinity (null in JSON,
    infinity in a trainer's float32 tensor), and two of them overflowed ``math.fsum`` and
    ended the batch."""
    assert Result(reward=-3e38).reward == -3e38
    with pytest.raises(ValidationError, match="float32"):
        Result(reward=1e39)

    class Huge(Verifier):
        name = "huge"
        inline = True

        def verify(self, sample):  # type: ignore[no-untyped-def]
            return 1e308 if sample.completion_text == "bare" else Result(reward=1e308)

    class Plugin:
        @hookimpl
        def register_verifiers(self, register):  # type: ignore[no-untyped-def]
            register(Huge)

    pm = make_plugin_manager()
    pm.register(Plugin())
    with RewardEngine([{"name": "huge", "weight": 10}, {"name": "huge", "label": "again"}],
                      plugin_manager=pm) as engine:
        scores = engine.score([{"completion": "bare"}, {"completion": "result"}])
    for score in scores:
        assert score.reward == 0.0
        assert all(r.status is Status.ERROR and "float32" in r.reason for r in score.results)


@pytest.mark.parametrize("weight", [float("inf"), float("nan"), 1e7])
def test_a_weight_must_be_finite_and_within_a_million(weight):
    with pytest.raises(ValidationError):
        VerifierSpec(name="exact_match", weight=weight)


def test_passed_needs_ok_and_positive_reward():
    assert Result(reward=0.5).passed
    assert not Result(reward=0.0).passed
    assert Result.error("x").status is Status.ERROR
