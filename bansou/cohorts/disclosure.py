"""Which totals an organisation's staff are shown, and the record of what they were shown.

Every figure counts a group of checks; ``domain.aggregates.disclose`` decides, beside every group
the organisation's staff have been shown before (its 研修 and its overview are one measure), whether
a group may be shown or why not. Deciding reads: the groups, the groups shown before, the totals (a
fixed number of queries). Recording the groups shown for the first time is the one write, short and
of its own once the reads are done: no transaction spans the long reads (on SQLite every transaction
takes the write lock at BEGIN, so one would make the organisers' pages wait for each other).

Pages and files get a typed result (``CohortTotals``, ``Figure``); presenters and exports only format
it. Totals that do not count exactly the group decided on (someone left, or a share changed, between
the two reads) are withheld as ``Withheld.CHANGED``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bansou.cohorts import queries
from bansou.cohorts.models import Cohort, Phase, ShownGroup
from bansou.domain.aggregates import Group, Hidden, Request, Totals, disclose
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version
from bansou.orgs.models import Organisation


class Withheld(StrEnum):
    """Why a group's totals are not shown."""

    TOO_FEW = Hidden.TOO_FEW.value  # fewer than five people (not counting what the viewer knows)
    DIFFERENCE = Hidden.DIFFERENCE.value  # beside groups shown before, a difference would be 1-4 people
    OPEN = "open"  # the phase is not closed yet: each hand-in would show in the difference
    CHANGED = "changed"  # the group changed between deciding and counting


@dataclass(frozen=True)
class Figure:
    """One group's totals as the rule lets them be shown: ``totals``, or why they are ``withheld``."""

    people: int  # the size of the group, told even when its totals are withheld
    totals: Totals | None = None
    withheld: Withheld | None = None


@dataclass(frozen=True)
class CohortTotals:
    """A 研修's totals: 事前 and 事後 over everyone who handed each in, and for the change, both over
    those who handed in both (shown together or not at all)."""

    pre: Figure
    post: Figure
    paired_pre: Figure
    paired_post: Figure
    pre_closed: bool
    post_closed: bool

    @property
    def change_shown(self) -> bool:
        return self.paired_pre.totals is not None and self.paired_post.totals is not None


def cohort_totals(cohort: Cohort, framework: Framework, viewer_id: int) -> CohortTotals:
    """The organiser's totals of ``cohort``: each only once its phase is closed and if ``disclose``
    allows it beside every group the organisation's staff have been shown; the groups shown for the
    first time are recorded."""
    totals, new = _cohort_totals(cohort, framework, viewer_id)
    record_shown(cohort.organisation, new)
    return totals


def overview_totals(
    organisation: Organisation, fiscal_year: int, framework: Framework, viewer_id: int
) -> Figure:
    """The totals over the checks shared with ``organisation`` in a 年度 (of the current version),
    under the same rule; the group is recorded when shown for the first time."""
    figure, new = _overview_totals(organisation, fiscal_year, framework, viewer_id)
    record_shown(organisation, new)
    return figure


def record_shown(organisation: Organisation, groups: Iterable[Group]) -> None:
    """Records groups shown for the first time (one INSERT; none when there are none)."""
    rows = []
    for group in set(groups):
        ids = sorted(group, key=int)
        digest = hashlib.sha256(",".join(ids).encode()).hexdigest()
        rows.append(ShownGroup(organisation=organisation, digest=digest, checks=ids))
    if rows:
        ShownGroup.objects.bulk_create(rows, ignore_conflicts=True)


def _measure(organisation: Organisation) -> str:
    return f"org:{organisation.pk}"


def _decide(
    organisation: Organisation, groups: queries.Groups, pre_closed: bool, post_closed: bool
) -> tuple[dict[str, Hidden | None], list[Group]]:
    """The decision on each closed phase's group (and on the change, once both are closed), and the
    groups to be shown that were not shown before. One query."""
    measure = _measure(organisation)
    wanted: list[tuple[str, Request]] = []
    if pre_closed:
        wanted.append(("pre", Request(((measure, groups.pre),))))
    if post_closed:
        wanted.append(("post", Request(((measure, groups.post),))))
    if pre_closed and post_closed:
        wanted.append(("change", Request(((measure, groups.paired_pre), (measure, groups.paired_post)))))
    earlier = queries.shown_groups(organisation)
    decisions = dict(
        zip(
            [k for k, _r in wanted],
            disclose([r for _k, r in wanted], shown={measure: earlier}, known=groups.known),
            strict=True,
        )
    )
    new = [g for key, r in wanted if decisions[key] is None for _m, g in r.parts if g not in earlier]
    return decisions, new


def _cohort_totals(cohort: Cohort, framework: Framework, viewer_id: int) -> tuple[CohortTotals, list[Group]]:
    groups = queries.groups_of(cohort, viewer_id)
    pre_closed, post_closed = cohort.is_closed(Phase.PRE), cohort.is_closed(Phase.POST)
    decisions, new = _decide(cohort.organisation, groups, pre_closed, post_closed)
    codes = queries.item_codes(cohort.framework)
    computed: dict[Group, Totals] = {}

    def figure(key: str, group: Group, closed: bool, phase: str, *, paired: bool) -> Figure:
        if not closed:
            return Figure(len(group), withheld=Withheld.OPEN)
        reason = decisions[key]
        if reason is not None:
            return Figure(len(group), withheld=Withheld(reason))
        if group not in computed:  # the same checks (everyone did both): counted once
            checks = queries.handed_in_checks(cohort, phase, paired=paired)
            computed[group] = queries.totals_of(checks, framework.scale, codes)
        if computed[group].people != len(group):  # the hand-ins changed between the two reads
            return Figure(len(group), withheld=Withheld.CHANGED)
        return Figure(len(group), computed[group])

    both_closed = pre_closed and post_closed
    totals = CohortTotals(
        pre=figure("pre", groups.pre, pre_closed, Phase.PRE, paired=False),
        post=figure("post", groups.post, post_closed, Phase.POST, paired=False),
        paired_pre=figure("change", groups.paired_pre, both_closed, Phase.PRE, paired=True),
        paired_post=figure("change", groups.paired_post, both_closed, Phase.POST, paired=True),
        pre_closed=pre_closed,
        post_closed=post_closed,
    )
    return totals, new


def _overview_totals(
    organisation: Organisation, fiscal_year: int, framework: Framework, viewer_id: int
) -> tuple[Figure, list[Group]]:
    version = current_version()
    checks, group, known = queries.overview_checks(organisation, fiscal_year, version, viewer_id)
    measure = _measure(organisation)
    before = queries.shown_groups(organisation)
    (reason,) = disclose([Request(((measure, group),))], shown={measure: before}, known=known)
    if reason is not None:
        return Figure(len(group), withheld=Withheld(reason)), []
    totals = queries.totals_of(checks, framework.scale, queries.item_codes(version))
    if totals.people != len(group):  # the shares changed between the two reads
        return Figure(len(group), withheld=Withheld.CHANGED), []
    return Figure(len(group), totals), [group] if group not in before else []
