"""Anonymous totals and the five-person rule (no Django, no database).

The property tests check what an onlooker could compute from everything shown: no shown group is
smaller than five, no two shown groups of one measure differ by one to four people, and no nesting
of shown groups leaves one to four people uncovered — with groups shown earlier and the viewer's own
checks taken into account — whatever the groups and the order they are asked for in.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.aggregates import (
    MIN_PEOPLE,
    ElementCount,
    Hidden,
    ItemCount,
    Request,
    Totals,
    change,
    disclose,
    element_count,
    small_difference,
    uncovered,
    weakest,
)
from bansou.domain.scoring import Quadrant
from tests.domain.shipped import LEAFLET


def people(*ids: int) -> frozenset[str]:
    return frozenset(str(i) for i in ids)


def first(n: int) -> frozenset[str]:
    return people(*range(n))


# The rule, case by case ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, Hidden.TOO_FEW), (1, Hidden.TOO_FEW), (4, Hidden.TOO_FEW), (5, None), (6, None)],
)
def test_a_group_of_fewer_than_five_is_not_shown(size: int, expected: Hidden | None) -> None:
    assert disclose([Request((("pre", first(size)),))]) == [expected]


def test_six_before_and_five_after_shows_both_but_not_the_change() -> None:
    """The issue's training: six hand in a pre-check, five of them a post-check."""
    pre, post = first(6), first(5)
    paired = pre & post
    decisions = disclose(
        [
            Request((("pre", pre),)),
            Request((("post", post),)),
            Request((("pre", paired), ("post", paired))),
        ]
    )
    # The change would show the pre-check of the five: beside the pre-check of the six, the sixth's.
    assert decisions == [None, None, Hidden.DIFFERENCE]


def test_when_everyone_handed_in_both_the_change_is_shown() -> None:
    group = first(7)
    decisions = disclose(
        [Request((("pre", group),)), Request((("post", group),)), Request((("pre", group), ("post", group)))]
    )
    assert decisions == [None, None, None]


def test_a_difference_of_five_or_more_is_allowed() -> None:
    decisions = disclose([Request((("pre", first(10)),)), Request((("pre", first(5)),))])
    assert decisions == [None, None]


def test_groups_of_different_measures_never_hide_each_other() -> None:
    decisions = disclose([Request((("pre", first(6)),)), Request((("post", first(5)),))])
    assert decisions == [None, None]


def test_a_request_is_shown_whole_or_not_at_all() -> None:
    """The second part is too close to the first shown group: the first part is not kept either."""
    decisions = disclose(
        [
            Request((("post", first(6)),)),
            Request((("pre", first(8)), ("post", first(7)))),
            Request((("pre", first(9)),)),  # 9 vs 8 would differ by one, but 8 was never shown
        ]
    )
    assert decisions == [None, Hidden.DIFFERENCE, None]


def test_two_parts_of_one_request_on_the_same_measure_are_checked_against_each_other() -> None:
    assert disclose([Request((("pre", first(6)), ("pre", first(5))))]) == [Hidden.DIFFERENCE]


def test_overlapping_groups_that_swap_one_person_are_too_close() -> None:
    """{0..5} and {1..6}: the difference is one person's answer minus another's, which a はい/いいえ
    answer can give away (a difference of 1 means one said はい and the other いいえ)."""
    assert small_difference(people(*range(6)), people(*range(1, 7)))
    assert disclose([Request((("pre", people(*range(6))),)), Request((("pre", people(*range(1, 7))),))]) == [
        None,
        Hidden.DIFFERENCE,
    ]


def test_the_same_group_twice_is_no_difference() -> None:
    assert not small_difference(first(6), first(6))


def test_groups_shown_before_count_too() -> None:
    """The same totals before and after one person left (or one more handed in)."""
    shown = {"org": [first(6)]}
    assert disclose([Request((("org", first(5)),))], shown=shown) == [Hidden.DIFFERENCE]
    assert disclose([Request((("org", first(7)),))], shown=shown) == [Hidden.DIFFERENCE]
    assert disclose([Request((("org", first(11)),))], shown=shown) == [None]
    assert disclose([Request((("org", first(6)),))], shown=shown) == [None]  # the same group again


