"""Who may register an organisation (and so become its 管理者, who can issue invitations that make
accounts): anyone signed in, or with BANSOU_ORG_REGISTRATION=admins only the site's administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REFUSED = "この環境では、組織を登録できるのはシステムの管理者だけです。"
LINK = "組織を登録する</a>"

# viewer → (GET status, POST status, registered) when anyone may, and when only administrators may.
TABLE = {
    "anyone": {
        "superuser": (200, 302, True),
        "org_admin": (200, 302, True),
        "plain": (200, 302, True),
        "anonymous": (302, 302, False),  # to the login page
    },
    "admins": {
        "superuser": (200, 302, True),
        "org_admin": (403, 403, False),
        "plain": (403, 403, False),
        "anonymous": (302, 302, False),
    },
}


def viewer(persona: str) -> Client:
    client = Client()
    if persona == "superuser":
        client.force_login(
            User.objects.create_superuser(
                username="root", password="pass-word-1234", display_name="管理 一郎"
            )
        )
    elif persona == "org_admin":
        user = make_user("orgadmin", "組織 管理子")
        create_organisation(user=user, name="既存の組織", kind="prefecture", prefecture_id=None)
        client.force_login(user)
    elif persona == "plain":
        client.force_login(make_user("plain", "一般 太郎"))
    return client


@pytest.mark.parametrize(
    ("setting", "persona"), [(s, p) for s, row in TABLE.items() for p in row], ids=lambda v: str(v)
)
def test_registering_an_organisation(settings: Settings, setting: str, persona: str) -> None:
    settings.ORG_REGISTRATION = setting
    get_status, post_status, registered = TABLE[setting][persona]
    client = viewer(persona)

    page = client.get(reverse("orgs:create"))
    posted = client.post(reverse("orgs:create"), {"name": "新しい組織", "kind": "prefecture"})

    assert (page.status_code, posted.status_code) == (get_status, post_status)
    assert Organisation.objects.filter(name="新しい組織").exists() == registered
    if get_status == 403:
        assert REFUSED in page.content.decode() and REFUSED in posted.content.decode()
    if registered:
        assert Membership.objects.get(organisation__name="新しい組織").role == Membership.Role.ADMIN


@pytest.mark.parametrize(
    ("setting", "persona", "offered"),
    [
        ("anyone", "plain", True),
        ("anyone", "superuser", True),
        ("admins", "plain", False),
        ("admins", "org_admin", False),
        ("admins", "superuser", True),
    ],
)
def test_the_link_is_offered_only_to_those_who_may(
    settings: Settings, setting: str, persona: str, offered: bool
) -> None:
    settings.ORG_REGISTRATION = setting
    html = viewer(persona).get(reverse("orgs:list")).content.decode()

    assert (LINK in html) == offered
    assert (REFUSED in html) == (not offered)
