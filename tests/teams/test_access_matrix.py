"""Every URL of teams, sharing, the pool and organisations, for every persona: the HTTP status, written
out by hand from the rules in PRODUCT.md ("Privacy and access") — not computed from the application's
own rule functions.

The rules, as statuses: anonymous → 302 to the login page (with ``next=``) everywhere; signed in with no
part in the team or organisation → 404 (must not learn it exists); a participant lacking the right → 403;
allowed → 200 for a page, 302 for an action that succeeded. Team: the overview for members and the
running organisation's staff; the map, sharing one's own and leaving for members; a member's item-level
answers for the lead or the member themself; the dialogue sheet and managing for the lead; the pool for
the running organisation's staff. Organisation: its page and one's own pool entry for members; the pool
for staff, and a pool member's supporter profile while the person is in the pool (a member not in it
has none to show: 404); invitations, roles and removing someone else for administrators. The team's verdicts
(``VERDICT_ROWS``): every member reads them; the running organisation's staff read a verdict only once
every member it is about consented, and 「（非表示：個人の状況が分かるため）」 in its place until then.

Every response, whatever its status, is kept by no cache (``Cache-Control: no-store``), and HEAD on a
page answers as GET does (``tests/caching.py``).

The personas (``tests/teams/conftest.py``): owner, lead and member are in the team (lead leads it);
other_team_member leads another team of another organisation; staff is the administrator of the
organisation that runs the team; other_staff administers the other organisation; candidate is a
supporter in the organisation's pool.

A page (and an action refused with 403 or 404) is asked by every persona in one world; an action that may
change something is asked by each persona in a fresh world, and where it matters the effect is checked
to have happened for exactly the personas allowed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from pytest_django import Settings

from bansou.invitations.models import Invitation
from bansou.invitations.services import AwaitingApproval, Issued
from bansou.orgs import services as org_services
from bansou.orgs.models import Membership
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, PRIVATE, Audience
from bansou.sharing.models import CheckShare
from bansou.teams import services as team_services
from bansou.teams.models import Assignment, JoinRequest, Team, TeamMember
from tests.caching import get_and_head, private
from tests.reports.pdfcheck import text_of
from tests.teams.conftest import World

PERSONAS = ("owner", "lead", "member", "other_team_member", "staff", "other_staff", "candidate", "anonymous")
TEAM_MEMBERS = ("owner", "lead", "member")
MISSING_ID = "6f1c2a4e-0000-4000-8000-000000000000"  # a well-formed UUID that no team or org has
MALFORMED_ID = "not-a-uuid"
UNKNOWN_CODE = "3333-4444-6666"


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    """Nobody here logs in with a password: hash the personas' quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Scene:
    """The ``world``, with an open invitation to each team and each organisation."""

    world: World
    team_invitation: Issued
    other_team_invitation: Issued
    org_invitation: Issued
    other_org_invitation: Issued

    @classmethod
    def of(cls, world: World) -> Scene:
        people = world.people
        return cls(
            world=world,
            team_invitation=team_services.invite(team=world.team, by=people["lead"]),
            other_team_invitation=team_services.invite(team=world.other_team, by=people["other_team_member"]),
            org_invitation=org_services.invite(organisation=world.org, by=people["staff"], role="supporter"),
            other_org_invitation=org_services.invite(
                organisation=world.other_org, by=people["other_staff"], role="supporter"
            ),
        )

    def member(self, persona: str) -> TeamMember:
        if persona == "other":  # the other team's only member
            return TeamMember.objects.get(team=self.world.other_team)
        return self.world.members[persona]

    def membership(self, persona: str) -> Membership:
        if persona == "other":  # the other organisation's administrator
            return Membership.objects.get(organisation=self.world.other_org)
        return Membership.objects.get(organisation=self.world.org, user=self.world.people[persona])

    def join_request(self, team: Team, lead: str) -> int:
        """The candidate's request to join ``team`` by an invitation that needs its lead's approval."""
        issued = team_services.invite(
            team=team, by=self.world.people[lead], how=team_services.Invite.APPROVAL
        )
        with pytest.raises(AwaitingApproval):
            team_services.join(
                invitation=issued.invitation, user=self.world.people["candidate"], roles=[], affiliation=None
            )
        return JoinRequest.objects.get(team=team).pk

    def arg(self, symbol: str) -> str | int:
        """A URL argument from its name in the table."""
        kind, _, who = symbol.partition(":")
        simple: dict[str, Callable[[], str | int]] = {
            "team": lambda: str(self.world.team.public_id),
            "org": lambda: str(self.world.org.public_id),
            "missing": lambda: MISSING_ID,
            "malformed": lambda: MALFORMED_ID,
            "ti": lambda: self.team_invitation.pk,
            "ti-other": lambda: self.other_team_invitation.pk,
            "oi": lambda: self.org_invitation.pk,
            "oi-other": lambda: self.other_org_invitation.pk,
            "code-team": lambda: self.team_invitation.code,
            "code-org": lambda: self.org_invitation.code,
            "code-unknown": lambda: UNKNOWN_CODE,
            "jr": lambda: self.join_request(self.world.team, "lead"),
            "jr-other": lambda: self.join_request(self.world.other_team, "other_team_member"),
        }
        if kind == "m":
            return self.member(who).pk
        if kind == "ms":
            return self.membership(who).pk
        return simple[kind]()


