"""An invitation survives login and sign-up (issue 13, journey 1): the login and sign-up pages say what
the way back (``next``) invites to, keep it in their links to each other, and lead back to the join
page; under invite-only sign-up only an invitation that grants sign-up lets a new person in, without
typing its code again. An unusable code is told nothing about."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.frameworks.services import load_bundled_frameworks
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation, Kind
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality
from bansou.teams import services as teams
from bansou.teams.models import Team
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEWCOMER = {
    "username": "newcomer",
    "display_name": "新人 一子",
    "furigana": "シンジン イチコ",
    "password1": "correct-horse-battery",
    "password2": "correct-horse-battery",
}
INVITED = "に招待されています"
ASK = "アカウントをお持ちでない方は、組織の管理者に招待を依頼してください。"
TEAM = "支援チーム「東京都 千代田区（まちづくり）」"


@pytest.fixture
def team(municipalities: object) -> Team:
    lead = make_user("lead", "リーダー 一郎")
    chiyoda = Municipality.objects.get(lgcode="131016")
    return teams.create_team(user=lead, municipality=chiyoda, fiscal_year=2026, name="まちづくり")


def team_code(team: Team, *, grants_signup: bool = False, max_uses: int | None = None) -> str:
    issued = invitations.issue(
        kind=Kind.TEAM, target_id=team.pk, grants_signup=grants_signup, max_uses=max_uses
    )
    return issued.code


def login_page(client: Client, join_url: str) -> str:
    """The login page the join link sends a signed-out person to (checked to keep the way back)."""
    response = client.get(join_url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={quote(join_url)}"
    return client.get(response["Location"]).content.decode()


def with_next(name: str, join_url: str) -> str:
    return f"{reverse(name)}?next={quote(join_url, safe='')}"


def test_the_login_page_names_the_team_and_its_sign_up_link_keeps_the_way_back(
    client: Client, team: Team
) -> None:
    join_url = reverse("teams:join", args=[team_code(team)])

    page = login_page(client, join_url)

    assert f"{TEAM}{INVITED}" in page
    assert f'href="{with_next("accounts:signup", join_url)}"' in page
    assert f'name="next" value="{join_url}"' in page
    assert ASK not in page


def test_the_sign_up_page_names_the_team_keeps_the_way_back_and_leads_to_the_join_page(
    client: Client, team: Team
) -> None:
    join_url = reverse("teams:join", args=[team_code(team)])
    signup = with_next("accounts:signup", join_url)

    page = client.get(signup).content.decode()
    created = client.post(signup, {**NEWCOMER, "next": join_url})
    joining = client.get(created["Location"])

    assert f"{TEAM}{INVITED}" in page
    assert f'href="{with_next("accounts:login", join_url)}"' in page
    assert "招待コード" not in page  # open sign-up asks for no code
    assert created["Location"] == join_url
    assert joining.status_code == 200
    assert "このチームに参加する" in joining.content.decode()


def test_logging_in_from_the_invitation_leads_back_to_the_join_page(client: Client, team: Team) -> None:
    make_user("member", "既存 二郎")
    join_url = reverse("teams:join", args=[team_code(team)])

    response = client.post(
        with_next("accounts:login", join_url),
        {"username": "member", "password": "pass-word-1234", "next": join_url},
    )

    assert response["Location"] == join_url


def test_an_organisation_and_a_cohort_are_named_too(client: Client, municipalities: object) -> None:
    from tests.cohorts.conftest import new_cohort_and_code

    load_bundled_frameworks(django_settings.FRAMEWORK_DATA_DIR)
    staff = make_user("staff", "県庁 四郎")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    issued = invitations.issue(kind=Kind.ORGANISATION, target_id=org.pk, role=Membership.Role.SUPPORTER)
    _cohort, code = new_cohort_and_code(org, staff, name="地域づくり伴走支援研修")

    to_org = login_page(client, reverse("teams:join", args=[issued.code]))
    to_cohort = login_page(client, reverse("cohorts:join", args=[code]))

    assert f"組織「東京都 福祉局」{INVITED}" in to_org
    assert f"研修「地域づくり伴走支援研修」{INVITED}" in to_cohort


def _unusable(team: Team) -> list[str]:
    """Codes of the team that cannot be used: expired, revoked, used up; and one nobody issued."""
    expired, revoked, used_up = (team_code(team, max_uses=1) for _ in range(3))
    for code, change in (
        (expired, {"expires_at": timezone.now() - datetime.timedelta(minutes=1)}),
        (revoked, {"revoked_at": timezone.now()}),
        (used_up, {"uses": 1}),
    ):
        Invitation.objects.filter(digest=invitations.digest_of(code)).update(**change)
    return [expired, revoked, used_up, "ACDE-FGHJ-KMNP"]


@override_settings(SIGNUP_MODE="invite")
def test_an_unusable_code_tells_nothing_of_what_it_was_for(client: Client, team: Team) -> None:
    pages = []
    for code in _unusable(team):
        join_url = reverse("teams:join", args=[code])
        pages += [login_page(client, join_url), client.get(with_next("accounts:signup", join_url))]
    on_elsewhere = client.get(
        f"{reverse('accounts:login')}?next=//evil.example/teams/join/{team_code(team)}/"
    )

    for page in [*pages, on_elsewhere]:
        text = page if isinstance(page, str) else page.content.decode()
        assert INVITED not in text and "まちづくり" not in text and ASK not in text


@override_settings(SIGNUP_MODE="invite")
def test_under_invite_only_sign_up_an_invitation_without_sign_up_asks_for_one(
    client: Client, team: Team
) -> None:
    join_url = reverse("teams:join", args=[team_code(team)])

    page = login_page(client, join_url)
    signup = client.get(with_next("accounts:signup", join_url)).content.decode()
    refused = client.post(with_next("accounts:signup", join_url), {**NEWCOMER, "next": join_url})

    assert f"{TEAM}{INVITED}" in page
    assert ASK in page
    assert reverse("accounts:signup") not in page
    assert "この招待では、アカウントを作成できません。" in signup and 'name="invitation_code"' in signup
    assert refused.status_code == 400  # the sign-up code is still asked for
    assert not User.objects.filter(username="newcomer").exists()


@override_settings(SIGNUP_MODE="invite")
def test_under_invite_only_sign_up_an_invitation_that_grants_it_lets_a_newcomer_in_and_join(
    client: Client, team: Team
) -> None:
    code = team_code(team, grants_signup=True, max_uses=1)  # one person: sign-up and joining are one use
    join_url = reverse("teams:join", args=[code])
    signup = with_next("accounts:signup", join_url)

    login = login_page(client, join_url)
    page = client.get(signup).content.decode()
    created = client.post(signup, {**NEWCOMER, "next": join_url})
    joined = client.post(join_url, {"roles": ["advisor"]})

    assert f'href="{signup}"' in login and ASK not in login
    assert f"{TEAM}{INVITED}" in page
    assert 'name="invitation_code"' not in page  # carried from the join link, not typed again
    assert created["Location"] == join_url
    assert joined.status_code == 302
    assert team.members.filter(user__username="newcomer").exists()
    assert invitations.find(code).uses == 1  # type: ignore[union-attr]
