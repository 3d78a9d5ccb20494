"""Anonymous totals and the five-person rule (no Django, no database).

The property tests check what an onlooker could compute from everything shown: no shown group is
smaller than five, no two shown groups of one measure differ by one to four people, and no nesting
of shown groups leaves one to four people uncovered — with groups shown earlier and the viewer's own
checks taken into account — whatever the groups and the order they are asked for in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.aggregates import (
    MIN_PEOPLE,
    Audience,
    ElementCount,
    Hidden,
    ItemCount,
    Ledger,
    Request,
    Totals,
    change,
    disclose,
    element_count,
    small_difference,
    weakest,
)
from bansou.domain.scoring import Quadrant
from tests.domain.shipped import LEAFLET


def people(*ids: int) -> frozenset[int]:
    return frozenset(ids)


def first(n: int) -> frozenset[int]:
    return people(*range(n))


def decide(*asked: Request, **options: Any) -> list[Hidden | None]:
    return disclose(list(asked), **options)[0]


def ask(*groups: frozenset[int]) -> Request:
    return Request(groups)


def before(*groups: frozenset[int]) -> Ledger:
    return Ledger().with_groups(groups)


# The rule, case by case ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, Hidden.TOO_FEW), (1, Hidden.TOO_FEW), (4, Hidden.TOO_FEW), (5, None), (6, None)],
)
def test_a_group_of_fewer_than_five_is_not_shown(size: int, expected: Hidden | None) -> None:
    assert decide(ask(first(size))) == [expected]


def test_six_before_and_five_after_shows_both_but_not_the_change() -> None:
    """The issue's training: six hand in a pre-check (0-5), five of them a post-check (10-14)."""
    pre, post = first(6), people(*range(10, 15))
    paired_pre = first(5)
    decisions = decide(ask(pre), ask(post), ask(paired_pre, post))
    # The change would show the pre-check of the five: beside the pre-check of the six, the sixth's.
    assert decisions == [None, None, Hidden.DIFFERENCE]


def test_when_everyone_handed_in_both_the_change_is_shown() -> None:
    pre, post = first(7), people(*range(10, 17))
    assert decide(ask(pre), ask(post), ask(pre, post)) == [None, None, None]


def test_a_difference_of_five_or_more_is_allowed() -> None:
    assert decide(ask(first(10)), ask(first(5))) == [None, None]


def test_one_history_whatever_the_page() -> None:
    """Every group shown, on any page and to any organisation, counts against every other."""
    assert decide(ask(first(6)), ask(first(5))) == [None, Hidden.DIFFERENCE]


def test_a_request_is_shown_whole_or_not_at_all() -> None:
    """The second part is too close to the first shown group: the first part is not kept either."""
    decisions = decide(
        ask(first(6)),
        ask(people(*range(20, 28)), first(7)),
        ask(people(*range(20, 29))),  # 9 vs 8 would differ by one, but the 8 were never shown
    )
    assert decisions == [None, Hidden.DIFFERENCE, None]


def test_two_parts_of_one_request_are_checked_against_each_other() -> None:
    assert decide(ask(first(6), first(5))) == [Hidden.DIFFERENCE]


def test_overlapping_groups_that_swap_one_person_are_too_close() -> None:
    """{0..5} and {1..6}: the difference is one person's answer minus another's, which a はい/いいえ
    answer can give away (a difference of 1 means one said はい and the other いいえ)."""
    assert small_difference(people(*range(6)), people(*range(1, 7)))
    assert decide(ask(people(*range(6))), ask(people(*range(1, 7)))) == [None, Hidden.DIFFERENCE]


def test_the_same_group_twice_is_no_difference() -> None:
    assert not small_difference(first(6), first(6))
    assert decide(ask(first(6)), ask(first(6))) == [None, None]


def test_groups_shown_before_count_too() -> None:
    """The same totals before and after one person left (or one more handed in)."""
    shown = before(first(6))
    assert decide(ask(first(5)), ledger=shown) == [Hidden.DIFFERENCE]
    assert decide(ask(first(7)), ledger=shown) == [Hidden.DIFFERENCE]
    assert decide(ask(first(11)), ledger=shown) == [None]
    assert decide(ask(first(6)), ledger=shown) == [None]  # the same group again


def test_the_viewers_own_check_does_not_count() -> None:
    """An organiser who is one of five would learn the other four's totals."""
    assert decide(ask(first(5)), audience=Audience((people(0),))) == [Hidden.TOO_FEW]
    assert decide(ask(first(6)), audience=Audience((people(0),))) == [None]
    # Five more than a shown group, one of them the viewer's own: four unknown people.
    assert decide(ask(first(11)), ledger=before(first(6)), audience=Audience((people(7),))) == [
        Hidden.DIFFERENCE
    ]


def test_a_group_that_two_shown_groups_cover_but_one_is_hidden() -> None:
    """A = P + Q + {x} beside P and Q: A - P - Q = x."""
    p, q = people(*range(5)), people(*range(5, 10))
    a = p | q | people(10)
    assert decide(ask(p), ask(q), ask(a)) == [None, None, Hidden.DIFFERENCE]
    # And the other way round: A first, then P, then Q would leave x uncovered.
    assert decide(ask(a), ask(p), ask(q)) == [None, None, Hidden.DIFFERENCE]


