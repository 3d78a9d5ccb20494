"""Queries: asking for a plan reads the whole pool in a fixed number of queries, and a plan's page reads
only the people it names, whatever the pool's size, the number of 市町村 or of existing teams."""

from __future__ import annotations

import pytest
from django.db import reset_queries
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from bansou.placements.models import PlacementPlan
from bansou.teams.models import Team, TeamMember
from tests.placements.conftest import FY, World, ask, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db

# Measured when written. Asking: the viewer and the organisation (3), the 市町村 typed (1), their teams
# (1), the framework (1), the pool (12, its open offers included), the plan and its people in a
# savepoint (4), the audit line (1).
ASK_BUDGET = 23
# A plan's page: the viewer and the organisation, the plan, the previous 年度's, the pool of the people it
# names (12), the 市町村, the teams, the names of their members outside the pool, the framework, the
# changes it proposed.
PAGE_BUDGET = 22


def measure(world: World, limit: DjangoAssertNumQueries, places: int) -> tuple[int, int]:
    client = world.client("staff")
    codes = "\n".join(m.lgcode for m in world.places[:places])
    url = reverse("placements:new", args=[world.org.public_id])
    client.post(url, ask(world, municipalities=codes))  # warm: the framework and the session are read once
    PlacementPlan.objects.all().delete()
    reset_queries()  # the log holds at most 9,000 queries: making the pool filled it
    with limit(ASK_BUDGET) as asked:
        response = client.post(url, ask(world, municipalities=codes))
    assert response.status_code == 302
    detail = response["Location"]
    client.get(detail)
    reset_queries()
    with limit(PAGE_BUDGET) as read:
        assert client.get(detail).status_code == 200
    return len(asked.captured_queries), len(read.captured_queries)


def test_asking_and_reading_cost_the_same_for_more_people_and_more_places(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    small = measure(world, django_assert_max_num_queries, 2)
    for place in world.places[2:4]:  # more existing teams too, each with a member
        team = Team.objects.create(municipality=place, fiscal_year=FY, organisation=world.org)
        TeamMember.objects.create(team=team, user=world.pool[len(world.pool) - 1], is_lead=True)
    more_places = measure(world, django_assert_max_num_queries, 5)
    world.grow(20)
    more_people = measure(world, django_assert_max_num_queries, 5)
    assert small == more_places == more_people, (small, more_places, more_people)
