"""Team coverage: the leaflet's tiers as team rules, who in a pool could fill a gap, the dialogue sheet.

Teams are built from real checks on the shipped leaflet (0 = いいえ, 1 = はい): B elements 2, 3, 6, 7, 9
(items of the 確認リスト), the nine C labels C-1…C-9 (one row each on the second sheet; C-1, C-5, C-6
and C-8 are elements 1, 4, 5 and 8) and seven tier-A label rows. B rules are keyed here by element
number, C rules by label code.
The property tests compare with a recomputation from the raw answers, not with the module's own fields.
No Django, no database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.complement import Candidate, complement
from bansou.domain.coverage import (
    CORE_ROLES,
    Assessment,
    BasicsRule,
    ElementRule,
    Label,
    LabelRule,
    Standing,
    Verdict,
    assess,
    label_standings_of,
    profile_of,
    standing_of,
    standings_of,
)
from bansou.domain.dialogue import Talk, dialogue
from bansou.domain.framework import Framework
from bansou.domain.framework_file import parse_framework
from bansou.domain.roles import ROLE_CODES
from bansou.domain.scoring import Answer, ElementScore, Quadrant, Result, Share, score
from tests.domain.shipped import FOUR_LEVEL, FOUR_LEVEL_VARIANT, LEAFLET

NO, YES = 0, 1
B_ELEMENTS = (2, 3, 6, 7, 9)
C_ELEMENTS = (1, 4, 5, 8)
C_LABELS = tuple(f"C-{n}" for n in range(1, 10))
LABEL_OF = {1: "C-1", 4: "C-5", 5: "C-6", 8: "C-8"}  # the C labels that are elements
EVERY_ELEMENT = tuple(range(1, 10))
EVERYTHING = (*EVERY_ELEMENT, None)  # every element, and every label row without one
EVERY_RULE: tuple[int | str, ...] = (*B_ELEMENTS, *C_LABELS)
A_ITEMS = tuple(item.code for item in LEAFLET.items() if item.tier == "A")

# No example database: property tests leave nothing behind in the working tree.
PROPERTY = settings(database=None, max_examples=150, deadline=None)


def element_items(framework: Framework, number: int) -> list[str]:
    return [item.code for item in framework.items() if item.element == number]


def answered(
    framework: Framework = LEAFLET,
    *,
    practises: Collection[int | str | None] = (),
    not_understood: Collection[str] = (),
) -> dict[str, Answer]:
    """A complete check: ○ on 実践 for every item of ``practises`` (× elsewhere), ○ on 理解 except
    ``not_understood``; the scale's highest and lowest values stand for ○ and ×. In ``practises``,
    a number is an element's items, a code one item, ``None`` the label rows without an element."""
    values = framework.scale.values()
    yes, no = max(values), min(values)
    return {
        item.code: Answer(
            understanding=no if item.code in not_understood else yes,
            practice=yes if item.element in practises or item.code in practises else no,
        )
        for item in framework.items()
    }


def member(
    key: str,
    *roles: str,
    practises: Collection[int | str | None] = (),
    not_understood: Collection[str] = (),
    shared: bool = True,
) -> tuple[str, tuple[str, ...], Result | None]:
    result = score(LEAFLET, answered(practises=practises, not_understood=not_understood)) if shared else None
    return key, roles, result


def team(*members: tuple[str, tuple[str, ...], Result | None], needed: int = 1) -> Assessment:
    return assess(
        LEAFLET, [profile_of(key, roles, result, LEAFLET) for key, roles, result in members], needed
    )


def verdicts(assessment: Assessment) -> dict[int | str, Verdict]:
    """B rules by element number, C rules by label code."""
    found: dict[int | str, Verdict] = {rule.element: rule.verdict for rule in assessment.b_rules}
    return found | {rule.code: rule.verdict for rule in assessment.c_rules}


def rule_of(assessment: Assessment, key: int | str) -> ElementRule | LabelRule:
    """The B rule of an element (a number) or the C rule of a label (a code)."""
    rule = assessment.rule(key) if isinstance(key, int) else assessment.label_rule(key)
    assert rule is not None
    return rule


def every(verdict: Verdict, keys: Iterable[int | str] = EVERY_RULE) -> dict[int | str, Verdict]:
    return dict.fromkeys(keys, verdict)


def abc_variant() -> Framework:
    """The 4-level variant with its tiers renamed B (elements 1, 2) and C (element 3), as the rules expect."""
    text = FOUR_LEVEL_VARIANT.read_text(encoding="utf-8")
    for old, new in (("core", "B"), ("team", "C")):
        assert text.count(f'code = "{old}"') == 1
        text = text.replace(f'code = "{old}"', f'code = "{new}"').replace(
            f'tier = "{old}"', f'tier = "{new}"'
        )
    return parse_framework(text.encode(), source="abc-variant").framework


ABC_VARIANT = abc_variant()

# -- Standing: held when at least half of the element's items are ○ ----------------------------


@pytest.mark.parametrize(
    ("count", "total", "held"),
    [
        (0, 0, False),  # an element without items is never held
        (0, 1, False),
        (1, 1, True),
        (0, 2, False),
        (1, 2, True),
        (1, 4, False),
        (2, 4, True),
        (2, 5, False),
        (3, 5, True),
        (4, 10, False),
        (5, 10, True),
        (10, 10, True),
    ],
)
def test_standing_is_held_on_an_axis_when_at_least_half_of_the_items_are_yes(
    count: int, total: int, held: bool
) -> None:
    assert Standing(understanding=Share(count, total), practice=Share(0, 1)).understood is held
    assert Standing(understanding=Share(0, 1), practice=Share(count, total)).practised is held


