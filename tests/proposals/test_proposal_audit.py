"""A team proposal asked for by staff goes in the audit log; a request refused (not staff, another
organisation) or a proposal refused for its input writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.accounts.models import AuditEntry
from bansou.domain.fiscal_year import format_fiscal_year
from tests.proposals.test_proposal_pages import FY, World, ask, build, proposed, unavailable, world

__all__ = ["build", "world"]  # fixtures

pytestmark = pytest.mark.django_db


def test_a_proposal_asked_for_is_written(world: World) -> None:
    proposed(world)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.kind, entry.subject) == (world.staff, AuditEntry.Kind.PROPOSAL, None)
    assert entry.target == f"東京都 福祉局／東京都 千代田区／{format_fiscal_year(FY)}"


@pytest.mark.parametrize("persona", ["other_staff", "supporter", "lead", "anonymous"])
def test_a_refused_request_writes_nothing(world: World, persona: str) -> None:
    response = world.client(persona).post(reverse("proposals:new", args=[world.org.public_id]), ask(world))
    assert response.status_code in (302, 403, 404)
    assert not AuditEntry.objects.exists()


def test_a_proposal_refused_for_its_input_writes_nothing(world: World) -> None:
    response = world.client("staff").post(
        reverse("proposals:new", args=[world.org.public_id]), unavailable(world)
    )
    assert response.status_code == 200
    assert not AuditEntry.objects.exists()
