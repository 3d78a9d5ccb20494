"""Signed-in sessions idle out (sooner for organisation staff and administrators) and end some hours
after the login, however busy; the login page says why (issue 15, item 2)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse

from bansou.accounts.context_processors import owner_tag
from bansou.accounts.models import User
from bansou.accounts.session_limits import LAST_SEEN, STARTED
from bansou.checks.models import Draft
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MINUTE, HOUR = 60, 60 * 60
IDLE = "しばらく操作がなかったため、安全のためにログアウトしました。"
ABSOLUTE = "ログインしてから長い時間がたったため、安全のためにログアウトしました。"
PRIVATE = "/accounts/profile/"


def signed_in(user: User, *, idle: int = 0, since_login: int = 0) -> Client:
    """A client of ``user`` whose last request was ``idle`` seconds ago, its login ``since_login`` ago."""
    client = Client()
    client.force_login(user)
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[STARTED] = now - max(idle, since_login)
    session.save()
    return client


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_the_defaults() -> None:
    from django.conf import settings

    assert settings.SESSION_IDLE_SECONDS_STAFF == 30 * MINUTE
    assert settings.SESSION_IDLE_SECONDS == 8 * HOUR
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * HOUR


def test_a_supporter_stays_signed_in_for_hours_of_quiet(owner: User) -> None:
    client = signed_in(owner, idle=7 * HOUR)

    assert client.get(PRIVATE).status_code == 200
    assert is_signed_in(client)
    assert int(client.session[LAST_SEEN]) >= int(time.time()) - 5  # the request counted as activity


def test_a_supporter_idles_out_and_the_login_page_says_why_once(owner: User) -> None:
    client = signed_in(owner, idle=8 * HOUR + MINUTE)

    response = client.get(PRIVATE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PRIVATE}"
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert IDLE in page and "もう一度ログインしてください" in page
    assert "この端末に残っていた送信前の回答は" in page
    assert IDLE not in client.get(reverse("accounts:login")).content.decode()  # told once


def test_a_public_page_after_idling_out_also_leads_to_the_login_page(owner: User) -> None:
    client = signed_in(owner, idle=9 * HOUR)

    assert client.get("/elements/")["Location"] == f"{reverse('accounts:login')}?next=/elements/"


def test_organisation_staff_idle_out_after_thirty_minutes(owner: User, municipalities: object) -> None:
    from bansou.orgs.services import create_organisation

    staff = make_user("staff", "県庁 四郎")
    create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")

    assert signed_in(owner, idle=31 * MINUTE).get(PRIVATE).status_code == 200  # a supporter
    assert signed_in(staff, idle=29 * MINUTE).get(PRIVATE).status_code == 200
    assert signed_in(staff, idle=31 * MINUTE).get(PRIVATE).status_code == 302


def test_administrators_idle_out_after_thirty_minutes(administrator: User) -> None:
    assert signed_in(administrator, idle=29 * MINUTE).get(PRIVATE).status_code == 200
    client = signed_in(administrator, idle=31 * MINUTE)
    assert client.get("/admin/").status_code == 302
    assert not is_signed_in(client)


def test_however_busy_a_session_ends_after_the_absolute_limit(owner: User) -> None:
    assert signed_in(owner, since_login=11 * HOUR).get(PRIVATE).status_code == 200
    client = signed_in(owner, since_login=12 * HOUR + MINUTE)

    response = client.get(PRIVATE, follow=True)

    assert ABSOLUTE in response.content.decode()
    assert not is_signed_in(client)


@override_settings(SESSION_IDLE_SECONDS=10 * MINUTE, SESSION_IDLE_SECONDS_STAFF=5 * MINUTE)
def test_the_limits_are_settings(owner: User) -> None:
    assert signed_in(owner, idle=9 * MINUTE).get(PRIVATE).status_code == 200
    assert signed_in(owner, idle=11 * MINUTE).get(PRIVATE).status_code == 302


def test_logging_in_starts_the_clocks_and_bounds_the_cookie(owner: User) -> None:
    client = Client()
    client.post(reverse("accounts:login"), {"username": "owner", "password": "pass-word-1234"})

    assert abs(int(client.session[STARTED]) - time.time()) < 5
    assert client.session.get_expiry_age() == 12 * HOUR


def test_an_autosave_after_idling_out_is_told_to_log_in_not_redirected(
    owner: User, owner_draft: Draft
) -> None:
    client = signed_in(owner, idle=9 * HOUR)
    url = reverse("checks:autosave", args=[owner_draft.public_id])

    response = client.post(url, b'{"edits": []}', content_type="application/json")

    assert response.status_code == 403 and response.json()["error"] == "login"
    assert not is_signed_in(client)
    assert IDLE in client.get(reverse("accounts:login")).content.decode()


def test_pages_say_whose_kept_answers_they_belong_to(owner: User, outsider: User) -> None:
    """An opaque tag per person (not their id or login ID), none without a session (site.js then
    forgets every answer kept in the browser)."""
    tags = []
    for user in (owner, outsider):
        client = Client()
        client.force_login(user)
        response = client.get(PRIVATE)
        tag = owner_tag(response.wsgi_request)
        assert f'data-kept-answers-owner="{tag}"' in response.content.decode()
        tags.append(tag)

    assert tags[0] != tags[1] and "" not in tags
    assert not {str(owner.pk), "owner"} & set(tags)
    assert 'data-kept-answers-owner=""' in Client().get(reverse("accounts:login")).content.decode()


def test_a_signed_in_page_knows_when_to_load_itself_again(owner: User, administrator: User) -> None:
    """The person's idle limit, set at the login (bansou/web/static/bansou/site.js reloads the page
    after it, so that an ended session's page gives way to the login page)."""
    for user, seconds in ((owner, 8 * HOUR), (administrator, 30 * MINUTE)):
        client = Client()
        client.post(reverse("accounts:login"), {"username": user.username, "password": "pass-word-1234"})
        assert f'data-session-idle-seconds="{seconds}"' in client.get(PRIVATE).content.decode()

    assert "data-session-idle-seconds" not in Client().get(reverse("accounts:login")).content.decode()
