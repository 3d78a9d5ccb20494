"""Scoring a check: element shares, the 2x2 placement of items, progress and change over time.

The shipped leaflet (0 = いいえ, 1 = はい) and the 4-level test variant (○ from 3) are the
frameworks under test; no Django, no database.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.framework import Axis, Framework
from bansou.domain.framework_file import parse_framework
from bansou.domain.scoring import (
    Answer,
    ElementChange,
    ElementScore,
    IncompleteAnswers,
    PowerSummary,
    Quadrant,
    Result,
    Share,
    answers_from_rows,
    change_since,
    missing_items,
    power_summaries,
    progress,
    quadrant_of,
    score,
)
from tests.domain.shipped import FOUR_LEVEL, FOUR_LEVEL_VARIANT, LEAFLET

NO, YES = 0, 1
UNDERSTOOD = frozenset({Quadrant.STRENGTH, Quadrant.PUT_INTO_PRACTICE})
PRACTISED = frozenset({Quadrant.STRENGTH, Quadrant.PUT_INTO_WORDS})

# No example database: property tests leave nothing behind in the working tree.
PROPERTY = settings(database=None, max_examples=100, deadline=None)


def all_answered(framework: Framework, understanding: int, practice: int) -> dict[str, Answer]:
    return {code: Answer(understanding, practice) for code in framework.item_codes()}


def three_item_variant() -> Framework:
    """The 4-level variant with a third item ``r3`` in element 1."""
    text = FOUR_LEVEL_VARIANT.read_text(encoding="utf-8")
    anchor = 'code = "r2"\nmark = "2"\nname = "信頼を築く"\n'
    assert text.count(anchor) == 1
    extra = '\n[[sheets.sections.items]]\ncode = "r3"\nmark = "3"\nname = "約束を守る"\n'
    return parse_framework(text.replace(anchor, anchor + extra).encode(), source="three-item").framework


def answers_for(framework: Framework) -> st.SearchStrategy[dict[str, Answer]]:
    """A complete set of answers on ``framework``'s scale."""
    value = st.sampled_from(framework.scale.values())
    return st.fixed_dictionaries(
        {code: st.builds(Answer, understanding=value, practice=value) for code in framework.item_codes()}
    )


def element_items(framework: Framework, number: int) -> list[str]:
    return [item.code for item in framework.items() if item.element == number]


# -- Share: counts and half-up percent -------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "percent"),
    [(1, 2, 50), (2, 3, 67), (1, 3, 33), (0, 0, 0), (0, 5, 0), (5, 5, 100), (1, 8, 13), (3, 8, 38)],
)
def test_share_percent_is_rounded_half_up(count: int, total: int, percent: int) -> None:
    assert Share(count, total).percent == percent


@PROPERTY
@given(st.integers(min_value=0, max_value=500).flatmap(lambda t: st.tuples(st.integers(0, t), st.just(t))))
def test_share_percent_stays_within_0_and_100_and_is_the_nearest_whole_percent(
    count_total: tuple[int, int],
) -> None:
    count, total = count_total
    percent = Share(count, total).percent
    assert 0 <= percent <= 100
    if total:
        exact = Fraction(100 * count, total)
        assert abs(percent - exact) <= Fraction(1, 2)
        if exact - math.floor(exact) == Fraction(1, 2):
            assert percent == math.ceil(exact)  # a tie goes up


# -- The 2x2 placement -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("understood", "practised", "quadrant"),
    [
        (True, True, Quadrant.STRENGTH),
        (True, False, Quadrant.PUT_INTO_PRACTICE),
        (False, True, Quadrant.PUT_INTO_WORDS),
        (False, False, Quadrant.START_HERE),
    ],
)
def test_quadrant_of_places_each_combination_of_understood_and_practised(
    understood: bool, practised: bool, quadrant: Quadrant
) -> None:
    assert quadrant_of(understood, practised) is quadrant