@pytest.mark.parametrize(
    ("understanding", "practice", "quadrant"),
    [
        (Share(3, 5), Share(5, 5), Quadrant.STRENGTH),
        (Share(3, 5), Share(2, 5), Quadrant.PUT_INTO_PRACTICE),
        (Share(1, 4), Share(2, 4), Quadrant.PUT_INTO_WORDS),
        (Share(0, 1), Share(0, 1), Quadrant.START_HERE),
    ],
)
def test_standing_quadrant_places_the_element_by_what_is_held(
    understanding: Share, practice: Share, quadrant: Quadrant
) -> None:
    assert Standing(understanding, practice).quadrant is quadrant


@pytest.mark.parametrize(
    ("element", "practised_items", "practised"),
    [(9, 5, True), (9, 4, False), (3, 3, True), (3, 2, False), (2, 2, True), (2, 1, False), (4, 1, True)],
)
def test_standing_from_a_check_counts_the_practised_items_of_the_element(
    element: int, practised_items: int, practised: bool
) -> None:
    answers = answered()
    for code in element_items(LEAFLET, element)[:practised_items]:
        answers[code] = Answer(YES, YES)
    standing = standings_of(score(LEAFLET, answers))[element]
    assert standing.practised is practised
    assert standing.understood
    assert standing.practice == Share(practised_items, len(element_items(LEAFLET, element)))


def test_standings_of_a_leaflet_check_cover_all_nine_elements() -> None:
    standings = standings_of(score(LEAFLET, answered(practises=(2, 8))))
    assert sorted(standings) == list(EVERY_ELEMENT)
    assert [n for n, s in standings.items() if s.practised] == [2, 8]


def test_standings_leave_out_elements_without_items() -> None:
    empty = ElementScore(1, "項目なし", 1, "C", Share(0, 0), Share(0, 0))
    full = ElementScore(2, "項目あり", 1, "B", Share(1, 1), Share(1, 1))
    standings = standings_of(Result(elements=(empty, full), placed=()))
    assert standings == {2: Standing(Share(1, 1), Share(1, 1))}
    assert standing_of(empty) == Standing(Share(0, 0), Share(0, 0))


def test_four_level_standing_counts_three_and_four_as_yes() -> None:
    answers = {"r1": Answer(4, 3), "r2": Answer(2, 2), "p1": Answer(3, 2), "p2": Answer(1, 4)}
    standings = standings_of(score(FOUR_LEVEL, answers))
    assert standings[1] == Standing(Share(1, 2), Share(1, 2))
    assert standings[1].practised and standings[1].understood  # one of two is half
    assert (standings[2].understood, standings[2].practised) == (True, False)  # 2 is below ○
    assert (standings[3].understood, standings[3].practised) == (False, True)
    assert standings[3].quadrant is Quadrant.PUT_INTO_WORDS


# -- Profiles ---------------------------------------------------------------------------------


def test_profile_of_a_shared_check_carries_standings_labels_and_the_tier_a_understanding() -> None:
    result = score(LEAFLET, answered(practises=(4, "C-4"), not_understood=("A-2", "A-5", "2-1")))
    profile = profile_of("hanako", ["core_promoter", "advisor"], result, LEAFLET)
    assert profile.shared
    assert profile.roles == {"core_promoter", "advisor"}
    assert profile.basics == Share(5, 7)  # only tier-A items count, 2-1 is tier B
    assert profile.practises(4)
    assert not profile.practises(2)
    assert not profile.practises(10)
    assert profile.labels is not None
    assert sorted(profile.labels) == sorted(C_LABELS)
    assert [code for code in C_LABELS if profile.practises_label(code)] == ["C-4", "C-5"]  # C-5: element 4
    assert not profile.practises_label("C-10")


def test_profile_without_a_check_is_unknown_and_practises_nothing() -> None:
    profile = profile_of("taro", ("coordinator",), None, LEAFLET)
    assert not profile.shared
    assert profile.standings is None
    assert profile.labels is None
    assert profile.basics is None
    assert not any(profile.practises(n) for n in EVERY_ELEMENT)
    assert not any(profile.practises_label(code) for code in C_LABELS)


def test_a_shared_checks_profile_needs_the_checks_framework_for_its_labels() -> None:
    with pytest.raises(ValueError, match="framework"):
        profile_of("hanako", (), score(LEAFLET, answered()), None)
    assert profile_of("taro", (), None, None) == profile_of("taro", (), None, LEAFLET)


# -- The rules, on concrete teams --------------------------------------------------------------


def test_team_whose_core_promoter_practises_all_but_element_4_has_a_c_gap_for_its_label() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=(1, 2, 3, 5, 6, 7, 8, 9, None)),
        member("taro", "advisor", practises=(1, 8)),
        member("jiro", "municipal_staff"),
    )
    assert verdicts(assessment) == every(Verdict.MET) | {"C-5": Verdict.NOT_MET}
    gap = rule_of(assessment, "C-5")
    assert isinstance(gap, LabelRule)
    assert assessment.gaps == (gap,)
    assert (gap.tier, gap.code, gap.name, gap.label.element) == ("C", "C-5", "データ活用力", 4)
    assert (gap.needed, gap.holders, gap.not_shared, gap.missing, gap.key) == (1, (), (), 1, "label:C-5")
    assert gap.considered == ("hanako", "taro", "jiro")
    assert rule_of(assessment, "C-1").holders == ("hanako", "taro")
    assert rule_of(assessment, "C-4").holders == ("hanako",)
    for number in B_ELEMENTS:
        b_rule = rule_of(assessment, number)
        assert (b_rule.tier, b_rule.considered, b_rule.holders, b_rule.missing) == (
            "B",
            ("hanako",),
            ("hanako",),
            0,
        )
    assert assessment.basics is not None
    assert assessment.basics.verdict is Verdict.MET


