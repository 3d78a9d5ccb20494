"""Issue 13, journey 4: 「支援チームに共有する」 on a result goes to the share page of a chosen team."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from bansou.teams import services
from bansou.teams.models import TeamMember
from tests.teams.conftest import THIS_YEAR, World

pytestmark = pytest.mark.django_db
CHOOSE = reverse("teams:share_from_result")


def test_the_result_links_to_the_choice_with_its_check(world: World) -> None:
    check = world.checks["member"]
    html = world.client("member").get(reverse("checks:result", args=[check.public_id])).content.decode()

    assert f'href="{CHOOSE}?check={check.public_id}">支援チームに共有する</a>' in unescape(html)


def test_in_one_team_the_share_page_opens_with_the_check_offered(world: World) -> None:
    TeamMember.objects.filter(user=world.people["lead"]).delete()  # the lead shares nothing now
    TeamMember.objects.create(team=world.team, user=world.people["candidate"], roles=["advisor"])
    check = world.checks["candidate"]
    client = world.client("candidate")

    response = client.get(CHOOSE, {"check": str(check.public_id)})

    share = reverse("teams:share", args=[world.team.public_id])
    assert response.status_code == 302
    assert response["Location"] == f"{share}?check={check.public_id}"
    html = client.get(response["Location"]).content.decode()
    assert f'value="{check.public_id}" id="id_choice_2" checked' in html
    assert "「保存する」を押すまで、共有はされません" in html


def test_in_several_teams_the_person_chooses_the_team_told_apart(world: World) -> None:
    services.create_team(
        user=world.people["member"], municipality=world.team.municipality, fiscal_year=THIS_YEAR - 1
    )
    check = world.checks["member"]

    response = world.client("member").get(CHOOSE, {"check": str(check.public_id)})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "共有するチームを選ぶ" in html
    assert "東京都 千代田区・" in html and "運営：東京都 福祉局" in html
    assert html.count(f"/share/?check={check.public_id}") == 2


def test_without_a_team_the_page_says_how_to_get_one(world: World) -> None:
    html = world.client("candidate").get(CHOOSE).content.decode()

    assert "まだ参加しているチームはありません" in html
    assert reverse("teams:join_by_code") in html
