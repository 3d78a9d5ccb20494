"""The world the hostile-body test posts into (``tests/test_hostile_bodies.py``): seeded objects whose
real ids fill every URL, the forms each page offers (so that bodies carry the fields a view reads), and
a count of writes to the application's tables."""

from __future__ import annotations

import contextlib
import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.models import Check
from bansou.checks.services import get_or_start_draft
from bansou.cohorts import services as cohort_services
from bansou.domain.feedback import MIN_RATERS, Mark, RaterGroup
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.planning import Changes
from bansou.feedback import services as feedback_services
from bansou.feedback.models import Comment, FeedbackRequest, RateWindow
from bansou.frameworks.queries import current_version, framework_of
from bansou.invitations import services as invitation_services
from bansou.orgs import services as org_services
from bansou.orgs.models import Membership, Organisation
from bansou.placements import services as placement_services
from bansou.placements.models import ChangeProposal, PlacementPlan
from bansou.placements.pool import plan_pool
from bansou.places.models import Municipality
from bansou.plans import services as plan_services
from bansou.profiles import services as profile_services
from bansou.proposals import services as proposal_services
from bansou.proposals.models import TeamProposal
from bansou.proposals.pool import forming_pool, rule_keys
from bansou.teams import offers as team_offers
from bansou.teams import services as team_services
from bansou.teams.models import JoinRequest
from tests.cohorts.conftest import new_cohort_and_code
from tests.hostile import Field
from tests.teams.conftest import build_world


@dataclass(frozen=True)
class Seeded:
    """The users of the personas and the real value of each URL argument (by the argument's name,
    or by ``url name:argument`` or ``namespace:argument`` where one name means different things)."""

    users: dict[str, User]
    args: dict[str, str | int]
    reset_url: str  # a password reset link (the anonymous persona follows it)
    feedback_code: str  # an open feedback link's code (the rater persona's session holds the link)

    def arg(self, url_name: str, name: str) -> str | int:
        """A URL argument with no value here fails the test: seed a real object for it."""
        namespace = url_name.partition(":")[0]
        found = self.args.get(f"{url_name}:{name}", self.args.get(f"{namespace}:{name}", self.args.get(name)))
        return found or self.args[f"{url_name}:{name}"]


