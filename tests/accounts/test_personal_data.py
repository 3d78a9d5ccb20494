"""The personal-data registry: every table that points at the user is declared by some app, every
declaration names real tables, discovery finds every app's module, the export keeps its order, and
deleting an account removes every declared row about the person and nobody else's."""

from __future__ import annotations

import datetime
import sys
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import Client
from django.utils import timezone

from bansou.accounts.deletion import delete_account, handovers
from bansou.accounts.models import AuditEntry, User
from bansou.accounts.mydata import collect
from bansou.accounts.registry import MODULE, combine, keyed_rows, registry
from bansou.accounts.second_factor import devices
from bansou.checks.access import Holder
from bansou.checks.models import Check
from bansou.checks.services import get_or_start_draft
from bansou.cohorts import services as cohorts
from bansou.cohorts.models import Phase
from bansou.disclosure.models import ShownGroup
from bansou.domain.feedback import Mark, RaterGroup
from bansou.domain.personal_data import Declaration, Fate, Keyed, Section, Sheet, SheetRows, Unkeyed
from bansou.domain.reports import Column
from bansou.feedback import services as feedback
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.invitations import services as invitation_services
from bansou.invitations.models import Kind
from bansou.invitations.services import AwaitingApproval
from bansou.orgs import services as orgs
from bansou.orgs.models import Membership, Organisation
from bansou.placements.models import ChangeProposal, PlacementPerson, PlacementPlan
from bansou.places.models import Municipality, Prefecture
from bansou.plans.models import Plan, Step
from bansou.profiles import services as profiles
from bansou.proposals.models import ProposalPerson, TeamProposal
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience, ShareChoice
from bansou.sharing.models import PlanShare
from bansou.teams import offers
from bansou.teams import services as teams
from bansou.teams.models import AccessLog, Assignment, Team
from bansou.teams.presenters import team_label
from tests.cohorts.conftest import new_cohort
from tests.conftest import make_user

# Keys to the user that no app declares, and why.
NOT_DECLARED = {
    "admin.LogEntry": "the admin site's record of an administrator's own changes, not the app's data "
    "about a person (it goes with the administrator's account: its key cascades)",
}


# Tables of packages that are not our apps (no personal_data module of their own), declared by the
# app of ours that uses them.
DECLARED_BY = {
    "otp_totp.TOTPDevice": "accounts",
    "otp_static.StaticDevice": "accounts",
    "otp_static.StaticToken": "accounts",
}


def _declared_by(label: str) -> set[str]:
    return {k.model for k in _declaration_of(label).keyed}


