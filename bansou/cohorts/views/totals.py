"""The organiser's totals of a 研修: the page (and its PDF), the projector view, and the totals as
xlsx and CSV; all from ``disclosure.cohort_totals``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.cohorts import disclosure, exports, presenters, screens
from bansou.cohorts.access import cohort_for
from bansou.cohorts.models import Cohort
from bansou.domain.access import CohortAction
from bansou.frameworks.queries import framework_of
from bansou.reports import pdf, responses


@login_required
@require_safe
def results(request: AuthedRequest, cohort_id: str, as_pdf: bool = False) -> HttpResponse:
    """The organiser's totals; with ``as_pdf`` the same page as an A4 PDF."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    if as_pdf:
        _downloaded(request, seat.cohort, "PDF")
    return pdf.respond(
        request,
        "cohorts/results.html",
        {
            "cohort": seat.cohort,
            **presenters.dates(seat.cohort),
            **presenters.cohort_results(totals, framework),
        },
        pdf_name="bansou-cohort-totals" if as_pdf else None,
    )


@login_required
@require_safe
def results_xlsx(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """The totals the page shows, as a workbook: only what the five-person rule lets the page show."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    _downloaded(request, seat.cohort, "xlsx")
    book = exports.totals_workbook(seat.cohort, framework, totals, exported_at=timezone.localtime())
    return responses.xlsx(book, exports.FILE_NAME)


@login_required
@require_safe
def results_csv(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    table = exports.totals_sheet(framework, totals)
    _downloaded(request, seat.cohort, "CSV")
    return responses.csv(request, table, exports.FILE_NAME, back=reverse("cohorts:results", args=[cohort_id]))


def _downloaded(request: AuthedRequest, cohort: Cohort, form: str) -> None:
    audit.record(request.user, audit.Kind.COHORT_TOTALS, f"{cohort.name}／集計（{form}）")


@login_required
@require_safe
def projector(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    context = presenters.cohort_results(totals, framework)
    context["screen_charts"] = screens.projector_charts(framework, context["columns"])
    return render(
        request, "cohorts/projector.html", {"cohort": seat.cohort, **presenters.dates(seat.cohort), **context}
    )
