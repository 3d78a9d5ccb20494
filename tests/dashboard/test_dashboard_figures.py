"""The dashboard's figures on a small world (``conftest.py``): the teams' verdicts as staff read them
(a team whose member did not consent counts as hidden, never met nor failed), the 年度 before beside,
the 市町村 without a team, the pool's totals (hidden under five people) and the pool's load."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from bansou.checks.models import Check
from bansou.dashboard.presenters import HIDDEN, OUTCOMES
from bansou.domain.framework import Framework
from bansou.orgs.models import Organisation
from bansou.places.models import Municipality
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience
from bansou.teams import presenters as team_presenters
from bansou.teams.models import Team, TeamMember
from bansou.teams.staff_verdicts import BASICS, teams_verdicts
from tests.dashboard.conftest import Dash, add_team, pool_people
from tests.teams.conftest import THIS_YEAR

WIDTH = len(OUTCOMES)


def context(dash: Dash, **query: Any) -> Any:
    client = Client()
    client.force_login(dash.plain_staff)
    response = client.get(reverse("dashboard:page", args=[dash.org.public_id]), query)
    assert response.status_code == 200
    return response.context


def column(row: dict[str, Any], year_index: int) -> dict[str, int]:
    cells = row["cells"][year_index * WIDTH : (year_index + 1) * WIDTH]
    return {value: cell["n"] for (value, _title), cell in zip(OUTCOMES, cells, strict=True)}


def team_page_outcomes(team: Team, framework: Framework) -> dict[str, str]:
    """What the team page shows its running organisation's staff, rule by rule."""
    page = team_presenters.team_context(team, framework, show_members=False)
    found = {row["rule"].key: row["css"] for row in page["b_rules"] + page["c_rules"]}
    found[BASICS] = page["basics"]["css"]
    return found


def test_each_team_counted_as_its_page_shows_it_to_staff(dash: Dash, framework: Framework) -> None:
    teams = Team.objects.filter(organisation=dash.org)
    for verdicts in teams_verdicts(teams, framework):
        mine = {key: HIDDEN if v is None else v.value for key, v in verdicts.verdicts.items()}
        assert mine == team_page_outcomes(verdicts.team, framework), verdicts.team


def test_verdict_counts_respect_consent(dash: Dash) -> None:
    rows = {row["head"].key: row for row in context(dash)["verdict_rows"]}
    for key, row in rows.items():
        this_year = column(row, 0)
        assert sum(this_year.values()) == 2, key  # 千代田区 and 中央区
        # 中央区's one member (a 中核推進役) did not consent: every verdict is about them, so hidden
        assert this_year[HIDDEN] == 1, key
    # 千代田区: everyone ○ except element 4 (データ活用力, also the label C-5)
    assert column(rows["element:2"], 0)["met"] == 1
    assert column(rows["label:C-5"], 0)["not_met"] == 1
    assert column(rows[BASICS], 0)["met"] == 1


def test_the_year_before_is_beside(dash: Dash) -> None:
    rows = context(dash)["verdict_rows"]
    for row in rows:
        before = column(row, 1)
        assert sum(before.values()) == 1  # 港区, the year before: its lead shares nothing with it
        assert before["met"] == before["not_met"] == 0
    assert context(dash)["team_counts"] == [2, 1]
    assert context(dash, year=THIS_YEAR - 1)["team_counts"] == [1, 0]


def test_a_count_links_to_the_teams_it_counts(dash: Dash) -> None:
    ctx = context(dash)
    c5 = next(row for row in ctx["verdict_rows"] if row["head"].key == "label:C-5")
    not_met = c5["cells"][1]
    assert not_met["n"] == 1
    query = dict(parse_qsl(urlsplit(not_met["href"]).query))
    listed = context(dash, **query)["team_list"]
    assert [row["team"] for row in listed["rows"]] == [dash.world.team]
    assert "データ活用力" in listed["filter"]
    everyone = context(dash, list=THIS_YEAR)["team_list"]["rows"]
    assert {row["team"] for row in everyone} == {dash.world.team, dash.silent_team}
    html = Client()
    html.force_login(dash.plain_staff)
    path = reverse("dashboard:page", args=[dash.org.public_id])
    page = html.get(path, {"list": THIS_YEAR}).content.decode()
    assert reverse("teams:detail", args=[dash.world.team.public_id]) in page
    assert "非表示" in page  # the hidden verdicts are said in words, not by colour


