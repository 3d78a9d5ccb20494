"""The writes of teams and organisations, against the database: leads, joining, leaving, sharing, the pool,
担当, the access log, and the element standings stored with each check."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckLabelStanding, CheckStanding
from bansou.domain.framework import Framework
from bansou.invitations.models import Invitation
from bansou.orgs import services as org_services
from bansou.orgs.models import Membership
from bansou.sharing import queries as sharing_queries
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, PRIVATE, Audience, ShareChoice
from bansou.sharing.forms import own_checks
from bansou.sharing.models import CheckShare
from bansou.teams import queries, services
from bansou.teams.models import AccessLog, Assignment, TeamMember
from tests.conftest import make_user
from tests.teams.conftest import DATA_ELEMENT, THIS_YEAR, World

STANDING_FIELDS = (
    "check_record_id",
    "element",
    "understood_count",
    "practised_count",
    "total",
    "understood",
    "practised",
)


def standings(*checks: Check) -> list[tuple[object, ...]]:
    return sorted(CheckStanding.objects.filter(check_record__in=checks).values_list(*STANDING_FIELDS))


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    """Nobody here logs in with a password: hash the personas' quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Creating and joining ----------------------------------------------------------------------------


def test_the_creator_is_the_first_lead_with_no_affiliation_outside_the_organisation(world: World) -> None:
    lead = world.members["lead"]
    assert lead.is_lead
    assert lead.roles == ["core_promoter"]
    assert lead.affiliation is None  # 中核 一郎 is not in 東京都 福祉局
    assert list(TeamMember.objects.filter(team=world.team, is_lead=True)) == [lead]


def test_the_creator_is_affiliated_when_they_belong_to_the_organisation(world: World) -> None:
    staff = world.people["staff"]
    team = services.create_team(
        user=staff,
        municipality=world.team.municipality,
        fiscal_year=THIS_YEAR,
        organisation=world.org,
        roles=["prefecture_staff"],
    )
    member = TeamMember.objects.get(team=team)
    assert (member.user, member.is_lead, member.affiliation) == (staff, True, world.org)
    assert member.roles == ["prefecture_staff"]

    alone = services.create_team(user=staff, municipality=world.team.municipality, fiscal_year=THIS_YEAR)
    assert TeamMember.objects.get(team=alone).affiliation is None


