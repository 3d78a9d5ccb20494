"""Who may open the dashboard: the organisation's 管理者 and 職員. 404 for anyone signed in who is not
in the organisation (another organisation's staff, a team lead who is not staff, the site's
administrator); 403 for a supporter of the organisation (who knows it exists: the access table says so
for every staff page); the login page for someone signed out. Written out by hand, not computed from
the access table."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import AuditEntry, User
from tests.caching import get_and_head
from tests.dashboard.conftest import Dash

EXPECTED = {
    "org_administrator": 200,
    "plain_staff": 200,
    "supporter": 403,  # a member of the organisation, without the right
    "other_org_staff": 404,
    "team_lead_not_staff": 404,
    "site_administrator": 404,
    "anonymous": 302,
}


def viewer(dash: Dash, persona: str) -> User | None:
    people = dash.world.people
    return {
        "org_administrator": people["staff"],
        "plain_staff": dash.plain_staff,
        "supporter": people["candidate"],
        "other_org_staff": people["other_staff"],
        "team_lead_not_staff": people["lead"],
        "site_administrator": User.objects.create_superuser(
            username="root", password="pass-word-1234", display_name="管理 一郎"
        )
        if persona == "site_administrator"
        else None,
        "anonymous": None,
    }[persona]


@pytest.mark.parametrize("persona", EXPECTED)
def test_access(dash: Dash, persona: str) -> None:
    client = Client()
    user = viewer(dash, persona)
    if user is not None:
        client.force_login(user)
    path = reverse("dashboard:page", args=[dash.org.public_id])
    response = get_and_head(client, path)
    assert response.status_code == EXPECTED[persona]
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.DASHBOARD)
    assert entries.count() == (2 if EXPECTED[persona] == 200 else 0)  # GET and HEAD, each recorded


def test_other_organisation_and_malformed_ids_are_404(dash: Dash) -> None:
    client = Client()
    client.force_login(dash.world.people["staff"])
    assert client.get(reverse("dashboard:page", args=[dash.world.other_org.public_id])).status_code == 404
    assert client.get(reverse("dashboard:page", args=["not-a-uuid"])).status_code == 404


def test_the_organisation_page_links_it_for_staff_only(dash: Dash) -> None:
    path = reverse("orgs:detail", args=[dash.org.public_id])
    link = reverse("dashboard:page", args=[dash.org.public_id])
    staff, supporter = Client(), Client()
    staff.force_login(dash.plain_staff)
    supporter.force_login(dash.world.people["candidate"])
    assert link in staff.get(path).content.decode()
    assert link not in supporter.get(path).content.decode()
