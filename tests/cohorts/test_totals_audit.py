"""A 研修's totals downloaded (xlsx, CSV, PDF) by its organiser go in the audit log; the page and
the projector, and every refused request, write nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.accounts.models import AuditEntry
from tests.cohorts.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "form"), [("results_xlsx", "xlsx"), ("results_csv", "CSV"), ("results_pdf", "PDF")]
)
def test_a_totals_download_is_written(world: World, name: str, form: str) -> None:
    response = world.client("organiser").get(reverse(f"cohorts:{name}", args=[world.cohort.public_id]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.kind, entry.subject) == (
        world.people["organiser"],
        AuditEntry.Kind.COHORT_TOTALS,
        None,
    )
    assert entry.target == f"地域づくり伴走支援研修／集計（{form}）"


@pytest.mark.parametrize("persona", ["participant", "org_supporter", "other_staff", "organiser"])
def test_nothing_else_is_written(world: World, persona: str) -> None:
    client = world.client(persona)
    for name in ("results", "projector", "results_xlsx", "results_csv"):
        url = reverse(f"cohorts:{name}", args=[world.cohort.public_id])
        if persona == "organiser" and name in ("results", "projector"):
            assert client.get(url).status_code == 200
        elif persona != "organiser":
            assert client.get(url).status_code in (403, 404)
    assert not AuditEntry.objects.exists()
