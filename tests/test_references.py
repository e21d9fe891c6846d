"""Structured references as a Hugging Face `datasets.Dataset` carries them (real Arrow rows)."""

import json

import pytest
from datasets import Dataset

from rewardkit import RewardEngine, Sample, verify
from rewardkit.references import structured_reference
from rewardkit.trl.batches import samples_from_batch
from rewardkit.verifiers.code.program import ReferenceError_, parse_reference

REGEX = {"type": "regex", "field": "code", "pattern": "^AB-"}
ENUM = {"type": "enum", "field": "colour", "allowed": ["red", "blue"]}


def test_rules_accept_a_reference_padded_with_nulls_by_datasets():
    """Before: Arrow gave the regex rule `allowed: null` and every such row failed with
    `rules.0.regex.allowed: Extra inputs are not permitted`."""
    dataset = Dataset.from_list([
        {"completion": '{"code": "AB-12"}', "reference": {"rules": [REGEX]}},
        {"completion": '{"colour": "green"}', "reference": {"rules": [ENUM], "scoring": "all"}},
    ])
    assert dataset[0]["reference"]["rules"][0]["allowed"] is None
    batch = dataset[:]
    samples = samples_from_batch([""] * 2, batch["completion"], {"reference": batch["reference"]})
    with RewardEngine(["rules"], workers=1) as engine:
        results = [score.results[0] for score in engine.score(samples)]
    assert [(r.status, r.reward) for r in results] == [("ok", 1.0), ("ok", 0.0)], results


def test_rules_accept_a_json_text_reference_in_a_mixed_column():
    """Before: a JSON-text reference got `no rule set`, and dicts mixed with text in one
    column fail in pyarrow, so there was no way to carry both."""
    with pytest.raises(Exception, match=r"struct|Expected bytes"):  # pyarrow's wording varies
        Dataset.from_list([{"answer": "42"}, {"answer": {"rules": [REGEX]}}])
    dataset = Dataset.from_list([
        {"completion": "#### 42", "answer": "42", "task": "math"},
        {"completion": '{"code": "XY-1"}', "answer": json.dumps({"rules": [REGEX]}),
         "task": "rules"},
    ])
    with RewardEngine(["math", "rules"], route_by="task", workers=1) as engine:
        scores = engine.score(list(dataset))
    assert [s.reward for s in scores] == [1.0, 0.0]
    assert scores[1].results[0].status == "ok"
    assert "does not match" in scores[1].results[0].reason


def test_a_text_reference_that_is_not_json_still_says_no_rule_set():
    result = verify("rules", Sample(completion='{"a": 1}', reference="not {json"))
    assert result.status == "error" and "no rule set" in result.reason


def test_code_reference_with_nulls_and_as_json_text():
    """Before: a padded `language: null` became the language "none", and a null `tests`
    next to `cases` was fine only by luck of `.get`."""
    padded = {"language": None, "tests": None, "cases": [{"stdin": None, "stdout": "1\n"}]}
    spec = parse_reference(padded)
    assert spec.language == "python" and spec.cases == [{"stdout": "1\n"}]
    assert parse_reference(json.dumps(padded)).cases == [{"stdout": "1\n"}]
    with pytest.raises(ReferenceError_):
        parse_reference({"tests": None, "cases": None})


def test_structured_reference_leaves_plain_text_alone():
    assert structured_reference("1.50") == "1.50"
    assert structured_reference("[1, 2") == "[1, 2"
    assert structured_reference('{"a": null, "b": [{"c": null}]}') == {"b": [{}]}


def test_code_cases_as_parallel_lists_as_apps_taco_and_code_contests_keep_them():
    """Before: only ``cases`` was read, so rows of these data sets were an ``error``."""
    cases = [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "5 5\n", "stdout": "10\n"}]
    lists = {"inputs": ["1 2\n", "5 5\n"], "outputs": ["3\n", "10\n"]}
    assert parse_reference(lists).cases == cases  # TACO, APPS's object
    assert parse_reference({"input_output": json.dumps(lists)}).cases == cases  # APPS's text
    assert parse_reference({"language": "cpp", "input": ["1 2\n", "5 5\n"],
                            "output": ["3\n", "10\n"]}).language == "cpp"  # CodeContests
    for bad, why in [({"inputs": ["1"], "outputs": []}, "one length"),
                     ({"inputs": [[1, 2]], "outputs": [[3]]}, "must be text"),
                     ({"input_output": {"fn_name": "add", "inputs": [[1, 2]],
                                        "outputs": [3]}}, "call-based"),
                     ({"input_output": "not json"}, "'input_output' must be")]:
        with pytest.raises(ReferenceError_, match=why):
            parse_reference(bad)


def test_apps_style_reference_scores_through_the_code_verifier():
    program = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    reference = {"input_output": json.dumps({"inputs": ["1 2\n", "5 5\n"],
                                             "outputs": ["3\n", "10\n"]})}
    with RewardEngine(["code"], workers=1) as engine:
        [right, wrong] = engine.score([
            {"completion": program, "answer": reference},
            {"completion": program.replace("a + b", "a * b"), "answer": reference}])
    assert right.reward == 1.0 and right.results[0].reason == "all 2 test(s) passed", right
    assert wrong.reward == 0.0 and wrong.results[0].status == "ok", wrong
