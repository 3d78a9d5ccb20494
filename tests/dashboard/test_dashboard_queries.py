"""The dashboard's queries do not grow with the number of teams, their members or the pool."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bansou.checks.models import Check
from bansou.places.models import Municipality
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience
from bansou.teams.models import Team, TeamMember
from tests.conftest import make_user
from tests.dashboard.conftest import Dash, pool_people
from tests.teams.conftest import THIS_YEAR

BUDGET = 28  # 28 today: session, access, teams and standings (6), 市町村, disclosure, load (2), audit


def more_teams(dash: Dash, submitted: Callable[..., Check], n: int, start: int) -> None:
    """``n`` teams of this 年度 and the one before, each with two members sharing (one consenting)."""
    places = Municipality.objects.filter(prefecture_id="13").exclude(kind="ward").order_by("lgcode")
    for i, place in enumerate(places[start : start + n]):
        team = Team.objects.create(
            municipality=place, fiscal_year=THIS_YEAR - i % 2, organisation=dash.org, name=f"第{i}班"
        )
        for j, roles in enumerate((["core_promoter"], ["advisor"])):
            user = make_user(f"t{start}-{i}-{j}", f"班員 {i}-{j}")
            submitted(user)
            TeamMember.objects.create(team=team, user=user, roles=roles, is_lead=j == 0)
            sharing_services.share(
                user=user, audience=Audience.team(team.pk), choice=LATEST, verdicts_to_staff=j == 0
            )


def queries_of(dash: Dash) -> int:
    client = Client()
    client.force_login(dash.plain_staff)
    path = reverse("dashboard:page", args=[dash.org.public_id])
    client.get(path)  # the disclosure service's memory of its history, as on a running server
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_teams_and_pool(dash: Dash, submitted: Callable[..., Check]) -> None:
    more_teams(dash, submitted, 3, start=10)
    pool_people(dash.world, submitted, 5, prefix="a")
    few = queries_of(dash)
    more_teams(dash, submitted, 9, start=20)
    pool_people(dash.world, submitted, 10, prefix="b")
    many = queries_of(dash)
    assert Team.objects.filter(organisation=dash.org).count() == 3 + 3 + 9
    assert few == many, (few, many)
    assert many <= BUDGET