def seed(framework: object, submitted: Callable[..., Check]) -> Seeded:
    """The teams' world (tests/teams/conftest.py), with a 研修 the member takes part in, a draft, a plan
    and a check without one of the member's, invitations, a supporter profile, a password reset link,
    an administrator, and the supporter's feedback requests (one open, one closed with comments)."""
    world = build_world(framework, submitted)
    people = world.people
    member, staff, supporter = people["member"], people["staff"], people["candidate"]
    admin = User.objects.create_superuser(
        username="admin", password="pass-word-1234", display_name="管理 一郎"
    )
    cohort, cohort_code = new_cohort_and_code(world.org, staff)
    cohort_services.join(cohort=cohort, user=member)
    without_plan = submitted(member)  # before the draft below: submitting takes the open draft
    draft = get_or_start_draft(holder=Holder(user_id=member.pk), version=current_version())
    plan = plan_services.start_plan(owner=member, check=world.checks["member"], item_codes=["2-1"])
    team_invitation = team_services.invite(team=world.team, by=people["lead"])
    asking = team_services.invite(team=world.team, by=people["lead"], how=team_services.Invite.APPROVAL)
    with contextlib.suppress(invitation_services.AwaitingApproval):  # waits for the lead
        team_services.join(invitation=asking.invitation, user=supporter, roles=[], affiliation=None)
    join_request = JoinRequest.objects.get(team=world.team, user=supporter)
    offer = team_offers.offer(  # the supporter is asked to take a place in the team: their offer page
        team=world.team, people=[(supporter.pk, False)], by=staff, reason=team_offers.Reason.PLACEMENT
    )[0]
    org_invitation = org_services.invite(organisation=world.org, by=staff, role="supporter")
    chiyoda = Municipality.objects.get(lgcode="131016")
    profile_services.add_municipality(user_id=supporter.pk, municipality=chiyoda)
    today = timezone.localdate()
    period = profile_services.add_unavailable(user_id=supporter.pk, start=today, end=today)
    membership = Membership.objects.get(organisation=world.org, user=supporter)
    forgetful = people["owner"]  # a team member who never signs in here: the reset link stays valid
    uid = urlsafe_base64_encode(force_bytes(forgetful.pk))
    proposal = _proposal(world.org, staff, chiyoda)
    placement = placement_of(world.org, staff, chiyoda)
    change = ChangeProposal.objects.create(team=world.team, plan=placement, add=[[supporter.pk, False]])
    open_request, closed_request, comment, feedback_code = _feedback(supporter)
    args: dict[str, str | int] = {
        "proposal_id": str(proposal.public_id),
        "placements:plan_id": str(placement.public_id),  # the namespace's (``plan_id``: plans')
        "change_id": str(change.public_id),
        "team_id": str(world.team.public_id),
        "org_id": str(world.org.public_id),
        "cohort_id": str(cohort.public_id),
        "draft_id": str(draft.public_id),
        "check_id": str(world.checks["member"].public_id),
        "plans:start:check_id": str(without_plan.public_id),
        "plan_id": str(plan.public_id),
        "phase": "pre",
        "member_id": world.members["member"].pk,
        "membership_id": membership.pk,
        "invitation_id": team_invitation.invitation.pk,
        "request_id": join_request.pk,
        "offer_id": str(offer.public_id),
        "orgs:revoke:invitation_id": org_invitation.invitation.pk,
        "code": team_invitation.code,
        "cohorts:join:code": cohort_code,
        "lgcode": chiyoda.lgcode,
        "period_id": period.pk,
        "uidb64": uid,
        "token": "set-password",  # the form's address, once the link's token is in the session
        "feedback:request_id": str(open_request.public_id),  # the namespace's (``request_id``: teams')
        "feedback:hide_comment:request_id": str(closed_request.public_id),
        "feedback:next_step:request_id": str(closed_request.public_id),
        "comment_id": comment.public_id,
    }
    users = {"supporter": supporter, "lead": people["lead"], "member": member, "staff": staff, "admin": admin}
    reset_url = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(forgetful)]
    )
    return Seeded(users, args, reset_url, feedback_code)


def _feedback(owner: User) -> tuple[FeedbackRequest, FeedbackRequest, Comment, str]:
    """Two of the owner's feedback requests: one open (with a link left for the rater persona), one
    closed after three answers with comments (so that its page shows the comments and their forms)."""
    version = current_version()
    framework = framework_of(version)
    items = [i.code for i in framework.items()][:3]

    def made() -> tuple[FeedbackRequest, list[invitation_services.Issued]]:
        return feedback_services.make_request(
            owner=owner, version=version, framework=framework, items=items, message="率直に",
            closes_on=timezone.localdate() + datetime.timedelta(days=14), links={RaterGroup.MUNICIPAL: 4},
        )  # fmt: skip

    open_request, open_links = made()
    closed_request, closed_links = made()
    for n, link in enumerate(closed_links[:MIN_RATERS]):  # one in three does not see it: self and others
        marks = dict.fromkeys(items, Mark.NOT_YET if n == 0 else Mark.SEEN)  # differ (次の一歩 is offered)
        feedback_services.answer(link.invitation, marks, {items[0]: "よく聞いてくださる"})
    feedback_services.close(closed_request)
    comment = Comment.objects.filter(answer__request=closed_request).earliest("pk")
    return open_request, closed_request, comment, open_links[0].code