def test_places_item_understood_and_practised_in_strength() -> None:
    answers = all_answered(LEAFLET, NO, NO) | {"2-1": Answer(YES, YES)}
    result = score(LEAFLET, answers)
    assert [p.item.code for p in result.in_quadrant(Quadrant.STRENGTH)] == ["2-1"]


def test_places_item_understood_but_not_practised_in_put_into_practice() -> None:
    answers = all_answered(LEAFLET, NO, NO) | {"6-3": Answer(YES, NO)}
    result = score(LEAFLET, answers)
    assert [p.item.code for p in result.in_quadrant(Quadrant.PUT_INTO_PRACTICE)] == ["6-3"]
    assert result.in_quadrant(Quadrant.STRENGTH) == ()


def test_places_item_practised_but_not_understood_in_put_into_words() -> None:
    answers = all_answered(LEAFLET, NO, NO) | {"A-4": Answer(NO, YES)}
    result = score(LEAFLET, answers)
    assert [p.item.code for p in result.in_quadrant(Quadrant.PUT_INTO_WORDS)] == ["A-4"]


def test_places_item_neither_understood_nor_practised_in_start_here() -> None:
    answers = all_answered(LEAFLET, YES, YES) | {"9-10": Answer(NO, NO)}
    result = score(LEAFLET, answers)
    assert [p.item.code for p in result.in_quadrant(Quadrant.START_HERE)] == ["9-10"]
    assert len(result.in_quadrant(Quadrant.STRENGTH)) == 44


def test_placed_items_follow_the_sheet_order_of_the_framework() -> None:
    result = score(LEAFLET, all_answered(LEAFLET, YES, NO))
    assert tuple(p.item.code for p in result.placed) == LEAFLET.item_codes()


@PROPERTY
@given(answers_for(LEAFLET))
def test_every_item_is_placed_in_exactly_one_quadrant(answers: dict[str, Answer]) -> None:
    result = score(LEAFLET, answers)
    by_quadrant = [p.item.code for quadrant in Quadrant for p in result.in_quadrant(quadrant)]
    assert sorted(by_quadrant) == sorted(LEAFLET.item_codes())
    for placed in result.placed:
        answer = answers[placed.item.code]
        assert placed.quadrant is quadrant_of(answer.understanding == YES, answer.practice == YES)


# -- Element shares ----------------------------------------------------------------------------


def test_element_shares_count_the_items_answered_yes_on_each_axis() -> None:
    answers = all_answered(LEAFLET, NO, NO)
    answers |= {"2-1": Answer(YES, YES), "2-2": Answer(YES, NO), "2-3": Answer(NO, YES)}
    element = score(LEAFLET, answers).element(2)
    assert element is not None
    assert element.understanding == Share(2, 4)
    assert element.practice == Share(2, 4)
    assert element.understanding.percent == 50


def test_element_shares_round_two_of_three_to_67_and_one_of_three_to_33() -> None:
    # Neither shipped file has an element of three items: give the variant's element 1 a third one.
    framework = three_item_variant()
    answers = all_answered(framework, 1, 1) | {"r1": Answer(4, 3), "r2": Answer(3, 2)}
    element = score(framework, answers).element(1)
    assert element is not None
    assert element.understanding == Share(2, 3)
    assert element.understanding.percent == 67
    assert element.practice == Share(1, 3)
    assert element.practice.percent == 33


def test_element_shares_of_five_items_are_counted_per_axis() -> None:
    answers = all_answered(LEAFLET, NO, NO) | {"3-1": Answer(YES, YES), "3-2": Answer(YES, NO)}
    element = score(LEAFLET, answers).element(3)
    assert element is not None
    assert (element.understanding, element.understanding.percent) == (Share(2, 5), 40)
    assert (element.practice, element.practice.percent) == (Share(1, 5), 20)