Data = Callable[[Scene], dict[str, object]]
Effect = Callable[[Scene, str], bool]  # has the action's effect happened (after ``persona`` asked)?


@dataclass(frozen=True)
class Row:
    case: str
    method: str
    name: str
    args: tuple[str, ...]
    expected: tuple[int, ...]  # one status per PERSONAS, in that order
    data: Data | None = None
    effect: Effect | None = None
    effect_for: tuple[str, ...] = ()  # the personas after whose request ``effect`` must hold

    def __post_init__(self) -> None:
        assert len(self.expected) == len(PERSONAS), self.case

    @property
    def id(self) -> str:
        """The case, for ``pytest -k``: no spaces."""
        return self.case.replace(" ", "_").replace("'", "")

    @property
    def mutates(self) -> bool:
        """May this change something? Then each persona gets a fresh world."""
        return self.method == "POST" and not any(a in ("missing", "malformed") for a in self.args)


# Form data and effects ---------------------------------------------------------------------------


def no_data(scene: Scene) -> dict[str, object]:
    return {}


def share_private(scene: Scene) -> dict[str, object]:
    return {"choice": PRIVATE.value}


def member_roles(scene: Scene) -> dict[str, object]:
    pk = scene.member("member").pk
    return {f"m{pk}-roles": ["coordinator"]}  # is_lead left unchecked: stays False


def other_member_roles(scene: Scene) -> dict[str, object]:
    pk = scene.member("other").pk
    return {f"m{pk}-roles": ["coordinator"]}


def team_settings(scene: Scene) -> dict[str, object]:
    team = scene.world.team
    return {
        "municipality": team.municipality_id,
        "fiscal_year": str(team.fiscal_year),
        "name": "改名チーム",
        "needed": "3",
    }


def archive(scene: Scene) -> dict[str, object]:
    return {"action": "archive"}


def assign_lead(scene: Scene) -> dict[str, object]:
    return {"element_1": [str(scene.member("lead").pk)]}


def role_supporter(scene: Scene) -> dict[str, object]:
    return {"role": "supporter"}


def role_staff(scene: Scene) -> dict[str, object]:
    return {"role": "staff"}


def the_code(scene: Scene) -> dict[str, object]:
    return {"code": scene.team_invitation.code}


def join_roles(scene: Scene) -> dict[str, object]:
    return {"roles": ["advisor"]}


def stopped_sharing(scene: Scene, persona: str) -> bool:
    return CheckShare.objects.filter(team=scene.world.team).count() == 2  # of the three members' shares


def left_team(scene: Scene, persona: str) -> bool:
    return TeamMember.objects.filter(team=scene.world.team).count() == 2  # of three


def member_removed(scene: Scene, persona: str) -> bool:
    return not TeamMember.objects.filter(pk=scene.world.members["member"].pk).exists()


