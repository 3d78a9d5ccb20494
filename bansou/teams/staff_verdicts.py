"""The verdicts of many teams as the running organisation's staff read them, in a fixed number of queries.

The team page works out one team's verdicts from the answers of the checks its members share
(``queries.shared_checks``); over hundreds of teams that would be a query per team and a scoring of
every answer. Here the same verdicts come from the element and label standings stored with each check
(``CheckStanding``/``CheckLabelStanding``, worked out by the domain when the check was submitted), read
for all the teams at once: six queries, whatever the number of teams and members. Each verdict goes
through ``domain.verdict_consent.staff_view`` with the members' consents, as on the team page for
staff: a verdict some member it considers did not consent to is hidden (``None``), never counted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from bansou.checks.models import CheckLabelStanding, CheckStanding
from bansou.domain.coverage import Assessment, Profile, Standing, Verdict, assess, labels_of
from bansou.domain.framework import Framework
from bansou.domain.scoring import Share
from bansou.domain.verdict_consent import staff_view
from bansou.sharing.models import CheckShare
from bansou.sharing.queries import resolved_shares
from bansou.teams.models import Team, TeamMember
from bansou.teams.presenters import rule_name

BASICS = "basics"  # the key of the A rule among the rules' keys (``Rule.key`` for B and C)


@dataclass(frozen=True)
class RuleHead:
    """One rule as a column: its key, its tier (A, B, C) and its name in the leaflet's words."""

    key: str
    tier: str
    name: str


@dataclass(frozen=True)
class TeamVerdicts:
    team: Team
    verdicts: dict[str, Verdict | None]  # rule key to the verdict staff read; None: hidden from staff
    members: int = 0  # none yet (a team made by a plan, its people still asked): nothing to judge


def rule_heads(framework: Framework) -> list[RuleHead]:
    """A (the basics), the B elements, the C labels, in the order of the team page's table."""
    names = {e.number: e.name for e in framework.elements}
    empty = assess(framework, [])
    heads = [RuleHead(BASICS, "A", _("基礎知識・基礎スキル"))] if empty.basics is not None else []
    return heads + [RuleHead(r.key, r.tier, rule_name(r, names)) for r in empty.rules]


@dataclass(frozen=True)
class Member:
    key: str  # the TeamMember's id, as the team page keys its members
    team_id: int
    user_id: int
    roles: frozenset[str]


@dataclass
class _Read:
    members: dict[int, list[Member]]
    checks: dict[tuple[int, int], int]  # (team, owner) to the check shared with the team
    consents: dict[int, set[int]]  # team to the owners who let staff read its verdicts
    elements: dict[int, dict[int, Standing]]  # check to the elements practised
    labels: dict[int, dict[str, Standing]]  # check to the C labels practised
    basics: dict[int, Share]  # check to the A items understood


@cache
def _standing(understood: int, practised: int, total: int) -> Standing:
    """One standing per distinct count (they are few, and a standing never changes)."""
    return Standing(Share(understood, total), Share(practised, total))


@cache
def _roles(stored: str) -> frozenset[str]:
    """A member's roles from the stored JSON text, decoded once per distinct text (they are few)."""
    return frozenset(json.loads(stored))


def _read(teams: QuerySet[Team], framework: Framework) -> _Read:
    """Members, shares with consents, element and label standings: five queries."""
    members: dict[int, list[Member]] = defaultdict(list)
    for pk, team_id, user_id, roles in TeamMember.objects.filter(team__in=teams).values_list(
        "pk", "team_id", "user_id", Cast("roles", TextField())
    ):
        members[team_id].append(Member(str(pk), team_id, user_id, _roles(roles)))
    shares = resolved_shares(CheckShare.objects.filter(team__in=teams))
    checks: dict[tuple[int, int], int] = {}
    consents: dict[int, set[int]] = defaultdict(set)
    for team_id, owner, check_id, consent in shares.values_list(
        "team_id",
        "owner_id",
        "resolved",
        "verdicts_to_staff",  # type: ignore[misc]  # an annotation
    ):
        if check_id:
            checks[(team_id, owner)] = check_id
        if consent:  # as ``sharing.queries.verdict_consents``: consent, with or without a check yet
            consents[team_id].add(owner)
    shared = shares.values("resolved")  # type: ignore[misc]  # an annotation
    elements: dict[int, dict[int, Standing]] = defaultdict(dict)
    for check_id, element, u, p, total in CheckStanding.objects.filter(
        check_record_id__in=shared, practised=True
    ).values_list("check_record_id", "element", "understood_count", "practised_count", "total"):
        elements[check_id][element] = _standing(u, p, total)
    labels, basics = _label_standings(shared, framework)
    return _Read(members, checks, consents, elements, labels, basics)


def _label_standings(
    shared: QuerySet[Any], framework: Framework
) -> tuple[dict[int, dict[str, Standing]], dict[int, Share]]:
    """Per check, the C labels practised, and the A items understood of all (the A labels are the A
    items, one each: their sums are the tier's share, as ``Result.of_tier`` counts it). Two queries."""
    labels: dict[int, dict[str, Standing]] = defaultdict(dict)
    for check_id, code, u, p, total in CheckLabelStanding.objects.filter(
        check_record_id__in=shared,
        label__in=[label.code for label in labels_of(framework, "C")],
        practised=True,
    ).values_list("check_record_id", "label", "understood_count", "practised_count", "total"):
        labels[check_id][code] = _standing(u, p, total)
    basics = {
        check_id: Share(understood, total)
        for check_id, understood, total in CheckLabelStanding.objects.filter(
            check_record_id__in=shared, label__in=[label.code for label in labels_of(framework, "A")]
        )
        .values("check_record_id")
        .annotate(understood=Sum("understood_count"), all=Sum("total"))
        .values_list("check_record_id", "understood", "all")
        .order_by()
    }
    return labels, basics


def _profile(member: Member, read: _Read) -> Profile:
    check_id = read.checks.get((member.team_id, member.user_id))
    if check_id is None:
        return Profile(key=member.key, roles=member.roles)
    return Profile(
        key=member.key,
        roles=member.roles,
        standings=read.elements.get(check_id, {}),
        basics=read.basics.get(check_id, Share(0, 0)),
        labels=read.labels.get(check_id, {}),
    )


def staff_verdicts(assessment: Assessment, consenting: Iterable[str]) -> dict[str, Verdict | None]:
    """Rule key to the verdict staff may read (``staff_view``), None where it is hidden."""
    view = staff_view(assessment, frozenset(consenting))
    found: dict[str, Verdict | None] = {r.key: r.verdict if view.shows(r) else None for r in assessment.rules}
    if assessment.basics is not None:
        found[BASICS] = assessment.basics.verdict if view.basics_shown else None
    return found


def teams_verdicts(teams: QuerySet[Team], framework: Framework) -> list[TeamVerdicts]:
    """Each team's verdicts as its running organisation's staff read them on its page. Six queries
    (the teams, with their 市町村, and ``_read``'s five), whatever the number of teams and members."""
    listed = list(teams.select_related("municipality__prefecture"))
    read = _read(teams, framework)
    found = []
    for team in listed:
        members = read.members.get(team.pk, [])
        assessment = assess(framework, [_profile(m, read) for m in members], needed=team.needed)
        consenting = [m.key for m in members if m.user_id in read.consents.get(team.pk, set())]
        found.append(TeamVerdicts(team, staff_verdicts(assessment, consenting), len(members)))
    return found
