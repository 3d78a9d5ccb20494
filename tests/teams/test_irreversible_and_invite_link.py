"""A team's invitation link comes as labelled readonly text with a copy button; leaving a team, deleting
a team and deleting an account are confirmed on a page whose button says it cannot be undone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bansou.places.models import Municipality
from bansou.teams import services as teams
from bansou.teams.models import Team
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MARK = '<span class="danger-mark" aria-hidden="true">⚠</span> '


@pytest.fixture
def lead_and_team(municipalities: object) -> tuple[Client, Team]:
    lead = make_user("lead", "リーダー 一郎")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    client = Client()
    client.force_login(lead)
    return client, team


def test_a_new_invitation_link_can_be_selected_and_copied(lead_and_team: tuple[Client, Team]) -> None:
    client, team = lead_and_team

    html = client.post(reverse("teams:invite", args=[team.public_id]), follow=True).content.decode()

    assert "作った招待リンクです。送りたい人に伝えてください。" in html
    label = html.split('<label class="field-label" for="invite-link-')[1]
    field_id = "invite-link-" + label.split('"')[0]
    assert label.split(">")[1].startswith("招待リンク</label")
    assert f'<input type="text" id="{field_id}" readonly value="http://testserver/teams/join/' in html
    assert (
        f'data-copy="{field_id}"' in html and " hidden>リンクをコピーする</button>" in html
    )  # shown by script
    assert "（上に表示しています）" in html
    again = client.get(reverse("teams:members", args=[team.public_id])).content.decode()
    assert "data-copy=" not in again  # the link is shown once


def test_leaving_a_team_says_what_happens_and_that_it_cannot_be_undone(
    lead_and_team: tuple[Client, Team],
) -> None:
    client, team = lead_and_team

    html = client.get(reverse("teams:leave", args=[team.public_id])).content.decode()

    assert "共有は取り消され" in html and "元に戻せません。" in html
    assert f'class="button button-danger">{MARK}チームから抜ける（元に戻せません）</button>' in html


def test_deleting_a_team_is_a_danger_button(lead_and_team: tuple[Client, Team]) -> None:
    client, team = lead_and_team

    html = client.get(reverse("teams:end", args=[team.public_id])).content.decode()

    assert "元に戻せません" in html
    assert f'class="button button-danger">{MARK}チームを削除する（元に戻せません）</button>' in html
    assert Team.objects.filter(pk=team.pk).exists()  # a GET deletes nothing


def test_deleting_an_account_is_a_danger_button(owner_client: Client) -> None:
    html = owner_client.get(reverse("accounts:delete")).content.decode()

    assert "削除すると（元に戻せません）" in html
    assert (
        f'class="button button-danger">{MARK}アカウントとデータをすべて削除する（元に戻せません）</button>'
        in html
    )
