"""Which team verdicts the running organisation's staff may read: only those whose every considered
member consented. Rules built by hand (and one team assessed on the shipped leaflet). No database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bansou.domain.coverage import (
    Assessment,
    BasicsRule,
    ElementRule,
    Label,
    LabelRule,
    Verdict,
    assess,
    labels_of,
    profile_of,
)
from bansou.domain.scoring import Answer, score
from bansou.domain.verdict_consent import (
    considered_by,
    may_show,
    shown_to_staff,
    staff_basics_gap,
    staff_gaps,
    staff_view,
)
from tests.domain.shipped import LEAFLET


def b_rule(element: int, considered: tuple[str, ...], holders: tuple[str, ...] = ()) -> ElementRule:
    return ElementRule("B", element, 1, holders=holders, considered=considered, not_shared=())


def c_rule(code: str, considered: tuple[str, ...], holders: tuple[str, ...] = ()) -> LabelRule:
    label = Label(code, "C", 1, f"ラベル{code}", None, (code,))
    return LabelRule(label, 1, holders=holders, considered=considered, not_shared=())


def test_a_verdict_is_shown_only_when_everyone_it_considers_consented() -> None:
    assert may_show(("1", "2"), {"1", "2"})
    assert may_show(("1", "2"), {"1", "2", "3"})  # someone the verdict is not about: no matter
    assert not may_show(("1", "2"), {"1"})
    assert not may_show(("1",), set())


def test_a_verdict_about_nobody_is_shown() -> None:
    """A B rule in a team without 中核推進役・調整役 tells about nobody's standing."""
    assert may_show((), set())
    assert shown_to_staff(b_rule(2, considered=()), set())


def test_the_members_each_tier_considers() -> None:
    basics = BasicsRule(members=("1", "2", "3"), lacking=(), not_shared=())
    assert considered_by(basics) == ("1", "2", "3")  # A: everyone
    assert considered_by(b_rule(2, considered=("1",))) == ("1",)  # B: the core members
    assert considered_by(c_rule("C-4", considered=("1", "2", "3"))) == ("1", "2", "3")  # C: everyone


def test_the_single_core_members_consent_decides_the_b_verdict() -> None:
    """The single core member's B verdict is their own standing: it waits for their consent alone."""
    met = b_rule(2, considered=("core",), holders=("core",))
    assert met.verdict is Verdict.MET
    assert not shown_to_staff(met, {"advisor"})
    assert shown_to_staff(met, {"core"})


def test_staff_view_hides_verdicts_and_their_gaps() -> None:
    everyone = ("core", "advisor")
    assessment = Assessment(
        b_rules=(b_rule(2, ("core",)), b_rule(3, ("core",), holders=("core",))),
        c_rules=(c_rule("C-4", everyone), c_rule("C-5", everyone, holders=("advisor",))),
        basics=BasicsRule(members=everyone, lacking=(), not_shared=()),
    )
    assert [r.key for r in assessment.gaps] == ["element:2", "label:C-4"]

    view = staff_view(assessment, {"core"})  # the advisor has not consented
    assert view.shown == {"element:2", "element:3"}
    assert not view.basics_shown
    assert view.hidden == 3  # C-4, C-5 and the basics
    assert [r.key for r in staff_gaps(assessment, view)] == ["element:2"]  # C-4's gap is hidden with it

    nobody = staff_view(assessment, set())
    assert (nobody.shown, nobody.basics_shown, nobody.hidden) == (frozenset(), False, 5)
    assert staff_gaps(assessment, nobody) == ()

    everybody = staff_view(assessment, set(everyone))
    assert (everybody.hidden, everybody.basics_shown) == (0, True)
    assert staff_gaps(assessment, everybody) == assessment.gaps


def test_the_shortfall_in_the_basics_is_a_gap_staff_read_only_with_its_verdict() -> None:
    everyone = ("core", "advisor")
    short = BasicsRule(members=everyone, lacking=("advisor",), not_shared=())
    assessment = Assessment(b_rules=(b_rule(3, ("core",), holders=("core",)),), c_rules=(), basics=short)
    assert assessment.gaps == ()  # not an element
    assert assessment.basics_gap == short
    assert staff_basics_gap(assessment, staff_view(assessment, set(everyone))) == short
    assert staff_basics_gap(assessment, staff_view(assessment, {"core"})) is None  # hidden with its verdict
    unknown = BasicsRule(members=everyone, lacking=(), not_shared=("advisor",))
    assert Assessment(b_rules=(), c_rules=(), basics=unknown).basics_gap is None  # not known to lack


def test_a_framework_without_basics_hides_no_basics() -> None:
    view = staff_view(Assessment(b_rules=(), c_rules=(), basics=None), set())
    assert (view.basics_shown, view.hidden) == (True, 0)


def test_on_the_leaflet_a_team_with_one_core_member() -> None:
    """On the shipped leaflet: every B rule waits for the core member, every C rule and A for everyone."""
    result = score(LEAFLET, {item.code: Answer(1, 1) for item in LEAFLET.items()})
    profiles = [
        profile_of("core", ["core_promoter"], result, LEAFLET),
        profile_of("adv", ["advisor"], result, LEAFLET),
    ]
    assessment = assess(LEAFLET, profiles)
    assert len(assessment.c_rules) == len(labels_of(LEAFLET)) == 9

    only_core = staff_view(assessment, {"core"})
    assert only_core.shown == {f"element:{r.element}" for r in assessment.b_rules}
    assert not only_core.basics_shown
    only_advisor = staff_view(assessment, {"adv"})
    assert only_advisor.shown == frozenset()
    assert staff_view(assessment, {"core", "adv"}).hidden == 0


@given(
    considered=st.lists(st.sampled_from("abcdef"), unique=True),
    consenting=st.sets(st.sampled_from("abcdefg")),
)
def test_shown_exactly_when_the_considered_are_a_subset_of_the_consenting(
    considered: list[str], consenting: set[str]
) -> None:
    assert may_show(considered, consenting) == set(considered).issubset(consenting)
