"""The exact plan is worked out in a web request only up to a stated number of (person, 市町村) pairs:
above it, the page says so and keeps the quick plan, and asking for the exact one changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.placements import models
from tests.placements.conftest import World, planned, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db


def test_a_plan_with_too_many_pairs_keeps_the_quick_plan_and_says_why(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = planned(world)
    assert plan.candidates is not None and plan.candidates > 0
    assert not plan.exact_too_large
    monkeypatch.setattr(models, "EXACT_LIMIT", plan.candidates - 1)
    assert plan.exact_too_large
    client = world.client("staff")
    args = [world.org.public_id, plan.public_id]
    page = client.get(reverse("placements:detail", args=args)).content.decode()
    assert f"{plan.candidates} 通りあり" in page and "厳密な計画は計算しません" in page
    assert "proposals/exact.js" not in page and "厳密な計画を計算する" not in page
    assert client.post(reverse("placements:exact", args=args)).status_code == 302
    plan.refresh_from_db()
    assert plan.exact is None and plan.exact_at is None