def test_the_list_of_teams_only_when_asked(dash: Dash) -> None:
    """Hundreds of teams are listed only when the viewer asks (a count's link, or a 年度's); the page
    itself links to each 年度's list."""
    listed = context(dash)["team_list"]
    assert listed["rows"] is None
    hrefs = [dict(parse_qsl(urlsplit(link["href"]).query)) for link in listed["links"]]
    assert [h["list"] for h in hrefs] == [str(THIS_YEAR), str(THIS_YEAR - 1)]
    before = context(dash, list=THIS_YEAR - 1)["team_list"]["rows"]
    assert len(before) == 1  # 港区, the year before
    assert context(dash, list="1999")["team_list"]["rows"] is None  # not a 年度 shown


def test_municipalities_without_a_team(dash: Dash) -> None:
    uncovered = context(dash)["uncovered"]
    tokyo = Municipality.objects.filter(prefecture_id="13", active=True).exclude(kind="ward").count()
    assert uncovered["total"] == tokyo
    assert uncovered["counts"] == [tokyo - 2, tokyo - 1]
    listed = {row["municipality"].lgcode: row for row in uncovered["rows"]}
    assert "131016" not in listed and "131024" not in listed  # 千代田区, 中央区
    assert listed["131032"]["before"] is False  # 港区 had a team the year before
    assert listed["131041"]["before"] is True  # 新宿区 had none
    assert listed["131041"]["href"].endswith("municipality=131041")


def test_pool_counts_under_five_are_hidden(dash: Dash, submitted: Callable[..., Check]) -> None:
    pool_people(dash.world, submitted, 3)  # with the world's candidate: four
    page = Client()
    page.force_login(dash.plain_staff)
    html = page.get(reverse("dashboard:page", args=[dash.org.public_id])).content.decode()
    assert "表示できません（5人未満）" in html
    for row in context(dash)["pool_rows"]:
        assert not any(cell["shown"] for cell in row["cells"])


def test_pool_counts_of_five_or_more(dash: Dash, submitted: Callable[..., Check]) -> None:
    pool_people(dash.world, submitted, 5)  # six with the candidate, all ○ everywhere
    rows = context(dash)["pool_rows"]
    this_year = [row["cells"][0] for row in rows]
    assert all(cell["shown"] and cell["n"] == 6 and cell["of"] == 6 for cell in this_year)
    assert not any(row["cells"][1]["shown"] for row in rows)  # no check of the year before: none
    element = next(row for row in rows if row["tier"] == "B")
    assert element["href"].startswith(reverse("teams:org_pool", args=[dash.org.public_id]) + "?elements=")
    label = next(row for row in rows if row["tier"] == "C")
    assert "labels=C-" in label["href"]


def test_load_buckets(dash: Dash, submitted: Callable[..., Check]) -> None:
    people = pool_people(dash.world, submitted, 4)
    for user in people[:2]:
        TeamMember.objects.create(team=dash.world.team, user=user, roles=["advisor"])
    TeamMember.objects.create(team=dash.silent_team, user=people[0], roles=["advisor"])
    TeamMember.objects.create(team=dash.world.other_team, user=people[0], roles=["advisor"])
    TeamMember.objects.create(team=dash.last_year_team, user=people[3], roles=["advisor"])
    rows = {row["label"]: row["cells"] for row in context(dash)["load_rows"]}
    # five in the pool: the candidate and people 0-3
    assert rows == {"0チーム": [3, 4], "1チーム": [1, 1], "2チーム": [0, 0], "3チーム以上": [1, 0]}


