"""Reads of teams and the pool, each in a fixed number of queries whatever the number of people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
from bansou.domain.complement import Candidate, Match, complement
from bansou.domain.coverage import Profile, Standing, profile_of
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.scoring import Answer, Result, Share, score
from bansou.frameworks.queries import framework_of
from bansou.orgs.models import Organisation
from bansou.orgs.pages import OrgPage
from bansou.sharing import audiences
from bansou.sharing import queries as sharing_queries
from bansou.sharing.models import CheckShare, PlanShare
from bansou.teams.models import AccessLog, Assignment, Team, TeamMember


def members_of(team: Team) -> list[TeamMember]:
    """The members with their accounts and affiliations, leads first, then by フリガナ. One query."""
    return list(
        TeamMember.objects.filter(team=team)
        .select_related("user", "affiliation")
        .order_by("-is_lead", "user__furigana", "user__display_name", "pk")
    )


@dataclass(frozen=True)
class SharedCheck:
    check: Check
    framework: Framework
    result: Result
    latest: bool  # shared as 常に最新


def shared_checks(team: Team, user_id: int | None = None) -> dict[int, SharedCheck]:
    """User id to the check they share with ``team`` (only ``user_id``'s, if given), scored. Three queries."""
    return _scored(sharing_queries.team_shares(team.pk, user_id))


def _scored(wanted: dict[int, tuple[int, bool]]) -> dict[int, SharedCheck]:
    check_ids = [check_id for check_id, _ in wanted.values()]
    checks = {c.pk: c for c in Check.objects.filter(pk__in=check_ids).select_related("framework")}
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for check_id, code, understanding, practice in CheckAnswer.objects.filter(
        check_record_id__in=check_ids
    ).values_list("check_record_id", "item__code", "understanding", "practice"):
        answers[check_id][code] = Answer(understanding, practice)
    found = {}
    for owner, (check_id, latest) in wanted.items():
        check = checks.get(check_id)
        if check is None:
            continue
        framework = framework_of(check.framework)
        found[owner] = SharedCheck(check, framework, score(framework, answers[check_id]), latest)
    return found


def profiles(members: Iterable[TeamMember], shared: dict[int, SharedCheck]) -> list[Profile]:
    found = []
    for m in members:
        check = shared.get(m.user_id)
        found.append(
            profile_of(
                str(m.pk), m.roles, check.result if check else None, check.framework if check else None
            )
        )
    return found


def verdict_consents(team: Team, members: Iterable[TeamMember]) -> set[str]:
    """The members (as the map's keys) who let the team's verdicts be shown to the running
    organisation's staff. One query."""
    consenting = sharing_queries.verdict_consents(team.pk)
    return {str(m.pk) for m in members if m.user_id in consenting}


def assignments_of(team: Team) -> dict[int, list[int]]:
    """Element number to the TeamMember ids who took it on (担当). One query."""
    found: dict[int, list[int]] = defaultdict(list)
    for element, member_id in Assignment.objects.filter(team=team).values_list("element", "member_id"):
        found[element].append(member_id)
    return found


def teams_of(user: User) -> list[TeamMember]:
    """The user's team seats, newest 年度 first. One query."""
    return list(
        TeamMember.objects.filter(user=user)
        .select_related("team__municipality__prefecture", "team__organisation")
        .order_by("-team__fiscal_year", "team__municipality_id", "team__pk")
    )


@dataclass(frozen=True)
class Traces:
    """What a team holds beyond its members and 担当: what was shared with it, who looked at answers."""

    check_shares: int
    plan_shares: int
    access_records: int

    @property
    def any(self) -> bool:
        return bool(self.check_shares or self.plan_shares or self.access_records)


def traces_of(team: Team) -> Traces:
    """Three counts."""
    return Traces(
        check_shares=CheckShare.objects.filter(team=team).count(),
        plan_shares=PlanShare.objects.filter(team=team).count(),
        access_records=AccessLog.objects.filter(team=team).count(),
    )


def access_log_of(user: User, limit: int = 200) -> list[AccessLog]:
    return list(AccessLog.objects.filter(subject=user).order_by("-at")[:limit])


# The pool ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolPerson:
    user: User
    match: Match
    teams: tuple[Team, ...]  # their teams in the 年度 asked about


def _pool_standings(
    organisation: Organisation, wanted: Collection[int], labels: Collection[str]
) -> tuple[dict[int, dict[int, Standing]], dict[int, dict[str, Standing]]]:
    """Per owner, the wanted elements and labels practised in the check they shared with the pool
    (one query for each kind asked for)."""
    standings: dict[int, dict[int, Standing]] = defaultdict(dict)
    label_standings: dict[int, dict[str, Standing]] = defaultdict(dict)
    if wanted:
        for owner, element, understood, practised, total in CheckStanding.objects.filter(
            check_record_id__in=sharing_queries.pool_checks(organisation.pk),
            element__in=list(wanted),
            practised=True,
        ).values_list("check_record__owner_id", "element", "understood_count", "practised_count", "total"):
            standings[owner][element] = Standing(Share(understood, total), Share(practised, total))
    if labels:
        for owner, code, understood, practised, total in CheckLabelStanding.objects.filter(
            check_record_id__in=sharing_queries.pool_checks(organisation.pk),
            label__in=list(labels),
            practised=True,
        ).values_list("check_record__owner_id", "label", "understood_count", "practised_count", "total"):
            label_standings[owner][code] = Standing(Share(understood, total), Share(practised, total))
    return standings, label_standings


def _teams_of(user_ids: list[int], fiscal_year: int) -> dict[int, list[Team]]:
    """Each person's teams in the 年度 (one query)."""
    seats: dict[int, list[Team]] = defaultdict(list)
    for seat in (
        TeamMember.objects.filter(user_id__in=user_ids, team__fiscal_year=fiscal_year)
        .select_related("team__municipality__prefecture", "team__organisation")
        .order_by("team__municipality_id", "team__pk")
    ):
        seats[seat.user_id].append(seat.team)
    return seats


def pool_candidates(
    organisation: Organisation,
    wanted: Collection[int],
    fiscal_year: int,
    exclude: Collection[int] = (),
    limit: int = 50,
    labels: Collection[str] = (),
) -> tuple[list[PoolPerson], int]:
    """People in the organisation's pool whose shared check practises a wanted element or C label
    (``labels``: codes, C-1…C-9).

    ``exclude``: user ids (the team's members). Ordered by the domain's ``complement``: more wanted
    elements and labels first, then fewer teams that 年度, then フリガナ. Returns at most ``limit``
    people and the number found. Five queries whatever the pool's size (six when both elements and
    labels are asked for: one search of each table of standings).
    """
    standings, label_standings = _pool_standings(organisation, wanted, labels)
    owners = [pk for pk in {**standings, **label_standings} if pk not in exclude]
    loads = dict(
        TeamMember.objects.filter(user_id__in=owners, team__fiscal_year=fiscal_year)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=owners)
        .only("pk", "display_name", "furigana")
        .order_by("furigana", "display_name", "pk")
    }
    matches = complement(
        wanted,
        (Candidate(str(pk), standings[pk], loads.get(pk, 0), label_standings[pk]) for pk in users),
        exclude=(),
        labels=labels,
    )
    shown = matches[:limit]
    seats = _teams_of([int(m.candidate.key) for m in shown], fiscal_year)
    people = [PoolPerson(users[int(m.candidate.key)], m, tuple(seats[int(m.candidate.key)])) for m in shown]
    return people, len(matches)


def team_audiences(user_id: int) -> list[audiences.TeamAudience]:
    """The teams a person may share a plan with (``sharing.audiences``): theirs, newest 年度 first."""
    seats = (
        TeamMember.objects.filter(user_id=user_id)
        .select_related("team__municipality__prefecture", "team__organisation")
        .order_by("-team__fiscal_year", "team__municipality_id")
    )
    return [audiences.TeamAudience(seat.team_id, seat.team.listing) for seat in seats]


def org_page_context(page: OrgPage) -> dict[str, Any]:
    """For the organisation's page (``orgs.pages``): the teams it runs, for its staff. One query."""
    if not page.membership.is_staff:
        return {}
    teams = Team.objects.filter(organisation=page.organisation).select_related("municipality__prefecture")
    return {
        "teams": [
            {
                "team": t,
                "label": t.label,
                "fiscal_year": format_fiscal_year(t.fiscal_year),
                "archived": t.archived_at is not None,
            }
            for t in teams.order_by("-fiscal_year", "municipality_id")
        ]
    }
