"""Feedback from others, the rules alone (no Django, no database).

Random sets of answers (their groups, which ones the supporter typed in from paper, their marks) go
through ``views_to_ask``, then through ``aggregates.disclose`` exactly as
``disclosure.services.decide_apart`` runs it (threshold three, the supporter as the one party, knowing
the answers they typed in), then through ``compare``. Whatever the answers: no shown view holds fewer
than three answers the supporter does not know, no two shown views differ by one or two answers, a
breakdown is the largest set of groups that may be shown, and what is counted is plain arithmetic.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain import feedback_codec
from bansou.domain.aggregates import Audience, Request, disclose
from bansou.domain.feedback import (
    MIN_RATERS,
    PLACE_WORDS,
    Asked,
    Comparison,
    GroupView,
    ItemView,
    Mark,
    Place,
    RaterGroup,
    Response,
    breakdown,
    compare,
    place_of,
    shuffled,
    views_to_ask,
)

PROPERTY = settings(database=None, max_examples=150, deadline=None)
ITEMS = ("9-1", "9-2", "9-3")
Group = frozenset[int]

paper = st.sampled_from([False, False, True])  # most answers come by link


@st.composite
def answer_sets(draw: st.DrawFn, most: int = 14) -> list[Response]:
    count = draw(st.integers(0, most))
    marks = st.dictionaries(st.sampled_from(ITEMS), st.sampled_from(list(Mark)), max_size=len(ITEMS))
    return [
        Response(i, draw(st.sampled_from(list(RaterGroup))), draw(marks), draw(paper))
        for i in range(1, count + 1)
    ]


self_practices = st.fixed_dictionaries({code: st.none() | st.booleans() for code in ITEMS})


def decide(asked: Asked | None) -> list[bool]:
    """What ``decide_apart`` answers (that function needs Django; this is its body)."""
    if asked is None:
        return []
    decisions, _ledger = disclose(
        [Request(tuple(parts)) for parts in asked.requests()],
        audience=Audience((asked.known,)),
        minimum=MIN_RATERS,
    )
    return [decision is None for decision in decisions]


def known_of(responses: Sequence[Response]) -> Group:
    return frozenset(r.id for r in responses if r.typed_in)


def shown_views(asked: Asked | None, decisions: Sequence[bool]) -> tuple[Group | None, list[Group]]:
    """The overall view and the groups of the breakdown the supporter will see (as ``compare`` shows them)."""
    if asked is None or not decisions or not decisions[0]:
        return None, []
    groups = [ids for _g, ids in asked.groups] if len(decisions) > 1 and decisions[1] else []
    return asked.overall, groups


def small(part: Group, known: Group) -> bool:
    """One or two answers, or one or two the supporter does not know."""
    return 0 < len(part) < MIN_RATERS or 0 < len(part - known) < MIN_RATERS


# Which views are shown ----------------------------------------------------------------------------


@given(answer_sets())
@PROPERTY
def test_no_shown_view_holds_fewer_than_three_answers_the_supporter_does_not_know(
    responses: list[Response],
) -> None:
    asked = views_to_ask(responses)
    overall, groups = shown_views(asked, decide(asked))
    known = known_of(responses)
    for view in [overall, *groups] if overall is not None else []:
        assert len(view - known) >= MIN_RATERS


@given(answer_sets())
@PROPERTY
def test_no_two_shown_views_differ_by_one_or_two_answers(responses: list[Response]) -> None:
    asked = views_to_ask(responses)
    overall, groups = shown_views(asked, decide(asked))
    if overall is None:
        return
    known = known_of(responses)
    views = [overall, *groups]
    for a, b in combinations(views, 2):
        assert not small(a - b, known) and not small(b - a, known)
    if groups:
        assert not small(overall - frozenset().union(*groups), known)  # what remains outside them


@given(answer_sets())
@PROPERTY
def test_a_breakdown_is_shown_only_when_each_group_and_the_remainder_hold_three(
    responses: list[Response],
) -> None:
    asked = views_to_ask(responses)
    overall, groups = shown_views(asked, decide(asked))
    if not groups:
        return
    assert overall is not None
    known = known_of(responses)
    assert all(len(g - known) >= MIN_RATERS for g in groups)
    remainder = overall - frozenset().union(*groups)
    assert not small(remainder, known)  # none, or three or more (and none or three or more unknown)
    assert len(groups) >= 2 or remainder  # one group that is everyone says nothing more


@given(answer_sets())
@PROPERTY
def test_what_is_asked_for_is_what_the_rule_shows(responses: list[Response]) -> None:
    """``views_to_ask`` asks only for views the disclosure rule lets through: a breakdown it proposes is
    never held back whole when another set of groups would have been shown."""
    asked = views_to_ask(responses)
    decisions = decide(asked)
    assert all(decisions)
    assert len(decisions) == (0 if asked is None else 1 + bool(asked.groups))


def brute_force_breakdown(responses: Sequence[Response]) -> tuple[RaterGroup, ...]:
    """Every subset of the groups present, largest first, then earliest in ``RaterGroup``'s order."""
    known = known_of(responses)
    everyone = frozenset(r.id for r in responses)
    members = {g: frozenset(r.id for r in responses if r.group is g) for g in RaterGroup}
    present = [g for g in RaterGroup if members[g]]
    qualifying = []
    for mask in range(1, 2 ** len(present)):
        chosen = tuple(g for bit, g in enumerate(present) if mask >> bit & 1)
        rest = everyone - frozenset().union(*(members[g] for g in chosen))
        if any(len(members[g] - known) < MIN_RATERS for g in chosen) or small(rest, known):
            continue
        if len(chosen) == 1 and not rest:
            continue
        qualifying.append(chosen)
    order = list(RaterGroup)
    qualifying.sort(key=lambda chosen: (-len(chosen), [order.index(g) for g in chosen]))
    return qualifying[0] if qualifying else ()