def test_element_score_carries_name_power_and_tier_of_the_element() -> None:
    result = score(LEAFLET, all_answered(LEAFLET, YES, YES))
    assert [e.number for e in result.elements] == list(range(1, 10))
    nine = result.element(9)
    assert nine is not None
    assert (nine.name, nine.power, nine.tier) == ("主体性を引き出す力", 3, "B")
    assert nine.understanding == Share(10, 10)
    assert nine.practice.percent == 100


def test_element_checked_at_label_level_has_one_item() -> None:
    answers = all_answered(LEAFLET, YES, YES) | {"C-5": Answer(NO, YES)}
    data = score(LEAFLET, answers).element(4)
    assert data is not None
    assert data.understanding == Share(0, 1)
    assert data.practice == Share(1, 1)


def test_element_unknown_to_the_result_is_none() -> None:
    assert score(LEAFLET, all_answered(LEAFLET, YES, YES)).element(10) is None


@PROPERTY
@given(answers_for(LEAFLET))
def test_element_counts_equal_its_items_in_the_understood_and_practised_quadrants(
    answers: dict[str, Answer],
) -> None:
    result = score(LEAFLET, answers)
    for element in result.elements:
        placed = [p for p in result.placed if p.item.element == element.number]
        assert element.understanding.count == sum(p.quadrant in UNDERSTOOD for p in placed)
        assert element.practice.count == sum(p.quadrant in PRACTISED for p in placed)
        assert element.understanding.total == element.practice.total == len(placed)
        assert 0 <= element.understanding.percent <= 100
        assert 0 <= element.practice.percent <= 100


@PROPERTY
@given(
    answers_for(LEAFLET),
    st.sampled_from([item.code for item in LEAFLET.items() if item.element is not None]),
    st.sampled_from(list(Axis)),
)
def test_flipping_one_answer_from_no_to_yes_never_lowers_that_elements_share(
    answers: dict[str, Answer], code: str, axis: Axis
) -> None:
    field = "understanding" if axis is Axis.UNDERSTANDING else "practice"
    other_field = "practice" if axis is Axis.UNDERSTANDING else "understanding"
    number = next(item.element for item in LEAFLET.items() if item.code == code)
    assert number is not None

    def element_after_answering(value: int) -> ElementScore:
        changed = {**answers, code: dataclasses.replace(answers[code], **{field: value})}
        element = score(LEAFLET, changed).element(number)
        assert element is not None
        return element

    before, after = element_after_answering(NO), element_after_answering(YES)
    assert getattr(after, field).count == getattr(before, field).count + 1
    assert getattr(after, field).percent >= getattr(before, field).percent
    assert getattr(after, other_field) == getattr(before, other_field)


# -- Result.overall ----------------------------------------------------------------------------


def test_overall_counts_every_item_including_labels_without_an_element() -> None:
    answers = all_answered(LEAFLET, NO, YES)
    answers |= {"2-1": Answer(YES, NO), "9-1": Answer(YES, NO), "A-1": Answer(YES, YES)}
    result = score(LEAFLET, answers)
    assert result.overall(Axis.UNDERSTANDING) == Share(3, 45)
    assert result.overall(Axis.PRACTICE) == Share(43, 45)


@PROPERTY
@given(answers_for(LEAFLET))
def test_overall_equals_the_count_of_positive_answers_over_all_items(answers: dict[str, Answer]) -> None:
    result = score(LEAFLET, answers)
    positive = LEAFLET.scale.is_positive
    for axis in Axis:
        overall = result.overall(axis)
        assert overall.total == len(answers) == 45
        assert overall.count == sum(positive(a.on(axis)) for a in answers.values())  # type: ignore[arg-type]


# -- Incomplete answers ------------------------------------------------------------------------


def test_score_refuses_incomplete_answers_naming_the_missing_codes() -> None:
    answers = all_answered(LEAFLET, YES, YES)
    del answers["3-2"]
    answers["C-9"] = Answer(understanding=YES)
    answers["7-1"] = Answer(practice=NO)
    with pytest.raises(IncompleteAnswers) as raised:
        score(LEAFLET, answers)
    assert raised.value.missing == ("3-2", "7-1", "C-9")
    assert "3 items not answered" in str(raised.value)
    for code in ("3-2", "7-1", "C-9"):
        assert code in str(raised.value)