def test_a_label_that_is_not_an_element_makes_a_gap_of_its_own() -> None:
    """協働するスキル (C-4) is asked only on the second sheet: before, no team rule looked at it."""
    everything_but = [c for c in LEAFLET.item_codes() if c != "C-4"]
    assessment = team(
        member("hanako", "core_promoter", practises=everything_but),
        member("taro", "advisor", practises=everything_but),
    )
    assert verdicts(assessment) == every(Verdict.MET) | {"C-4": Verdict.NOT_MET}
    (gap,) = assessment.gaps
    assert isinstance(gap, LabelRule)
    assert (gap.code, gap.name, gap.label.element, gap.holders) == ("C-4", "協働するスキル", None, ())


def test_member_who_shared_nothing_turns_a_gap_they_could_fill_into_unknown() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=(1, 2, 3, 5, 6, 7, 8, 9, None)),
        member("taro", "advisor", practises=(1, 8)),
        member("jiro", "municipal_staff", shared=False),
    )
    assert verdicts(assessment) == every(Verdict.MET) | {"C-5": Verdict.UNKNOWN}
    assert assessment.gaps == ()
    label = rule_of(assessment, "C-5")
    assert (label.holders, label.not_shared, label.missing) == ((), ("jiro",), 1)
    # Jiro is not core: the B rules do not wait for him.
    assert all(rule_of(assessment, n).not_shared == () for n in B_ELEMENTS)


def test_member_who_shared_nothing_cannot_hide_a_gap_too_large_for_them() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=(1, 2, 3, 5, 6, 7, 9, None)),
        member("taro", "advisor", practises=(1, 5, None)),
        member("jiro", "advisor", shared=False),
        needed=2,
    )
    # Elements 1 and 5 (C-1, C-6) and the other labels: hanako and taro; 4 and 8 (C-5, C-8): nobody,
    # and one unknown cannot make two.
    assert verdicts(assessment) == every(Verdict.MET) | {"C-5": Verdict.NOT_MET, "C-8": Verdict.NOT_MET}
    assert [rule.key for rule in assessment.gaps] == ["label:C-5", "label:C-8"]
    assert rule_of(assessment, "C-5").missing == 2


def test_one_holder_and_one_unknown_is_unknown_when_two_are_needed() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=EVERYTHING),
        member("jiro", "advisor", shared=False),
        needed=2,
    )
    assert verdicts(assessment) == every(Verdict.MET, B_ELEMENTS) | every(Verdict.UNKNOWN, C_LABELS)
    assert all(rule_of(assessment, code).missing == 1 for code in C_LABELS)


def test_needed_two_counts_the_members_practising_each_c_label_and_leaves_b_at_one() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=EVERYTHING),
        member("taro", "advisor", practises=(1, 4, "C-2")),
        member("jiro", "prefecture_staff", practises=(1,)),
        needed=2,
    )
    short = ("C-3", "C-4", "C-6", "C-7", "C-8", "C-9")
    assert verdicts(assessment) == every(Verdict.MET) | every(Verdict.NOT_MET, short)
    assert rule_of(assessment, "C-1").holders == ("hanako", "taro", "jiro")
    assert rule_of(assessment, "C-2").holders == ("hanako", "taro")
    assert rule_of(assessment, "C-5").holders == ("hanako", "taro")
    assert (rule_of(assessment, "C-6").holders, rule_of(assessment, "C-6").missing) == (("hanako",), 1)
    assert {rule.needed for rule in assessment.c_rules} == {2}
    assert {rule.needed for rule in assessment.b_rules} == {1}


def test_needed_beyond_the_team_size_fails_every_c_rule() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=EVERYTHING),
        member("taro", "advisor", practises=EVERYTHING),
        needed=3,
    )
    assert verdicts(assessment) == every(Verdict.MET, B_ELEMENTS) | every(Verdict.NOT_MET, C_LABELS)
    assert all(rule.missing == 1 for rule in assessment.c_rules)


@pytest.mark.parametrize("needed", [0, -1])
def test_needed_below_one_is_refused(needed: int) -> None:
    with pytest.raises(ValueError, match="needed"):
        team(member("hanako", "core_promoter"), needed=needed)


def test_team_without_a_core_member_fails_every_b_rule() -> None:
    assessment = team(
        member("hanako", "advisor", practises=EVERYTHING),
        member("taro", "prefecture_staff", practises=EVERYTHING),
        member("jiro", "municipal_staff", shared=False),
    )
    assert verdicts(assessment) == every(Verdict.NOT_MET, B_ELEMENTS) | every(Verdict.MET, C_LABELS)
    assert [rule.key for rule in assessment.gaps] == [f"element:{n}" for n in B_ELEMENTS]
    for rule in assessment.b_rules:
        assert (rule.considered, rule.holders, rule.not_shared, rule.missing) == ((), (), (), 1)


def test_core_member_who_shared_nothing_leaves_the_b_rules_unknown() -> None:
    assessment = team(
        member("hanako", "advisor", practises=EVERYTHING),
        member("taro", "core_promoter", shared=False),
    )
    assert verdicts(assessment) == every(Verdict.UNKNOWN, B_ELEMENTS) | every(Verdict.MET, C_LABELS)
    assert all(rule.not_shared == ("taro",) == rule.considered for rule in assessment.b_rules)


