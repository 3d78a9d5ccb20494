"""The people of an organisation's pool as the optimisers see them (team forming for one 市町村, in
``proposals``; the plan across 市町村, in ``placements``): each person made only of the element- and
label-level standings of the check they share with the organisation, and of their supporter profile
(``selection``). A fixed number of queries, whatever the pool's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from bansou.checks.models import CheckLabelStanding, CheckStanding
from bansou.domain.coverage import CORE_ROLES, Profile, Standing, labels_of
from bansou.domain.forming import Person
from bansou.domain.framework import Framework
from bansou.domain.scoring import Share
from bansou.sharing import queries as sharing_queries
from bansou.teams.selection import PoolProfile

CORE_ROLE = sorted(CORE_ROLES)[0]  # the role a proposed core member is seen with in a preview


@dataclass(frozen=True)
class Standings:
    """What the check a person shares with the organisation says, as the team rules read it."""

    elements: dict[int, Standing]  # the B elements they practise
    labels: dict[str, Standing]  # the C labels they practise
    basics: Share  # A labels understood, of those their check has

    def profile(self, key: str, core: bool) -> Profile:
        """The person as a team member (``coverage.Profile``), for the preview of the verdicts."""
        return Profile(
            key=key,
            roles=frozenset({CORE_ROLE}) if core else frozenset(),
            standings=self.elements,
            basics=self.basics,
            labels=self.labels,
        )


NO_STANDINGS = Standings({}, {}, Share(0, 0))


def b_elements(framework: Framework) -> tuple[int, ...]:
    return tuple(e.number for e in framework.elements if e.tier == "B")


def rule_keys(framework: Framework) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The B and C rule keys the optimisers are given: "B:<element>", "C:<label code>"."""
    return (
        tuple(f"B:{n}" for n in b_elements(framework)),
        tuple(f"C:{label.code}" for label in labels_of(framework, "C")),
    )


def start_day(fiscal_year: int, today: date) -> date:
    """The day availability is judged on: today, or the 年度's first day if it is still to come."""
    return max(today, date(fiscal_year, 4, 1))


def person_of(
    profile: PoolProfile,
    standings: Standings,
    framework: Framework,
    *,
    order: int,
    start: date,
    load: int | None = None,
) -> Person:
    """One person as the optimiser sees them (``knows_area``/``supported_before`` left to the
    caller); ``load``: the teams they hold, when not the profile's."""
    a_labels = len(labels_of(framework, "A"))
    return Person(
        key=str(profile.user_id),
        practises=frozenset(f"B:{n}" for n in standings.elements)
        | frozenset(f"C:{c}" for c in standings.labels),
        basics=a_labels > 0 and standings.basics.count == standings.basics.total == a_labels,
        may_be_core=profile.core_role,
        capacity=profile.capacity,
        load=profile.load if load is None else load,
        available=profile.available_on(start),
        order=order,
    )


def standings_of(
    organisation_id: int, framework: Framework, only: Collection[int] | None = None
) -> dict[int, Standings]:
    """By owner: the B elements and C labels practised, and the A labels understood, in the check they
    share with the organisation's pool (``only``: of these user ids). Three queries."""
    checks = sharing_queries.pool_checks(organisation_id)
    if only is not None:
        checks = checks.filter(owner_id__in=list(only))
    elements: dict[int, dict[int, Standing]] = defaultdict(dict)
    for owner, element, understood, practised, total in CheckStanding.objects.filter(
        check_record_id__in=checks, element__in=b_elements(framework), practised=True
    ).values_list("check_record__owner_id", "element", "understood_count", "practised_count", "total"):
        elements[owner][element] = Standing(Share(understood, total), Share(practised, total))
    labels: dict[int, dict[str, Standing]] = defaultdict(dict)
    c_codes = [label.code for label in labels_of(framework, "C")]
    for owner, code, understood, practised, total in CheckLabelStanding.objects.filter(
        check_record_id__in=checks, label__in=c_codes, practised=True
    ).values_list("check_record__owner_id", "label", "understood_count", "practised_count", "total"):
        labels[owner][code] = Standing(Share(understood, total), Share(practised, total))
    a_codes = [label.code for label in labels_of(framework, "A")]
    basics = {
        owner: Share(understood, total)
        for owner, understood, total in CheckLabelStanding.objects.filter(
            check_record_id__in=checks, label__in=a_codes
        )
        .values("check_record__owner_id")
        .annotate(u=Count("pk", filter=Q(understood=True)), n=Count("pk"))
        .values_list("check_record__owner_id", "u", "n")
    }
    owners = set(elements) | set(labels) | set(basics)
    return {o: Standings(elements[o], labels[o], basics.get(o, Share(0, 0))) for o in owners}


def knows(profile: PoolProfile, lgcode: str, prefecture: str) -> bool:
    """The person's profile names the 市町村 or its 都道府県."""
    return any(code == lgcode for code, _ in profile.municipalities) or any(
        code == prefecture for code, _ in profile.prefectures
    )
