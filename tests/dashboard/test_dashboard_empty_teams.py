"""A team with nobody in it yet (made by an accepted 配置計画, its people still asked) meets nothing and
fails nothing: the dashboard leaves it out of the verdict counts, says how many such teams there are, and
lists it without verdicts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bansou.dashboard.presenters import OUTCOMES
from bansou.places.models import Municipality
from bansou.teams import offers
from tests.dashboard.conftest import Dash
from tests.teams.conftest import THIS_YEAR

pytestmark = pytest.mark.django_db


def page(dash: Dash, **query: Any) -> Any:
    client = Client()
    client.force_login(dash.plain_staff)
    response = client.get(reverse("dashboard:page", args=[dash.org.public_id]), query)
    assert response.status_code == 200
    return response


def counted(response: Any) -> dict[str, int]:
    """Per rule, how many teams of this 年度 the table counts in any outcome."""
    width = len(OUTCOMES)
    return {
        row["head"].key: sum(c["n"] for c in row["cells"][:width]) for row in response.context["verdict_rows"]
    }


def test_a_team_without_members_is_not_counted_and_is_said(dash: Dash) -> None:
    before = counted(page(dash))
    offers.create_offered_team(
        organisation=dash.org,
        municipality=Municipality.objects.get(lgcode="131059"),
        fiscal_year=THIS_YEAR,
        name="",
        needed=1,
        by=dash.plain_staff,
        people=[(dash.world.people["lead"].pk, True)],
        reason=offers.Reason.PLACEMENT,
    )
    response = page(dash)
    assert counted(response) == before  # A is not "met" by an empty team, nor B and C "failed"
    text = response.content.decode()
    assert "まだメンバーのいないチーム" in text and "1チーム" in text
    listed = page(dash, list=THIS_YEAR).context["team_list"]["rows"]
    empty = [r for r in listed if r["team"].municipality_id == "131059"]
    assert empty and set(empty[0]["cells"]) == {"—"}
