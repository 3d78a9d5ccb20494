"""Pages of 研修, by whom they serve: ``pages`` (list, create, join, the 研修's page, hand-in, leave),
``totals`` (the organiser's totals, projector, xlsx/CSV), ``paper`` (paper results typed in),
``organise`` (settings, join code, closing a phase) and ``overview`` (the organisation's overview of
shared checks, routed from ``orgs.urls``)."""

from bansou.cohorts.views.overview import org_overview

__all__ = ["org_overview"]
