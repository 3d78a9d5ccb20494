"""A lead corrects the team's 市町村 and 年度, and ends a team: deleted when nothing was shared with it,
archived (and back) otherwise; like-named teams are told apart in the lists."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from bansou.domain.fiscal_year import format_fiscal_year
from bansou.invitations.models import Invitation
from bansou.places.models import Municipality
from bansou.teams import services
from bansou.teams.models import Team, TeamMember
from tests.teams.conftest import THIS_YEAR, World

pytestmark = pytest.mark.django_db


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_settings_show_the_chosen_municipality_and_a_new_one_from_the_picker(world: World) -> None:
    url = reverse("teams:settings", args=[world.team.public_id])
    lead = world.client("lead")

    assert "東京都 千代田区（131016）" in html_of(lead, url)
    html = html_of(lead, url + "?municipality=105236")  # back from the picker
    assert "群馬県 千代田町（105236）" in html
    assert "?next=" + url in html.replace("&amp;", "&")


def test_the_lead_changes_the_municipality_and_the_year(world: World) -> None:
    url = reverse("teams:settings", args=[world.team.public_id])
    data = {"municipality": "105236", "fiscal_year": THIS_YEAR - 1, "name": "", "needed": "1"}

    assert world.client("lead").post(url, data).status_code == 302

    team = Team.objects.get(pk=world.team.pk)
    assert (team.municipality_id, team.fiscal_year) == ("105236", THIS_YEAR - 1)


def test_a_team_keeps_a_municipality_that_left_the_list(world: World) -> None:
    Municipality.objects.filter(lgcode="131016").update(active=False)
    url = reverse("teams:settings", args=[world.team.public_id])
    data = {"municipality": "131016", "fiscal_year": THIS_YEAR, "name": "改名", "needed": "1"}

    assert "現在の市町村一覧にはありません" in html_of(world.client("lead"), url)
    assert world.client("lead").post(url, data).status_code == 302
    assert Team.objects.get(pk=world.team.pk).name == "改名"


def test_a_team_with_shares_is_archived_not_deleted_and_can_come_back(world: World) -> None:
    url = reverse("teams:end", args=[world.team.public_id])
    lead = world.client("lead")
    services.invite(team=world.team, by=world.people["lead"])

    html = html_of(lead, url)
    assert "共有されたチェック：3人分" in html and "削除できません" in html
    assert 'value="delete"' not in html
    assert lead.post(url, {"action": "delete"}).status_code == 200  # refused: the page again
    assert lead.post(url, {"action": "archive"}).status_code == 302

    assert Team.objects.get(pk=world.team.pk).archived_at is not None
    assert not Invitation.objects.filter(target_id=world.team.pk, revoked_at__isnull=True).exists()
    assert "アーカイブ済み" in html_of(world.client("member"), reverse("teams:list"))
    invite = lead.post(reverse("teams:invite", args=[world.team.public_id]), follow=True)
    assert "アーカイブしたチームには招待できません" in invite.content.decode()

    assert lead.post(url, {"action": "restore"}).status_code == 302
    assert Team.objects.get(pk=world.team.pk).archived_at is None


def test_a_team_with_nothing_shared_is_deleted_with_its_members(world: World) -> None:
    team = services.create_team(
        user=world.people["lead"], municipality=world.team.municipality, fiscal_year=THIS_YEAR
    )
    url = reverse("teams:end", args=[team.public_id])

    assert "元に戻せません" in html_of(world.client("lead"), url)
    response = world.client("lead").post(url, {"action": "delete"})

    assert response.status_code == 302 and response["Location"] == reverse("teams:list")
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not TeamMember.objects.filter(team_id=team.pk).exists()


def test_like_named_teams_are_told_apart_by_year_and_organisation(world: World) -> None:
    services.create_team(
        user=world.people["lead"], municipality=world.team.municipality, fiscal_year=THIS_YEAR - 1
    )
    html = html_of(world.client("lead"), reverse("teams:list"))

    rows = re.findall(r"<tr>.*?</tr>", html, re.S)[1:]
    assert len(rows) == 2
    assert "東京都 福祉局" in rows[0] and "なし" in rows[1]
    assert "運営する組織" in html
    assert world.team.listing == f"東京都 千代田区・{format_fiscal_year(THIS_YEAR)}・運営：東京都 福祉局"


def test_the_create_form_names_the_municipality_chosen_in_the_picker(world: World) -> None:
    html = html_of(world.client("lead"), reverse("teams:create") + "?municipality=131016")

    assert "選んだ市町村：<strong>東京都 千代田区（131016）</strong>" in html
    assert "選んだ市町村" not in html_of(world.client("lead"), reverse("teams:create"))