@given(answer_sets(most=18))
@PROPERTY
def test_the_breakdown_is_the_largest_qualifying_set_of_groups(responses: list[Response]) -> None:
    assert breakdown(responses) == brute_force_breakdown(responses)


def test_a_breakdown_example_with_a_paper_answer_outside_the_groups() -> None:
    """Three and three by link, one typed in from paper in a third group: that one answer alone would be
    what the overall figure adds to the two groups, so only one group is broken out beside the rest."""
    responses = [Response(i, RaterGroup.MUNICIPAL, {}) for i in (1, 2, 3)]
    responses += [Response(i, RaterGroup.TEAMMATE, {}) for i in (4, 5, 6)]
    responses.append(Response(7, RaterGroup.OTHER, {}, typed_in=True))
    assert breakdown(responses) == (RaterGroup.MUNICIPAL,)
    asked = views_to_ask(responses)
    assert decide(asked) == [True, True]


def test_too_few_unknown_answers_show_nothing() -> None:
    """Two by link and five typed in: seven answers, two unknown to the supporter."""
    responses = [Response(1, RaterGroup.MUNICIPAL, {"9-1": Mark.SEEN}), Response(2, RaterGroup.OTHER, {})]
    responses += [Response(i, RaterGroup.MUNICIPAL, {"9-1": Mark.SEEN}, typed_in=True) for i in range(3, 8)]
    assert views_to_ask(responses) is None
    assert compare(ITEMS, {}, responses, None, []) == Comparison(answers=7, shown=False)


@given(answer_sets(), self_practices)
@PROPERTY
def test_fewer_than_three_unknown_answers_show_nothing_at_all(
    responses: list[Response], practice: dict[str, bool | None]
) -> None:
    asked = views_to_ask(responses)
    comparison = compare(ITEMS, practice, responses, asked, decide(asked))
    unknown = len(responses) - len(known_of(responses))
    assert comparison.shown is (unknown >= MIN_RATERS)
    assert comparison.answers == len(responses)
    if not comparison.shown:
        assert asked is None
        assert comparison.items == () and comparison.by_group == ()
        assert comparison.placed(Place.BOTH) == () and comparison.largest_differences() == ()


# What a shown view counts -------------------------------------------------------------------------


def check_counts(
    views: Sequence[ItemView], answered: Sequence[Response], practice: dict[str, bool | None]
) -> None:
    assert [v.code for v in views] == list(ITEMS)
    for view in views:
        marks = [r.marks.get(view.code) for r in answered]
        assert view.seen == marks.count(Mark.SEEN)
        assert view.judged == view.seen + marks.count(Mark.NOT_YET)
        assert view.seen <= view.judged <= len(answered)
        assert view.judged + view.unknown == len(answered)
        assert view.self_practised is practice[view.code]
        assert view.others_see is (None if view.judged == 0 else view.seen * 2 >= view.judged)
        if view.self_practised is None or view.others_see is None:
            assert view.place is None
        else:
            assert view.place is place_of(view.self_practised, view.others_see)


