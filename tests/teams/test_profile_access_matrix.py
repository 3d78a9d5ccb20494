"""Who reads a pool member's supporter profile: a table of viewer × HTTP status, written out by hand.

The profile is the person's own (``profiles:edit``: anyone signed in edits their own, nobody else's).
The organisation's staff read it (``teams:pool_person``) only while the person is in its pool; after
the person leaves the pool the page does not exist for them (404), as for anyone with no part in the
organisation (another organisation's staff, a team's lead or member, the person themself if they were
not in it). A supporter of the organisation, the person themself included, knows the organisation but
is not staff: 403. Anonymous → 302 to the login page.

The personas are those of ``tests/teams/conftest.py``: candidate is the supporter in the pool of the
organisation (``org``), staff administers it, other_staff administers another organisation, lead and
member are in a team the organisation runs (not members of the organisation).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.orgs.models import Membership
from bansou.profiles import services as profiles
from bansou.sharing import services as sharing_services
from tests.caching import get_and_head
from tests.teams.conftest import World

MISSING_ID = "6f1c2a4e-0000-4000-8000-000000000000"

# viewer: (own profile page, the candidate's profile while in the pool, after leaving the pool)
MATRIX: dict[str, tuple[int, int, int]] = {
    "candidate": (200, 403, 403),  # the supporter themself: their own page; the staff's page is not theirs
    "staff": (200, 200, 404),  # staff of the organisation: while in the pool, then nothing
    "other_staff": (200, 404, 404),  # staff of another organisation
    "lead": (200, 404, 404),  # a team lead (of a team the organisation runs)
    "member": (200, 404, 404),  # a team member
    "other_team_member": (200, 404, 404),  # in another organisation's team
    "anonymous": (302, 302, 302),
}


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def filled(world: World) -> World:
    candidate = world.people["candidate"]
    profiles.save_profile(
        user_id=candidate.pk,
        prefectures=[],
        professions=["public_health_nurse"],
        profession_note="地域ケア会議の進行",
        core_role=True,
        capacity=2,
    )
    return world


def profile_url(world: World, membership: Membership | None = None, org: str = "") -> str:
    membership = membership or Membership.objects.get(organisation=world.org, user=world.people["candidate"])
    return reverse("teams:pool_person", args=[org or str(world.org.public_id), membership.pk])


def status(client: Client, url: str) -> int:
    response = get_and_head(client, url)  # kept by no cache; HEAD answers as GET does
    if response.status_code == 302:
        assert urlsplit(response["Location"]).path == reverse("accounts:login")
    return int(response.status_code)


@pytest.mark.parametrize("viewer", list(MATRIX))
def test_who_reads_the_profile_while_in_the_pool_and_after(filled: World, viewer: str) -> None:
    own, in_pool, left = MATRIX[viewer]
    client = filled.client(viewer)
    url = profile_url(filled)

    assert status(client, reverse("profiles:edit")) == own
    assert status(client, url) == in_pool
    if in_pool == 200:
        assert "地域ケア会議の進行" in client.get(url).content.decode()

    membership = Membership.objects.get(organisation=filled.org, user=filled.people["candidate"])
    sharing_services.leave_pool(user_id=membership.user_id, organisation_id=membership.organisation_id)

    assert status(client, url) == left


def test_a_profile_page_another_organisation_must_not_know_is_404_in_every_spelling(filled: World) -> None:
    staff, other = filled.client("staff"), filled.client("other_staff")
    candidate = Membership.objects.get(organisation=filled.org, user=filled.people["candidate"])
    other_admin = Membership.objects.get(organisation=filled.other_org)
    assert status(other, profile_url(filled, candidate, org=str(filled.other_org.public_id))) == 404
    assert status(staff, profile_url(filled, other_admin)) == 404  # not of this organisation
    assert status(staff, profile_url(filled, org=MISSING_ID)) == 404
    assert status(staff, profile_url(filled, org="not-a-uuid")) == 404
    staff_row = Membership.objects.get(organisation=filled.org, user=filled.people["staff"])
    assert status(staff, profile_url(filled, staff_row)) == 404  # a member not in the pool


def test_the_pool_search_shows_the_profile_to_staff_only_while_in_the_pool(filled: World) -> None:
    client = filled.client("staff")
    url = reverse("teams:org_pool", args=[filled.org.public_id])
    html = client.get(url, {"elements": [4]}).content.decode()
    assert "地域ケア会議の進行" in html
    assert "中核推進役・調整役" in html
    assert profile_url(filled) in html

    membership = Membership.objects.get(organisation=filled.org, user=filled.people["candidate"])
    sharing_services.leave_pool(user_id=membership.user_id, organisation_id=membership.organisation_id)
    html = client.get(url, {"elements": [4]}).content.decode()
    assert "地域ケア会議の進行" not in html
    assert "0人 見つかりました" in html


def test_staff_read_this_years_load_even_before_the_profile_is_filled(world: World) -> None:
    html = world.client("staff").get(profile_url(world)).content.decode()
    assert "プロフィール未入力" in html
    assert "は0チームに参加" in html
