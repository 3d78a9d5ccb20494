"""Query budgets of the team pages and the pool, whatever the number of people; and who the pool finds."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.framework import Axis, Framework
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality, Prefecture
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience, ShareChoice
from bansou.sharing.models import CheckShare
from bansou.teams import queries
from bansou.teams.models import Assignment, Team, TeamMember
from tests.conftest import make_user

# Each budget is the number measured when written, so that a new query on these pages is noticed.
# The team pages: one more for the teams of the previous and next 年度 (``renewal.neighbours``); a lead
# or the running organisation's staff one more for the offers of places (``offers.offers_of``), and a
# lead one more for the open changes plans propose to the team (placements, through
# ``teams.companions.lead_notices``).
TEAM_PAGE_MEMBER = 12  # 10, the plans members shared (their steps: one more when there are any), 年度
TEAM_PAGE_STAFF = 12  # 9, the members' consent to showing staff the verdicts, 年度, offers
TEAM_PAGE_LEAD = TEAM_PAGE_MEMBER + 2  # offers, and the changes proposed to the team
# teams:pool, with its audit log entry; orgs:pool needs one fewer (9, and 7 for the profiles shown)
POOL_PAGE = 17
POOL_QUERY = 5  # as its docstring says; 4 when written
POOL_QUERY_BOTH = 6  # elements and C labels asked for together: one search of each table of standings
DIALOGUE_PAGE = 10  # 9, and what members chose to bring from feedback (teams.companions)
ANSWERS_PAGE = 10

FY = fiscal_year_of(timezone.localdate())
ROLES = (["core_promoter"], ["coordinator"], ["advisor"], ["advisor", "prefecture_staff"])


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    """Many people are made here, and nobody logs in with a password: hash quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def practising(framework: Framework, elements: Collection[int | str]) -> Callable[[str, Axis], int]:
    """○ on 理解 everywhere; ○ on 実践 for the items of ``elements`` only (a number: an element's
    items; a code: that item, e.g. a C label's row C-4)."""
    element_of = {item.code: item.element for item in framework.items()}
    return lambda code, axis: (
        1 if axis is Axis.UNDERSTANDING or element_of[code] in elements or code in elements else 0
    )


@dataclass
class Builder:
    """Makes people, checks, teams and pool entries for the tests below."""

    framework: Framework
    submitted: Callable[..., Check]
    municipalities: list[Municipality]
    made: int = 0
    people: dict[str, User] = field(default_factory=dict)

    def person(self, name: str = "", furigana: str = "") -> User:
        self.made += 1
        n = self.made
        user = make_user(f"p{n:03}", name or f"支援 {n:03}", furigana=furigana or f"シエン {n:03}")
        self.people[str(user)] = user
        return user

    def check(self, user: User, elements: Collection[int | str]) -> Check:
        return self.submitted(user, practising(self.framework, elements))

    def team(self, fiscal_year: int = FY, organisation: Organisation | None = None, n: int = 0) -> Team:
        return Team.objects.create(
            municipality=self.municipalities[n % len(self.municipalities)],
            fiscal_year=fiscal_year,
            organisation=organisation,
        )

    def members(self, team: Team, count: int, org: Organisation | None = None) -> list[TeamMember]:
        """``count`` members who shared with the team: half 常に最新, half an older check by name."""
        seats = []
        for _ in range(count):
            i = self.made
            user = self.person()
            older = self.check(user, {1 + i % 9, 2 + i % 8})
            if i % 2:
                self.check(user, {4, 9})  # a newer check, not the one shared
                choice = ShareChoice.parse(str(older.public_id))
            else:
                choice = LATEST
            seat = TeamMember.objects.create(
                team=team, user=user, roles=ROLES[i % len(ROLES)], affiliation=org if i % 3 == 0 else None
            )
            sharing_services.share(user=user, audience=Audience.team(team.pk), choice=choice)
            seats.append(seat)
        Assignment.objects.bulk_create(
            Assignment(team=team, element=1 + k % 9, member=seat) for k, seat in enumerate(seats)
        )
        return seats

    def pool(
        self,
        org: Organisation,
        elements: Collection[int | str],
        *,
        name: str = "",
        furigana: str = "",
        older: Collection[int | str] | None = None,
        in_pool: bool = True,
        shared: bool = True,
    ) -> User:
        """A person in ``org`` who practises ``elements`` in the check shared with it (常に最新, or
        a check by name practising ``older`` with a newer one practising ``elements``)."""
        user = self.person(name, furigana)
        choice = LATEST
        if older is not None:
            choice = ShareChoice.parse(str(self.check(user, older).public_id))
        self.check(user, elements)
        membership = Membership.objects.create(organisation=org, user=user, role="supporter")
        if shared:
            sharing_services.share(user=user, audience=Audience.organisation(org.pk), choice=choice)
        if in_pool:
            Membership.objects.filter(pk=membership.pk).update(in_pool=True)
        return user

    def seat(self, user: User, *teams: Team) -> None:
        TeamMember.objects.bulk_create(TeamMember(team=t, user=user, roles=["advisor"]) for t in teams)