def test_coordinators_and_core_promoters_together_hold_the_b_elements() -> None:
    assessment = team(
        member("hanako", "coordinator", practises=(2, 3)),
        member("taro", "advisor", "core_promoter", practises=(6, 7, 9, 1, 4, 5, 8, None)),
        member("jiro", "advisor", practises=(2, 3, 6, 7, 9)),
    )
    assert verdicts(assessment) == every(Verdict.MET)
    assert rule_of(assessment, 2).holders == ("hanako",)  # jiro practises 2 but is not core
    assert rule_of(assessment, 9).holders == ("taro",)
    assert rule_of(assessment, 9).considered == ("hanako", "taro")
    assert {"core_promoter", "coordinator"} == CORE_ROLES


def test_core_member_who_practises_a_b_element_short_of_half_does_not_hold_it() -> None:
    answers = answered(practises=EVERYTHING)
    for code in ("9-1", "9-2", "9-3", "9-4", "9-5", "9-6"):  # 4 of 10 left
        answers[code] = Answer(YES, NO)
    assessment = assess(LEAFLET, [profile_of("hanako", ["core_promoter"], score(LEAFLET, answers), LEAFLET)])
    assert verdicts(assessment) == every(Verdict.MET) | {9: Verdict.NOT_MET}


def test_empty_team_fails_every_b_and_c_rule_and_has_no_one_lacking_the_basics() -> None:
    assessment = assess(LEAFLET, [])
    assert verdicts(assessment) == every(Verdict.NOT_MET)
    assert [rule.element for rule in assessment.b_rules] == list(B_ELEMENTS)
    assert [rule.code for rule in assessment.c_rules] == list(C_LABELS)
    assert [rule.name for rule in assessment.c_rules] == [
        c.label for c in LEAFLET.competencies if c.tier == "C"
    ]
    assert assessment.basics == BasicsRule(members=(), lacking=(), not_shared=())
    assert assessment.basics.verdict is Verdict.MET


def test_rules_are_looked_up_by_element_by_label_or_by_key() -> None:
    assessment = team(member("hanako", "core_promoter"))
    assert rule_of(assessment, 2).tier == "B"
    assert rule_of(assessment, "C-8").tier == "C"
    assert assessment.rule(8) is None  # element 8 is a C label: its rule is the label's
    assert assessment.rule(10) is None
    assert assessment.label_rule("C-10") is None
    assert assessment.by_key("element:2") == rule_of(assessment, 2)
    assert assessment.by_key("label:C-8") == rule_of(assessment, "C-8")
    assert assessment.by_key("C-8") is None
    assert [r.key for r in assessment.rules] == [f"element:{n}" for n in B_ELEMENTS] + [
        f"label:{c}" for c in C_LABELS
    ]


@pytest.mark.parametrize(
    ("holders", "not_shared", "needed", "verdict", "missing"),
    [
        (1, 0, 1, Verdict.MET, 0),
        (3, 2, 2, Verdict.MET, 0),
        (0, 0, 1, Verdict.NOT_MET, 1),
        (0, 1, 1, Verdict.UNKNOWN, 1),
        (1, 0, 2, Verdict.NOT_MET, 1),
        (1, 1, 2, Verdict.UNKNOWN, 1),
        (0, 1, 2, Verdict.NOT_MET, 2),
        (0, 2, 2, Verdict.UNKNOWN, 2),
        (0, 3, 3, Verdict.UNKNOWN, 3),
    ],
)
def test_rule_verdict_from_holders_and_members_not_shared(
    holders: int, not_shared: int, needed: int, verdict: Verdict, missing: int
) -> None:
    holder_keys = tuple(f"h{i}" for i in range(holders))
    unknown_keys = tuple(f"u{i}" for i in range(not_shared))
    considered = holder_keys + unknown_keys + ("x",)
    label = Label("C-2", "C", 1, "チームで進めるための基礎的な理解", None, ("C-2",))
    for rule in (
        ElementRule("B", 2, needed, holder_keys, considered, unknown_keys),
        LabelRule(label, needed, holder_keys, considered, unknown_keys),
    ):
        assert rule.verdict is verdict
        assert rule.missing == missing


# -- Basics (tier A) ---------------------------------------------------------------------------


def test_member_not_understanding_a_tier_a_item_fails_the_basics_whoever_has_not_shared() -> None:
    assessment = team(
        member("hanako", "core_promoter", practises=EVERYTHING),
        member("taro", "advisor", practises=(None,), not_understood=("A-3",)),
        member("jiro", "advisor", shared=False),
    )
    assert assessment.basics == BasicsRule(
        members=("hanako", "taro", "jiro"), lacking=("taro",), not_shared=("jiro",)
    )
    assert assessment.basics.verdict is Verdict.NOT_MET
    # The A rule is neither a B nor a C rule: it is never among the gaps.
    assert assessment.gaps == ()


def test_basics_need_understanding_only_not_practice() -> None:
    assessment = team(member("hanako", "core_promoter"), member("taro", "advisor"))
    assert assessment.basics is not None
    assert assessment.basics.verdict is Verdict.MET  # nobody practises an A item


def test_basics_ignore_items_outside_tier_a() -> None:
    assessment = team(member("hanako", "core_promoter", not_understood=("2-1", "C-1", "C-2")))
    assert assessment.basics is not None
    assert (assessment.basics.lacking, assessment.basics.verdict) == ((), Verdict.MET)


def test_basics_are_unknown_while_a_member_has_not_shared_and_nobody_is_lacking() -> None:
    assessment = team(member("hanako", "core_promoter"), member("taro", "advisor", shared=False))
    assert assessment.basics is not None
    assert (assessment.basics.not_shared, assessment.basics.verdict) == (("taro",), Verdict.UNKNOWN)


