"""The shaping verifiers (format, length, repetition): hand-computed values and weighted mixes."""

from __future__ import annotations

import math

import pytest
from conftest import code_verifier_on
from pydantic import ValidationError

from rewardkit import RewardEngine, Sample, Status
from rewardkit.trl import reward_functions
from rewardkit.verifiers.shaping.format_template import FormatVerifier
from rewardkit.verifiers.shaping.length import LengthVerifier
from rewardkit.verifiers.shaping.repetition import RepetitionVerifier

R1 = "<think>6 times 7 is 42</think>\n<answer>42</answer>"


def fmt(completion: str, **options: object) -> tuple[float, Status]:
    result = FormatVerifier(options).verify(Sample(completion=completion))
    return result.reward, result.status


@pytest.mark.parametrize(("completion", "full", "partial"), [
    (R1, 1.0, 1.0),
    ("  " + R1 + "\n", 1.0, 1.0),                                      # space outside is fine
    ("<think>a</think>", 0.0, 0.25),                                  # no answer block
    ("<answer>42</answer><think>a</think>", 0.0, 0.5),                # wrong order
    ("Sure! " + R1, 0.0, 0.5),                                        # text outside
    ("<think>a</think> so <answer>42</answer>", 0.0, 0.5),            # text between
    ("<think>a</think><think>b</think><answer>42</answer>", 0.0, 0.25),  # duplicated think
    ("<think>a<answer>42</answer></think>", 0.0, 0.0),                # answer nested in think
    ("<think>a <answer>42</answer>", 0.0, 0.0),     # think unclosed: the answer is inside it
    ("<think>a</think><answer>42", 0.0, 0.25),                        # answer unclosed
    ("<think> </think><answer>42</answer>", 0.0, 0.25),               # empty think
    ("<think></think><answer></answer>", 0.0, 0.0),                   # empty blocks
    ("<think>\n...\n</think>\n<answer>\n...\n</answer>", 0.0, 0.0),  # a prefilled skeleton
    ("<think>...</think><answer>7</answer>", 0.0, 0.25),              # skeleton think only
    ("</answer></think><answer><think>", 0.0, 0.0),                   # tags, shuffled
    ("42", 0.0, 0.0),
])
def test_format_r1_template_with_and_without_partial_credit(completion, full, partial):
    assert fmt(completion) == (full, Status.OK)
    assert fmt(completion, partial_credit=True) == (partial, Status.OK)


def test_format_tags_and_regex_options():
    assert fmt("<reasoning>r</reasoning><final>7</final>", think_tag="reasoning",
               answer_tag="final")[0] == 1.0
    assert fmt(R1, think_tag="reasoning", answer_tag="final")[0] == 0.0
    boxed = r".*\\boxed\{[^{}]+\}"
    assert fmt("so the answer is \\boxed{42}", pattern=boxed)[0] == 1.0
    assert fmt("so the answer is 42", pattern=boxed)[0] == 0.0
    assert FormatVerifier({"pattern": boxed}).inline is False  # a regex runs under a deadline
    for bad in ({"pattern": "("}, {"pattern": "(?:a{4294967295}){4294967295}"},
                {"pattern": "(" * 2000 + ")" * 2000}, {"pattern": "x", "partial_credit": True},
                {"think_tag": "a", "answer_tag": "a"}, {"think_tag": "a b"}):
        with pytest.raises(ValidationError):
            FormatVerifier(bad)


def length(completion: str, reference: object = None, **options: object):
    return LengthVerifier(options).verify(Sample(completion=completion, reference=reference))


@pytest.mark.parametrize(("chars", "reward"), [
    (0, 0.0), (6, 0.0), (7, -0.25), (8, -0.5), (10, -1.0), (11, -1.0), (500, -1.0),
])
def test_overlong_penalty_in_characters(chars, reward):
    # M = 10, B = 4: free up to 6; then (6 - L) / 4 down to -1 at L = 10; -1 beyond.
    assert length("x" * chars, max_length=10, buffer=4).reward == pytest.approx(reward)