@pytest.fixture
def build(framework: Framework, submitted: Callable[..., Check]) -> Builder:
    tokyo = Prefecture.objects.create(code="13", lgcode="130001", name="東京都", kana="トウキョウト")
    places = [
        Municipality.objects.create(lgcode=code, prefecture=tokyo, name=name, kana=kana)
        for code, name, kana in (
            ("131016", "千代田区", "チヨダク"),
            ("131024", "中央区", "チュウオウク"),
            ("131032", "港区", "ミナトク"),
        )
    ]
    return Builder(framework, submitted, places)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counted(
    limit: DjangoAssertNumQueries,
    client: Client,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    budget: int,
) -> tuple[int, str]:
    """Queries of one GET (after a first GET, so sessions and caches are warm), within ``budget``."""
    assert client.get(url, data).status_code == 200
    with limit(budget) as captured:
        page = client.get(url, data)
    assert page.status_code == 200
    return len(captured), page.content.decode()


# The team page -------------------------------------------------------------------------------------


@dataclass
class Grown:
    team: Team
    org: Organisation
    staff: User
    lead: TeamMember
    seats: list[TeamMember]


@pytest.fixture
def grown(build: Builder) -> Callable[[int], Grown]:
    """A team run by an organisation, grown to the number of members asked for."""
    staff = build.person("県庁 職員", "ケンチョウ ショクイン")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    team = build.team(organisation=org)
    lead_user = build.person("中核 一郎", "チュウカク イチロウ")
    Membership.objects.create(organisation=org, user=lead_user, role="supporter")
    lead = TeamMember.objects.create(
        team=team, user=lead_user, roles=["core_promoter"], is_lead=True, affiliation=org
    )
    build.check(lead_user, {1, 2, 3})
    sharing_services.share(user=lead_user, audience=Audience.team(team.pk), choice=LATEST)
    state = Grown(team, org, staff, lead, [lead])

    def grow(to: int) -> Grown:
        state.seats += build.members(team, to - len(state.seats), org)
        assert TeamMember.objects.filter(team=team).count() == to
        assert CheckShare.objects.filter(team=team).count() == to
        return state

    return grow


@pytest.mark.parametrize("viewer", ["lead", "member"])
def test_the_team_page_for_a_member_costs_the_same_for_3_and_30_members(
    grown: Callable[[int], Grown], django_assert_max_num_queries: DjangoAssertNumQueries, viewer: str
) -> None:
    world = grown(3)
    user = world.lead.user if viewer == "lead" else world.seats[1].user
    client = client_of(user)
    url = reverse("teams:detail", args=[world.team.public_id])
    budget = TEAM_PAGE_LEAD if viewer == "lead" else TEAM_PAGE_MEMBER

    small, _ = counted(django_assert_max_num_queries, client, url, budget=budget)
    grown(30)
    large, html = counted(django_assert_max_num_queries, client, url, budget=budget)

    assert small == large
    assert html.count('<td class="verdict') == 15  # 5 B, 9 C, A
    assert html.count("理解 ") >= 30 * 9  # every member's cells in the map