def test_framework_without_tier_a_items_has_no_basics_rule() -> None:
    profile = profile_of("hanako", ["core_promoter"], score(ABC_VARIANT, answered(ABC_VARIANT)), ABC_VARIANT)
    assert assess(ABC_VARIANT, [profile]).basics is None


# -- The 4-level scale -------------------------------------------------------------------------


def test_rules_on_a_four_level_scale_count_three_as_practised_and_two_as_not() -> None:
    core = {"r1": Answer(4, 3), "r2": Answer(4, 2), "p1": Answer(4, 2), "p2": Answer(4, 2)}
    advisor = {"r1": Answer(4, 4), "r2": Answer(4, 4), "p1": Answer(4, 4), "p2": Answer(1, 3)}
    profiles = [
        profile_of("hanako", ["core_promoter"], score(ABC_VARIANT, core), ABC_VARIANT),
        profile_of("taro", ["advisor"], score(ABC_VARIANT, advisor), ABC_VARIANT),
    ]
    assessment = assess(ABC_VARIANT, profiles)
    # Element 1: r1 at 3 is half of two items; element 2: p1 at 2 is ×, and taro is not core. The
    # one C label is element 3 (no item of its own: its code is its place, C-1; its item is p2).
    assert verdicts(assessment) == {1: Verdict.MET, 2: Verdict.NOT_MET, "C-1": Verdict.MET}
    assert rule_of(assessment, 1).holders == ("hanako",)
    label = rule_of(assessment, "C-1")
    assert isinstance(label, LabelRule)
    assert (label.holders, label.name, label.label.element, label.label.items) == (
        ("taro",),
        "記録と共有",
        3,
        ("p2",),
    )
    assert [rule.key for rule in assessment.gaps] == ["element:2"]


def test_framework_whose_tiers_are_not_a_b_c_gets_no_team_rules() -> None:
    # The rules are the leaflet's tiers by code; the 4-level variant names its tiers core/team.
    profile = profile_of("hanako", ["core_promoter"], score(FOUR_LEVEL, answered(FOUR_LEVEL)), FOUR_LEVEL)
    assessment = assess(FOUR_LEVEL, [profile])
    assert (assessment.b_rules, assessment.c_rules, assessment.basics, assessment.gaps) == ((), (), None, ())


# -- complement: who in the pool could fill a gap ----------------------------------------------


def candidate(key: str, *practises: int | str, load: int = 0, framework: Framework = LEAFLET) -> Candidate:
    result = score(framework, answered(framework, practises=practises))
    return Candidate(key, standings_of(result), load, label_standings_of(framework, result))


def test_complement_orders_by_elements_filled_then_load_then_pool_order() -> None:
    pool = [
        candidate("watanabe", 4, load=2),
        candidate("suzuki", 4, 5, load=3),
        candidate("takahashi", 5),
        candidate("tanaka", 2, 3),  # nothing wanted
        candidate("ito", 4),  # already in the team
        candidate("sato", 4, load=2),  # ties with watanabe: pool order, not the key's
        candidate("yamamoto", 8, 4, 5, load=9),
    ]
    matches = complement([4, 5], pool, exclude={"ito"})
    assert [(m.candidate.key, m.fills) for m in matches] == [
        ("suzuki", (4, 5)),
        ("yamamoto", (4, 5)),
        ("takahashi", (5,)),
        ("watanabe", (4,)),
        ("sato", (4,)),
    ]


def test_complement_lists_the_fills_in_the_order_wanted_once_each() -> None:
    matches = complement([5, 4, 5, 4], [candidate("sato", 4, 5)])
    assert [m.fills for m in matches] == [(5, 4)]


def test_complement_of_nothing_wanted_or_an_empty_pool_is_empty() -> None:
    assert complement([], [candidate("sato", *EVERY_ELEMENT)]) == ()
    assert complement([4], []) == ()
    assert complement([4], [candidate("sato", 4)], exclude=["sato"]) == ()


def test_complement_needs_the_element_practised_not_only_understood() -> None:
    understood_only = Candidate("sato", {4: Standing(Share(1, 1), Share(0, 1))})
    no_standing = Candidate("suzuki", {})
    assert complement([4], [understood_only, no_standing]) == ()


def test_complement_finds_labels_as_well_as_elements_and_counts_both() -> None:
    pool = [
        candidate("watanabe", 2, load=1),  # element 2 only
        candidate("suzuki", "C-4", "C-7"),  # two labels
        candidate("sato", 2, "C-7", load=3),  # one of each
        candidate("tanaka", 4),  # C-5 (element 4) is not asked for
    ]
    matches = complement([2], pool, labels=["C-4", "C-7", "C-4"])
    assert [(m.candidate.key, m.fills, m.fills_labels, m.filled) for m in matches] == [
        ("suzuki", (), ("C-4", "C-7"), 2),
        ("sato", (2,), ("C-7",), 2),
        ("watanabe", (2,), (), 1),
    ]
    assert [m.candidate.key for m in complement([], pool, labels=["C-5"])] == ["tanaka"]
    assert complement([], [Candidate("ito", {})], labels=["C-4"]) == ()  # no label standings: none


def test_complement_on_a_four_level_scale() -> None:
    answers = {"r1": Answer(1, 3), "r2": Answer(1, 1), "p1": Answer(4, 2), "p2": Answer(1, 4)}
    sato = Candidate("sato", standings_of(score(FOUR_LEVEL, answers)))
    assert [m.fills for m in complement([1, 2, 3], [sato])] == [(1, 3)]


# -- dialogue: what the team should talk about --------------------------------------------------


