"""Which totals of a 研修, and of an organisation's 年度, its staff are shown.

This module only says which groups of checks a page counts (a 研修's phases, the change over those
who handed in both, the checks shared with the organisation in a 年度), who will see them (the
organisation's staff) and how to tell which paper checks the organisation typed in (``typed_by``);
``bansou.disclosure.services.show`` decides, against everything shown anywhere before, records and
counts. Pages and files get a typed result (``CohortTotals``,
``Figure``); presenters and exports only format it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bansou.cohorts import queries
from bansou.cohorts.models import Cohort, Phase
from bansou.disclosure.services import Figure, TypedBy, Withheld, show
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version
from bansou.orgs.models import Organisation

__all__ = ["CohortTotals", "Figure", "Withheld", "cohort_totals", "overview_totals"]


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


def _typed_by(organisation_id: int) -> TypedBy:
    """Which of some paper checks the organisation typed in (for a 研修 of its own)."""
    return lambda checks: queries.typed_by(organisation_id, sorted(checks))


def _open(group: frozenset[int]) -> Figure:
    return Figure(len(group), withheld=Withheld.OPEN)


def cohort_totals(cohort: Cohort, framework: Framework, viewer_id: int) -> CohortTotals:
    """The organiser's totals of ``cohort``: each phase only once it is closed (before, each hand-in
    would show in the difference), the change once both are."""
    groups = queries.groups_of(cohort)
    pre_closed, post_closed = cohort.is_closed(Phase.PRE), cohort.is_closed(Phase.POST)
    asked: list[tuple[frozenset[int], ...]] = []
    if pre_closed:
        asked.append((groups.pre,))
    if post_closed:
        asked.append((groups.post,))
    if pre_closed and post_closed:
        asked.append((groups.paired_pre, groups.paired_post))
    figures = iter(
        show(
            asked,
            viewer_id=viewer_id,
            framework=framework,
            version=cohort.framework,
            audience=queries.staff_of(cohort.organisation_id),
            typed_by=_typed_by(cohort.organisation_id),
            shown_to=cohort.organisation_id,
        )
    )
    pre = next(figures)[0] if pre_closed else _open(groups.pre)
    post = next(figures)[0] if post_closed else _open(groups.post)
    paired_pre, paired_post = (
        next(figures) if pre_closed and post_closed else (_open(groups.paired_pre), _open(groups.paired_post))
    )
    return CohortTotals(pre, post, paired_pre, paired_post, pre_closed, post_closed)


def overview_totals(
    organisation: Organisation, fiscal_year: int, framework: Framework, viewer_id: int
) -> Figure:
    """The totals over the checks shared with ``organisation`` in a 年度 (of the current version),
    under the same rule."""
    version = current_version()
    group = queries.overview_group(organisation, fiscal_year, version)
    ((figure,),) = show(
        [(group,)],
        viewer_id=viewer_id,
        framework=framework,
        version=version,
        audience=queries.staff_of(organisation.pk),
        typed_by=_typed_by(organisation.pk),
        shown_to=organisation.pk,
    )
    return figure
