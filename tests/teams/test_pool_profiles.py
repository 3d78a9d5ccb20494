"""Selection reads (``teams.selection``): each pool member's supporter profile with their load and
experience, only for people in the organisation's pool, in a fixed number of queries; and the pool
page shows it to the organisation's staff at a cost that does not grow with the people shown."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from bansou.accounts.models import User
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality, Prefecture
from bansou.profiles import services as profiles
from bansou.teams import selection
from bansou.teams.selection import Served
from tests.teams.test_queries import FY, POOL_PAGE, Builder, Pool, build, client_of, counted, pool

__all__ = ["build", "pool"]  # fixtures of tests/teams/test_queries.py, used here

SELECTION_QUERIES = 7  # as the docstrings say
# The org pool page, the profiles of the people shown included: one query fewer than teams:pool.
ORG_POOL_PAGE_WITH_PROFILES = POOL_PAGE - 1


def fill(user: User, n: int) -> None:
    """A profile that differs a little from person to person."""
    tokyo = Prefecture.objects.get(code="13")
    profiles.save_profile(
        user_id=user.pk,
        prefectures=[tokyo],
        professions=["public_health_nurse", "social_worker"][: 1 + n % 2],
        profession_note=f"得意分野 {n}",
        core_role=n % 2 == 0,
        capacity=1 + n % 3,
    )
    profiles.add_municipality(user_id=user.pk, municipality=Municipality.objects.get(lgcode="131016"))
    profiles.add_unavailable(
        user_id=user.pk, start=datetime.date(FY + 1, 1, 1 + n % 20), end=datetime.date(FY + 1, 2, 1)
    )


@pytest.fixture
def profiled(pool: Callable[[int], Pool], build: Builder) -> Callable[[int], Pool]:
    """The pool of ``pool``, everyone with a profile; every third person was in a team the
    organisation ran last 年度."""
    past: list[object] = []

    def grow(to: int) -> Pool:
        state = pool(to)
        if not past:
            past.append(build.team(fiscal_year=FY - 1, organisation=state.org, n=1))
        for n, user in enumerate(state.people):
            if not hasattr(user, "_filled"):
                fill(user, n)
                if n % 3 == 0:
                    build.seat(user, past[0])  # type: ignore[arg-type]
                user._filled = True  # type: ignore[attr-defined]
        return state

    return grow


def test_the_org_pool_page_shows_profiles_at_the_same_cost_for_3_and_40_people(
    profiled: Callable[[int], Pool], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    state = profiled(3)
    client = client_of(state.staff)
    url = reverse("teams:org_pool", args=[state.org.public_id])
    search = {"elements": [4], "fiscal_year": FY}

    small, html = counted(
        django_assert_max_num_queries, client, url, search, budget=ORG_POOL_PAGE_WITH_PROFILES
    )
    assert "3人 見つかりました" in html
    profiled(40)
    large, html = counted(
        django_assert_max_num_queries, client, url, search, budget=ORG_POOL_PAGE_WITH_PROFILES
    )

    assert small == large
    assert "40人 見つかりました" in html
    assert html.count("対応できる地域") == 40
    assert "得意分野 39" in html
    assert f"東京都 中央区・{format_fiscal_year(FY - 1)}" in html  # experience with the organisation's teams


def test_pool_profiles_takes_seven_queries_whatever_the_pool(
    profiled: Callable[[int], Pool], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    state = profiled(30)
    with django_assert_max_num_queries(SELECTION_QUERIES):
        found = selection.pool_profiles(state.org.pk, FY)
    assert len(found) == 30
    first = next(p for p in found if p.user_id == state.people[0].pk)
    assert first.filled and first.core_role
    assert first.prefectures == (("13", "東京都"),)
    assert first.municipalities == (("131016", "東京都 千代田区"),)
    assert first.professions == ("public_health_nurse",)
    assert first.capacity == 1
    assert first.unavailable == ((datetime.date(FY + 1, 1, 1), datetime.date(FY + 1, 2, 1)),)
    assert first.load == 3  # the pool fixture seats person 0 in three teams this 年度
    assert first.experience == (Served("131024", "東京都 中央区", FY - 1),)
    assert [p.furigana for p in found] == sorted(p.furigana for p in found)


def test_only_people_in_the_pool_who_shared_with_the_organisation_are_considered(
    build: Builder, municipalities_three: None
) -> None:
    staff = build.person("県庁 職員")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    other = create_organisation(user=staff, name="大阪府 福祉部", kind="prefecture", prefecture_id="13")
    inside = build.pool(org, {4}, name="プール 在籍")
    build.pool(org, {4}, name="プール 外", in_pool=False)
    unshared = build.pool(org, {4}, name="共有 なし", shared=False)
    Membership.objects.filter(user=unshared).update(in_pool=True)  # in the pool, nothing shared
    elsewhere = build.pool(other, {4}, name="他組織 のみ")
    for user in (inside, elsewhere):
        fill(user, 0)

    assert [p.display_name for p in selection.pool_profiles(org.pk, FY)] == ["プール 在籍"]
    shown = selection.profiles_of(org.pk, [inside.pk, elsewhere.pk, unshared.pk], FY)
    assert set(shown) == {inside.pk, unshared.pk}  # the page shows what the pool search found
    assert not shown[unshared.pk].filled and shown[unshared.pk].capacity == selection.DEFAULT_CAPACITY


def test_experience_counts_only_the_organisations_teams_and_load_every_team_of_the_year(
    build: Builder, municipalities_three: None
) -> None:
    staff = build.person("県庁 職員")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    other = create_organisation(user=staff, name="大阪府 福祉部", kind="prefecture", prefecture_id="13")
    person = build.pool(org, {4})
    ours_now, ours_before, ours_twice = (
        build.team(organisation=org, n=0),
        build.team(fiscal_year=FY - 2, organisation=org, n=1),
        build.team(fiscal_year=FY - 2, organisation=org, n=1),
    )
    theirs = build.team(organisation=other, n=2)
    build.seat(person, ours_now, ours_before, ours_twice, theirs)

    served = selection.experience(org.pk, [person.pk])[person.pk]
    assert served == [Served("131016", "東京都 千代田区", FY), Served("131024", "東京都 中央区", FY - 2)]
    assert selection.loads([person.pk], FY) == {person.pk: 2}  # ours and theirs this 年度
    profile = selection.pool_profiles(org.pk, FY)[0]
    assert (profile.load, profile.capacity, profile.over_capacity) == (2, 1, True)


@pytest.fixture
def municipalities_three(build: Builder) -> None:
    """The three 市町村 ``build`` makes (named so that the tests above say what they need)."""
    assert Municipality.objects.count() == 3


def test_a_person_is_unavailable_on_the_days_of_a_period_both_ends_included() -> None:
    day = datetime.date
    person = selection.PoolProfile(
        user_id=1,
        membership_id=1,
        display_name="伴走 花子",
        furigana="バンソウ ハナコ",
        filled=True,
        prefectures=(),
        municipalities=(),
        professions=(),
        profession_note="",
        core_role=False,
        capacity=2,
        unavailable=((day(2027, 2, 1), day(2027, 2, 28)),),
        load=1,
        experience=(),
    )
    assert [person.available_on(d) for d in (day(2027, 1, 31), day(2027, 2, 1), day(2027, 2, 28))] == [
        True,
        False,
        False,
    ]
    assert person.available_on(day(2027, 3, 1))
    assert not person.over_capacity