def test_dialogue_lists_items_nobody_practises_and_items_where_answers_differ() -> None:
    everything = answered(practises=(*EVERY_ELEMENT, None))  # ○○ on every item, labels too
    hanako = everything | {"2-1": Answer(NO, YES), "6-1": Answer(YES, NO)}
    taro = everything | {"3-1": Answer(YES, NO), "6-1": Answer(NO, NO)}
    jiro = dict(everything)
    for answers in (hanako, taro, jiro):
        answers["9-10"] = Answer(YES, NO)  # nobody practises, all understand
        answers["A-1"] = Answer(NO, YES)  # everybody the same: nothing to talk about
        answers["C-1"] = Answer(NO, NO)
    jiro["6-1"] = Answer(NO, NO)
    results = {key: score(LEAFLET, a) for key, a in (("hanako", hanako), ("taro", taro), ("jiro", jiro))}

    sheet = dialogue(LEAFLET, results)

    assert [(t.item.code, t.reason, t.understanding, t.practice) for t in sheet.items] == [
        ("2-1", Talk.DIVERGE, Share(2, 3), Share(3, 3)),
        ("3-1", Talk.DIVERGE, Share(3, 3), Share(2, 3)),
        ("6-1", Talk.NOBODY_PRACTISES, Share(1, 3), Share(0, 3)),  # nobody practises comes first
        ("9-10", Talk.NOBODY_PRACTISES, Share(3, 3), Share(0, 3)),
        ("C-1", Talk.NOBODY_PRACTISES, Share(0, 3), Share(0, 3)),
    ]
    common = set(LEAFLET.item_codes()) - {"6-1", "9-10", "A-1", "C-1"}
    strengths = {key: {item.code for item in items} for key, items in sheet.strengths.items()}
    assert strengths == {"hanako": common - {"2-1"}, "taro": common - {"3-1"}, "jiro": common}
    assert [i.code for i in sheet.strengths["jiro"]] == [c for c in LEAFLET.item_codes() if c in common]


def test_dialogue_of_one_member_lists_only_what_they_do_not_practise() -> None:
    answers = answered(practises=(2,), not_understood=("2-1", "3-1"))
    sheet = dialogue(LEAFLET, {"hanako": score(LEAFLET, answers)})
    assert {t.reason for t in sheet.items} == {Talk.NOBODY_PRACTISES}
    assert [t.item.code for t in sheet.items] == [c for c in LEAFLET.item_codes() if not c.startswith("2-")]
    assert [i.code for i in sheet.strengths["hanako"]] == ["2-2", "2-3", "2-4"]


def test_dialogue_leaves_out_items_no_member_has_an_answer_to() -> None:
    # A check made against another framework has none of its items: nothing to talk about.
    leaflet_check = score(LEAFLET, answered())
    sheet = dialogue(FOUR_LEVEL, {"hanako": leaflet_check})
    assert sheet.items == ()
    assert sheet.strengths == {"hanako": ()}


def test_dialogue_of_nobody_is_empty() -> None:
    sheet = dialogue(LEAFLET, {})
    assert sheet.items == ()
    assert sheet.strengths == {}


def test_dialogue_on_a_four_level_scale() -> None:
    hanako = {"r1": Answer(3, 3), "r2": Answer(4, 2), "p1": Answer(2, 4), "p2": Answer(4, 4)}
    taro = {"r1": Answer(4, 4), "r2": Answer(3, 1), "p1": Answer(1, 3), "p2": Answer(2, 4)}
    sheet = dialogue(FOUR_LEVEL, {"hanako": score(FOUR_LEVEL, hanako), "taro": score(FOUR_LEVEL, taro)})
    assert [(t.item.code, t.reason) for t in sheet.items] == [
        ("r2", Talk.NOBODY_PRACTISES),
        ("p2", Talk.DIVERGE),
    ]
    assert {k: [i.code for i in v] for k, v in sheet.strengths.items()} == {
        "hanako": ["r1", "p2"],
        "taro": ["r1"],
    }


# -- Properties: an independent recomputation from the raw answers ------------------------------

Spec = tuple[frozenset[str], dict[str, Answer] | None]  # roles, and the shared answers (None: not shared)

ROLES = st.frozensets(st.sampled_from(sorted(ROLE_CODES)), max_size=2)


def uniform_answers(framework: Framework) -> st.SearchStrategy[dict[str, Answer]]:
    value = st.sampled_from(framework.scale.values())
    return st.fixed_dictionaries(
        {code: st.builds(Answer, understanding=value, practice=value) for code in framework.item_codes()}
    )


@st.composite
def leaning_answers(draw: st.DrawFn, framework: Framework) -> dict[str, Answer]:
    """One value on each axis for nearly every item, a few items otherwise: close to the thresholds
    (e.g. every tier-A item understood but one), which uniform answers rarely are."""
    value = st.sampled_from(framework.scale.values())
    codes = st.sampled_from(framework.item_codes())
    base = Answer(draw(value), draw(value))
    answers = dict.fromkeys(framework.item_codes(), base)
    for code in draw(st.lists(codes, max_size=6)):
        answers[code] = Answer(draw(value), draw(value))
    return answers


def answers_for(framework: Framework) -> st.SearchStrategy[dict[str, Answer]]:
    """A complete check on ``framework``'s scale."""
    return uniform_answers(framework) | leaning_answers(framework)


SPEC: st.SearchStrategy[Spec] = st.tuples(ROLES, st.none() | answers_for(LEAFLET))
TEAMS = st.lists(SPEC, max_size=5)
NEEDED = st.integers(min_value=1, max_value=3)


def key_of(index: int) -> str:
    return f"m{index}"