def test_the_team_page_for_staff_costs_the_same_for_3_and_30_members(
    grown: Callable[[int], Grown], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    world = grown(3)
    client = client_of(world.staff)
    url = reverse("teams:detail", args=[world.team.public_id])

    small, _ = counted(django_assert_max_num_queries, client, url, budget=TEAM_PAGE_STAFF)
    grown(30)
    large, html = counted(django_assert_max_num_queries, client, url, budget=TEAM_PAGE_STAFF)

    assert small == large
    assert "チームマップ" not in html
    assert html.count('<td class="verdict') == 15  # 5 B, 9 C, A


def test_the_dialogue_page_costs_the_same_for_3_and_30_members(
    grown: Callable[[int], Grown], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    world = grown(3)
    client = client_of(world.lead.user)
    url = reverse("teams:dialogue", args=[world.team.public_id])

    small, _ = counted(django_assert_max_num_queries, client, url, budget=DIALOGUE_PAGE)
    grown(30)
    large, html = counted(django_assert_max_num_queries, client, url, budget=DIALOGUE_PAGE)

    assert small == large
    assert "メンバー 30人のうち 30人 が共有したチェックから" in html


def test_a_members_answers_page_is_bounded(
    grown: Callable[[int], Grown], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    world = grown(30)
    client = client_of(world.lead.user)
    for seat in (world.seats[1], world.seats[2], world.lead):  # 常に最新, a check by name, one's own
        url = reverse("teams:member_answers", args=[world.team.public_id, seat.pk])
        _, html = counted(django_assert_max_num_queries, client, url, budget=ANSWERS_PAGE)
        assert str(seat.user) in html


# The pool --------------------------------------------------------------------------------------------


@dataclass
class Pool:
    org: Organisation
    staff: User
    team: Team
    teams: list[Team]
    people: list[User] = field(default_factory=list)


@pytest.fixture
def pool(build: Builder) -> Callable[[int], Pool]:
    """An organisation's pool grown to the number of candidates asked for; a third of them are in
    one or two teams that 年度, and every candidate practises element 4."""
    staff = build.person("県庁 職員", "ケンチョウ ショクイン")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    team = build.team(organisation=org)
    lead = build.person("中核 一郎", "チュウカク イチロウ")
    TeamMember.objects.create(team=team, user=lead, roles=["core_promoter"], is_lead=True)
    others = [build.team(n=n) for n in range(3)] + [build.team(fiscal_year=FY - 1)]
    state = Pool(org, staff, team, others)

    def grow(to: int) -> Pool:
        for i in range(len(state.people), to):
            wanted = {4} | ({5} if i % 2 else set()) | ({8} if i % 3 == 0 else set())
            older = wanted if i % 4 == 1 else None
            user = build.pool(org, {4, 5, 8} if older else wanted, older=older)
            if i % 3 == 0:
                build.seat(user, others[i % 3], others[3])
            if i % 6 == 0:
                build.seat(user, others[1], others[2])
            state.people.append(user)
        return state

    return grow


@pytest.mark.parametrize("page", ["teams:pool", "teams:org_pool"])
def test_the_pool_search_costs_the_same_for_3_and_60_candidates(
    pool: Callable[[int], Pool], django_assert_max_num_queries: DjangoAssertNumQueries, page: str
) -> None:
    state = pool(3)
    client = client_of(state.staff)
    url = reverse(page, args=[state.team.public_id if page == "teams:pool" else state.org.public_id])
    search = {"elements": [4, 5, 8], "fiscal_year": FY}

    small, html = counted(django_assert_max_num_queries, client, url, search, budget=POOL_PAGE)
    assert "3人 見つかりました" in html
    pool(60)
    large, html = counted(django_assert_max_num_queries, client, url, search, budget=POOL_PAGE)

    assert small == large
    assert "60人 見つかりました" in html
    assert "はじめの 50人 を表示しています。" in html
    assert "東京都 千代田区" in html  # the teams of the people shown, by name


def test_pool_candidates_takes_at_most_five_queries(
    pool: Callable[[int], Pool], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    state = pool(60)
    with django_assert_max_num_queries(POOL_QUERY):
        people, found = queries.pool_candidates(state.org, [4, 5, 8], FY, exclude=[state.people[0].pk])
        labels = [str(t.municipality) for p in people for t in p.teams]  # what the page prints
        names = [(str(p.user), p.user.furigana) for p in people]
    assert (len(people), found) == (50, 59)
    assert labels and names


def test_pool_candidates_for_elements_and_labels_takes_at_most_six_queries(
    pool: Callable[[int], Pool], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    state = pool(60)
    with django_assert_max_num_queries(POOL_QUERY_BOTH):
        people, found = queries.pool_candidates(state.org, [4], FY, labels=["C-6", "C-8"])
        names = [(str(p.user), p.user.furigana, [str(t.municipality) for t in p.teams]) for p in people]
    assert (len(people), found) == (50, 60)  # everyone practises 4
    assert names
    with django_assert_max_num_queries(POOL_QUERY):
        people, found = queries.pool_candidates(state.org, [], FY, labels=["C-5"])  # element 4's label
    assert (len(people), found) == (50, 60)


# Who the pool finds --------------------------------------------------------------------------------


@pytest.fixture
def org(build: Builder) -> Organisation:
    return create_organisation(
        user=build.person("県庁 職員"), name="東京都 福祉局", kind="prefecture", prefecture_id="13"
    )


def found(org: Organisation, wanted: Collection[int], **kwargs: Any) -> list[str]:
    people, _ = queries.pool_candidates(org, wanted, FY, **kwargs)
    return [str(p.user) for p in people]


def test_only_people_in_the_pool_who_shared_with_the_organisation_are_found(
    build: Builder, org: Organisation
) -> None:
    other_org = create_organisation(
        user=build.person("他県 職員"), name="大阪府 福祉部", kind="prefecture", prefecture_id=None
    )
    build.pool(org, {4}, name="プール 一子")
    build.pool(org, {4}, name="未共有 二子", shared=False)  # in the pool, but shared nothing
    build.pool(org, {4}, name="未登録 三子", in_pool=False)  # shared, but left the pool
    build.pool(other_org, {4}, name="他県 四子")
    build.pool(org, {1, 2, 3}, name="別分野 五子")  # in the pool, practises nothing wanted
    sharer = build.people["他県 四子"]
    sharing_services.share(
        user=sharer, audience=Audience.team(build.team().pk), choice=LATEST
    )  # a team share is no org share

    assert found(org, [4]) == ["プール 一子"]
    assert found(other_org, [4]) == ["他県 四子"]
    assert found(org, [1]) == ["別分野 五子"]
    assert set(found(org, [1, 4])) == {"プール 一子", "別分野 五子"}


def test_the_pool_is_searched_by_c_labels_too(build: Builder, org: Organisation) -> None:
    build.pool(org, {"C-4"}, name="協働 一子", furigana="キョウドウ イチコ")
    build.pool(org, {"C-4", "C-7"}, name="二つ 二子", furigana="フタツ ニコ")
    build.pool(org, {4}, name="データ 三子", furigana="データ サンコ")  # element 4 is the label C-5
    build.pool(org, {1, 2, 3}, name="別分野 四子", furigana="ベツ ヨンコ")  # C-1 (element 1) only

    assert found(org, [], labels=["C-4"]) == ["協働 一子", "二つ 二子"]  # one each: by フリガナ
    assert found(org, [], labels=["C-4", "C-7"]) == ["二つ 二子", "協働 一子"]  # two before one
    assert found(org, [], labels=["C-5"]) == ["データ 三子"]
    assert found(org, [], labels=["C-9"]) == []
    people, total = queries.pool_candidates(org, [4], FY, labels=["C-7", "C-1"])
    assert total == 3
    assert [(str(p.user), p.match.fills, p.match.fills_labels) for p in people] == [
        ("データ 三子", (4,), ()),
        ("二つ 二子", (), ("C-7",)),
        ("別分野 四子", (), ("C-1",)),
    ]


def test_excluded_people_are_left_out_and_not_counted(build: Builder, org: Organisation) -> None:
    one = build.pool(org, {4}, name="プール 一子")
    build.pool(org, {4}, name="プール 二子")
    people, total = queries.pool_candidates(org, [4], FY, exclude=[one.pk])
    assert ([str(p.user) for p in people], total) == (["プール 二子"], 1)


def test_the_pool_is_ordered_by_elements_filled_then_load_then_furigana(
    build: Builder, org: Organisation
) -> None:
    busy = build.pool(org, {4, 5}, name="多忙 あい", furigana="アイ")
    build.pool(org, {4, 5}, name="余裕 うめ", furigana="ウメ")
    build.pool(org, {4, 5, 8}, name="三つ わか", furigana="ワカ")
    last_year = build.pool(org, {5, 4}, name="昨年 えみ", furigana="エミ")
    build.pool(org, {4}, name="一つ いと", furigana="イト")
    build.pool(org, {5, 9}, name="一つ あや", furigana="アヤ")
    busy_teams = [build.team(n=0), build.team(n=2)]
    build.seat(busy, *busy_teams)
    build.seat(last_year, build.team(fiscal_year=FY - 1), build.team(fiscal_year=FY + 1))

    people, total = queries.pool_candidates(org, [4, 5, 8], FY)

    assert [str(p.user) for p in people] == [
        "三つ わか",  # fills three
        "余裕 うめ",  # fills two, no team this 年度: by フリガナ
        "昨年 えみ",  # fills two, teams only in other 年度
        "多忙 あい",  # fills two, two teams this 年度
        "一つ あや",  # fills one: by フリガナ
        "一つ いと",
    ]
    assert total == 6
    by_name = {str(p.user): p for p in people}
    assert by_name["三つ わか"].match.fills == (4, 5, 8)
    assert by_name["一つ あや"].match.fills == (5,)
    assert by_name["多忙 あい"].match.candidate.load == 2
    assert by_name["多忙 あい"].teams == tuple(busy_teams)
    assert by_name["昨年 えみ"].teams == ()


def test_limit_shows_the_first_and_counts_all(build: Builder, org: Organisation) -> None:
    for n, elements in enumerate(({4}, {4, 5}, {4}, {4, 5}, {5})):
        build.pool(org, elements, name=f"候補 {n}", furigana=f"コウホ {n}")
    people, total = queries.pool_candidates(org, [4, 5], FY, limit=2)
    assert ([str(p.user) for p in people], total) == (["候補 1", "候補 3"], 5)


def test_a_check_shared_by_name_is_judged_instead_of_the_latest(build: Builder, org: Organisation) -> None:
    build.pool(org, {1}, older={4}, name="旧で 四")  # the older check shared practises 4
    build.pool(org, {4}, older={1}, name="新で 四")  # the newer, not shared, practises 4
    build.pool(org, {4}, name="最新 四")  # 常に最新

    assert found(org, [4]) == ["旧で 四", "最新 四"]
    assert found(org, [1]) == ["新で 四"]


def test_always_the_latest_in_the_pool_follows_a_new_check(build: Builder, org: Organisation) -> None:
    person = build.pool(org, {1}, name="最新 一")
    assert found(org, [4]) == []
    build.check(person, {4})
    assert found(org, [4]) == ["最新 一"]


def test_a_search_without_candidates_is_empty(build: Builder, org: Organisation) -> None:
    assert queries.pool_candidates(org, [4], FY) == ([], 0)