def _proposal(org: Organisation, staff: User, municipality: Municipality) -> TeamProposal:
    """A team proposal of the organisation (its pool holds the candidate)."""
    framework = framework_of(current_version())
    fiscal_year = fiscal_year_of(timezone.localdate()) + 1  # the candidate is away today, not then
    asked = proposal_services.Asked(
        municipality=municipality, fiscal_year=fiscal_year, size_min=1, size_max=2, core_min=0, core_max=1,
        needed=1, must_in=(), must_out=(), prefer_area=False, prefer_experience=False,
    )  # fmt: skip
    pool = forming_pool(org.pk, framework, municipality, fiscal_year, timezone.localdate())
    return proposal_services.propose(
        organisation=org, user=staff, asked=asked, pool=pool, request=asked.request(*rule_keys(framework))
    )


def placement_of(org: Organisation, staff: User, municipality: Municipality) -> PlacementPlan:
    """A 配置計画 of the organisation for one 市町村 without a team (its pool holds the candidate)."""
    framework = framework_of(current_version())
    fiscal_year = fiscal_year_of(timezone.localdate()) + 1  # the candidate is away today, not then
    asked = placement_services.Asked(
        fiscal_year=fiscal_year,
        targets=(
            placement_services.Wanted(
                lgcode=municipality.lgcode, team=None, size_min=1, size_max=2, core_min=0, core_max=1,
                needed=1, prefer_area=False, prefer_experience=False,
            ),
        ),
        changes=Changes.ADD,
        areas_required=False,
    )  # fmt: skip
    pool = plan_pool(
        org.pk, framework, fiscal_year, timezone.localdate(), lgcodes=[municipality.lgcode], team_ids=[]
    )
    return placement_services.make_plan(
        organisation=org, user=staff, asked=asked, request=asked.request(pool, rule_keys(framework))
    )


def app_tables() -> list[str]:
    """The tables of the application's apps (``bansou.*``; many-to-many tables included), but the
    public feedback pages' rate windows: they count requests, whatever their body (like sessions)."""
    return sorted(
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("bansou.")
        for model in config.get_models(include_auto_created=True)
        if model is not RateWindow
    )


class Writes:
    """The application's tables that were written (a row added, changed or removed) since ``mark``,
    by the database's own count: SQLite, temporary triggers that log each write into a temporary
    table (emptied again with the request's rolled-back savepoint); PostgreSQL, the transaction's
    statistics (``pg_stat_xact_user_tables``)."""

    def __init__(self) -> None:
        self.tables = app_tables()
        self.before: dict[str, int] = {}
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMP TABLE hostile_writes (tbl TEXT)")
                for table, event in itertools.product(self.tables, ("INSERT", "UPDATE", "DELETE")):
                    cursor.execute(
                        f'CREATE TEMP TRIGGER "hostile_{table}_{event}" AFTER {event} ON "{table}" '
                        f"BEGIN INSERT INTO hostile_writes VALUES ('{table}'); END"
                    )

    def _counts(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT tbl, count(*) FROM hostile_writes GROUP BY tbl")
            else:
                cursor.execute(
                    "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
                    " WHERE relname = ANY(%s)",
                    [self.tables],
                )
            return dict(cursor.fetchall())

    def mark(self) -> None:
        self.before = self._counts()

    def since_mark(self) -> list[str]:
        return sorted(table for table, n in self._counts().items() if n != self.before.get(table, 0))


class FormsOfPage(HTMLParser):
    """The fields of each ``method=post`` form of a page, by the path the form posts to."""

    def __init__(self, page: str, html: str) -> None:
        super().__init__()
        self.page = page
        self.forms: dict[str, set[Field]] = {}
        self._action: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            post = (attributes.get("method") or "").lower() == "post"
            action = urlsplit(urljoin(self.page, attributes.get("action") or self.page)).path
            self._action = action if post else None
            if self._action is not None:
                self.forms.setdefault(self._action, set())
        elif tag in ("input", "select", "textarea", "button") and self._action and attributes.get("name"):
            lone_checkbox = attributes.get("type") == "checkbox" and "value" not in attributes
            self.forms[self._action].add(Field(str(attributes["name"]), lone_checkbox))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None
