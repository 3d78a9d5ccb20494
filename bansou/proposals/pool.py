"""The pool as team forming sees it: everyone selection may consider for the organisation (in its pool,
sharing a check with it: ``teams.selection.pool_profiles``), each as a ``domain.forming.Person`` made
only of element- and label-level standings of the check they share with the organisation, and of
their supporter profile. A fixed number of queries (ten), whatever the pool's size.
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
from bansou.orgs.models import Membership
from bansou.places.models import Municipality
from bansou.sharing import queries as sharing_queries
from bansou.teams.selection import PoolProfile, pool_profiles, profiles_of

CORE_ROLE = sorted(CORE_ROLES)[0]  # the role a proposed core member is seen with in the preview


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


@dataclass(frozen=True)
class FormingPool:
    people: tuple[Person, ...]  # by フリガナ; ``key`` is the user id as text
    profiles: dict[str, PoolProfile]  # by key
    standings: dict[str, Standings]  # by key
    start: date  # the day availability is judged on

    def name(self, key: str) -> str:
        profile = self.profiles.get(key)
        return profile.display_name if profile else "（人材プールを離れた人）"


def b_elements(framework: Framework) -> tuple[int, ...]:
    return tuple(e.number for e in framework.elements if e.tier == "B")


def start_day(fiscal_year: int, today: date) -> date:
    """The day availability is judged on: today, or the 年度's first day if it is still to come."""
    return max(today, date(fiscal_year, 4, 1))


def forming_pool(
    organisation_id: int,
    framework: Framework,
    municipality: Municipality,
    fiscal_year: int,
    today: date,
    only: Collection[int] | None = None,
) -> FormingPool:
    """The people of the pool as the optimiser sees them for a team in ``municipality`` in
    ``fiscal_year`` (``only``: those of these user ids who are still in the pool, to show a proposal).
    Ten queries."""
    if only is None:
        profiles = pool_profiles(organisation_id, fiscal_year)
    else:
        found = profiles_of(organisation_id, only, fiscal_year)
        profiles = sorted(found.values(), key=lambda p: (p.furigana, p.display_name, p.user_id))
    standings = _standings(organisation_id, framework, only)
    start = start_day(fiscal_year, today)
    a_labels = len(labels_of(framework, "A"))
    people = []
    for order, profile in enumerate(profiles):
        mine = standings.get(profile.user_id) or Standings({}, {}, Share(0, 0))
        people.append(
            Person(
                key=str(profile.user_id),
                practises=frozenset(f"B:{n}" for n in mine.elements)
                | frozenset(f"C:{c}" for c in mine.labels),
                basics=a_labels > 0 and mine.basics.count == mine.basics.total == a_labels,
                may_be_core=profile.core_role,
                capacity=profile.capacity,
                load=profile.load,
                available=profile.available_on(start),
                knows_area=_knows(profile, municipality),
                supported_before=any(s.lgcode == municipality.lgcode for s in profile.experience),
                order=order,
            )
        )
    return FormingPool(
        people=tuple(people),
        profiles={str(p.user_id): p for p in profiles},
        standings={str(k): v for k, v in standings.items()},
        start=start,
    )


def _knows(profile: PoolProfile, municipality: Municipality) -> bool:
    return any(code == municipality.lgcode for code, _ in profile.municipalities) or any(
        code == municipality.prefecture_id for code, _ in profile.prefectures
    )


def _standings(
    organisation_id: int, framework: Framework, only: Collection[int] | None
) -> dict[int, Standings]:
    """By owner: the B elements and C labels practised, and the A labels understood, in the check they
    share with the organisation's pool. Three queries."""
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


def pool_choices(organisation_id: int) -> list[tuple[int, str]]:
    """(user id, 「名前（フリガナ）」) of everyone selection may consider, by フリガナ. One query."""
    sharing = sharing_queries.organisation_shares(organisation_id).values("owner_id")
    rows = (
        Membership.objects.filter(organisation_id=organisation_id, in_pool=True, user_id__in=sharing)
        .select_related("user")
        .only("user_id", "user__display_name", "user__furigana", "user__username")
        .order_by("user__furigana", "user__display_name", "user_id")
    )
    return [(m.user_id, f"{m.user}（{m.user.furigana}）" if m.user.furigana else str(m.user)) for m in rows]


def rule_keys(framework: Framework) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The B and C rule keys the optimiser is given: "B:<element>", "C:<label code>"."""
    return (
        tuple(f"B:{n}" for n in b_elements(framework)),
        tuple(f"C:{label.code}" for label in labels_of(framework, "C")),
    )