def assess_specs(specs: Sequence[Spec], needed: int = 1, keys: Sequence[str] | None = None) -> Assessment:
    keys = keys or [key_of(i) for i in range(len(specs))]
    return assess(
        LEAFLET,
        [
            profile_of(key, roles, None if answers is None else score(LEAFLET, answers), LEAFLET)
            for key, (roles, answers) in zip(keys, specs, strict=True)
        ],
        needed,
    )


def positive(framework: Framework, value: int | None) -> bool:
    assert value is not None
    return value >= framework.scale.positive_from


def really_practises(answers: Mapping[str, Answer], element: int, framework: Framework = LEAFLET) -> bool:
    codes = element_items(framework, element)
    yes = sum(positive(framework, answers[code].practice) for code in codes)
    return len(codes) > 0 and 2 * yes >= len(codes)


def really_practises_label(answers: Mapping[str, Answer], code: str) -> bool:
    """A C label of the leaflet is practised when its one row on the second sheet is ○ on 実践."""
    return positive(LEAFLET, answers[code].practice)


def really_holds(answers: Mapping[str, Answer], key: int | str) -> bool:
    if isinstance(key, int):
        return really_practises(answers, key)
    return really_practises_label(answers, key)


def key_of_rule(rule: ElementRule | LabelRule) -> int | str:
    return rule.element if isinstance(rule, ElementRule) else rule.code


def expected_rule(specs: Sequence[Spec], key: int | str, needed: int) -> tuple[Verdict, list[str], list[str]]:
    """Verdict, holders and members not shared, from the raw answers (``key``: a B element's number
    or a C label's code)."""
    tier = "B" if isinstance(key, int) else "C"
    considered = [
        (key_of(i), answers)
        for i, (roles, answers) in enumerate(specs)
        if tier == "C" or {"core_promoter", "coordinator"} & roles
    ]
    holders = [k for k, a in considered if a is not None and really_holds(a, key)]
    unknown = [k for k, a in considered if a is None]
    if len(holders) >= (needed if tier == "C" else 1):
        verdict = Verdict.MET
    elif len(holders) + len(unknown) >= (needed if tier == "C" else 1):
        verdict = Verdict.UNKNOWN
    else:
        verdict = Verdict.NOT_MET
    return verdict, holders, unknown


def expected_basics(specs: Sequence[Spec]) -> Verdict:
    lacking = any(
        a is not None and not all(positive(LEAFLET, a[code].understanding) for code in A_ITEMS)
        for _, a in specs
    )
    if lacking:
        return Verdict.NOT_MET
    return Verdict.UNKNOWN if any(a is None for _, a in specs) else Verdict.MET


def with_every_unknown_answering(specs: Sequence[Spec], answers: dict[str, Answer]) -> list[Spec]:
    return [(roles, answers if a is None else a) for roles, a in specs]


ALL_YES = answered(practises=EVERYTHING)
ALL_NO = {code: Answer(NO, NO) for code in LEAFLET.item_codes()}


@PROPERTY
@given(TEAMS, NEEDED)
def test_every_rule_agrees_with_a_recomputation_from_the_raw_answers(specs: list[Spec], needed: int) -> None:
    assessment = assess_specs(specs, needed)
    assert [r.element for r in assessment.b_rules] == list(B_ELEMENTS)
    assert [r.code for r in assessment.c_rules] == list(C_LABELS)
    for rule in assessment.rules:
        verdict, holders, unknown = expected_rule(specs, key_of_rule(rule), needed)
        assert rule.verdict is verdict
        assert list(rule.holders) == holders  # nobody counted who does not practise it
        assert list(rule.not_shared) == unknown
        threshold = needed if rule.tier == "C" else 1
        assert (rule.needed, rule.missing) == (threshold, max(0, threshold - len(holders)))
    assert assessment.basics is not None
    assert assessment.basics.verdict is expected_basics(specs)
    assert list(assessment.basics.lacking) == [
        key_of(i)
        for i, (_, a) in enumerate(specs)
        if a is not None and not all(positive(LEAFLET, a[code].understanding) for code in A_ITEMS)
    ]


@PROPERTY
@given(TEAMS, NEEDED)
def test_a_gap_fails_whatever_the_members_who_have_not_shared_would_answer(
    specs: list[Spec], needed: int
) -> None:
    assessment = assess_specs(specs, needed)
    best_case = assess_specs(with_every_unknown_answering(specs, ALL_YES), needed)
    worst_case = assess_specs(with_every_unknown_answering(specs, ALL_NO), needed)
    for rule in assessment.rules:
        key = key_of_rule(rule)
        considered = [
            a
            for roles, a in specs
            if rule.tier == "C" or roles & {"core_promoter", "coordinator"}  # independent of CORE_ROLES
        ]
        really = sum(a is not None and really_holds(a, key) for a in considered)
        unknown = sum(a is None for a in considered)
        threshold = needed if rule.tier == "C" else 1
        if rule in assessment.gaps:
            assert really + unknown < threshold
            assert rule_of(best_case, key).verdict is Verdict.NOT_MET
        if rule.verdict is Verdict.MET:
            assert really >= threshold
        if rule.verdict is Verdict.UNKNOWN:
            # It truly depends on them: one way it is met, the other way it is not.
            assert rule_of(best_case, key).verdict is Verdict.MET
            assert rule_of(worst_case, key).verdict is Verdict.NOT_MET
    assert set(assessment.gaps) == {r for r in assessment.rules if r.verdict is Verdict.NOT_MET}
    assert {r.key for r in assessment.gaps} == {
        f"element:{k}" if isinstance(k, int) else f"label:{k}"
        for k in EVERY_RULE
        if expected_rule(specs, k, needed)[0] is Verdict.NOT_MET
    }


