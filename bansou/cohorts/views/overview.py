"""The organisation's overview of the checks shared with it (its staff only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bansou.accounts.http import AuthedRequest
from bansou.cohorts import forms, presenters
from bansou.domain.access import OrgAction
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.access import org_for


def _framework() -> Framework:
    return framework_of(current_version())


@login_required
@require_safe
def org_overview(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    form = forms.OverviewForm(request.GET or None)
    year = fiscal_year_of(timezone.localdate())
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["fiscal_year"]
    elif not form.is_bound:
        form = forms.OverviewForm(initial={"fiscal_year": year})
    context = presenters.overview(organisation, year, _framework(), request.user.pk)
    return render(
        request,
        "cohorts/overview.html",
        {
            "organisation": organisation,
            "form": form,
            "fiscal_year": format_fiscal_year(year),
            **context,
        },
    )
