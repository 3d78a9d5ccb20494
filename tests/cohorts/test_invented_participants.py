"""Issue 12, item 3: invented participants. An organiser who can make accounts can fill a five-person
研修 with four of their own and read the fifth person's answers off the totals; no counting rule can
tell. So under invite-only sign-up only the site's administrators and an organisation's 管理者 issue
invitations that make accounts (never 職員), participants see how many people are in the 研修 before
they hand in, and the pages say plainly what the five-person rule guarantees and what it cannot."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Phase
from bansou.invitations.models import Invitation, Kind
from bansou.invitations.services import find_usable
from bansou.orgs import services as org_services
from bansou.orgs.models import Membership
from tests.cohorts.conftest import TODAY, World
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

GRANT = "このコードでアカウントも作成できるようにする"
LIMIT = "アカウントを作れる人が架空の参加者を作れば、残る一人の回答が分かってしまいます。"
LIMIT_OPEN = "この環境では誰でもアカウントを作れるため、この限界がそのまま当てはまります。"
LIMIT_INVITE = "システムの管理者か組織の管理者が発行した招待でのみ可能にしています"
GUARANTEE = "主催者に見えるのは5人以上の集計だけです。"
COLLUSION = "2〜4人が互いの回答を持ち寄れば、残りの人について分かることがあります。"
UNANIMOUS = "全員が同じ回答をした項目は、集計から全員の回答が分かります。"


def signup_form(username: str, code: str | None = None) -> dict[str, object]:
    form: dict[str, object] = {
        "username": username,
        "display_name": "架空 一号",
        "furigana": "カクウ イチゴウ",
        "password1": "correct-horse-battery",
        "password2": "correct-horse-battery",
    }
    if code is not None:
        form["invitation_code"] = code
    return form


def cohort_form(world: World, name: str, **extra: str) -> dict[str, str]:
    return {
        "organisation": str(world.org.public_id),
        "name": name,
        "fiscal_year": str(world.cohort.fiscal_year),
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-11",
        "pre_deadline": "2026-12-09",
        "post_deadline": "2027-01-15",
        **extra,
    }


def shown_code(html: str) -> str:
    """The code a page shows once, right after it was made."""
    found = re.search(r"<code(?: class=\"invite-code\")?>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>", html)
    assert found is not None, html
    return found.group(1)


@pytest.fixture
def staff(world: World) -> Client:
    """A 研修 organiser who is 職員 (not 管理者) of the organisation running the 研修."""
    user = make_user("staff", "職員 五郎", furigana="ショクイン ゴロウ")
    Membership.objects.create(organisation=world.org, user=user, role=Membership.Role.STAFF)
    world.people["staff"] = user
    return world.client("staff")


@pytest.fixture
def invite_only(settings: Settings) -> None:
    settings.SIGNUP_MODE = "invite"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Attack 3 through HTTP: a 職員 organiser cannot make accounts ----------------------------------------


@pytest.mark.usefixtures("invite_only")
def test_a_staff_organiser_cannot_sign_anyone_up(world: World, staff: Client) -> None:
    users = User.objects.count()
    own_code = services.new_join_code(cohort=world.cohort, by=world.people["staff"]).code

    without = Client().post(reverse("accounts:signup"), signup_form("fake1"))
    with_join_code = Client().post(reverse("accounts:signup"), signup_form("fake2", own_code))

    assert (without.status_code, with_join_code.status_code) == (400, 400)
    assert "この招待コードは使えません" in with_join_code.content.decode()
    assert User.objects.count() == users


@pytest.mark.usefixtures("invite_only")
def test_a_staff_organiser_cannot_make_a_code_that_signs_people_up(world: World, staff: Client) -> None:
    detail = staff.get(reverse("cohorts:detail", args=[world.cohort.public_id])).content.decode()
    again = staff.post(reverse("cohorts:new_code", args=[world.cohort.public_id]), {"grants_signup": "on"})
    created = staff.post(reverse("cohorts:create"), cohort_form(world, "架空研修", grants_signup="on"))
    create_page = staff.get(reverse("cohorts:create")).content.decode()

    assert GRANT not in detail and GRANT not in create_page  # never offered
    assert again.status_code == 403
    assert created.status_code == 400 and "主催する組織の管理者だけです" in created.content.decode()
    assert not Cohort.objects.filter(name="架空研修").exists()
    assert not Invitation.objects.filter(grants_signup=True).exists()
    assert find_usable(world.code, Kind.COHORT) is not None  # the refused request retired nothing


def test_the_services_refuse_a_staff_member_whatever_the_form(world: World, staff: Client) -> None:
    person = world.people["staff"]
    fields = {
        "organisation": world.org,
        "framework": world.cohort.framework,
        "name": "架空研修",
        "fiscal_year": world.cohort.fiscal_year,
        "starts_on": TODAY,
        "ends_on": TODAY,
        "pre_deadline": TODAY,
        "post_deadline": TODAY + datetime.timedelta(days=1),
    }
    with pytest.raises(org_services.SignupNotAllowed):
        services.create_cohort(user=person, grants_signup=True, **fields)
    with pytest.raises(org_services.SignupNotAllowed):
        services.new_join_code(cohort=world.cohort, by=person, grants_signup=True)
    with pytest.raises(org_services.SignupNotAllowed):
        org_services.invite(organisation=world.org, by=person, role="supporter", grants_signup=True)
    with pytest.raises(org_services.SignupNotAllowed):  # 管理者 of another organisation
        services.new_join_code(cohort=world.cohort, by=world.people["other_staff"], grants_signup=True)
    assert not Cohort.objects.filter(name="架空研修").exists()
    assert not Invitation.objects.filter(grants_signup=True).exists()
    assert find_usable(world.code, Kind.COHORT) is not None


def test_who_may_grant_sign_up(world: World, staff: Client, administrator: User) -> None:
    may = org_services.may_grant_signup
    assert may(world.people["organiser"], world.org.pk)  # the organisation's 管理者
    assert may(administrator, world.org.pk)  # a site administrator, member or not
    assert not may(world.people["staff"], world.org.pk)
    assert not may(world.people["org_supporter"], world.org.pk)
    assert not may(world.people["other_staff"], world.org.pk)  # 管理者 elsewhere


# A 管理者 can, and the new person signs up with the code ---------------------------------------------


@pytest.mark.usefixtures("invite_only")
def test_an_admin_lets_a_new_join_code_make_accounts(world: World) -> None:
    admin = world.client("organiser")
    assert GRANT in admin.get(reverse("cohorts:detail", args=[world.cohort.public_id])).content.decode()

    page = admin.post(
        reverse("cohorts:new_code", args=[world.cohort.public_id]), {"grants_signup": "on"}, follow=True
    )
    code = shown_code(page.content.decode())
    signed_up = Client().post(reverse("accounts:signup"), signup_form("newcomer", code))

    assert signed_up.status_code == 302
    assert User.objects.filter(username="newcomer").exists()
    invitation = find_usable(code, Kind.COHORT)
    assert invitation is not None and invitation.grants_signup
    joined = Client()
    joined.force_login(User.objects.get(username="newcomer"))  # the join page still works for them
    assert joined.post(reverse("cohorts:join", args=[code])).status_code == 302


@pytest.mark.usefixtures("invite_only")
def test_an_admin_creates_a_cohort_whose_code_makes_accounts(world: World) -> None:
    admin = world.client("organiser")
    assert GRANT in admin.get(reverse("cohorts:create")).content.decode()

    response = admin.post(reverse("cohorts:create"), cohort_form(world, "本物の研修", grants_signup="on"))
    code = shown_code(admin.get(response["Location"]).content.decode())

    assert Client().post(reverse("accounts:signup"), signup_form("newcomer", code)).status_code == 302
    plain = admin.post(reverse("cohorts:create"), cohort_form(world, "ふつうの研修"))
    plain_code = shown_code(admin.get(plain["Location"]).content.decode())
    assert Client().post(reverse("accounts:signup"), signup_form("other", plain_code)).status_code == 400


@pytest.mark.usefixtures("invite_only")
def test_an_admin_lets_an_organisation_invitation_make_accounts(world: World) -> None:
    admin = world.client("organiser")
    detail = reverse("orgs:detail", args=[world.org.public_id])
    assert GRANT in admin.get(detail).content.decode()

    admin.post(
        reverse("orgs:invite", args=[world.org.public_id]), {"role": "supporter", "grants_signup": "on"}
    )
    page = admin.get(detail).content.decode()
    code = shown_code(page)

    assert "アカウントも作成できる" in page
    assert Client().post(reverse("accounts:signup"), signup_form("newcomer", code)).status_code == 302


def test_with_open_sign_up_the_choice_is_not_offered(world: World) -> None:
    admin = world.client("organiser")
    for url in (
        reverse("cohorts:detail", args=[world.cohort.public_id]),
        reverse("cohorts:create"),
        reverse("orgs:detail", args=[world.org.public_id]),
    ):
        assert GRANT not in admin.get(url).content.decode(), url


# What participants and organisers read -----------------------------------------------------------------


def test_open_sign_up_the_limits_are_said_where_participants_and_organisers_read(
    world: World, staff: Client
) -> None:
    participant = world.client("participant").get(reverse("cohorts:detail", args=[world.cohort.public_id]))
    joining = world.client("org_supporter").get(reverse("cohorts:join", args=[world.code]))
    totals = staff.get(reverse("cohorts:results", args=[world.cohort.public_id]))

    for page in (participant, joining, totals):
        html = page.content.decode()
        assert page.status_code == 200
        for sentence in (GUARANTEE, LIMIT, LIMIT_OPEN, COLLUSION, UNANIMOUS):
            assert sentence in html
        assert LIMIT_INVITE not in html
        assert html.count(LIMIT) == 1


@pytest.mark.usefixtures("invite_only")
def test_invite_only_sign_up_the_limits_say_who_makes_accounts(world: World) -> None:
    html = world.client("participant").get(reverse("cohorts:detail", args=[world.cohort.public_id]))
    text = html.content.decode()
    assert LIMIT in text and LIMIT_INVITE in text and LIMIT_OPEN not in text


# Participants see the count before they hand in ---------------------------------------------------------


def test_participants_see_how_many_are_in_the_cohort_before_handing_in(
    world: World, submitted: Callable[..., Check]
) -> None:
    newcomer = make_user("newcomer", "新人 六子", furigana="シンジン ロクコ")
    participant, _ = services.join(cohort=world.cohort, user=newcomer)
    client = Client()
    client.force_login(newcomer)

    check = submitted(newcomer)  # not handed in yet

    before = client.get(reverse("cohorts:detail", args=[world.cohort.public_id])).content.decode()
    services.hand_in(participant=participant, phase=Phase.PRE, check_public_id=str(check.public_id))
    after = client.get(reverse("cohorts:detail", args=[world.cohort.public_id])).content.decode()
    joining = world.client("org_supporter").get(reverse("cohorts:join", args=[world.code])).content.decode()

    assert "この研修の参加者は、いま 2人です（事前チェックの提出 1人、事後チェックの提出 0人）。" in before
    assert before.index("この研修の参加者は") < before.index(
        "として提出する</button>"
    )  # above the hand-in form
    assert "この研修の参加者は、いま 2人です（事前チェックの提出 2人、事後チェックの提出 0人）。" in after
    assert "この研修の参加者は、いま 2人です" in joining
    assert "研修 一子" not in before  # counts, never who