def other_member_changed(scene: Scene, persona: str) -> bool:
    other = TeamMember.objects.filter(team=scene.world.other_team).first()
    return other is None or list(other.roles) != ["advisor"]


def member_roles_changed(scene: Scene, persona: str) -> bool:
    return list(TeamMember.objects.get(pk=scene.world.members["member"].pk).roles) == ["coordinator"]


def team_invited(scene: Scene, persona: str) -> bool:
    return Invitation.objects.filter(kind="team", target_id=scene.world.team.pk).count() == 2


def team_invitation_revoked(scene: Scene, persona: str) -> bool:
    return Invitation.objects.get(pk=scene.team_invitation.pk).revoked_at is not None


def other_team_invitation_revoked(scene: Scene, persona: str) -> bool:
    return Invitation.objects.get(pk=scene.other_team_invitation.pk).revoked_at is not None


def team_archived(scene: Scene, persona: str) -> bool:
    return Team.objects.get(pk=scene.world.team.pk).archived_at is not None


def team_renamed(scene: Scene, persona: str) -> bool:
    team = Team.objects.get(pk=scene.world.team.pk)
    return team.name == "改名チーム" and team.needed == 3


def lead_assigned(scene: Scene, persona: str) -> bool:
    return Assignment.objects.filter(team=scene.world.team, element=1).exists()


def org_invited(scene: Scene, persona: str) -> bool:
    return Invitation.objects.filter(kind="organisation", target_id=scene.world.org.pk).count() == 2


def org_invitation_revoked(scene: Scene, persona: str) -> bool:
    return Invitation.objects.get(pk=scene.org_invitation.pk).revoked_at is not None


def other_org_invitation_revoked(scene: Scene, persona: str) -> bool:
    return Invitation.objects.get(pk=scene.other_org_invitation.pk).revoked_at is not None


def candidate_made_staff(scene: Scene, persona: str) -> bool:
    return scene.membership("candidate").role == "staff"


def other_admin_changed(scene: Scene, persona: str) -> bool:
    return not Membership.objects.filter(organisation=scene.world.other_org, role="admin").exists()


def candidate_removed(scene: Scene, persona: str) -> bool:
    return not Membership.objects.filter(
        organisation=scene.world.org, user=scene.world.people["candidate"]
    ).exists()


def staff_removed(scene: Scene, persona: str) -> bool:
    return not Membership.objects.filter(
        organisation=scene.world.org, user=scene.world.people["staff"]
    ).exists()


def pool_left(scene: Scene, persona: str) -> bool:
    return not Membership.objects.filter(organisation=scene.world.org, in_pool=True).exists()


def request_approved(scene: Scene, persona: str) -> bool:
    return TeamMember.objects.filter(team=scene.world.team, user=scene.world.people["candidate"]).exists()


def request_refused(scene: Scene, persona: str) -> bool:
    return JoinRequest.objects.filter(team=scene.world.team, refused_at__isnull=False).exists()


def other_request_answered(scene: Scene, persona: str) -> bool:
    mine = TeamMember.objects.filter(team=scene.world.other_team, user=scene.world.people["candidate"])
    return mine.exists() or JoinRequest.objects.filter(refused_at__isnull=False).exists()


def joined_team(scene: Scene, persona: str) -> bool:
    return TeamMember.objects.filter(team=scene.world.team).count() == 4


def joined_org(scene: Scene, persona: str) -> bool:
    return Membership.objects.filter(organisation=scene.world.org).count() == 3


# The table ------------------------------------------------------------------------------------------

GET, POST = "GET", "POST"

