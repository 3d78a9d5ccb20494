"""The audit over every combination of shown totals (issue 12; no Django, no database).

Each claim is checked against an independent solver: exact rational ranks (``fractions``), and a
person counts as exposed when rank(M) > rank(M without their columns), where M is the 0/1 matrix of
shown groups (less the columns of what the onlooker knows).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.aggregates import MIN_PEOPLE, Audience, Hidden, Ledger, Request, disclose
from bansou.domain.audit import Basis, people, rank
from tests.rational import exact_rank

# An independent solver ------------------------------------------------------------------------------


def exposed_by_brute_force(
    shown: Sequence[frozenset[int]], owner_of: Mapping[int, int], known: frozenset[int] = frozenset()
) -> set[int]:
    """The people some combination of ``shown`` determines, to someone who knows ``known``."""
    columns = {c for group in shown for c in group} - known
    full = exact_rank(shown, columns)
    return {
        person
        for person, checks in people(owner_of).items()
        if checks - known and exact_rank(shown, columns - checks) < full
    }


def shown_groups(asked: Sequence[Request], decisions: Sequence[Hidden | None]) -> list[frozenset[int]]:
    return [g for request, d in zip(asked, decisions, strict=True) if d is None for g in request.parts]


# The attacks --------------------------------------------------------------------------------

V = 0  # the victim's check
P, Q, R, W = (frozenset(range(start, start + 5)) for start in (1, 6, 11, 16))


def test_four_overlapping_groups_that_combine_to_one_person_are_caught() -> None:
    """K1 = v+P+Q, K2 = P+R, K3 = Q+W, K4 = R+W: no two differ by fewer than five, none nests in
    another, and v = K1 - K2 - K3 + K4. The fourth is withheld, for the combination."""
    asked = [Request((g,)) for g in (P | Q | {V}, P | R, Q | W, R | W)]
    decisions, ledger = disclose(asked)
    assert decisions == [None, None, None, Hidden.COMBINATION]
    assert not exposed_by_brute_force(ledger.shown, {c: c for c in range(21)})
    assert exposed_by_brute_force(shown_groups(asked, [None] * 4), {c: c for c in range(21)}) == {V}


def test_a_person_with_two_checks_is_protected_as_one() -> None:
    """The victim's two checks (a 常に最新 share that moved on) in two groups: the combination gives
    their sum, which is about the victim alone."""
    owner_of = {c: c for c in range(22)} | {21: V}
    asked = [Request((g,)) for g in (P | Q | {V}, P | R, Q | W, R | W | {21})]
    decisions, _ledger = disclose(asked, owner_of=owner_of)
    assert decisions == [None, None, None, Hidden.COMBINATION]
    # Counted per check, nobody would be exposed: the sum of two checks is no one check's answers.
    assert disclose(asked)[0] == [None, None, None, None]


def test_two_organisations_share_one_history() -> None:
    """研修X (v and five others) shown to one organisation, 研修Y (the same five) to another."""
    history = Ledger().with_groups([P | {V}])  # what the first organisation's staff were shown
    assert disclose([Request((P,))], history)[0] == [Hidden.DIFFERENCE]
    # The four-研修 combination, split between two organisations, is caught the same way.
    history = Ledger().with_groups([P | Q | {V}, P | R])
    assert disclose([Request((Q | W,)), Request((R | W,))], history)[0] == [None, Hidden.COMBINATION]


def test_what_the_viewer_knows_is_a_constant_to_them() -> None:
    """The viewer's own check k in the first group: to them K1 - K2 - K3 + K4 = v + k gives v."""
    k = 30
    asked = [Request((g,)) for g in (P | Q | {V, k}, P | R, Q | W, R | W)]
    owner_of = {c: c for c in [*range(21), k]}
    assert disclose(asked, owner_of=owner_of)[0] == [None, None, None, None]  # v + k: two people
    knowing = Audience((frozenset({k}),))
    assert disclose(asked, owner_of=owner_of, audience=knowing)[0][3] == Hidden.COMBINATION


def test_a_deleted_persons_checks_stay_protected() -> None:
    """K1..K3 shown, then the victim deletes their account (their check has no owner any more): the
    totals already downloaded still hold their answers, so K4 stays withheld."""
    owner_of = {c: c for c in range(1, 21)}  # 0, the victim's, has no owner now
    history = Ledger().with_groups([P | Q | {V}, P | R, Q | W])
    assert disclose([Request((R | W,))], history, owner_of=owner_of)[0] == [Hidden.COMBINATION]