def test_overlong_penalty_in_tokens(tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = Tokenizer(models.WordLevel({"<unk>": 0, "one": 1, "two": 2}, unk_token="<unk>"))
    words.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    PreTrainedTokenizerFast(tokenizer_object=words, unk_token="<unk>").save_pretrained(tmp_path)
    text = "one two one two one two one"  # 7 tokens, 27 characters
    result = length(text, max_length=10, buffer=4, tokenizer=str(tmp_path))
    assert result.details == {"length": 7, "unit": "tokens"} and result.reward == -0.25
    assert length(text, max_length=10, buffer=4).reward == -1.0  # in characters


@pytest.mark.parametrize(("completion", "reward"), [
    ("#### 42", 0.75),              # correct, 7 of 14 characters: p = 0.5, c = 0.5
    ("#### 41", -0.75),             # wrong, same length
    ("#### 42" + " " * 21, 0.5),    # correct at max_length (and beyond): min_value_correct
    ("#### 41" + " " * 40, -0.5),   # wrong and long: max_value_wrong
])
def test_cosine_length_reward_conditioned_on_the_judge(completion, reward):
    result = length(completion, "42", mode="cosine", max_length=14)
    assert result.status is Status.OK and result.reward == pytest.approx(reward)
    assert result.details["correct"] is (reward > 0)


def test_cosine_value_at_a_quarter():
    # p = 0.25: c = (1 + cos(pi / 4)) / 2; correct = 0.5 + 0.5 c; wrong = -0.5 - 0.5 c.
    c = (1 + math.cos(math.pi / 4)) / 2
    assert length("#### 42" + " " * 5, "42", mode="cosine", max_length=48).reward == pytest.approx(
        0.5 + 0.5 * c)
    assert length("#### 41" + " " * 5, "42", mode="cosine", max_length=48).reward == pytest.approx(
        -0.5 - 0.5 * c)


def test_cosine_passes_a_judge_that_does_not_apply_on():
    skipped = length("#### 42", None, mode="cosine", max_length=14)  # math: no reference
    assert skipped.status is Status.SKIPPED and skipped.reward == 0.0
    exact = length("42", "42", mode="cosine", max_length=4, judge="exact_match")
    assert exact.reward == pytest.approx(0.75)
    with pytest.raises(ValidationError):
        LengthVerifier({"buffer": 11, "max_length": 10})


@pytest.mark.parametrize(("completion", "n", "reward"), [
    ("a b c d e f", 3, 0.0),                      # 4 trigrams, all distinct
    ("a b c a b c", 3, -0.25),                    # abc bca cab abc: 3 of 4 distinct
    ("go go go go go", 2, -0.75),                 # 4 bigrams, 1 distinct
    ("The cat. the CAT. the cat.", 2, -0.6),      # lower-cased: 5 bigrams, 2 distinct
    ("a b", 3, 0.0),                              # fewer words than n
    ("", 1, 0.0),
])
def test_repetition_penalty(completion, n, reward):
    result = RepetitionVerifier({"n": n}).verify(Sample(completion=completion))
    assert result.reward == pytest.approx(reward)


def test_repetition_max_penalty_scales_and_must_not_reward():
    verifier = RepetitionVerifier({"n": 2, "max_penalty": -0.5})
    assert verifier.verify(Sample(completion="go go go go go")).reward == pytest.approx(-0.375)
    with pytest.raises(ValidationError):
        RepetitionVerifier({"max_penalty": 0.5})


@pytest.fixture(scope="module")
def code_sandbox():
    yield from code_verifier_on("process", {})


MIX = {
    "verifiers": [
        {"name": "math"},
        {"name": "code", "options": {"backend": "process"}},
        {"name": "format", "weight": 0.2, "options": {"partial_credit": True}},
        {"name": "length", "weight": 0.5, "options": {"max_length": 60, "buffer": 20}},
        {"name": "repetition", "weight": 0.1, "options": {"n": 2}},
    ],
    "route_by": "task",
    "routes": {"gsm": ["math", "format", "length", "repetition"],
               "py": ["code", "format", "repetition"]},
    "workers": 1,
}
MATH_OK = "<think>six sevens make forty-two</think><answer>42</answer>"  # 59 characters
CODE_OK = "print('ok')\nprint('ok')\nprint('ok')"
ROWS = [
    {"prompt": "6*7?", "completion": MATH_OK, "answer": "42", "task": "gsm"},
    {"prompt": "double it", "completion": CODE_OK, "task": "py",
     "answer": {"cases": [{"stdin": "", "stdout": "ok\nok\nok\n"}]}},
]


def test_weighted_mix_with_math_and_code_routes_and_weights(code_sandbox):
    # math 1 + format 0.2·1 + length 0.5·((40 - 59) / 20 = -0.95) + repetition 0.1·0 = 0.725
    with RewardEngine(config=MIX) as engine:
        first, second = engine.score(ROWS)
    assert {r.verifier: r.reward for r in first.results} == {
        "math": 1.0, "format": 1.0, "length": pytest.approx(-0.95), "repetition": 0.0}
    assert first.reward == pytest.approx(0.725)
    # code: three words "print('ok')": 2 bigrams, 1 distinct → -0.5·0.1; format: no blocks → 0
    code = {r.verifier: r for r in second.results}
    assert set(code) == {"code", "format", "repetition"}
    assert code["code"].status is Status.OK, code["code"].reason
    assert code["repetition"].reward == pytest.approx(-0.5)
    assert code["format"].reward == 0.0
    assert code["code"].reward == 1.0
    assert second.reward == pytest.approx(0.95)


def test_mix_in_trl_reports_per_verifier_telemetry(code_sandbox):
    logged: dict[str, float] = {}
    columns = {key: [row.get(key) for row in ROWS] for key in ("answer", "task")}
    with reward_functions(config=MIX, patterns=False) as funcs:
        assert funcs.names == ["math", "code", "format", "length", "repetition"]
        assert funcs.weights == [1.0, 1.0, 0.2, 0.5, 0.1]
        values = {fn.__name__: fn([r["prompt"] for r in ROWS], [r["completion"] for r in ROWS],
                                  log_metric=logged.__setitem__, **columns) for fn in funcs}
    assert values["format"] == [1.0, 0.0]
    assert values["length"] == [pytest.approx(-0.95), None]           # routed to math rows only
    assert values["repetition"] == [0.0, pytest.approx(-0.5)]
    for key in ("format", "length", "repetition"):
        assert logged[f"rewardkit/{key}/error_rate"] == 0.0
        assert f"rewardkit/{key}/seconds" in logged


def test_a_request_cannot_choose_the_judge_or_its_options():
    """Else a client could hand the judge options only the operator may set (a code judge
    with another interpreter), bypassing the judge's own trust levels."""
    from rewardkit import EngineConfig
    from rewardkit.engine import OptionForbidden

    with RewardEngine.base(EngineConfig(workers=1)) as base:
        for options in ({"judge": "code"}, {"judge_options": {"python": "/bin/sh"}},
                        {"tokenizer": "/etc"}):
            with pytest.raises(OptionForbidden):
                base.derive([{"name": "length", "options": {"mode": "cosine", **options}}])
        base.derive([{"name": "length", "options": {"mode": "cosine", "max_length": 99}}])