def test_incomplete_answers_is_a_value_error_naming_at_most_five_codes() -> None:
    with pytest.raises(ValueError, match=r"^45 items not answered: 2-1, 2-2, 2-3, 2-4, 3-1$"):
        score(LEAFLET, {})


def test_missing_items_are_listed_in_sheet_order() -> None:
    answers = all_answered(LEAFLET, NO, NO)
    for code in ("A-1", "9-10", "2-1", "9-2"):
        del answers[code]
    assert missing_items(LEAFLET, answers) == ("2-1", "9-2", "9-10", "A-1")


def test_missing_items_of_no_answers_are_all_items() -> None:
    assert missing_items(LEAFLET, {}) == LEAFLET.item_codes()


def test_missing_items_of_complete_answers_is_empty() -> None:
    assert missing_items(LEAFLET, all_answered(LEAFLET, NO, YES)) == ()


def test_answer_is_complete_only_with_both_axes() -> None:
    assert Answer(0, 0).complete
    assert not Answer(understanding=1).complete
    assert not Answer(practice=1).complete
    assert not Answer().complete


# -- Progress ----------------------------------------------------------------------------------


def test_progress_counts_per_sheet_only_items_answered_on_both_axes() -> None:
    answers = {
        "2-1": Answer(YES, NO),
        "2-2": Answer(understanding=YES),
        "9-10": Answer(NO, NO),
        "A-1": Answer(practice=YES),
        "C-9": Answer(YES, YES),
    }
    by_sheet = {p.sheet.code: (p.answered, p.total) for p in progress(LEAFLET, answers)}
    assert by_sheet == {"checklist": (2, 29), "labels": (1, 16)}


def test_progress_of_no_answers_is_zero_of_each_sheet_in_sheet_order() -> None:
    result = progress(LEAFLET, {})
    assert [(p.sheet.code, p.answered, p.total) for p in result] == [("checklist", 0, 29), ("labels", 0, 16)]


def test_progress_ignores_answers_to_codes_outside_the_framework() -> None:
    result = progress(FOUR_LEVEL, {"2-1": Answer(4, 4), "r1": Answer(1, 2)})
    assert [(p.answered, p.total) for p in result] == [(1, 4)]


# -- Change since the previous check -----------------------------------------------------------


def test_change_since_no_previous_check_is_none_for_every_element() -> None:
    result = score(LEAFLET, all_answered(LEAFLET, YES, NO))
    changes = change_since(result, None)
    assert list(changes) == list(range(1, 10))
    assert all(change == ElementChange(number, None, None) for number, change in changes.items())


def test_change_since_is_the_difference_in_points_per_element() -> None:
    before = score(LEAFLET, all_answered(LEAFLET, NO, NO))
    answers = all_answered(LEAFLET, NO, NO)
    answers |= {"2-1": Answer(YES, NO), "2-2": Answer(YES, YES), "3-1": Answer(NO, YES)}
    after = score(LEAFLET, answers)
    changes = change_since(after, before)
    assert changes[2] == ElementChange(2, 50, 25)
    assert changes[3] == ElementChange(3, 0, 20)
    assert changes[9] == ElementChange(9, 0, 0)
    # And backwards: a fall is negative.
    assert change_since(before, after)[2] == ElementChange(2, -50, -25)


def test_change_since_is_none_for_an_element_the_previous_result_lacks() -> None:
    current = score(LEAFLET, all_answered(LEAFLET, YES, YES))
    base = score(LEAFLET, all_answered(LEAFLET, NO, NO))
    previous = Result(elements=tuple(e for e in base.elements if e.number != 6), placed=base.placed)
    changes = change_since(current, previous)
    assert changes[6] == ElementChange(6, None, None)
    assert changes[7] == ElementChange(7, 100, 100)