def test_a_group_that_adds_nothing_new_is_shown() -> None:
    """R+W = (P+R) + (Q+W) - (P+Q): already in what was shown, so it tells nothing new."""
    history = Ledger().with_groups([P | Q, P | R, Q | W])
    assert disclose([Request((R | W,))], history, minimum=1)[0] == [None]


# The field agrees with exact arithmetic ---------------------------------------------------------------

small_groups = st.frozensets(st.integers(0, 11), min_size=1, max_size=12)


@given(st.lists(small_groups, max_size=10))
def test_the_basis_has_the_rational_rank(groups: list[frozenset[int]]) -> None:
    basis = Basis()
    for group in groups:
        basis = basis.extended(group)
    assert basis.rank == exact_rank(groups, range(12)) == rank([dict.fromkeys(g, 1) for g in groups])


@given(st.lists(small_groups, max_size=10), st.frozensets(st.integers(0, 11), min_size=1, max_size=4))
def test_what_lies_within_some_columns_is_counted_exactly(
    groups: list[frozenset[int]], within: frozenset[int]
) -> None:
    basis = Ledger().with_groups(groups).basis
    unique = list(dict.fromkeys(groups))
    expected = exact_rank(unique, range(12)) - exact_rank(unique, set(range(12)) - within)
    assert basis.span_within(within) == expected


# Properties of the decisions --------------------------------------------------------------------------

# Twelve checks held by up to eight people (some people hold two checks).
owners = st.lists(st.integers(0, 7), min_size=12, max_size=12).map(lambda o: dict(enumerate(o)))
requests = st.lists(
    st.lists(small_groups, min_size=1, max_size=2).map(lambda parts: Request(tuple(parts))), max_size=8
)


@given(requests, owners, st.integers(1, MIN_PEOPLE))
@settings(max_examples=150)
def test_nobody_is_ever_in_the_span_of_what_was_shown(
    asked: list[Request], owner_of: dict[int, int], minimum: int
) -> None:
    decisions, ledger = disclose(asked, owner_of=owner_of, minimum=minimum)
    assert not exposed_by_brute_force(shown_groups(asked, decisions), owner_of)
    assert list(ledger.shown) == list(dict.fromkeys(shown_groups(asked, decisions)))


@given(requests, owners)
@settings(max_examples=150)
def test_a_group_is_withheld_only_when_showing_it_would_expose_someone(
    asked: list[Request], owner_of: dict[int, int]
) -> None:
    """With the simple rules out of the way (a minimum of one), the audit withholds exactly the
    requests that would let some combination single out a person."""
    decisions, _ledger = disclose(asked, owner_of=owner_of, minimum=1)
    shown: list[frozenset[int]] = []
    for request, decision in zip(asked, decisions, strict=True):
        after = [*shown, *request.parts]
        newly = exposed_by_brute_force(after, owner_of) - exposed_by_brute_force(shown, owner_of)
        assert (decision is Hidden.COMBINATION) == bool(newly)
        if decision is None:
            shown = after


knowledge = st.lists(st.frozensets(st.integers(0, 11), max_size=3), min_size=1, max_size=3)


@given(requests, owners, knowledge)
@settings(max_examples=100)
def test_nothing_becomes_known_to_any_party_either(
    asked: list[Request], owner_of: dict[int, int], parties: list[frozenset[int]]
) -> None:
    """What each party who will see the totals knows is a constant to them: nobody else's checks
    follow from it either, for any of them (and the pages and exports reach someone who knows
    nothing)."""
    decisions, _ledger = disclose(asked, owner_of=owner_of, audience=Audience(tuple(parties)), minimum=1)
    shown = shown_groups(asked, decisions)
    for known in [frozenset(), *parties]:
        assert not exposed_by_brute_force(shown, owner_of, known)


@given(requests, owners)
@settings(max_examples=60)
def test_the_order_of_requests_never_leads_to_an_exposure(
    asked: list[Request], owner_of: dict[int, int]
) -> None:
    for order in itertools.islice(itertools.permutations(asked), 6):
        decisions, _ledger = disclose(list(order), owner_of=owner_of, minimum=2)
        assert not exposed_by_brute_force(shown_groups(list(order), decisions), owner_of)