# fmt: off
ROWS: list[Row] = [
    # case                          method  URL name                args
    #                                            owner lead  member other staff ostaff cand  anon
    # -- a team -------------------------------------------------------------------------------------
    Row("team detail",              GET,  "teams:detail",         ("team",),
                                                 (200,  200,  200,   404,  200,  404,   404,  302)),
    Row("team detail pdf",          GET,  "teams:detail_pdf",     ("team",),
                                                 (200,  200,  200,   404,  200,  404,   404,  302)),
    Row("team share (page)",        GET,  "teams:share",          ("team",),
                                                 (200,  200,  200,   404,  403,  404,   404,  302)),
    Row("team share (stop)",        POST, "teams:share",          ("team",),
                                                 (302,  302,  302,   404,  403,  404,   404,  302),
        share_private, stopped_sharing, ("owner", "lead", "member")),
    Row("team leave (page)",        GET,  "teams:leave",          ("team",),
                                                 (200,  200,  200,   404,  403,  404,   404,  302)),
    # Owner and member leave; the only lead is sent back to the page and stays (a team needs a lead).
    Row("team leave",               POST, "teams:leave",          ("team",),
                                                 (302,  302,  302,   404,  403,  404,   404,  302),
        no_data, left_team, ("owner", "member")),
    Row("team members",             GET,  "teams:members",        ("team",),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("update member",            POST, "teams:update_member",  ("team", "m:member"),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        member_roles, member_roles_changed, ("lead",)),
    Row("update other team's member", POST, "teams:update_member", ("team", "m:other"),
                                                 (403,  404,  403,   404,  403,  404,   404,  302),
        other_member_roles, other_member_changed, ()),
    Row("remove member",            POST, "teams:remove_member",  ("team", "m:member"),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        no_data, member_removed, ("lead",)),
    Row("remove other team's member", POST, "teams:remove_member", ("team", "m:other"),
                                                 (403,  404,  403,   404,  403,  404,   404,  302),
        no_data, other_member_changed, ()),
    Row("answers of the owner",     GET,  "teams:member_answers", ("team", "m:owner"),
                                                 (200,  200,  403,   404,  403,  404,   404,  302)),
    Row("answers of another member", GET, "teams:member_answers", ("team", "m:member"),
                                                 (403,  200,  200,   404,  403,  404,   404,  302)),
    Row("answers of the lead",      GET,  "teams:member_answers", ("team", "m:lead"),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("answers of other team's member", GET, "teams:member_answers", ("team", "m:other"),
                                                 (403,  404,  403,   404,  403,  404,   404,  302)),
    Row("team invite",              POST, "teams:invite",         ("team",),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        no_data, team_invited, ("lead",)),
    Row("team revoke",              POST, "teams:revoke",         ("team", "ti"),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        no_data, team_invitation_revoked, ("lead",)),
    Row("approve a join",           POST, "teams:approve_join",   ("team", "jr"),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        no_data, request_approved, ("lead",)),
    Row("refuse a join",            POST, "teams:refuse_join",    ("team", "jr"),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        no_data, request_refused, ("lead",)),
    # The other team's request under this team's URL: 404 for its lead, nothing happens for anybody.
    Row("approve other team's join", POST, "teams:approve_join",  ("team", "jr-other"),
                                                 (403,  404,  403,   404,  403,  404,   404,  302),
        no_data, other_request_answered, ()),
    Row("refuse other team's join", POST, "teams:refuse_join",    ("team", "jr-other"),
                                                 (403,  404,  403,   404,  403,  404,   404,  302),
        no_data, other_request_answered, ()),
    # The other team's invitation under this team's URL: nothing happens, for anybody.
    Row("team revoke other team's", POST, "teams:revoke",         ("team", "ti-other"),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        no_data, other_team_invitation_revoked, ()),
    Row("team settings (page)",     GET,  "teams:settings",       ("team",),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("team settings (save)",     POST, "teams:settings",       ("team",),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        team_settings, team_renamed, ("lead",)),
    Row("team end (page)",          GET,  "teams:end",            ("team",),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("team end (archive)",       POST, "teams:end",            ("team",),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        archive, team_archived, ("lead",)),
    Row("assignments (page)",       GET,  "teams:assignments",    ("team",),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("assignments (save)",       POST, "teams:assignments",    ("team",),
                                                 (403,  302,  403,   404,  403,  404,   404,  302),
        assign_lead, lead_assigned, ("lead",)),
    Row("dialogue sheet",           GET,  "teams:dialogue",       ("team",),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("dialogue sheet pdf",       GET,  "teams:dialogue_pdf",   ("team",),
                                                 (403,  200,  403,   404,  403,  404,   404,  302)),
    Row("team map xlsx",            GET,  "teams:map_xlsx",       ("team",),
                                                 (200,  200,  200,   404,  403,  404,   404,  302)),
    Row("team map csv",             GET,  "teams:map_csv",        ("team",),
                                                 (200,  200,  200,   404,  403,  404,   404,  302)),
    Row("team pool",                GET,  "teams:pool",           ("team",),
                                                 (403,  403,  403,   404,  200,  404,   404,  302)),
    # -- an organisation ---------------------------------------------------------------------------
    Row("org detail",               GET,  "orgs:detail",          ("org",),
                                                 (404,  404,  404,   404,  200,  404,   200,  302)),
    Row("org invite",               POST, "orgs:invite",          ("org",),
                                                 (404,  404,  404,   404,  302,  404,   403,  302),
        role_supporter, org_invited, ("staff",)),
    Row("org revoke",               POST, "orgs:revoke",          ("org", "oi"),
                                                 (404,  404,  404,   404,  302,  404,   403,  302),
        no_data, org_invitation_revoked, ("staff",)),
    Row("org revoke other org's",   POST, "orgs:revoke",          ("org", "oi-other"),
                                                 (404,  404,  404,   404,  302,  404,   403,  302),
        no_data, other_org_invitation_revoked, ()),
    Row("org set role",             POST, "orgs:set_role",        ("org", "ms:candidate"),
                                                 (404,  404,  404,   404,  302,  404,   403,  302),
        role_staff, candidate_made_staff, ("staff",)),
    Row("org set role other org's", POST, "orgs:set_role",        ("org", "ms:other"),
                                                 (404,  404,  404,   404,  404,  404,   403,  302),
        role_staff, other_admin_changed, ()),
    # Leaving or removing first shows what happens (the only administrator is sent back: 302).
    Row("org remove (page) supporter", GET, "orgs:remove",      ("org", "ms:candidate"),
                                                 (404,  404,  404,   404,  200,  404,   200,  302)),
    Row("org remove (page) admin",  GET,  "orgs:remove",          ("org", "ms:staff"),
                                                 (404,  404,  404,   404,  302,  404,   403,  302)),
    # The administrator removes the supporter; the supporter removes themself (leaves).
    Row("org remove supporter",     POST, "orgs:remove",          ("org", "ms:candidate"),
                                                 (404,  404,  404,   404,  302,  404,   302,  302),
        no_data, candidate_removed, ("staff", "candidate")),
    # A supporter may not remove someone else; the only administrator may not remove themself (302 back).
    Row("org remove administrator", POST, "orgs:remove",          ("org", "ms:staff"),
                                                 (404,  404,  404,   404,  302,  404,   403,  302),
        no_data, staff_removed, ()),
    Row("org remove other org's",   POST, "orgs:remove",          ("org", "ms:other"),
                                                 (404,  404,  404,   404,  404,  404,   404,  302)),
    Row("org pool",                 GET,  "teams:org_pool",            ("org",),
                                                 (404,  404,  404,   404,  200,  404,   403,  302)),
    Row("pool member's profile",    GET,  "teams:pool_person",         ("org", "ms:candidate"),
                                                 (404,  404,  404,   404,  200,  404,   403,  302)),
    Row("profile of one not in it", GET,  "teams:pool_person",         ("org", "ms:staff"),
                                                 (404,  404,  404,   404,  404,  404,   403,  302)),
    Row("org pool mine (page)",     GET,  "sharing:pool_mine",       ("org",),
                                                 (404,  404,  404,   404,  200,  404,   200,  302)),
    Row("org pool mine (leave)",    POST, "sharing:pool_mine",       ("org",),
                                                 (404,  404,  404,   404,  302,  404,   302,  302),
        share_private, pool_left, ("candidate",)),
    # -- one's own: lists, creating, joining, sharing ------------------------------------------------
    Row("team list",                GET,  "teams:list",           (),
                                                 (200,  200,  200,   200,  200,  200,   200,  302)),
    # One's one team's share page (302), or the choice among none (200).
    Row("share from a result",      GET,  "teams:share_from_result", (),
                                                 (302,  302,  302,   302,  200,  200,   200,  302)),
    Row("team create (page)",       GET,  "teams:create",         (),
                                                 (200,  200,  200,   200,  200,  200,   200,  302)),
    Row("my sharing",               GET,  "teams:my_sharing",     (),
                                                 (200,  200,  200,   200,  200,  200,   200,  302)),
    Row("join by code (page)",      GET,  "teams:join_by_code",   (),
                                                 (200,  200,  200,   200,  200,  200,   200,  302)),
    Row("join by code",             POST, "teams:join_by_code",   (),
                                                 (302,  302,  302,   302,  302,  302,   302,  302),
        the_code),
    # Members are sent to the team's page; anyone else holding the code sees what joining means.
    Row("join team (page)",         GET,  "teams:join",           ("code-team",),
                                                 (302,  302,  302,   200,  200,  200,   200,  302)),
    Row("join team",                POST, "teams:join",           ("code-team",),
                                                 (302,  302,  302,   302,  302,  302,   302,  302),
        join_roles, joined_team, ("other_team_member", "staff", "other_staff", "candidate")),
    Row("join org (page)",          GET,  "teams:join",           ("code-org",),
                                                 (200,  200,  200,   200,  302,  200,   302,  302)),
    Row("join org",                 POST, "teams:join",           ("code-org",),
                                                 (302,  302,  302,   302,  302,  302,   302,  302),
        no_data, joined_org, ("owner", "lead", "member", "other_team_member", "other_staff")),
    Row("join unknown code",        GET,  "teams:join",           ("code-unknown",),
                                                 (404,  404,  404,   404,  404,  404,   404,  302)),
    Row("org list",                 GET,  "orgs:list",            (),
                                                 (200,  200,  200,   200,  200,  200,   200,  302)),
    Row("org create (page)",        GET,  "orgs:create",          (),
                                                 (200,  200,  200,   200,  200,  200,   200,  302)),
]

# A team or organisation that does not exist, or an id that is not one: 404 for everyone signed in.
NOBODY = (404, 404, 404, 404, 404, 404, 404, 302)
UNKNOWN: list[tuple[str, str, tuple[str, ...]]] = [
    (GET,  "teams:detail",         ()),
    (GET,  "teams:share",          ()),
    (POST, "teams:share",          ()),
    (GET,  "teams:leave",          ()),
    (POST, "teams:leave",          ()),
    (GET,  "teams:members",        ()),
    (POST, "teams:update_member",  ("m:member",)),
    (POST, "teams:remove_member",  ("m:member",)),
    (GET,  "teams:member_answers", ("m:owner",)),
    (POST, "teams:invite",         ()),
    (POST, "teams:revoke",         ("ti",)),
    (GET,  "teams:settings",       ()),
    (POST, "teams:settings",       ()),
    (GET,  "teams:end",            ()),
    (POST, "teams:end",            ()),
    (GET,  "teams:assignments",    ()),
    (POST, "teams:assignments",    ()),
    (GET,  "teams:dialogue",       ()),
    (GET,  "teams:dialogue_pdf",   ()),
    (GET,  "teams:map_xlsx",       ()),
    (GET,  "teams:map_csv",        ()),
    (GET,  "teams:detail_pdf",     ()),
    (GET,  "teams:pool",           ()),
    (GET,  "orgs:detail",          ()),
    (POST, "orgs:invite",          ()),
    (POST, "orgs:revoke",          ("oi",)),
    (POST, "orgs:set_role",        ("ms:candidate",)),
    (POST, "orgs:remove",          ("ms:candidate",)),
    (GET,  "teams:org_pool",            ()),
    (GET,  "teams:pool_person",         ("ms:candidate",)),
    (GET,  "sharing:pool_mine",       ()),
    (POST, "sharing:pool_mine",       ()),
]
# fmt: on

DATA_FOR_UNKNOWN: dict[str, Data] = {
    "teams:share": share_private,
    "teams:update_member": member_roles,
    "teams:settings": team_settings,
    "teams:end": archive,
    "teams:assignments": assign_lead,
    "orgs:invite": role_supporter,
    "orgs:set_role": role_staff,
    "sharing:pool_mine": share_private,
}

ROWS += [
    Row(f"{name} {method} {which}", method, name, (which, *rest), NOBODY, DATA_FOR_UNKNOWN.get(name))
    for which in ("missing", "malformed")
    for method, name, rest in UNKNOWN
]


def cases() -> Iterator[object]:
    for row in ROWS:
        if row.mutates:
            for persona in PERSONAS:
                yield pytest.param(row, (persona,), id=f"{row.id}-{persona}")
        else:
            yield pytest.param(row, PERSONAS, id=row.id)


# Checks on what a page shows --------------------------------------------------------------------


def page_problems(scene: Scene, row: Row, persona: str, html: str) -> list[str]:
    """What a 200 page shows that this persona must not see (or, for the lead, must)."""
    world = scene.world
    problems = []
    for subject in TEAM_MEMBERS:
        link = reverse("teams:member_answers", args=[world.team.public_id, world.members[subject].pk])
        if link in html and persona not in ("lead", subject):
            problems.append(f"{persona} sees a link to {subject}'s 項目ごとの回答")
    if "チームマップ" in html and persona not in TEAM_MEMBERS:
        problems.append(f"{persona} sees チームマップ")
    if row.name == "teams:detail":
        if persona in TEAM_MEMBERS and "チームマップ" not in html:
            problems.append(f"{persona} (a member) does not see チームマップ")
        if persona == "lead":
            for subject in TEAM_MEMBERS:
                link = reverse("teams:member_answers", args=[world.team.public_id, world.members[subject].pk])
                if link not in html:
                    problems.append(f"the lead does not see the link to {subject}'s answers")
        if persona == "staff" and "項目ごとの回答" in html:
            problems.append("staff see 項目ごとの回答")
    if row.name == "orgs:detail" and persona == "candidate":
        for shown in (
            "組織の人",
            "県庁 四郎",
            f'href="{reverse("teams:org_pool", args=[world.org.public_id])}"',
        ):
            if shown in html:
                problems.append(f"the supporter sees {shown!r} on the organisation's page")
    if row.name == "orgs:detail" and persona == "staff" and "補完 六子" not in html:
        problems.append("the administrator does not see the organisation's people")
    if row.name == "teams:member_answers":
        subject = next(p for p in TEAM_MEMBERS if f"m:{p}" in row.args)
        for other in TEAM_MEMBERS:
            name = str(world.people[other])
            if other != subject and other != persona and name in html:
                problems.append(f"{persona} sees {other}'s name on {subject}'s answers")
    return problems


def redirect_problems(persona: str, to: str, path: str) -> list[str]:
    location = urlsplit(to)
    login = reverse("accounts:login")
    if persona == "anonymous":
        if location.path != login or parse_qs(location.query).get("next") != [path]:
            return [f"anonymous is sent to {to!r}, not to the login page with next={path}"]
        return []
    if location.path == login:
        return [f"{persona} (signed in) is sent to the login page"]
    return []


# The test ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "personas"), list(cases()))
def test_access_matrix(world: World, row: Row, personas: tuple[str, ...]) -> None:
    scene = Scene.of(world)
    expected = dict(zip(PERSONAS, row.expected, strict=True))
    args = [scene.arg(a) for a in row.args]
    path = reverse(row.name, args=args)
    data = row.data(scene) if row.data else {}

    got: dict[str, int] = {}
    problems: list[str] = []
    for persona in personas:
        client = world.client(persona)
        response = private(client.post(path, data)) if row.method == POST else get_and_head(client, path)
        got[persona] = response.status_code
        if response.status_code == 302:
            problems += redirect_problems(persona, response["Location"], path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            problems += page_problems(scene, row, persona, response.content.decode())
        if response.status_code == 200 and response["Content-Type"] == "application/pdf":
            text = text_of(response.content)  # the page as printed: the same rules on what it shows
            if "チームマップ" in text and persona not in TEAM_MEMBERS:
                problems.append(f"{persona} sees チームマップ in the PDF")
        if row.effect is not None and row.mutates:
            happened = row.effect(scene, persona)
            if happened != (persona in row.effect_for):
                problems.append(f"after {persona}'s request, effect happened = {happened}")

    assert got == {p: expected[p] for p in personas}, f"{row.method} {path}"
    assert problems == []


# The team's verdicts, as each persona reads them ------------------------------------------------------
#
# A verdict tells about the members it considers: in a team whose single 中核推進役/調整役 is the lead,
# the B verdict on element 2 *is* the lead's standing. Members read it as before; staff of the running
# organisation read it only once the lead consented (domain.verdict_consent), and otherwise
# 「（非表示：個人の状況が分かるため）」 in its place, on the page and in its PDF. Every check practises
# element 2, so the verdict is met.

HIDDEN = "（非表示：個人の状況が分かるため）"
MET = "○ 満たしている"
B2_VERDICT = re.compile(
    r'<span class="tier-code">B</span> 中核推進役・調整役が「2\. [^」]*」を備えている</th>\s*'
    r'<td class="verdict verdict-(\w+)">(.*?)</td>'
)

# fmt: off
VERDICT_ROWS: list[tuple[str, bool, tuple[str | int, ...]]] = [
    # case                              the lead consents
    #                                          owner lead  member other staff   ostaff cand  anon
    ("single core member not consented", False, (MET,  MET,  MET,   404,  HIDDEN, 404,   404,  302)),
    ("single core member consented",     True,  (MET,  MET,  MET,   404,  MET,    404,   404,  302)),
]
# fmt: on


def b2_verdict(html: str) -> str:
    found = B2_VERDICT.findall(html)
    assert len(found) == 1, found
    css, verdict = found[0]
    assert css == ("hidden" if verdict == HIDDEN else "met"), (css, verdict)
    return str(verdict)


@pytest.mark.parametrize(
    ("consents", "expected"), [pytest.param(c, e, id=case.replace(" ", "_")) for case, c, e in VERDICT_ROWS]
)
def test_the_b_verdict_of_a_single_core_member_by_persona(
    world: World, consents: bool, expected: tuple[str | int, ...]
) -> None:
    owner, lead = world.members["owner"], world.people["lead"]
    team_services.set_member(member=owner, roles=["advisor"], is_lead=False)  # the lead: the only core member
    sharing_services.share(
        user=lead, audience=Audience.team(world.team.pk), choice=LATEST, verdicts_to_staff=consents
    )
    got: dict[str, str | int] = {}
    for persona in PERSONAS:
        response = world.client(persona).get(reverse("teams:detail", args=[world.team.public_id]))
        got[persona] = (
            b2_verdict(response.content.decode()) if response.status_code == 200 else response.status_code
        )
    assert got == dict(zip(PERSONAS, expected, strict=True))

    staff = world.client("staff")
    html = staff.get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    pdf = "".join(
        text_of(staff.get(reverse("teams:detail_pdf", args=[world.team.public_id])).content).split()
    )
    # C and A consider the lead too: hidden with B, and so is データ活用力's gap (and the pool link for it).
    assert (HIDDEN in pdf) == (not consents)
    assert ("チーム全体で「データ活用力」を実践できているメンバーがいません" in html) == consents
    assert ("組織の人材プールから、補える人を探す" in html) == consents
    for member in TEAM_MEMBERS:  # the members still read every verdict, with the reasons they had
        page = world.client(member).get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
        assert HIDDEN not in page and "チーム全体で「データ活用力」を実践できているメンバーがいません" in page


def test_the_table_covers_every_route_of_teams_and_orgs() -> None:
    from bansou.orgs.urls import urlpatterns as org_patterns
    from bansou.sharing.urls import urlpatterns as sharing_patterns
    from bansou.teams.urls import urlpatterns as team_patterns
    from tests.teams.test_offer_access import ROWS as OFFER_ROWS  # offers and carrying: their own table

    routes = {f"teams:{p.name}" for p in team_patterns} | {f"orgs:{p.name}" for p in org_patterns}
    routes |= {f"sharing:{p.name}" for p in sharing_patterns}
    assert routes - {row.name for row in ROWS} - {row.name for row in OFFER_ROWS} == set()