@given(answer_sets(), self_practices)
@PROPERTY
def test_each_item_counts_what_was_marked(
    responses: list[Response], practice: dict[str, bool | None]
) -> None:
    asked = views_to_ask(responses)
    comparison = compare(ITEMS, practice, responses, asked, decide(asked))
    if not comparison.shown:
        return
    check_counts(comparison.items, responses, practice)
    assert asked is not None
    assert [g.group for g in comparison.by_group] == [g for g, _ids in asked.groups]
    for shown in comparison.by_group:
        members = [r for r in responses if r.group is shown.group]
        assert shown.answers == len(members)
        check_counts(shown.items, members, practice)


@pytest.mark.parametrize(
    ("self_practised", "seen", "judged", "place", "words"),
    [
        (True, 2, 3, Place.BOTH, "自分も周りも認める強み"),
        (False, 3, 6, Place.OTHERS, "周りが認めている強み（自分では気づいていない）"),
        (True, 1, 3, Place.SELF, "自分ではできているつもり（周りからは見えにくい）"),
        (False, 0, 4, Place.LATER, "これから"),
    ],
)
def test_the_two_by_two_follows_self_and_others(
    self_practised: bool, seen: int, judged: int, place: Place, words: str
) -> None:
    view = ItemView("9-1", self_practised, seen, judged, unknown=1)
    assert view.place is place
    assert PLACE_WORDS[place] == words


def test_half_who_judged_is_enough_and_nobody_judging_places_nowhere() -> None:
    assert ItemView("9-1", True, 2, 4, 0).others_see is True
    assert ItemView("9-1", True, 1, 3, 0).others_see is False
    assert ItemView("9-1", True, 0, 0, 5).others_see is None
    assert ItemView("9-1", True, 0, 0, 5).place is None
    assert ItemView("9-1", None, 3, 3, 0).place is None
    assert len(set(PLACE_WORDS.values())) == len(Place) == 4


# Kept at close, shown in a kept order -------------------------------------------------------------


item_views = st.builds(
    ItemView,
    st.sampled_from(ITEMS),
    st.none() | st.booleans(),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 30),
)
comparisons = st.builds(
    Comparison,
    st.integers(0, 60),
    st.booleans(),
    st.lists(item_views, max_size=4).map(tuple),
    st.lists(
        st.builds(
            GroupView,
            st.sampled_from(list(RaterGroup)),
            st.integers(0, 30),
            st.lists(item_views, max_size=4).map(tuple),
        ),
        max_size=3,
    ).map(tuple),
)


@given(comparisons)
@PROPERTY
def test_the_codec_gives_back_the_comparison_it_kept(comparison: Comparison) -> None:
    kept = json.loads(json.dumps(feedback_codec.dumps(comparison)))  # as the JSON field stores it
    assert feedback_codec.loads(kept) == comparison


@given(answer_sets(), self_practices)
@PROPERTY
def test_the_codec_gives_back_a_comparison_made_from_answers(
    responses: list[Response], practice: dict[str, bool | None]
) -> None:
    asked = views_to_ask(responses)
    comparison = compare(ITEMS, practice, responses, asked, decide(asked))
    assert feedback_codec.loads(json.loads(json.dumps(feedback_codec.dumps(comparison)))) == comparison


@given(st.lists(st.integers(), max_size=20), st.integers(0, 2**48 - 1))
@PROPERTY
def test_shuffled_is_a_permutation_and_the_same_seed_gives_the_same_order(
    comments: list[int], seed: int
) -> None:
    before = list(comments)
    order = shuffled(comments, seed)
    assert Counter(order) == Counter(comments)
    assert shuffled(comments, seed) == order
    assert comments == before  # the list given is left as it was


def test_shuffled_depends_on_the_seed() -> None:
    comments = list(range(10))
    orders = {tuple(shuffled(comments, seed)) for seed in range(20)}
    assert len(orders) > 1
