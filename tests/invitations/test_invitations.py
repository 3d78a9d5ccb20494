"""The one invitation model: codes shown once and stored as digests, expiry, revocation, uses,
approval, and the pages that show a new code once."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.invitations import services
from bansou.invitations.codes import format_code
from bansou.invitations.models import Invitation, Kind, Redemption
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_code_is_not_stored_only_its_digest_and_last_four_characters() -> None:
    issued = services.issue(kind=Kind.TEAM, target_id=7)
    row = Invitation.objects.get(pk=issued.pk)
    assert row.digest == services.digest_of(issued.code) and row.hint == issued.code[-4:]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM invitations_invitation")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert issued.code not in stored


def test_a_code_is_found_however_it_is_typed_and_only_as_its_kind() -> None:
    issued = services.issue(kind=Kind.ORGANISATION, target_id=3, role="staff")
    typed = format_code(issued.code).lower().replace("-", " ")
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in issued.code)  # full-width
    for code in (issued.code, typed, wide):
        assert services.find_usable(code, Kind.ORGANISATION) == issued.invitation
    assert services.find_usable(issued.code, Kind.TEAM) is None
    assert services.find_usable("ABCDEFGHJKMN") is None


def test_expired_revoked_and_used_up_invitations_are_not_usable() -> None:
    expired = services.issue(kind=Kind.TEAM, target_id=1, lifetime=datetime.timedelta(seconds=-1))
    revoked = services.issue(kind=Kind.TEAM, target_id=1)
    services.revoke(kind=Kind.TEAM, target_id=1, invitation_id=revoked.pk)
    single = services.issue(kind=Kind.SIGNUP, max_uses=1, grants_signup=True, lifetime=None)
    services.redeem(single.invitation, make_user("first", "一人目").pk)
    for issued in (expired, revoked, single):
        assert services.find_usable(issued.code) is None
        assert services.find(issued.code) == issued.invitation  # still there, for the record
    assert services.active(Kind.TEAM, 1) == []


def test_a_single_use_code_is_used_once_and_a_second_person_is_refused() -> None:
    issued = services.issue(kind=Kind.SIGNUP, max_uses=1, grants_signup=True, lifetime=None)
    first, second = make_user("first", "一人目"), make_user("second", "二人目")
    services.redeem(issued.invitation, first.pk)
    services.redeem(issued.invitation, first.pk)  # the same person again: counted once
    with pytest.raises(services.UsedUp):
        services.redeem(issued.invitation, second.pk)
    issued.invitation.refresh_from_db()
    assert issued.invitation.uses == 1
    assert list(Redemption.objects.values_list("user_id", flat=True)) == [first.pk]


def test_a_use_counted_after_the_invitation_was_revoked_elsewhere_is_refused() -> None:
    issued = services.issue(kind=Kind.TEAM, target_id=5)
    Invitation.objects.filter(pk=issued.pk).update(revoked_at=timezone.now())  # another tab, a moment ago
    with pytest.raises(services.UsedUp):
        services.redeem(issued.invitation, make_user("late", "遅い 人").pk)  # the stale object says usable


def test_an_invitation_that_needs_approval_waits_for_the_issuer() -> None:
    issued = services.issue(kind=Kind.TEAM, target_id=9, approval_required=True)
    waiting = services.redeem(issued.invitation, make_user("asker", "参加 希望").pk)
    assert waiting.approved_at is None
    services.approve(waiting)
    waiting.refresh_from_db()
    assert waiting.approved_at is not None


def test_a_new_team_invitation_is_shown_once_on_the_members_page(
    client: Client, municipalities: object
) -> None:
    from bansou.places.models import Municipality
    from bansou.teams import services as teams

    lead = make_user("lead", "リーダー 一郎")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    client.force_login(lead)
    members = reverse("teams:members", args=[team.public_id])
    first = client.post(reverse("teams:invite", args=[team.public_id]), follow=True).content.decode()
    invitation = Invitation.objects.get(kind=Kind.TEAM, target_id=team.pk)
    shown = first.split('<code class="invite-code">')[1:]
    assert len(shown) == 1
    code = shown[0].split("</code>")[0]
    assert services.find_usable(code, Kind.TEAM) == invitation
    assert reverse("teams:join", args=[code.replace("-", "")]) in first
    again = client.get(members).content.decode()
    assert code not in again and code.replace("-", "") not in again
    assert f"末尾 {invitation.hint}" in again