def _keys_to(target: type[models.Model]) -> list[tuple[str, models.ForeignKey[Any, Any]]]:
    """Every foreign key (one-to-one included) to ``target``, in every installed model."""
    return [
        (model._meta.label, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is target
    ]


def _gone_with_the_user() -> set[str]:
    """The models whose rows go when a user goes: foreign keys that cascade, followed to the end."""
    gone, todo = set(), [get_user_model()]
    while todo:
        for label, field in _keys_to(todo.pop()):
            if field.remote_field.on_delete is models.CASCADE and label not in gone:
                gone.add(label)
                todo.append(field.model)
    return gone


def test_discovery_finds_every_apps_module() -> None:
    assert registry().apps == (
        "accounts",
        "checks",
        "disclosure",
        "invitations",
        "orgs",
        "profiles",
        "sharing",
        "teams",
        "cohorts",
        "plans",
        "proposals",
        "placements",
        "feedback",
    )
    declaring = {label.split(".")[0] for label in _gone_with_the_user() | {m for m, _ in _keys_to(User)}}
    declaring -= {label.split(".")[0] for label in NOT_DECLARED}
    declaring -= {label.split(".")[0] for label in DECLARED_BY}  # a package's, declared by our app
    assert declaring <= set(registry().apps)
    assert {m: a for m, a in DECLARED_BY.items() if m not in _declared_by(a)} == {}
    for label in registry().apps:
        assert f"{apps.get_app_config(label).name}.{MODULE}" in sys.modules


def test_every_key_to_the_user_is_declared_with_what_its_on_delete_does() -> None:
    declared = {(k.model, k.path): k.fate for k in registry().keyed}
    expected = {models.CASCADE: Fate.REMOVED, models.SET_NULL: Fate.UNLINKED}
    for label, field in _keys_to(User):
        if label in NOT_DECLARED:
            continue
        assert (label, field.name) in declared, f"{label}.{field.name} points at the user: declare it"
        assert declared[label, field.name] is expected[field.remote_field.on_delete], f"{label}.{field.name}"


def test_every_table_emptied_by_the_cascade_is_declared_as_removed() -> None:
    removed = {k.model for k in registry().keyed if k.fate is Fate.REMOVED}
    missing = _gone_with_the_user() - removed - set(NOT_DECLARED)
    assert not missing, f"rows of {sorted(missing)} go with the user: declare them"


@pytest.mark.django_db
def test_every_declared_table_exists_and_its_rows_can_be_found() -> None:
    person = make_user("nobody", "誰 でもない")
    for entry in registry().keyed:
        assert not keyed_rows(entry, person).exclude(pk=person.pk).exists()  # the model and path exist
    for table in registry().unkeyed:
        model = apps.get_model(table.model)
        for name in table.fields:
            model._meta.get_field(name)
        assert not table.find(person).exists()  # type: ignore[attr-defined]
    assert {u.model for u in registry().unkeyed} >= {
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "sessions.Session",
        "teams.AccessLog",
        "disclosure.ShownGroup",
        "accounts.AuditEntry",
    }


def test_the_order_is_declared_not_installed() -> None:
    found = registry()
    assert [s.key for s in found.sections] == [
        "profile",
        "supporter_profile",
        "checks",
        "drafts",
        "plans",
        "shares",
        "organisations",
        "teams",
        "team_requests",
        "team_offers",
        "cohorts",
        "access_log",
        "staff_audit",
        "team_proposals",
        "placement_plans",
        "feedback_requests",
    ]
    assert [s.title for s in found.sheets] == [
        "回答",
        "次の一歩",
        "共有と所属",
        "支援者プロフィール",
        "閲覧の記録",
    ]
    belonging = [section.key for section, part in found.rows if part.sheet.title == "共有と所属"]
    assert belonging == ["organisations", "teams", "cohorts", "shares"]
    shuffled = combine(reversed([(label, _declaration_of(label)) for label in found.apps]))
    assert shuffled.sections == found.sections and shuffled.rows == found.rows
    assert shuffled.handovers == found.handovers


def _declaration_of(label: str) -> Declaration:
    declaration: Declaration = sys.modules[f"{apps.get_app_config(label).name}.{MODULE}"].declare()
    return declaration


def _nothing(person: object) -> list[object]:
    return []


@pytest.mark.parametrize(
    "declared",
    [
        [
            Declaration(sections=(Section("a", 1, _nothing),)),
            Declaration(sections=(Section("a", 2, _nothing),)),
        ],
        [Declaration(sections=(Section("a", 1, _nothing), Section("b", 1, _nothing)))],
        [
            Declaration(
                sections=(
                    Section(
                        "a", 1, _nothing, sheets=(SheetRows(Sheet("s", (Column("x", "X"),), 1), 1, _nothing),)
                    ),
                    Section(
                        "b", 2, _nothing, sheets=(SheetRows(Sheet("s", (Column("y", "Y"),), 1), 2, _nothing),)
                    ),
                )
            )
        ],
        [
            Declaration(keyed=(Keyed("checks.Check", "owner", "x"),)),
            Declaration(keyed=(Keyed("checks.Check", "owner", "y"),)),
        ],
    ],
    ids=["key twice", "position twice", "one title, two sheets", "table twice"],
)
def test_a_clash_between_declarations_is_refused(declared: list[Declaration]) -> None:
    with pytest.raises(ImproperlyConfigured):
        combine((str(n), d) for n, d in enumerate(declared))


def test_a_table_that_stays_says_why() -> None:
    with pytest.raises(ValueError, match="say why"):
        Keyed("checks.Check", "entered_by", "x", Fate.UNLINKED)
    with pytest.raises(ValueError, match="say why"):
        Unkeyed("teams.AccessLog", ("viewer_name",), "x", _nothing, Fate.KEPT)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not kept"):
        Keyed("checks.Check", "owner", "x", Fate.KEPT, why="no")


# One person with data in every app, and someone else with the same ----------------------------------


def populate(user: User, peer: User, version: FrameworkVersion, submitted: Callable[..., Check]) -> None:
    """Gives ``user`` a row in every declared table; ``peer`` is in their team and organisation."""
    submitted(user)
    latest = submitted(user)
    get_or_start_draft(holder=Holder(user_id=user.pk), version=version)  # a check being filled in
    Check.objects.create(  # a check typed in from paper for the peer
        owner=peer,
        framework=version,
        submitted_at=timezone.now(),
        fiscal_year=2026,
        draft_public_id=uuid.uuid4(),
        entered_by=user,
        entered_by_name=user.display_name,
    )
    org = orgs.create_organisation(
        user=user, name=f"{user.display_name}の組織", kind="prefecture", prefecture_id="13"
    )
    Membership.objects.create(organisation=org, user=peer, role=Membership.Role.STAFF)
    orgs.invite(organisation=org, by=user, role=Membership.Role.SUPPORTER)
    places = Municipality.objects.filter(lgcode__in=["131016", "131024"]).order_by("lgcode")
    alone = teams.create_team(user=user, municipality=places[0], fiscal_year=2026, name=user.username)
    shared = teams.create_team(user=user, municipality=places[1], fiscal_year=2026, name=user.username)
    teams.join(
        invitation=teams.invite(team=shared, by=user).invitation, user=peer, roles=[], affiliation=None
    )
    teams.set_assignments(team=alone, element=1, member_ids=[alone.members.get().pk])
    asked = teams.create_team(
        user=peer, municipality=places[0], fiscal_year=2026, name=f"{peer.username}承認制"
    )
    third = make_user(f"third-{peer.username}", "第三 者")  # so the team outlives the peer's account
    teams.join(
        invitation=teams.invite(team=asked, by=peer).invitation, user=third, roles=[], affiliation=None
    )
    offers.offer(team=asked, people=[(user.pk, False)], by=peer, reason=offers.Reason.PLACEMENT)
    offers.offer(team=shared, people=[(third.pk, False)], by=user, reason=offers.Reason.RENEWAL)
    approval = teams.invite(team=asked, by=peer, how=teams.Invite.APPROVAL).invitation
    with pytest.raises(AwaitingApproval):  # the person asks to join the peer's team
        teams.join(invitation=approval, user=user, roles=["advisor"], affiliation=None)
    sharing_services.share(user=user, audience=Audience.team(alone.pk), choice=LATEST)
    sharing_services.share(
        user=user, audience=Audience.organisation(org.pk), choice=ShareChoice.parse(str(latest.public_id))
    )
    profile = profiles.save_profile(
        user_id=user.pk,
        prefectures=Prefecture.objects.filter(code="13"),
        professions=["public_health_nurse"],
        profession_note="地域ケア会議",
        core_role=True,
        capacity=2,
    )
    profiles.add_municipality(user_id=user.pk, municipality=places[0])
    profiles.add_unavailable(
        user_id=profile.user_id, start=datetime.date(2027, 1, 4), end=datetime.date(2027, 1, 8)
    )
    proposal = TeamProposal.objects.create(  # the person asks for a team; it names the peer
        organisation=org, created_by=user, municipality=places[0], fiscal_year=2026, size_min=1,
        size_max=3, core_min=0, core_max=1, needed=1, must_in=[peer.pk], quick={},
    )  # fmt: skip
    ProposalPerson.objects.create(proposal=proposal, user=peer)
    placing = {"organisation": org, "fiscal_year": 2026, "targets": [], "changes": "add", "quick": {}}
    mine = PlacementPlan.objects.create(created_by=user, accepted_by=user, **placing)  # names the peer
    PlacementPerson.objects.create(plan=mine, user=peer)
    ChangeProposal.objects.create(team=shared, plan=mine, add=[[peer.pk, False]], decided_by=user)
    theirs = PlacementPlan.objects.create(created_by=peer, **placing)  # a plan of the peer names the person
    PlacementPerson.objects.create(plan=theirs, user=user)
    ChangeProposal.objects.create(team=alone, plan=theirs, add=[[user.pk, False]])
    plan = Plan.objects.create(owner=user, check_record=latest, reflection="ふりかえり")
    Step.objects.create(plan=plan, item_code="A-1", position=0, action="次の一歩")
    PlanShare.objects.create(plan=plan, team=alone)
    for subject, viewer in ((user, peer), (peer, user)):
        AccessLog.objects.create(
            subject=subject,
            viewer=viewer,
            viewer_name=str(viewer),
            team=shared,
            team_label="t",
            what="member_answers",
        )
    for subject, actor in ((user, peer), (peer, user)):  # staff opened a pool profile
        AuditEntry.objects.create(
            actor=actor, actor_name=str(actor), subject=subject, kind=AuditEntry.Kind.POOL_PERSON, target="t"
        )
    cohort = new_cohort(org, user, name=f"{user.username}の研修")
    participant = cohorts.join(cohort=cohort, user=user)[0]
    cohorts.hand_in(participant=participant, phase=Phase.PRE, check_public_id=str(latest.public_id))
    cohorts.note_started(participant_id=participant.pk, draft_public_id=latest.draft_public_id)
    ShownGroup.objects.create(digest=user.username, checks=[latest.pk, 999999])
    asked, links = feedback.make_request(  # feedback from others: a link answered, a paper answer
        owner=user, version=version, framework=framework_of(version), items=["A-1"], message="",
        closes_on=timezone.localdate(), links={RaterGroup.MUNICIPAL: 2},
    )  # fmt: skip
    feedback.answer(links[0].invitation, {"A-1": Mark.SEEN}, {"A-1": "よく聞いてくださる"})
    feedback.type_in(asked, RaterGroup.OTHER, {"A-1": Mark.NOT_YET}, {})
    signup = {"kind": Kind.SIGNUP, "lifetime": None, "max_uses": 1, "grants_signup": True}
    given = invitation_services.issue(by_id=peer.pk, note=f"{user.display_name}さんへ", **signup)  # type: ignore[arg-type]
    invitation_services.redeem(given.invitation, user.pk)
    invitation_services.issue(by_id=user.pk, note="誰かへ", **signup)  # type: ignore[arg-type]
    user.groups.add(Group.objects.get_or_create(name="事務局")[0])
    user.user_permissions.add(Permission.objects.get(codename="view_check"))
    devices.confirm(devices.pending_app(user))  # a second factor: the app and its recovery codes
    Client().force_login(user)  # a session in another browser
    for model in (LoginLog, AccessAttempt, AccessFailureLog):
        extra = {"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}
        model.objects.create(username=user.username, ip_address="192.0.2.1", user_agent="x", **extra)


@pytest.fixture
def pair(
    version: FrameworkVersion, submitted: Callable[..., Check], municipalities: object
) -> SimpleNamespace:
    person = make_user("takahashi", "髙橋　𠮷子", furigana="タカハシ ヨシコ")
    other = make_user("suzuki", "鈴木 一郎")
    populate(person, other, version, submitted)
    populate(other, person, version, submitted)
    return SimpleNamespace(person=person, other=other)


def _rows(entry: Keyed | Unkeyed, person: User) -> set[Any]:
    rows = keyed_rows(entry, person) if isinstance(entry, Keyed) else entry.find(person)
    return set(rows.values_list("pk", flat=True))  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_deleting_removes_every_declared_row_of_the_person_and_nobody_elses(pair: SimpleNamespace) -> None:
    found = registry()
    entries = [*found.keyed, *found.unkeyed]
    mine = {entry: _rows(entry, pair.person) for entry in entries}
    empty = [
        f"{e.model} {getattr(e, 'path', getattr(e, 'fields', ''))}" for e, pks in mine.items() if not pks
    ]
    assert not empty, f"the person has no rows in {empty}: the test would prove nothing"
    labels = {entry.model for entry in entries}
    before = {
        label: set(apps.get_model(label)._default_manager.values_list("pk", flat=True)) for label in labels
    }
    kept = {
        e: list(apps.get_model(e.model)._default_manager.filter(pk__in=mine[e]).values_list(*e.fields))
        for e in found.unkeyed
        if e.fate is Fate.KEPT
    }

    delete_account(pair.person)

    for label in labels:
        removed = set().union(*(mine[e] for e in entries if e.model == label and e.fate is Fate.REMOVED))
        after = set(apps.get_model(label)._default_manager.values_list("pk", flat=True))
        assert after == before[label] - removed, label
    for entry in found.keyed:
        if entry.fate is Fate.UNLINKED:  # what another declaration removes does not stay unlinked
            stays = mine[entry].difference(
                *(mine[e] for e in entries if e.model == entry.model and e.fate is Fate.REMOVED)
            )
            model = apps.get_model(entry.model)._default_manager
            assert model.filter(pk__in=stays, **{f"{entry.path}__isnull": True}).count() == len(stays)
    for entry, values in kept.items():
        manager = apps.get_model(entry.model)._default_manager
        assert list(manager.filter(pk__in=mine[entry]).values_list(*entry.fields)) == values
    assert User.objects.filter(pk=pair.other.pk).exists()
    assert _rows(Keyed("teams.TeamMember", "user", ""), pair.other)


@pytest.mark.django_db
def test_deleting_hands_over_in_the_declared_order(pair: SimpleNamespace) -> None:
    lines = handovers(pair.person)
    assert lines == [
        "支援チーム「東京都 中央区（takahashi）」のリーダーは 鈴木 一郎 さんに引き継がれます。",
        "支援チーム「東京都 千代田区（takahashi承認制）」のリーダーは 第三 者 さんに引き継がれます。",
        "支援チーム「東京都 千代田区（takahashi）」にはほかのメンバーがいないため、チームも削除されます。",
        "組織「髙橋　𠮷子の組織」の管理者は 鈴木 一郎 さんに引き継がれます。",
    ]
    delete_account(pair.person)
    shared = Team.objects.get(name="takahashi")
    assert shared.members.get().user == pair.other and shared.members.get().is_lead
    assert Membership.objects.get(organisation__name="髙橋　𠮷子の組織").role == Membership.Role.ADMIN
    assert not Assignment.objects.filter(team__name="takahashi").exists()
    assert Organisation.objects.filter(name="髙橋　𠮷子の組織").exists()


@pytest.mark.django_db
def test_the_export_names_a_shared_plans_team_as_teams_does(pair: SimpleNamespace) -> None:
    data = collect(pair.person)
    team = PlanShare.objects.get(plan__owner=pair.person).team
    assert data["plans"][0]["shared_with_teams"] == [team_label(team)] == ["東京都 千代田区（takahashi）"]
    assert list(data) == ["exported_at", *(s.key for s in registry().sections)]
    assert datetime.datetime.fromisoformat(data["exported_at"]).utcoffset() == datetime.timedelta(hours=9)