def test_change_since_a_result_of_another_framework_compares_by_element_number() -> None:
    current = score(FOUR_LEVEL, all_answered(FOUR_LEVEL, 4, 1))
    previous = score(LEAFLET, all_answered(LEAFLET, NO, YES))
    changes = change_since(current, previous)
    assert list(changes) == [1, 2, 3]
    assert changes[1] == ElementChange(1, 100, -100)


@PROPERTY
@given(answers_for(LEAFLET))
def test_change_since_the_same_result_is_zero_everywhere(answers: dict[str, Answer]) -> None:
    result = score(LEAFLET, answers)
    changes = change_since(result, result)
    assert set(changes) == {e.number for e in LEAFLET.elements}
    assert all(c.understanding == 0 and c.practice == 0 for c in changes.values())


# -- Answers from stored rows ------------------------------------------------------------------


def test_answers_from_rows_groups_cells_by_item() -> None:
    rows = [("2-1", "understanding", 1), ("2-1", "practice", 0), ("3-1", "practice", 1)]
    assert answers_from_rows(rows) == {
        "2-1": Answer(understanding=1, practice=0),
        "3-1": Answer(understanding=None, practice=1),
    }


def test_answers_from_rows_keeps_a_cleared_cell_as_unanswered() -> None:
    answers = answers_from_rows([("2-1", "understanding", None), ("2-1", "practice", 1)])
    assert answers == {"2-1": Answer(None, 1)}
    assert missing_items(LEAFLET, answers)[0] == "2-1"


def test_answers_from_rows_of_no_rows_is_empty() -> None:
    assert answers_from_rows([]) == {}


def test_answers_from_rows_refuses_an_unknown_axis() -> None:
    with pytest.raises(ValueError, match="feeling"):
        answers_from_rows([("2-1", "feeling", 1)])


def test_answers_from_rows_feed_score() -> None:
    rows = [(code, axis.value, YES) for code in LEAFLET.item_codes() for axis in Axis]
    result = score(LEAFLET, answers_from_rows(rows))
    assert len(result.in_quadrant(Quadrant.STRENGTH)) == 45


# -- A 4-level framework -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("understanding", "practice", "quadrant"),
    [
        (3, 3, Quadrant.STRENGTH),
        (4, 2, Quadrant.PUT_INTO_PRACTICE),
        (2, 4, Quadrant.PUT_INTO_WORDS),
        (2, 1, Quadrant.START_HERE),
        (1, 3, Quadrant.PUT_INTO_WORDS),
    ],
)
def test_four_level_scale_counts_values_from_positive_from_as_yes(
    understanding: int, practice: int, quadrant: Quadrant
) -> None:
    answers = all_answered(FOUR_LEVEL, 1, 1) | {"r1": Answer(understanding, practice)}
    result = score(FOUR_LEVEL, answers)
    placed = {p.item.code: p.quadrant for p in result.placed}
    assert placed["r1"] is quadrant


def test_four_level_element_shares_count_values_of_three_and_four() -> None:
    answers = {"r1": Answer(3, 2), "r2": Answer(4, 4), "p1": Answer(2, 3), "p2": Answer(1, 1)}
    result = score(FOUR_LEVEL, answers)
    shares = {e.number: (e.understanding, e.practice) for e in result.elements}
    assert shares == {
        1: (Share(2, 2), Share(1, 2)),
        2: (Share(0, 1), Share(1, 1)),
        3: (Share(0, 1), Share(0, 1)),
    }
    assert result.overall(Axis.UNDERSTANDING) == Share(2, 4)
    assert result.overall(Axis.PRACTICE).percent == 50


def test_four_level_value_of_two_is_not_yes_though_leaflet_counts_one_as_yes() -> None:
    # On the leaflet 1 is はい; on the 4-level scale 1 and 2 are both below positive_from.
    answers = all_answered(FOUR_LEVEL, 2, 2)
    assert len(score(FOUR_LEVEL, answers).in_quadrant(Quadrant.START_HERE)) == 4