def test_the_viewers_own_check_does_not_count() -> None:
    """An organiser who is one of five would learn the other four's totals."""
    assert disclose([Request((("org", first(5)),))], known=people(0)) == [Hidden.TOO_FEW]
    assert disclose([Request((("org", first(6)),))], known=people(0)) == [None]
    # Five more than a shown group, one of them the viewer's own: four unknown people.
    assert disclose([Request((("org", first(11)),))], shown={"org": [first(6)]}, known=people(7)) == [
        Hidden.DIFFERENCE
    ]


def test_a_group_that_two_shown_groups_cover_but_one_is_hidden() -> None:
    """A = P + Q + {x} beside P and Q: A - P - Q = x."""
    p, q = people(*range(5)), people(*range(5, 10))
    a = p | q | people(10)
    assert disclose([Request((("org", p),)), Request((("org", q),)), Request((("org", a),))]) == [
        None,
        None,
        Hidden.DIFFERENCE,
    ]
    # And the other way round: A first, then P, then Q would leave x uncovered.
    assert disclose([Request((("org", a),)), Request((("org", p),)), Request((("org", q),))]) == [
        None,
        None,
        Hidden.DIFFERENCE,
    ]


# Properties -----------------------------------------------------------------------------------------

groups = st.frozensets(st.integers(min_value=0, max_value=14).map(str), max_size=15)
measures = st.sampled_from(["pre", "post"])
requests = st.lists(
    st.lists(st.tuples(measures, groups), min_size=1, max_size=3).map(lambda parts: Request(tuple(parts))),
    max_size=8,
)


def shown_parts(asked: list[Request], decisions: list[Hidden | None]) -> list[tuple[str, frozenset[str]]]:
    return [part for request, d in zip(asked, decisions, strict=True) if d is None for part in request.parts]


@given(requests)
@settings(max_examples=400)
def test_no_shown_figure_describes_fewer_than_five_people(asked: list[Request]) -> None:
    for _measure, group in shown_parts(asked, disclose(asked)):
        assert len(group) >= MIN_PEOPLE


@given(requests)
@settings(max_examples=400)
def test_no_two_shown_figures_differ_by_fewer_than_five_people(asked: list[Request]) -> None:
    shown = shown_parts(asked, disclose(asked))
    for i, (measure_a, a) in enumerate(shown):
        for measure_b, b in shown[i + 1 :]:
            if measure_a != measure_b:
                continue
            for difference in (a - b, b - a):
                assert len(difference) == 0 or len(difference) >= MIN_PEOPLE


@given(requests)
@settings(max_examples=300)
def test_no_sum_of_nested_shown_groups_singles_out_fewer_than_five(asked: list[Request]) -> None:
    """For every shown group and every set of pairwise disjoint shown groups inside it, what they
    leave uncovered is none or at least five."""
    shown = shown_parts(asked, disclose(asked))
    for measure, outer in shown:
        inside = [g for m, g in shown if m == measure and g < outer]
        for mask in range(1, 2 ** min(len(inside), 8)):
            chosen = [g for bit, g in enumerate(inside[:8]) if mask >> bit & 1]
            if any(a & b for i, a in enumerate(chosen) for b in chosen[i + 1 :]):
                continue
            rest = outer - frozenset().union(*chosen)
            assert len(rest) == 0 or len(rest) >= MIN_PEOPLE


@given(requests, st.lists(groups, max_size=3), st.frozensets(st.integers(0, 14).map(str), max_size=8))
def test_what_was_shown_before_and_what_the_viewer_knows_are_respected(
    asked: list[Request], before: list[frozenset[str]], known: frozenset[str]
) -> None:
    prior = {"pre": [g for g in before if len(g) >= MIN_PEOPLE]}
    shown = shown_parts(asked, disclose(asked, shown=prior, known=known))
    for measure, group in shown:
        assert len(group) >= MIN_PEOPLE
        assert len(group - known) == 0 or len(group - known) >= MIN_PEOPLE
        if measure == "pre":
            for old in prior["pre"]:
                for part in (group - old, old - group):
                    assert len(part - known) == 0 or len(part - known) >= MIN_PEOPLE