@pytest.mark.parametrize("year", ["1999", "not-a-year"])
def test_a_year_outside_the_choices_falls_back_to_this_one(dash: Dash, year: str) -> None:
    assert context(dash, year=year)["team_counts"] == [2, 1]


def test_the_year_before_with_met_and_failed(dash: Dash) -> None:
    """The 年度 before counts ○ and × too, not only hidden ones: 港区's team of that 年度 gets the
    members of 千代田区's (the same checks: ○ everywhere but データ活用力), and all let staff read."""
    people = dash.world.people
    for persona, roles in (("owner", ["coordinator"]), ("member", ["advisor"])):
        TeamMember.objects.create(team=dash.last_year_team, user=people[persona], roles=roles)
    for persona in ("owner", "lead", "member"):
        sharing_services.share(
            user=people[persona],
            audience=Audience.team(dash.last_year_team.pk),
            choice=LATEST,
            verdicts_to_staff=True,
        )
    rows = {row["head"].key: row for row in context(dash)["verdict_rows"]}
    for key, row in rows.items():
        assert column(row, 1)[HIDDEN] == 0, key
    assert column(rows["element:2"], 1)["met"] == 1
    assert column(rows["label:C-5"], 1)["not_met"] == 1
    assert column(rows[BASICS], 1)["met"] == 1
    assert column(rows["element:2"], 1)["not_met"] == column(rows["label:C-5"], 1)["met"] == 0
    failed = rows["label:C-5"]["cells"][WIDTH + 1]
    query = dict(parse_qsl(urlsplit(failed["href"]).query))
    assert query["list"] == str(THIS_YEAR - 1)
    listed = context(dash, **query)["team_list"]["rows"]
    assert [row["team"] for row in listed] == [dash.last_year_team]
    html = Client()
    html.force_login(dash.plain_staff)
    page = html.get(reverse("dashboard:page", args=[dash.org.public_id]), query).content.decode()
    assert "どの年度のチームの判定も、いまのメンバーと、いまの共有と同意から求めたものです。" in page


def test_a_ward_team_covers_its_city(dash: Dash) -> None:
    """A team for a ward of a 政令指定都市 (横浜市中区) covers 横浜市; wards are not listed; a ward whose
    city the list does not name is listed itself, not dropped."""
    Organisation.objects.filter(pk=dash.org.pk).update(prefecture_id="14")
    add_team(dash.world, "141046", THIS_YEAR, dash.world.people["lead"])  # 横浜市中区
    Municipality.objects.create(
        lgcode="149993", prefecture_id="14", name="架空区", kana="カクウク", kind="ward"
    )
    uncovered = context(dash)["uncovered"]
    kanagawa = Municipality.objects.filter(prefecture_id="14", active=True)
    cities = kanagawa.exclude(kind="ward").count()
    assert uncovered["total"] == cities + 1  # and 架空区
    assert uncovered["counts"] == [cities, cities + 1]
    listed = {row["municipality"].lgcode: row for row in uncovered["rows"]}
    assert "141003" not in listed  # 横浜市, by its 中区
    wards = kanagawa.filter(kind="ward").exclude(lgcode="149993").values_list("lgcode", flat=True)
    assert wards and not set(listed) & set(wards)
    assert "149993" in listed
    assert "141305" in listed and listed["141305"]["before"] is True  # 川崎市: no team


def test_the_page_says_what_is_about_today(dash: Dash) -> None:
    """Figures about the pool and the members as they are now say so; the load table says why it shows
    counts under five."""
    page = Client()
    page.force_login(dash.plain_staff)
    html = page.get(reverse("dashboard:page", args=[dash.org.public_id])).content.decode()
    assert html.count("いま人材プールに登録している人") >= 4
    assert "いまのメンバーと、いまメンバーがチームと共有しているチェック" in html
    assert "その記録は残していません" in html
    assert "5人未満の集計を示さない決まりの例外として、5人未満の数も示します。" in html
    assert "人材プールのページで一人ひとりが参加しているチームをすでに見られる" in html
    assert "区のチームは、その市のチームとして数えます" in html
