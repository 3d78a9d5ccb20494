"""A plan asked for, and the plan's table downloaded (it names people), go in the audit log; a request
refused (not staff, another organisation, not signed in) or a plan refused for its input writes
nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.accounts.models import AuditEntry
from bansou.domain.fiscal_year import format_fiscal_year
from tests.placements.conftest import FY, World, ask, planned, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db


def test_a_plan_asked_for_and_its_table_downloaded_are_written(world: World) -> None:
    plan = planned(world)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.kind, entry.subject) == (world.staff, AuditEntry.Kind.PLACEMENT, None)
    assert entry.target == f"東京都 福祉局／{format_fiscal_year(FY)}／5市町村"
    args = [world.org.public_id, plan.public_id]
    world.client("staff").get(reverse("placements:gaps_csv", args=args))  # no names: not written
    assert AuditEntry.objects.count() == 1
    world.client("staff").get(reverse("placements:plan_csv", args=args))
    assert AuditEntry.objects.count() == 2


@pytest.mark.parametrize("persona", ["other_staff", "supporter", "lead", "anonymous"])
def test_a_refused_request_writes_nothing(world: World, persona: str) -> None:
    response = world.client(persona).post(reverse("placements:new", args=[world.org.public_id]), ask(world))
    assert response.status_code in (302, 403, 404)
    assert not AuditEntry.objects.exists()


def test_a_plan_refused_for_its_input_writes_nothing(world: World) -> None:
    response = world.client("staff").post(
        reverse("placements:new", args=[world.org.public_id]), ask(world, size_max=8, core_min=7, core_max=7)
    )
    assert response.status_code == 200
    assert not AuditEntry.objects.exists()
