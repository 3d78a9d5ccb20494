"""Who may reach each address of 配置計画: a table of viewer × address. The organisation's staff and
administrators; 403 for a member of the organisation who is not staff; 404 for another organisation's
staff and for a team's lead outside the organisation; the login page for someone not signed in. A
change proposed to a team: its leads and the running organisation's staff (404 for the others)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from bansou.orgs.models import Membership
from bansou.placements.models import ChangeProposal
from bansou.teams.models import Team
from tests.placements.conftest import World, planned, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db

PAGES = ("new", "detail", "gaps_xlsx", "gaps_csv", "plan_xlsx", "plan_csv")
# viewer: (the plan pages and files above, the exact solve, accepting, the change's page, deciding it)
MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    "admin": (200, 302, 302, 200, 404),
    "staff": (200, 302, 302, 200, 404),
    "other_staff": (404, 404, 404, 404, 404),
    "supporter": (403, 403, 403, 404, 404),
    "lead": (404, 404, 404, 200, 302),  # leads the team the change is for; not in the organisation
    "member": (404, 404, 404, 404, 404),  # a member of that team, not its lead
    "anonymous": (302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("viewer", list(MATRIX))
def test_who_may_reach_each_address(world: World, viewer: str) -> None:
    plan = planned(world)
    first = world.client("admin").post(
        reverse("placements:accept", args=[world.org.public_id, plan.public_id]), follow=True
    )
    assert "計画を受け入れました。4チームを作り" in first.content.decode()
    change = ChangeProposal.objects.get()
    args = [world.org.public_id, plan.public_id]
    client = world.client(viewer)
    pages = {
        client.get(reverse(f"placements:{name}", args=args[:1] if name == "new" else args)).status_code
        for name in PAGES
    }
    got = (
        pages.pop() if len(pages) == 1 else pages,
        client.post(reverse("placements:exact", args=args)).status_code,
        client.post(reverse("placements:accept", args=args)).status_code,
        client.get(reverse("placements:change", args=[change.public_id])).status_code,
        client.post(reverse("placements:change", args=[change.public_id]), {"answer": "decline"}).status_code,
    )
    assert got == MATRIX[viewer]
    # the second accept did nothing more, whoever asked; staff are told so
    assert Team.objects.filter(organisation=world.org).count() == len(world.places)
    if viewer in {"admin", "staff"}:
        again = client.post(reverse("placements:accept", args=args), follow=True).content.decode()
        assert "この計画は、すでに受け入れています" in again
    change.refresh_from_db()
    assert change.status == ("declined" if viewer == "lead" else "open")
    if viewer == "anonymous":
        response = client.get(reverse("placements:detail", args=args))
        assert urlsplit(response["Location"]).path == reverse("accounts:login")


def test_a_plan_of_another_organisation_does_not_exist_for_its_staff(world: World) -> None:
    plan = planned(world)
    theirs = Membership.objects.get(user=world.other_staff).organisation
    response = world.client("other_staff").get(
        reverse("placements:detail", args=[theirs.public_id, plan.public_id])
    )
    assert response.status_code == 404
