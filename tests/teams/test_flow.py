"""The team pages end to end through the Django test client (the browser test does it in Chromium)."""

from __future__ import annotations

from django.urls import reverse

from bansou.teams.models import AccessLog
from tests.teams.conftest import World


def test_the_map_shows_the_c_gap_in_words(world: World) -> None:
    page = world.client("member").get(reverse("teams:detail", args=[world.team.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "チーム全体で「データ活用力」を実践できているメンバーがいません" in text
    assert "チームマップ" in text


def test_staff_see_the_gap_and_a_pool_candidate_but_not_the_map(world: World) -> None:
    client = world.client("staff")
    page = client.get(reverse("teams:detail", args=[world.team.public_id]))
    text = page.content.decode()
    assert "チーム全体で「データ活用力」を実践できているメンバーがいません" in text
    assert "チームマップ" not in text
    pool = client.get(reverse("teams:pool", args=[world.team.public_id]), {"elements": [4]})
    assert pool.status_code == 200
    assert "補完 六子" in pool.content.decode()
    assert "伴走 花子" not in pool.content.decode()


def test_a_lead_reading_answers_is_logged_for_the_owner(world: World) -> None:
    url = reverse("teams:member_answers", args=[world.team.public_id, world.members["owner"].pk])
    assert world.client("lead").get(url).status_code == 200
    assert AccessLog.objects.filter(subject=world.people["owner"], viewer=world.people["lead"]).count() == 1
    log = world.client("owner").get(reverse("teams:my_sharing")).content.decode()
    assert "中核 一郎" in log