@given(requests)
def test_a_request_is_hidden_only_for_a_reason_that_holds(asked: list[Request]) -> None:
    """Nothing is hidden needlessly: a hidden request is too small, or too close to what was shown."""
    decisions = disclose(asked)
    shown: list[tuple[str, frozenset[str]]] = []
    for request, decision in zip(asked, decisions, strict=True):
        if decision is Hidden.TOO_FEW:
            assert any(len(g) < MIN_PEOPLE for _m, g in request.parts)
        elif decision is Hidden.DIFFERENCE:
            parts = list(request.parts)
            assert any(
                small_difference(g, other) or uncovered(g, [o for om, o in shown + parts[:i] if om == m])
                for i, (m, g) in enumerate(parts)
                for om, other in shown + parts[:i]
                if om == m
            )
        else:
            shown.extend(request.parts)


@given(requests, st.integers(min_value=1, max_value=10))
def test_the_minimum_is_a_parameter(asked: list[Request], minimum: int) -> None:
    for _m, group in shown_parts(asked, disclose(asked, minimum)):
        assert len(group) >= minimum


# Totals ----------------------------------------------------------------------------------------------


def test_element_counts_come_from_grouped_rows() -> None:
    count = element_count([(True, True, 3), (True, False, 2), (False, True, 1), (False, False, 4)])
    assert count.quadrants == {
        Quadrant.STRENGTH: 3,
        Quadrant.PUT_INTO_PRACTICE: 2,
        Quadrant.PUT_INTO_WORDS: 1,
        Quadrant.START_HERE: 4,
    }
    assert count.people == 10
    assert (count.understanding.count, count.practice.count) == (5, 4)
    assert count.share_in(Quadrant.START_HERE).percent == 40


def test_change_is_in_points_of_the_rounded_percentages() -> None:
    before, after = (
        ItemCount(people=6, understood=2, practised=1),
        ItemCount(people=6, understood=5, practised=1),
    )
    assert change(before, after).understanding == 83 - 33
    assert change(before, after).practice == 0


@given(
    st.dictionaries(
        st.sampled_from(LEAFLET.item_codes()),
        st.tuples(st.integers(1, 50), st.integers(0, 50), st.integers(0, 50)),
    )
)
def test_the_focus_items_are_the_least_practised(raw: dict[str, tuple[int, int, int]]) -> None:
    counts = {code: ItemCount(n, min(u, n), min(p, n)) for code, (n, u, p) in raw.items()}
    totals = Totals(people=max((c.people for c in counts.values()), default=0), items=counts)
    focus = weakest(LEAFLET, totals, count=5)
    assert len(focus) == min(5, len(counts))
    chosen = {item.code for item in focus}
    rest = [c for code, c in counts.items() if code not in chosen]
    for item in focus:
        for other in rest:
            assert counts[item.code].practice.percent <= other.practice.percent


def test_focus_leaves_out_items_nobody_answered() -> None:
    code = LEAFLET.item_codes()[3]
    totals = Totals(people=6, items={code: ItemCount(6, 6, 6)})
    assert [item.code for item in weakest(LEAFLET, totals)] == [code]


def quadrant_rows(counts: Iterable[int]) -> list[tuple[bool, bool, int]]:
    flags = [(True, True), (True, False), (False, True), (False, False)]
    return [(u, p, n) for (u, p), n in zip(flags, counts, strict=True)]


@given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_the_quadrant_shares_add_up_to_the_people(counts: list[int]) -> None:
    count: ElementCount = element_count(quadrant_rows(counts))
    assert count.people == sum(counts)
    assert sum(count.share_in(q).count for q in Quadrant) == count.people


def test_a_group_the_viewer_knows_entirely_is_shown_but_never_one_under_five() -> None:
    """Paper answers typed in by the organisation are known to it: over them alone nothing is new."""
    assert disclose([Request((("org", first(6)),))], known=first(6)) == [None]
    assert disclose([Request((("org", first(4)),))], known=first(4)) == [Hidden.TOO_FEW]
    # Four typed in and one handed in online: the totals would give away the fifth's answers.
    assert disclose([Request((("org", first(5)),))], known=people(0, 1, 2, 3)) == [Hidden.TOO_FEW]
    assert disclose([Request((("org", first(9)),))], known=people(0, 1, 2, 3)) == [None]
