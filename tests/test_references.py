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
