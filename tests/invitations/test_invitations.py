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
from tests.conftest import make_user, sign_in_verified

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


def test_a_code_used_up_by_a_person_still_leads_that_person_on_until_revoked_or_expired() -> None:
    """Signing up with a one-person team invitation uses it; its owner may still join with it."""
    issued = services.issue(kind=Kind.TEAM, target_id=5, max_uses=1, grants_signup=True)
    first, second = make_user("first", "一人目"), make_user("second", "二人目")
    services.redeem(issued.invitation, first.pk)

    assert services.find_usable(issued.code, by_id=first.pk) == issued.invitation
    assert services.find_usable(issued.code, by_id=second.pk) is None
    assert services.find_usable(issued.code) is None
    Invitation.objects.filter(pk=issued.pk).update(expires_at=timezone.now())
    assert services.find_usable(issued.code, by_id=first.pk) is None
    Invitation.objects.filter(pk=issued.pk).update(expires_at=None, revoked_at=timezone.now())
    assert services.find_usable(issued.code, by_id=first.pk) is None


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


def test_the_digest_is_keyed_with_the_secret_and_a_rotated_key_still_finds_a_code(settings: object) -> None:
    issued = services.issue(kind=Kind.TEAM, target_id=4)
    assert services.digest_of(issued.code) != services.digest_of(issued.code, secret="another key")
    old_key = settings.SECRET_KEY  # type: ignore[attr-defined]
    settings.SECRET_KEY = "a new key, the old one kept as a fallback"  # type: ignore[attr-defined]
    settings.SECRET_KEY_FALLBACKS = [old_key]  # type: ignore[attr-defined]
    assert services.find_usable(issued.code) == issued.invitation
    settings.SECRET_KEY_FALLBACKS = []  # type: ignore[attr-defined]
    assert services.find_usable(issued.code) is None


def test_joining_by_an_invitation_that_needs_approval_waits_and_joins_nothing(municipalities: object) -> None:
    from bansou.places.models import Municipality
    from bansou.teams import services as teams
    from bansou.teams.models import TeamMember

    lead, asker = make_user("lead", "リーダー 一郎"), make_user("asker", "参加 希望")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    issued = services.issue(kind=Kind.TEAM, target_id=team.pk, by_id=lead.pk, approval_required=True)
    with pytest.raises(services.AwaitingApproval):
        teams.join(invitation=issued.invitation, user=asker, roles=["advisor"], affiliation=None)
    assert not TeamMember.objects.filter(team=team, user=asker).exists()
    assert Redemption.objects.get(invitation=issued.invitation, user=asker).approved_at is None


def test_a_revoked_invitation_met_while_joining_says_so_instead_of_failing(
    client: Client, municipalities: object
) -> None:
    from bansou.places.models import Municipality
    from bansou.teams import services as teams

    lead, person = make_user("lead", "リーダー 一郎"), make_user("person", "参加 する人")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    issued = teams.invite(team=team, by=lead)
    client.force_login(person)
    url = reverse("teams:join", args=[issued.code])
    assert client.get(url).status_code == 200  # the page that says what joining means
    real_find = services.find_usable

    def revoked_meanwhile(code: str, kind: Kind | None = None, by_id: int | None = None) -> Invitation | None:
        found = real_find(code, kind, by_id=by_id)
        Invitation.objects.filter(pk=issued.pk).update(revoked_at=timezone.now())  # another tab
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "find_usable", revoked_meanwhile)
        response = client.post(url, {"roles": ["advisor"]}, follow=True)
    assert response.status_code == 200
    assert "この招待は使えなくなりました" in response.content.decode()
    assert not team.members.filter(user=person).exists()


def test_joining_a_cohort_counts_as_a_use_of_its_code(client: Client) -> None:
    from django.conf import settings as django_settings

    from bansou.frameworks.services import load_bundled_frameworks
    from bansou.orgs.services import create_organisation
    from tests.cohorts.conftest import new_cohort_and_code

    load_bundled_frameworks(django_settings.FRAMEWORK_DATA_DIR)
    organiser, person = make_user("organiser", "県庁 主催"), make_user("person", "研修 一子")
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    cohort, code = new_cohort_and_code(org, organiser)
    client.force_login(person)
    client.post(reverse("cohorts:join", args=[code]))
    client.post(reverse("cohorts:join", args=[code]))  # a second click
    invitation = services.find(code)
    assert invitation is not None and invitation.uses == 1
    assert cohort.participants.filter(user=person).count() == 1


def test_invitations_go_with_what_they_invite_to(municipalities: object) -> None:
    from bansou.places.models import Municipality
    from bansou.teams import services as teams

    lead = make_user("lead", "リーダー 一郎")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    issued = teams.invite(team=team, by=lead)
    team.delete()
    assert services.find(issued.code) is None


def test_a_fresh_code_leaves_the_session_at_the_next_request(client: Client, municipalities: object) -> None:
    from bansou.places.models import Municipality
    from bansou.teams import services as teams

    lead = make_user("lead", "リーダー 一郎")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    client.force_login(lead)
    client.post(reverse("teams:invite", args=[team.public_id]))  # not followed: the issuer goes elsewhere
    assert "bansou_fresh_invitation" in client.session
    client.get(reverse("teams:list"))
    assert "bansou_fresh_invitation" not in client.session
    assert (
        '<code class="invite-code">'
        not in client.get(reverse("teams:members", args=[team.public_id])).content.decode()
    )


def test_an_organisations_new_invitation_is_shown_once(client: Client) -> None:
    from bansou.orgs.services import create_organisation

    admin = make_user("admin", "管理 一郎")
    org = create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    client.force_login(admin)
    first = client.post(reverse("orgs:invite", args=[org.public_id]), {"role": "staff"}, follow=True)
    code = first.content.decode().split('<code class="invite-code">')[1].split("</code>")[0]
    found = services.find_usable(code, Kind.ORGANISATION)
    assert found is not None and (found.target_id, found.role) == (org.pk, "staff")
    again = client.get(reverse("orgs:detail", args=[org.public_id])).content.decode()
    assert code not in again and f"末尾 {found.hint}" in again


def test_the_admin_makes_a_sign_up_code_and_shows_it_once(client: Client) -> None:
    from bansou.accounts.models import User

    sign_in_verified(client, User.objects.create_superuser("root", password="x" * 20, display_name="管理者"))
    response = client.post(reverse("admin:invitations_invitation_add"), {"note": "鈴木さんへ"}, follow=True)
    shown = [m.message for m in response.context["messages"]]
    code = next(m for m in map(str, shown) if "招待コード" in m).split("招待コード: ")[1].split(" ")[0]
    invitation = services.find_usable(code, Kind.SIGNUP)
    assert invitation is not None and invitation.grants_signup and invitation.max_uses == 1
    assert invitation.note == "鈴木さんへ"
    listing = client.get(reverse("admin:invitations_invitation_changelist")).content.decode()
    assert code not in listing and code.replace("-", "") not in listing


def test_only_a_superuser_makes_sign_up_codes_in_the_admin_site(client: Client) -> None:
    from django.contrib.auth.models import Permission

    staff = make_user("desk", "窓口 一郎", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_invitation"))
    sign_in_verified(client, staff)

    response = client.post(reverse("admin:invitations_invitation_add"), {"note": "架空の人へ"})

    assert response.status_code == 403
    assert not Invitation.objects.filter(grants_signup=True).exists()