@PROPERTY
@given(answers_for(FOUR_LEVEL))
def test_four_level_placement_follows_the_threshold_of_three(answers: dict[str, Answer]) -> None:
    result = score(FOUR_LEVEL, answers)
    for placed in result.placed:
        answer = answers[placed.item.code]
        assert answer.understanding is not None
        assert answer.practice is not None
        assert placed.quadrant is quadrant_of(answer.understanding >= 3, answer.practice >= 3)


def test_tier_shares_count_the_items_of_each_tier() -> None:
    answers = all_answered(LEAFLET, NO, NO)
    answers |= {"A-1": Answer(YES, NO), "A-2": Answer(YES, YES), "2-1": Answer(NO, YES)}
    result = score(LEAFLET, answers)

    assert result.of_tier("A", Axis.UNDERSTANDING) == Share(2, 7)
    assert result.of_tier("A", Axis.PRACTICE) == Share(1, 7)
    assert result.of_tier("B", Axis.PRACTICE) == Share(1, 29)
    assert result.of_tier("C", Axis.UNDERSTANDING) == Share(0, 9)


# -- The three 力 ------------------------------------------------------------------------------


def test_power_summaries_count_every_item_of_each_power_in_the_frameworks_order() -> None:
    answers = all_answered(LEAFLET, YES, NO)
    for code in element_items(LEAFLET, 9):  # 解決方向に向かう力: element 9 practised too
        answers[code] = Answer(YES, YES)
    summaries = power_summaries(LEAFLET, score(LEAFLET, answers))

    assert [(s.number, s.name) for s in summaries] == [
        (1, "人に働きかける力"),
        (2, "活動を適切に進める力"),
        (3, "解決方向に向かう力"),
    ]
    assert [s.elements for s in summaries] == [(1, 2, 3), (4, 5, 6, 7), (8, 9)]
    # Every item of the power counts, with or without an element (as the tiers count them).
    assert [s.items for s in summaries] == [16, 15, 14]
    assert sum(s.items for s in summaries) == len(LEAFLET.item_codes())
    first, _second, third = summaries
    assert (first.understanding, first.practice) == (Share(16, 16), Share(0, 16))
    assert first.largest == (Quadrant.PUT_INTO_PRACTICE,)
    assert (third.understanding, third.practice) == (Share(14, 14), Share(10, 14))
    assert third.quadrants[Quadrant.STRENGTH] == 10 and third.quadrants[Quadrant.PUT_INTO_PRACTICE] == 4
    assert third.largest == (Quadrant.STRENGTH,)


def test_a_power_summary_keeps_every_quadrant_that_ties_for_the_most_items() -> None:
    summary = PowerSummary(
        1,
        "人に働きかける力",
        (1,),
        Share(2, 4),
        Share(2, 4),
        {
            Quadrant.STRENGTH: 0,
            Quadrant.PUT_INTO_PRACTICE: 2,
            Quadrant.PUT_INTO_WORDS: 2,
            Quadrant.START_HERE: 0,
        },
    )
    assert summary.largest == (Quadrant.PUT_INTO_PRACTICE, Quadrant.PUT_INTO_WORDS)
    empty = dataclasses.replace(summary, quadrants=dict.fromkeys(Quadrant, 0))
    assert empty.largest == () and empty.items == 0


@PROPERTY
@given(answers_for(LEAFLET))
def test_power_summaries_agree_with_the_overall_shares(answers: dict[str, Answer]) -> None:
    result = score(LEAFLET, answers)
    summaries = power_summaries(LEAFLET, result)
    for axis in Axis:
        shares = [s.understanding if axis is Axis.UNDERSTANDING else s.practice for s in summaries]
        overall = result.overall(axis)
        assert (sum(s.count for s in shares), sum(s.total for s in shares)) == (overall.count, overall.total)