@PROPERTY
@given(TEAMS, SPEC, st.integers(min_value=0, max_value=5), NEEDED)
def test_adding_a_member_never_undoes_a_met_rule_nor_removes_a_holder(
    specs: list[Spec], newcomer: Spec, position: int, needed: int
) -> None:
    keys = [key_of(i) for i in range(len(specs))]
    position = min(position, len(specs))
    before = assess_specs(specs, needed, keys)
    after = assess_specs(
        [*specs[:position], newcomer, *specs[position:]],
        needed,
        [*keys[:position], "newcomer", *keys[position:]],
    )
    for old in before.rules:
        new = rule_of(after, key_of_rule(old))
        assert set(old.holders) <= set(new.holders)
        if old.verdict is Verdict.MET:
            assert new.verdict is Verdict.MET
    # The A rule is about every member: a newcomer can only add to what is lacking.
    assert before.basics is not None and after.basics is not None
    assert set(before.basics.lacking) <= set(after.basics.lacking)
    if before.basics.verdict is Verdict.NOT_MET:
        assert after.basics.verdict is Verdict.NOT_MET


@PROPERTY
@given(TEAMS, ROLES, answers_for(LEAFLET), st.integers(min_value=0, max_value=5), NEEDED)
def test_sharing_a_check_only_settles_what_was_unknown(
    specs: list[Spec], roles: frozenset[str], answers: dict[str, Answer], position: int, needed: int
) -> None:
    position = min(position, len(specs))
    before = assess_specs([*specs[:position], (roles, None), *specs[position:]], needed)
    after = assess_specs([*specs[:position], (roles, answers), *specs[position:]], needed)
    for old in before.rules:
        new = rule_of(after, key_of_rule(old))
        if old.verdict is not Verdict.UNKNOWN:
            assert new.verdict is old.verdict  # in particular, never MET to NOT_MET
    assert before.basics is not None and after.basics is not None
    assert before.basics.verdict is not Verdict.MET  # someone has not shared
    if before.basics.verdict is Verdict.NOT_MET:
        assert after.basics.verdict is Verdict.NOT_MET


def standing_from(total: int, understood: int, practised: int) -> Standing:
    return Standing(Share(understood % (total + 1), total), Share(practised % (total + 1), total))


# Totals as the leaflet's elements have them (1, 4, 5, 10 items), and none.
STANDING = st.builds(
    standing_from, st.sampled_from([0, 1, 2, 4, 5, 10]), st.integers(0, 10), st.integers(0, 10)
)
POOL = st.lists(
    st.tuples(st.dictionaries(st.integers(min_value=1, max_value=9), STANDING), st.integers(0, 3)),
    max_size=8,
)


@PROPERTY
@given(
    POOL,
    st.lists(st.integers(min_value=1, max_value=10), max_size=6),
    st.sets(st.sampled_from([f"c{i}" for i in range(8)] + ["someone-else"])),
)
def test_complement_finds_exactly_the_candidates_practising_a_wanted_element_in_order(
    pool: list[tuple[dict[int, Standing], int]], wanted: list[int], exclude: set[str]
) -> None:
    # Keys in the reverse of pool order, so that only the pool order can break a tie.
    candidates = [Candidate(f"c{7 - i}", standings, load) for i, (standings, load) in enumerate(pool)]
    order = {c.key: i for i, c in enumerate(candidates)}
    once = list(dict.fromkeys(wanted))

    def practised(standing: Standing) -> bool:
        share = standing.practice
        return share.total > 0 and share.count * 2 >= share.total

    expected = {
        c.key: tuple(e for e in once if e in c.standings and practised(c.standings[e]))
        for c in candidates
        if c.key not in exclude
    }
    expected = {key: fills for key, fills in expected.items() if fills}

    matches = complement(wanted, candidates, exclude=exclude)

    assert {m.candidate.key: m.fills for m in matches} == expected
    assert len(matches) == len(expected)  # each candidate once
    ranks = [(-len(m.fills), m.candidate.load, order[m.candidate.key]) for m in matches]
    assert ranks == sorted(ranks)


@st.composite
def team_results(draw: st.DrawFn) -> tuple[Framework, dict[str, dict[str, Answer]]]:
    framework = draw(st.sampled_from([LEAFLET, FOUR_LEVEL]))
    answers = draw(st.lists(answers_for(framework), max_size=4))
    return framework, {f"m{i}": a for i, a in enumerate(answers)}


@PROPERTY
@given(team_results())
def test_dialogue_lists_exactly_the_items_nobody_practises_or_where_answers_differ(
    framework_answers: tuple[Framework, dict[str, dict[str, Answer]]],
) -> None:
    framework, answers = framework_answers
    sheet = dialogue(framework, {key: score(framework, a) for key, a in answers.items()})

    expected = []
    for code in framework.item_codes() if answers else ():
        understand = [positive(framework, a[code].understanding) for a in answers.values()]
        practise = [positive(framework, a[code].practice) for a in answers.values()]
        if not any(practise):
            expected.append((code, Talk.NOBODY_PRACTISES, sum(understand), 0))
        elif not all(practise) or (any(understand) and not all(understand)):
            expected.append((code, Talk.DIVERGE, sum(understand), sum(practise)))
    got = [(t.item.code, t.reason, t.understanding.count, t.practice.count) for t in sheet.items]
    assert got == expected
    assert all(t.understanding.total == t.practice.total == len(answers) for t in sheet.items)

    assert {key: [i.code for i in items] for key, items in sheet.strengths.items()} == {
        key: [
            code
            for code in framework.item_codes()
            if positive(framework, a[code].understanding) and positive(framework, a[code].practice)
        ]
        for key, a in answers.items()
    }