def test_joining_twice_keeps_one_seat_and_the_first_roles(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    newcomer = world.people["candidate"]

    first, new = services.join(
        invitation=invitation.invitation, user=newcomer, roles=["advisor"], affiliation=world.other_org
    )
    again, new_again = services.join(
        invitation=invitation.invitation, user=newcomer, roles=["coordinator"], affiliation=world.org
    )

    assert (new, new_again) == (True, False)
    assert first.pk == again.pk
    seat = TeamMember.objects.get(team=world.team, user=newcomer)
    assert seat.roles == ["advisor"]
    assert not seat.is_lead
    assert seat.affiliation is None  # 補完 六子 is not in 大阪府 福祉部


def test_joining_keeps_an_affiliation_only_with_an_organisation_one_belongs_to(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    seat, _ = services.join(
        invitation=invitation.invitation,
        user=world.people["candidate"],
        roles=["advisor"],
        affiliation=world.org,
    )
    assert seat.affiliation == world.org


def test_joining_through_the_page_twice_keeps_one_seat(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    client = world.client("candidate")
    url = reverse("teams:join", args=[invitation.code])

    client.post(url, {"roles": ["advisor"]})
    second = client.post(url, {"roles": ["coordinator"]})

    assert second.status_code == 302
    assert second["Location"] == reverse("teams:detail", args=[world.team.public_id])
    seats = TeamMember.objects.filter(team=world.team, user=world.people["candidate"])
    assert [s.roles for s in seats] == [["advisor"]]


@pytest.mark.parametrize("spoil", ["expired", "revoked"])
def test_an_expired_or_revoked_invitation_is_refused(world: World, spoil: str) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"])
    if spoil == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    client = world.client("candidate")
    url = reverse("teams:join", args=[invitation.code])

    shown = client.get(url)
    posted = client.post(url, {"roles": ["advisor"]})

    for page in (shown, posted):
        assert page.status_code == 404
        assert "この招待は使えません" in page.content.decode()
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()


def test_a_fresh_invitation_is_usable_and_an_expired_one_is_not(world: World) -> None:
    invitation = services.invite(team=world.team, by=world.people["lead"]).invitation
    assert invitation.usable()
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    assert not invitation.usable()


# Leads -------------------------------------------------------------------------------------------


def test_the_last_lead_can_neither_leave_nor_be_demoted_nor_removed(world: World) -> None:
    lead = world.members["lead"]

    with pytest.raises(services.LastLead):
        services.leave(member=lead)
    with pytest.raises(services.LastLead):
        services.set_member(member=lead, roles=["core_promoter"], is_lead=False)

    page = world.client("lead").post(
        reverse("teams:remove_member", args=[world.team.public_id, lead.pk]), follow=True
    )
    assert "チームには少なくとも一人のリーダーが必要です。" in page.content.decode()
    lead.refresh_from_db()
    assert lead.is_lead
    assert CheckShare.objects.filter(team=world.team, owner=world.people["lead"]).exists()


def test_the_last_lead_may_change_their_roles_and_stay_lead(world: World) -> None:
    lead = world.members["lead"]
    services.set_member(member=lead, roles=["coordinator", "advisor"], is_lead=True)
    lead.refresh_from_db()
    assert (lead.roles, lead.is_lead) == (["coordinator", "advisor"], True)


def test_a_lead_can_step_down_and_leave_once_another_lead_exists(world: World) -> None:
    lead, owner = world.members["lead"], world.members["owner"]
    services.set_member(member=owner, roles=["coordinator"], is_lead=True)

    services.set_member(member=lead, roles=["core_promoter"], is_lead=False)
    lead.refresh_from_db()
    assert not lead.is_lead
    with pytest.raises(services.LastLead):  # now 伴走 花子 is the only lead
        services.leave(member=TeamMember.objects.get(pk=owner.pk))

    services.set_member(member=lead, roles=["core_promoter"], is_lead=True)
    services.leave(member=TeamMember.objects.get(pk=lead.pk))
    assert list(TeamMember.objects.filter(team=world.team, is_lead=True)) == [owner]


def test_a_lead_can_be_removed_by_another_lead(world: World) -> None:
    owner = world.members["owner"]
    services.set_member(member=owner, roles=["coordinator"], is_lead=True)
    world.client("owner").post(
        reverse("teams:remove_member", args=[world.team.public_id, world.members["lead"].pk])
    )
    assert not TeamMember.objects.filter(pk=world.members["lead"].pk).exists()


# Leaving -----------------------------------------------------------------------------------------


def test_leaving_takes_the_team_share_and_the_assignments_but_nothing_elsewhere(world: World) -> None:
    owner, person = world.members["owner"], world.people["owner"]
    other_seat = TeamMember.objects.create(team=world.other_team, user=person, roles=["advisor"])
    sharing_services.share(user=person, audience=Audience.team(world.other_team.pk), choice=LATEST)
    membership = Membership.objects.create(organisation=world.org, user=person, role="supporter")
    sharing_services.set_pool(membership=membership, choice=LATEST)
    services.set_assignments(team=world.team, element=4, member_ids=[owner.pk, world.members["member"].pk])
    services.set_assignments(team=world.other_team, element=4, member_ids=[other_seat.pk])

    services.leave(member=owner)

    assert not TeamMember.objects.filter(pk=owner.pk).exists()
    assert not CheckShare.objects.filter(team=world.team, owner=person).exists()
    assert list(Assignment.objects.filter(team=world.team).values_list("member_id", flat=True)) == [
        world.members["member"].pk
    ]
    assert CheckShare.objects.filter(team=world.other_team, owner=person).exists()
    assert CheckShare.objects.filter(organisation=world.org, owner=person).exists()
    assert Assignment.objects.filter(team=world.other_team, member=other_seat).exists()
    assert CheckShare.objects.filter(team=world.team).count() == 2  # the others still share


def test_leaving_through_the_page(world: World) -> None:
    page = world.client("member").post(reverse("teams:leave", args=[world.team.public_id]))
    assert page.status_code == 302
    assert page["Location"] == reverse("teams:list")
    assert not TeamMember.objects.filter(team=world.team, user=world.people["member"]).exists()
    assert not CheckShare.objects.filter(team=world.team, owner=world.people["member"]).exists()


# Sharing -----------------------------------------------------------------------------------------


def test_share_private_latest_and_a_given_check(world: World, submitted: Callable[..., Check]) -> None:
    person = world.people["owner"]
    first = world.checks["owner"]
    second = submitted(person)

    latest = sharing_services.share(user=person, audience=Audience.team(world.team.pk), choice=LATEST)
    assert latest is not None and latest.check_record_id is None
    given = sharing_services.share(
        user=person, audience=Audience.team(world.team.pk), choice=ShareChoice.parse(str(first.public_id))
    )
    assert given is not None and given.pk == latest.pk  # one row per person and team
    assert CheckShare.objects.get(team=world.team, owner=person).check_record == first
    sharing_services.share(
        user=person, audience=Audience.team(world.team.pk), choice=ShareChoice.parse(str(second.public_id))
    )
    assert CheckShare.objects.get(team=world.team, owner=person).check_record == second

    assert sharing_services.share(user=person, audience=Audience.team(world.team.pk), choice=PRIVATE) is None
    assert not CheckShare.objects.filter(team=world.team, owner=person).exists()
    assert (
        sharing_services.share(user=person, audience=Audience.team(world.team.pk), choice=PRIVATE) is None
    )  # twice is fine


def test_the_consent_to_showing_staff_the_verdicts_goes_with_the_team_share(world: World) -> None:
    person, team = world.people["member"], Audience.team(world.team.pk)

    def consents() -> set[int]:
        return sharing_queries.verdict_consents(world.team.pk)

    assert person.pk in consents()  # the world's members consented

    sharing_services.share(user=person, audience=team, choice=LATEST)  # saved again without it: withdrawn
    assert person.pk not in consents()
    sharing_services.share(user=person, audience=team, choice=LATEST, verdicts_to_staff=True)
    assert person.pk in consents()
    sharing_services.share(user=person, audience=team, choice=PRIVATE, verdicts_to_staff=True)  # stops
    assert person.pk not in consents()
    assert not CheckShare.objects.filter(team=world.team, owner=person).exists()

    sharing_services.share(user=person, audience=team, choice=LATEST, verdicts_to_staff=True)
    services.leave(member=world.members["member"])  # leaving takes the consent with the share
    assert person.pk not in consents()


def test_the_consent_to_showing_verdicts_is_for_a_team_only(world: World) -> None:
    with pytest.raises(sharing_services.VerdictsForTeamsOnly):
        sharing_services.share(
            user=world.people["candidate"],
            audience=Audience.organisation(world.org.pk),
            choice=LATEST,
            verdicts_to_staff=True,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckShare.objects.filter(organisation=world.org).update(verdicts_to_staff=True)


def test_someone_elses_check_cannot_be_shared(world: World) -> None:
    person = world.people["owner"]
    sharing_services.share(
        user=person,
        audience=Audience.team(world.team.pk),
        choice=ShareChoice.parse(str(world.checks["owner"].public_id)),
    )

    with pytest.raises(sharing_services.NotYourCheck):
        sharing_services.share(
            user=person,
            audience=Audience.team(world.team.pk),
            choice=ShareChoice.parse(str(world.checks["lead"].public_id)),
        )
    with pytest.raises(sharing_services.NotYourCheck):
        sharing_services.share(
            user=person,
            audience=Audience.organisation(world.org.pk),
            choice=ShareChoice.parse(str(world.checks["candidate"].public_id)),
        )

    assert CheckShare.objects.get(team=world.team, owner=person).check_record == world.checks["owner"]
    assert not CheckShare.objects.filter(organisation=world.org, owner=person).exists()


def test_always_the_latest_follows_a_newly_submitted_check(
    world: World, submitted: Callable[..., Check]
) -> None:
    owner, member = world.people["owner"], world.people["member"]
    sharing_services.share(
        user=member,
        audience=Audience.team(world.team.pk),
        choice=ShareChoice.parse(str(world.checks["member"].public_id)),
    )

    before = queries.shared_checks(world.team)
    newer = {"owner": submitted(owner), "member": submitted(member)}
    after = queries.shared_checks(world.team)

    assert before[owner.pk].check == world.checks["owner"] and before[owner.pk].latest
    assert after[owner.pk].check == newer["owner"] and after[owner.pk].latest
    # A check chosen by name stays the one shared.
    assert after[member.pk].check == world.checks["member"] and not after[member.pk].latest
    # The newer check practises element 4, the older did not: the team sees the newer standings.
    practised = [
        score.practice.count
        for shared in (before, after)
        if (score := shared[owner.pk].result.element(DATA_ELEMENT)) is not None
    ]
    assert practised == [0, 1]


def test_a_person_without_checks_who_shares_the_latest_shares_nothing_yet(world: World) -> None:
    newcomer = make_user("newcomer", "新人 七海", furigana="シンジン ナナミ")
    TeamMember.objects.create(team=world.team, user=newcomer, roles=["advisor"])
    sharing_services.share(user=newcomer, audience=Audience.team(world.team.pk), choice=LATEST)
    shared = queries.shared_checks(world.team)
    assert newcomer.pk not in shared
    assert set(shared) == {world.people[p].pk for p in ("owner", "lead", "member")}


# The pool ----------------------------------------------------------------------------------------


def test_set_pool_joins_and_leaves_the_pool(world: World) -> None:
    candidate = world.people["candidate"]
    membership = Membership.objects.get(organisation=world.org, user=candidate)
    assert membership.in_pool
    assert CheckShare.objects.get(organisation=world.org, owner=candidate).check_record is None

    sharing_services.set_pool(membership=membership, choice=PRIVATE)
    membership.refresh_from_db()
    assert not membership.in_pool
    assert not CheckShare.objects.filter(organisation=world.org, owner=candidate).exists()

    sharing_services.set_pool(
        membership=membership, choice=ShareChoice.parse(str(world.checks["candidate"].public_id))
    )
    membership.refresh_from_db()
    assert membership.in_pool
    shared = CheckShare.objects.get(organisation=world.org, owner=candidate)
    assert shared.check_record == world.checks["candidate"]


def test_set_pool_with_someone_elses_check_changes_nothing(world: World) -> None:
    person = world.people["owner"]
    membership = Membership.objects.create(organisation=world.org, user=person, role="supporter")
    with pytest.raises(sharing_services.NotYourCheck):
        sharing_services.set_pool(
            membership=membership, choice=ShareChoice.parse(str(world.checks["candidate"].public_id))
        )
    membership.refresh_from_db()
    assert not membership.in_pool
    assert not CheckShare.objects.filter(organisation=world.org, owner=person).exists()


def test_the_pool_page_of_ones_own_posts_the_choice(world: World) -> None:
    client = world.client("candidate")
    url = reverse("sharing:pool_mine", args=[world.org.public_id])
    client.post(url, {"choice": ""})
    assert not Membership.objects.get(organisation=world.org, user=world.people["candidate"]).in_pool
    client.post(url, {"choice": LATEST.value})
    assert Membership.objects.get(organisation=world.org, user=world.people["candidate"]).in_pool


# Organisations -----------------------------------------------------------------------------------


def test_the_last_admin_can_neither_be_demoted_nor_removed(world: World) -> None:
    admin = Membership.objects.get(organisation=world.org, user=world.people["staff"])
    assert admin.role == Membership.Role.ADMIN

    with pytest.raises(org_services.LastAdmin):
        org_services.set_role(membership=admin, role=Membership.Role.STAFF)
    with pytest.raises(org_services.LastAdmin):
        org_services.remove(membership=admin)
    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN

    other = Membership.objects.create(organisation=world.org, user=world.people["owner"], role="staff")
    org_services.set_role(membership=other, role=Membership.Role.ADMIN)
    org_services.set_role(membership=admin, role=Membership.Role.STAFF)
    admin.refresh_from_db()
    assert admin.role == Membership.Role.STAFF
    org_services.remove(membership=admin)
    assert list(Membership.objects.filter(organisation=world.org, role="admin")) == [other]


def test_the_last_admin_is_kept_through_the_page(world: World) -> None:
    admin = Membership.objects.get(organisation=world.org, user=world.people["staff"])
    page = world.client("staff").post(
        reverse("orgs:set_role", args=[world.org.public_id, admin.pk]), {"role": "staff"}, follow=True
    )
    assert "組織には少なくとも一人の管理者が必要です。" in page.content.decode()
    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN


def test_removing_an_org_member_withdraws_their_org_share_only(world: World) -> None:
    candidate = world.people["candidate"]
    TeamMember.objects.create(team=world.team, user=candidate, roles=["advisor"])
    sharing_services.share(user=candidate, audience=Audience.team(world.team.pk), choice=LATEST)
    other = Membership.objects.create(organisation=world.other_org, user=candidate, role="supporter")
    sharing_services.set_pool(membership=other, choice=LATEST)

    org_services.remove(membership=Membership.objects.get(organisation=world.org, user=candidate))

    assert not Membership.objects.filter(organisation=world.org, user=candidate).exists()
    assert not CheckShare.objects.filter(organisation=world.org, owner=candidate).exists()
    assert CheckShare.objects.filter(team=world.team, owner=candidate).exists()
    assert CheckShare.objects.filter(organisation=world.other_org, owner=candidate).exists()
    assert Membership.objects.get(pk=other.pk).in_pool
    people, found = queries.pool_candidates(world.org, [DATA_ELEMENT], THIS_YEAR)
    assert (people, found) == ([], 0)


def test_withdrawing_the_org_share_clears_the_pool_flag(world: World) -> None:
    candidate = world.people["candidate"]
    sharing_services.leave_pool(user_id=candidate.pk, organisation_id=world.org.pk)
    membership = Membership.objects.get(organisation=world.org, user=candidate)
    assert not membership.in_pool
    assert not CheckShare.objects.filter(organisation=world.org, owner=candidate).exists()


# 担当 --------------------------------------------------------------------------------------------


def test_set_assignments_sets_exactly_the_given_members(world: World) -> None:
    lead, owner, member = (world.members[p].pk for p in ("lead", "owner", "member"))
    stranger = TeamMember.objects.get(team=world.other_team).pk

    services.set_assignments(team=world.team, element=4, member_ids=[lead, owner])
    services.set_assignments(team=world.team, element=2, member_ids=[lead])
    services.set_assignments(team=world.team, element=4, member_ids=[owner, member, stranger, 999_999])

    assigned = queries.assignments_of(world.team)
    assert (sorted(assigned), sorted(assigned[4]), assigned[2]) == ([2, 4], sorted([owner, member]), [lead])
    assert set(Assignment.objects.filter(team=world.team, element=4).values_list("member_id", flat=True)) == {
        owner,
        member,
    }
    assert not Assignment.objects.filter(member_id=stranger).exists()
    assert not Assignment.objects.filter(team=world.other_team).exists()

    services.set_assignments(team=world.team, element=4, member_ids=[])
    assert dict(queries.assignments_of(world.team)) == {2: [lead]}


def test_set_assignments_twice_is_idempotent(world: World) -> None:
    owner = world.members["owner"].pk
    services.set_assignments(team=world.team, element=1, member_ids=[owner, owner])
    services.set_assignments(team=world.team, element=1, member_ids=[owner])
    assert Assignment.objects.filter(team=world.team, element=1).count() == 1


# The access log ----------------------------------------------------------------------------------


def test_log_access_writes_rows_for_others_but_not_for_the_viewer(world: World) -> None:
    lead = world.people["lead"]
    seen = [(world.people[p].pk, world.checks[p].pk) for p in ("owner", "lead", "member")]

    services.log_access(viewer=lead, team=world.team, what=AccessLog.What.DIALOGUE, seen=seen)

    rows = AccessLog.objects.order_by("subject_id")
    assert sorted((r.subject_id, r.check_record_id) for r in rows) == sorted(
        [seen[0], seen[2]]  # not 中核 一郎's own
    )
    for row in rows:
        assert (row.viewer, row.viewer_name, row.team, row.what) == (
            lead,
            "中核 一郎",
            world.team,
            AccessLog.What.DIALOGUE,
        )
        assert row.team_label == "東京都 千代田区"


def test_the_dialogue_page_logs_each_other_member_once(world: World) -> None:
    world.client("lead").get(reverse("teams:dialogue", args=[world.team.public_id]))
    logged = sorted(AccessLog.objects.values_list("subject_id", "check_record_id", "what"))
    assert logged == sorted((world.people[p].pk, world.checks[p].pk, "dialogue") for p in ("owner", "member"))


def test_a_member_reading_their_own_answers_is_not_logged(world: World) -> None:
    url = reverse("teams:member_answers", args=[world.team.public_id, world.members["owner"].pk])
    assert world.client("owner").get(url).status_code == 200
    assert not AccessLog.objects.exists()


# Element standings stored with each check --------------------------------------------------------


def test_submitting_stores_one_standing_per_element(world: World, framework: Framework) -> None:
    check = world.checks["owner"]  # ○ everywhere but element 4
    rows = {s.element: s for s in CheckStanding.objects.filter(check_record=check)}
    items = {e.number: sum(1 for i in framework.items() if i.element == e.number) for e in framework.elements}

    assert sorted(rows) == list(range(1, 10))
    for number, row in rows.items():
        assert row.total == items[number]
        held = number != DATA_ELEMENT
        assert (row.understood, row.practised) == (held, held)
        assert row.understood_count == row.practised_count == (row.total if held else 0)
    assert rows[9].total == 10 and rows[2].total == 4


def test_submitting_stores_what_the_domain_works_out(
    world: World, framework: Framework, submitted: Callable[..., Check]
) -> None:
    codes = {e: [i.code for i in framework.items() if i.element == e] for e in range(1, 10)}
    half = set(codes[9][:5])  # 5 of 10: held
    fewer = set(codes[3][:2])  # 2 of 5: not held

    def answer(code: str, axis: object) -> int:
        from bansou.domain.framework import Axis

        if code in codes[9]:
            return 1 if code in half or axis is Axis.UNDERSTANDING else 0
        if code in codes[3]:
            return 1 if code in fewer else 0
        return 1

    check = submitted(world.people["owner"], answer)
    rows = {s.element: s for s in CheckStanding.objects.filter(check_record=check)}
    assert (rows[9].understood_count, rows[9].practised_count, rows[9].total) == (10, 5, 10)
    assert (rows[9].understood, rows[9].practised) == (True, True)
    assert (rows[3].understood_count, rows[3].practised_count, rows[3].total) == (2, 2, 5)
    assert (rows[3].understood, rows[3].practised) == (False, False)


def test_the_backfill_migration_stores_the_same_standings_as_submitting(world: World) -> None:
    migration = importlib.import_module("bansou.checks.migrations.0003_backfill_standings")
    checks = list(world.checks.values())
    stored = standings(*checks)
    assert len(stored) == 9 * len(checks)

    CheckStanding.objects.all().delete()
    migration.backfill(apps, None)

    assert standings(*checks) == stored
    migration.backfill(apps, None)  # a second run finds nothing to do
    assert standings(*checks) == stored


def test_the_backfill_migration_leaves_checks_that_have_standings(world: World) -> None:
    migration = importlib.import_module("bansou.checks.migrations.0003_backfill_standings")
    keep = world.checks["owner"]
    CheckStanding.objects.exclude(check_record=keep).delete()
    CheckStanding.objects.filter(check_record=keep, element=1).update(understood_count=0)

    migration.backfill(apps, None)

    assert CheckStanding.objects.get(check_record=keep, element=1).understood_count == 0  # untouched
    assert CheckStanding.objects.count() == 9 * len(world.checks)


# C label standings stored with each check --------------------------------------------------------

LABEL_FIELDS = (
    "check_record_id",
    "label",
    "understood_count",
    "practised_count",
    "total",
    "understood",
    "practised",
)


def label_standings(*checks: Check) -> list[tuple[object, ...]]:
    return sorted(CheckLabelStanding.objects.filter(check_record__in=checks).values_list(*LABEL_FIELDS))


def test_submitting_stores_one_standing_per_a_and_c_label(world: World) -> None:
    check = world.checks["owner"]  # ○ everywhere but element 4, which is the label C-5 (データ活用力)
    rows = {s.label: s for s in CheckLabelStanding.objects.filter(check_record=check)}
    assert sorted(rows) == [f"A-{n}" for n in range(1, 8)] + [f"C-{n}" for n in range(1, 10)]
    for code, row in rows.items():
        held = code != "C-5"
        assert (row.total, row.understood, row.practised) == (1, held, held)
        assert row.understood_count == row.practised_count == int(held)


def test_a_label_that_is_no_element_is_stored_from_its_own_row(
    world: World, submitted: Callable[..., Check]
) -> None:
    from bansou.domain.framework import Axis

    check = submitted(
        world.people["owner"], lambda code, axis: 0 if code == "C-4" and axis is Axis.PRACTICE else 1
    )
    rows = {s.label: s for s in CheckLabelStanding.objects.filter(check_record=check)}
    assert [code for code, row in sorted(rows.items()) if not row.practised] == ["C-4"]
    assert rows["C-4"].understood


BACKFILLS = ("0006_backfill_label_standings", "0007_backfill_a_label_standings")  # C, then A


def test_the_label_backfill_migrations_store_the_same_label_standings_as_submitting(world: World) -> None:
    migrations = [importlib.import_module(f"bansou.checks.migrations.{name}") for name in BACKFILLS]
    checks = list(world.checks.values())
    stored = label_standings(*checks)
    assert len(stored) == (7 + 9) * len(checks)

    migrations[1].remove(apps, None)
    assert not CheckLabelStanding.objects.filter(label__startswith="A-").exists()
    migrations[0].remove(apps, None)
    assert not CheckLabelStanding.objects.exists()
    for migration in migrations:
        migration.backfill(apps, None)

    assert label_standings(*checks) == stored
    for migration in migrations:
        migration.backfill(apps, None)  # a second run finds nothing to do
    assert label_standings(*checks) == stored


def test_the_label_backfill_migration_leaves_the_standings_a_check_has(world: World) -> None:
    migration = importlib.import_module(f"bansou.checks.migrations.{BACKFILLS[0]}")
    keep = world.checks["owner"]
    CheckLabelStanding.objects.exclude(check_record=keep).delete()
    CheckLabelStanding.objects.filter(check_record=keep, label="C-1").update(understood_count=0)

    migration.backfill(apps, None)

    assert CheckLabelStanding.objects.get(check_record=keep, label="C-1").understood_count == 0
    assert CheckLabelStanding.objects.count() == 7 + 9 * len(world.checks)  # the others: C labels


def test_users_own_checks_are_newest_first(world: World, submitted: Callable[..., Check]) -> None:
    person: User = world.people["owner"]
    newer = submitted(person)
    assert own_checks(person.pk) == [newer, world.checks["owner"]]
