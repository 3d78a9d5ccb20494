"""The audit log (``accounts.AuditEntry``) from the teams' pages: a pool search, a pool member's
profile opened, a team's papers downloaded by the organisation's staff. Written once per request
allowed, never for a request refused; the entries about a person are on their own sharing page, and
on nobody else's; the admin site lists them for superusers only, read only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import AuditEntry, User
from bansou.orgs.models import Membership
from tests.conftest import sign_in_verified
from tests.teams.conftest import THIS_YEAR, World

pytestmark = pytest.mark.django_db

Kind = AuditEntry.Kind


def _entries() -> list[tuple[str, str, int | None]]:
    return list(AuditEntry.objects.order_by("pk").values_list("actor_name", "kind", "subject_id"))


def _search(world: World) -> dict[str, object]:
    return {"elements": [4], "fiscal_year": THIS_YEAR}


def test_a_pool_search_by_staff_is_written_with_what_was_asked(world: World) -> None:
    response = world.client("staff").get(
        reverse("teams:org_pool", args=[world.org.public_id]), _search(world)
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.kind, entry.subject) == (world.people["staff"], Kind.POOL_SEARCH, None)
    assert entry.target.startswith("東京都 福祉局／") and "エレメント 4" in entry.target
    team_pool = reverse("teams:pool", args=[world.team.public_id])
    assert world.client("staff").get(team_pool, _search(world)).status_code == 200
    assert "東京都 千代田区" in AuditEntry.objects.latest("pk").target


def test_the_pool_page_without_a_search_writes_nothing(world: World) -> None:
    assert world.client("staff").get(reverse("teams:org_pool", args=[world.org.public_id])).status_code == 200
    assert _entries() == []


@pytest.mark.parametrize(
    ("persona", "status"), [("other_staff", 404), ("member", 404), ("candidate", 403), ("anonymous", 302)]
)
def test_a_refused_search_or_profile_writes_nothing(world: World, persona: str, status: int) -> None:
    """candidate: in the organisation, not its staff; member: in a team it runs, not in it."""
    client = world.client(persona)
    assert (
        client.get(reverse("teams:org_pool", args=[world.org.public_id]), _search(world)).status_code
        == status
    )
    assert client.get(_profile_url(world)).status_code == status
    assert client.get(reverse("teams:pool", args=[world.team.public_id]), _search(world)).status_code in (
        403,
        404,
        302,
    )
    assert _entries() == []


def _profile_url(world: World) -> str:
    membership = Membership.objects.get(organisation=world.org, user=world.people["candidate"])
    return reverse("teams:pool_person", args=[world.org.public_id, membership.pk])


def test_a_profile_opened_is_in_the_persons_own_log_and_nobody_elses(world: World) -> None:
    assert world.client("staff").get(_profile_url(world)).status_code == 200
    assert _entries() == [("県庁 四郎", Kind.POOL_PERSON, world.people["candidate"].pk)]
    assert AuditEntry.objects.get().target == "東京都 福祉局／補完 六子"
    mine = world.client("candidate").get(reverse("teams:my_sharing")).content.decode()
    assert "県庁 四郎" in mine and "人材プールの支援者プロフィールの閲覧" in mine
    for other in ("owner", "staff", "member"):
        page = world.client(other).get(reverse("teams:my_sharing")).content.decode()
        assert "人材プールの支援者プロフィールの閲覧" not in page, other


def test_team_papers_downloaded_by_staff_are_written_and_the_members_own_are_not(world: World) -> None:
    pdf = reverse("teams:detail_pdf", args=[world.team.public_id])
    assert world.client("lead").get(pdf).status_code == 200
    assert _entries() == []
    assert world.client("staff").get(pdf).status_code == 200
    assert _entries() == [("県庁 四郎", Kind.TEAM_DOWNLOAD, None)]
    assert AuditEntry.objects.get().target.endswith("／チームのページ（PDF）")
    # the map is the members': staff are refused it, and a refusal writes nothing
    assert (
        world.client("staff").get(reverse("teams:map_xlsx", args=[world.team.public_id])).status_code == 403
    )
    assert world.client("lead").get(reverse("teams:map_csv", args=[world.team.public_id])).status_code == 200
    assert len(_entries()) == 1


def test_a_staff_member_in_the_team_who_downloads_the_map_is_written(world: World) -> None:
    Membership.objects.filter(organisation=world.org, user=world.people["lead"]).delete()
    Membership.objects.create(organisation=world.org, user=world.people["lead"], role="staff")
    assert world.client("lead").get(reverse("teams:map_xlsx", args=[world.team.public_id])).status_code == 200
    assert _entries() == [("中核 一郎", Kind.TEAM_DOWNLOAD, None)]


def _admin(name: str, **flags: bool) -> Client:
    """Signed in with both steps: the admin site always asks for the second factor."""
    user = User.objects.create_user(username=name, password="pass-word-1234", display_name=name, **flags)
    return sign_in_verified(Client(), user)


def test_the_admin_list_is_for_superusers_only_and_read_only(world: World) -> None:
    world.client("staff").get(_profile_url(world))
    entry = AuditEntry.objects.get()
    listing = reverse("admin:accounts_auditentry_changelist")
    page = _admin("kanri", is_staff=True, is_superuser=True).get(listing)
    assert page.status_code == 200 and "職員の操作の記録" in page.content.decode()
    assert "県庁 四郎" in page.content.decode()
    superuser = _admin("kanri2", is_staff=True, is_superuser=True)
    assert superuser.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    assert (
        superuser.post(
            reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    jimu = User.objects.create_user(
        username="jimu", password="pass-word-1234", display_name="事務", is_staff=True
    )
    jimu.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    staff_client = sign_in_verified(Client(), jimu)
    assert staff_client.get(listing).status_code == 403  # a permission is not enough: superusers only


def test_the_access_log_is_listed_for_superusers_only_too(world: World) -> None:
    dialogue = reverse("teams:dialogue", args=[world.team.public_id])
    assert world.client("lead").get(dialogue).status_code == 200  # written in teams' access log
    listing = reverse("admin:teams_accesslog_changelist")
    page = _admin("kanri", is_staff=True, is_superuser=True).get(listing).content.decode()
    assert "回答の閲覧の記録" in page and "中核 一郎" in page and "対話シート" in page
    assert (
        _admin("kanri2", is_staff=True, is_superuser=True)
        .get(reverse("admin:teams_accesslog_add"))
        .status_code
        == 403
    )
    assert _admin("jimu", is_staff=True).get(listing).status_code == 403