# Properties of the simple rules -----------------------------------------------------------------------

groups = st.frozensets(st.integers(min_value=0, max_value=14), max_size=15)
requests = st.lists(
    st.lists(groups, min_size=1, max_size=3).map(lambda parts: Request(tuple(parts))),
    max_size=8,
)


def shown_parts(asked: list[Request], decisions: list[Hidden | None]) -> list[frozenset[int]]:
    return [part for request, d in zip(asked, decisions, strict=True) if d is None for part in request.parts]


@given(requests)
@settings(max_examples=200)
def test_no_shown_figure_describes_fewer_than_five_people(asked: list[Request]) -> None:
    for group in shown_parts(asked, decide(*asked)):
        assert len(group) >= MIN_PEOPLE


@given(requests)
@settings(max_examples=200)
def test_no_two_shown_figures_differ_by_fewer_than_five_people(asked: list[Request]) -> None:
    shown = shown_parts(asked, decide(*asked))
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            for difference in (a - b, b - a):
                assert len(difference) == 0 or len(difference) >= MIN_PEOPLE


@given(requests)
@settings(max_examples=200)
def test_no_sum_of_nested_shown_groups_singles_out_fewer_than_five(asked: list[Request]) -> None:
    """For every shown group and every set of pairwise disjoint shown groups inside it, what they
    leave uncovered is none or at least five."""
    shown = shown_parts(asked, decide(*asked))
    for outer in shown:
        inside = [g for g in shown if g < outer]
        for mask in range(1, 2 ** min(len(inside), 8)):
            chosen = [g for bit, g in enumerate(inside[:8]) if mask >> bit & 1]
            if any(a & b for i, a in enumerate(chosen) for b in chosen[i + 1 :]):
                continue
            rest = outer - frozenset().union(*chosen)
            assert len(rest) == 0 or len(rest) >= MIN_PEOPLE


@given(requests, st.lists(groups, max_size=3), st.frozensets(st.integers(0, 14), max_size=8))
def test_what_was_shown_before_and_what_the_viewer_knows_are_respected(
    asked: list[Request], earlier: list[frozenset[int]], known: frozenset[int]
) -> None:
    prior = [g for g in earlier if len(g) >= MIN_PEOPLE]
    shown = shown_parts(asked, decide(*asked, ledger=before(*prior), audience=Audience((known,))))
    for group in shown:
        assert len(group) >= MIN_PEOPLE
        assert len(group - known) == 0 or len(group - known) >= MIN_PEOPLE
        for old in prior:
            for part in (group - old, old - group):
                assert len(part) == 0 or len(part) >= MIN_PEOPLE  # knowing never lets more through
                assert len(part - known) == 0 or len(part - known) >= MIN_PEOPLE


@given(requests, st.integers(min_value=1, max_value=10))
def test_the_minimum_is_a_parameter(asked: list[Request], minimum: int) -> None:
    for group in shown_parts(asked, decide(*asked, minimum=minimum)):
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


def test_a_group_the_organisation_typed_in_is_shown_but_never_one_under_five() -> None:
    """Paper answers typed in by the organisation are known to its staff: over them alone nothing is
    new to them, but one online check beside four typed in would give the one away."""
    assert decide(ask(first(6)), audience=Audience((first(6),))) == [None]
    assert decide(ask(first(4)), audience=Audience((first(4),))) == [Hidden.TOO_FEW]
    typed = people(0, 1, 2, 3)
    assert decide(ask(first(5)), audience=Audience((typed,))) == [Hidden.TOO_FEW]
    assert decide(ask(first(9)), audience=Audience((typed,))) == [None]


def test_knowing_the_answers_never_lets_a_difference_through() -> None:
    """An all-paper workshop: six typed in before, five of them after. The organisation knows all
    eleven, but the totals reach people who do not (the projector in the room): the change over the
    five is withheld as it would be for anyone, and the history records the groups whole."""
    pre, post = first(6), people(*range(10, 15))
    typed = pre | post
    decisions, ledger = disclose([ask(pre), ask(post), ask(first(5), post)], audience=Audience((typed,)))
    assert decisions == [None, None, Hidden.DIFFERENCE]
    assert ledger.shown == (pre, post)


def test_every_party_who_will_see_it_counts() -> None:
    """A colleague's own check beside someone else's: to that colleague, the difference is one
    person, whoever asked for the page."""
    someone, mine = 20, 30
    shown = before(first(10) | {someone, mine})
    # Without the simple rules (a minimum of one): two people's sum is no one person's answers ...
    assert decide(ask(first(10)), ledger=shown, minimum=1) == [None]
    # ... but to the colleague whose check is one of the two, it is the other's.
    colleague = Audience((frozenset(), people(mine)))
    assert decide(ask(first(10)), ledger=shown, minimum=1, audience=colleague) == [Hidden.COMBINATION]
