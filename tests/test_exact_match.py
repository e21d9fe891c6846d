"""The built-in ``exact_match`` verifier: its normalising options and its reference shapes."""

import pytest

from rewardkit import Sample, Status
from rewardkit.verifiers.exact_match import ExactMatch


def judge(completion, reference, **options):  # type: ignore[no-untyped-def]
    return ExactMatch(options).verify(Sample(completion=completion, reference=reference))


@pytest.mark.parametrize("completion, reference, options, reward", [
    ("Paris", "Paris", {}, 1.0),
    ("  Paris \n", "Paris", {}, 1.0),
    ("paris", "Paris", {}, 0.0),
    ("paris", "Paris", {"ignore_case": True}, 1.0),
    ("New  York", "New York", {}, 1.0),
    ("NewYork", "New York", {"whitespace": "ignore"}, 1.0),
    (" Paris", "Paris", {"whitespace": "exact"}, 0.0),
    ("４２", "42", {}, 1.0),  # full-width digits under NFKC
    ("42", 42, {}, 1.0),  # a number is its text
])
def test_normalising_options(completion, reference, options, reward):
    assert judge(completion, reference, **options).reward == reward


def test_a_list_reference_is_several_acceptable_answers():
    """Before: a list was compared as its Python repr, so the one completion that passed
    was "['Paris', 'paris']", a habit a policy could learn."""
    assert judge("Paris", ["Paris", "Lutetia"]).reward == 1.0
    assert judge("Lutetia", ["Paris", "Lutetia"]).reward == 1.0
    assert judge("42", [42, "forty-two"]).reward == 1.0
    assert judge("['Paris', 'Lutetia']", ["Paris", "Lutetia"]).reward == 0.0
    assert judge("Lyon", ["Paris", "Lutetia"]).reward == 0.0


@pytest.mark.parametrize("reference", [{"answer": "Paris"}, [], [["Paris"]], [{"a": 1}]])
def test_a_reference_that_is_no_text_is_an_error(reference):
    result = judge(str(reference), reference)
    assert result.status is Status.ERROR and result.reward == 0.0


def test_no_reference_is_skipped():
    assert judge("Paris", None).status is Status.SKIPPED
