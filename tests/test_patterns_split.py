"""Selection versus competence: the split of a change in mean reward, checked by hand."""

from __future__ import annotations

import pytest

from rewardkit.patterns import Cell, merge, split_change, tally, wilson_interval


def cells(*rows):
    """(stratum, label, n, passed) rows → cells."""
    return {(s, label): Cell(n, float(passed)) for s, label, n, passed in rows}


def check(split, selection, competence, interaction, mix=0.0):
    assert split.selection == pytest.approx(selection)
    assert split.competence == pytest.approx(competence)
    assert split.interaction == pytest.approx(interaction)
    assert split.mix == pytest.approx(mix)
    assert split.selection + split.competence + split.interaction + split.mix == (
        pytest.approx(split.change))


def test_pure_selection():
    # A 3/6 → 1/2 (50 %), B 4/4 → 8/8 (100 %): shares 60/40 → 20/80, reward 0.7 → 0.9.
    split = split_change(cells(("", "A", 6, 3), ("", "B", 4, 4)),
                         cells(("", "A", 2, 1), ("", "B", 8, 8)))
    assert (split.before, split.after) == pytest.approx((0.7, 0.9))
    check(split, selection=-0.4 * 0.5 + 0.4 * 1.0, competence=0.0, interaction=0.0)
    assert not split.stratified


def test_pure_competence():
    split = split_change(cells(("", "A", 10, 5)), cells(("", "A", 10, 8)))
    check(split, selection=0.0, competence=0.3, interaction=0.0)


def test_all_three_terms():
    # A: share 0.8 → 0.5, success 0.5 → 0.8; B: share 0.2 → 0.5, success 0.5 → 1.0.
    split = split_change(cells(("", "A", 8, 4), ("", "B", 2, 1)),
                         cells(("", "A", 5, 4), ("", "B", 5, 5)))
    check(split, selection=-0.3 * 0.5 + 0.3 * 0.5, competence=0.8 * 0.3 + 0.2 * 0.5,
          interaction=-0.3 * 0.3 + 0.3 * 0.5)
    assert split.patterns["A"].selection == pytest.approx(-0.15)
    assert split.patterns["B"].interaction == pytest.approx(0.15)


def test_strata_remove_the_false_competence_of_pooling():
    """docs/pattern-selection.md's case: `direct` is 0 % on carry problems and 100 % on
    no_carry ones before and after; RL drops it from carry problems only. Pooled, its
    success rises 25 % → 67 % and a third of the gain looks like competence; within strata
    the whole gain is selection."""
    before = cells(("carry", "direct", 6, 0), ("carry", "carries", 2, 2),
                   ("no_carry", "direct", 2, 2))
    after = cells(("carry", "direct", 1, 0), ("carry", "carries", 7, 7),
                  ("no_carry", "direct", 2, 2))
    stratified = split_change(before, after)
    assert stratified.stratified and stratified.change == pytest.approx(0.5)
    check(stratified, selection=0.8 * (5 / 8), competence=0.0, interaction=0.0)
    assert stratified.patterns["direct"].competence == 0.0

    pooled = split_change(cells(("", "direct", 8, 2), ("", "carries", 2, 2)),
                          cells(("", "direct", 3, 2), ("", "carries", 7, 7)))
    check(pooled, selection=-0.5 * 0.25 + 0.5 * 1.0, competence=0.8 * (2 / 3 - 0.25),
          interaction=-0.5 * (2 / 3 - 0.25))


def test_a_change_in_the_strata_mix_is_mix():
    # Nothing changes within a stratum; the easy stratum's weight goes 0.5 → 0.8.
    split = split_change(cells(("hard", "A", 5, 0), ("easy", "A", 5, 5)),
                         cells(("hard", "A", 2, 0), ("easy", "A", 8, 8)))
    check(split, selection=0.0, competence=0.0, interaction=0.0, mix=0.3)


def test_patterns_and_strata_on_one_side_only():
    # B appears: all selection, at its own success. The "new" stratum appears: all mix.
    split = split_change(cells(("", "A", 4, 2)), cells(("", "A", 2, 1), ("", "B", 2, 2)))
    check(split, selection=-0.5 * 0.5 + 0.5 * 1.0, competence=0.0, interaction=0.0)
    split = split_change(cells(("old", "A", 4, 2)),
                         cells(("old", "A", 2, 1), ("new", "A", 2, 2)))
    check(split, selection=0.0, competence=0.0, interaction=0.0, mix=0.25)
    with pytest.raises(ValueError):
        split_change({}, cells(("", "A", 1, 1)))


def test_merge_adds_batches():
    merged = merge(cells(("", "A", 2, 1)), cells(("", "A", 3, 3), ("", "B", 1, 0)))
    assert merged == cells(("", "A", 5, 4), ("", "B", 1, 0))


def test_tally_skips_unjudged_and_adds_up():
    cells_ = tally(["A", "A", "B", "B"], [True, None, 0.5, False], ["x", "x", None, "y"])
    assert cells_ == {("x", "A"): Cell(1, 1.0), ("", "B"): Cell(1, 0.5), ("y", "B"): Cell(1, 0.0)}
    tally(["A"], [False], ["x"], into=cells_)
    assert cells_[("x", "A")] == Cell(2, 1.0)
    with pytest.raises(ValueError):
        tally(["A"], [True, False])


def test_wilson_interval_by_hand():
    assert wilson_interval(0, 10) == pytest.approx((0.0, 3.8415 / 13.8415), abs=1e-4)
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(98, 100) == pytest.approx((0.9300, 0.9945), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
