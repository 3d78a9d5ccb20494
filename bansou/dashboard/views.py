"""The organisation's dashboard across its teams, for its staff: a 年度 beside the one before."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.dashboard import presenters, queries
from bansou.dashboard.forms import YearForm
from bansou.domain.access import OrgAction
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.access import org_for
from bansou.orgs.models import Organisation
from bansou.teams.staff_verdicts import rule_heads, teams_verdicts
from bansou.web.fields import fiscal_year_choices


def _year(request: AuthedRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"]
    year = fiscal_year_of(timezone.localdate())
    return YearForm(initial={"year": year}), year


def plan_href(organisation: Organisation, year: int) -> str:
    """Where staff plan a team for a 市町村 without one: the 配置計画 form of the 年度, with the
    市町村 added to those of the organisation's teams (the 団体コード is appended)."""
    base = reverse("placements:new", args=[organisation.public_id])
    return f"{base}?fiscal_year={year}&municipality="


def _listed(request: AuthedRequest, years: tuple[int, int]) -> tuple[int, str, str] | None:
    """Which 年度's teams the list shows, and the rule and verdict it is narrowed to (from a count's
    link); None when the viewer asked for no list (hundreds of rows are listed only on demand)."""
    asked = request.GET.get("list", "")
    if asked not in {str(y) for y in years}:
        return None
    return int(asked), request.GET.get("rule", ""), request.GET.get("verdict", "")


@login_required
@require_safe
def page(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    form, year = _year(request)
    years = (year, year - 1)
    framework = framework_of(current_version())
    heads = rule_heads(framework)
    verdicts = teams_verdicts(queries.teams_of(organisation, years), framework)
    teams = [t.team for t in verdicts]
    places = queries.municipalities_in(queries.prefectures_of(organisation, teams))
    figures = queries.pool_figures(organisation, years, framework, request.user.pk)
    audit.record(request.user, audit.Kind.DASHBOARD, f"{organisation.name}／{format_fiscal_year(year)}")
    context: dict[str, Any] = {
        "organisation": organisation,
        "form": form,
        "years": [format_fiscal_year(y) for y in years],
        "team_counts": [sum(1 for t in teams if t.fiscal_year == y) for y in years],
        "empty_counts": [
            sum(1 for t in verdicts if t.team.fiscal_year == y and not t.members) for y in years
        ],
        "heads": [{"head": h, "short": presenters.short(h)} for h in heads],
        "outcomes": [title for _value, title in presenters.OUTCOMES],
        "verdict_rows": presenters.verdict_rows(heads, years, verdicts),
        "team_list": presenters.team_list(heads, verdicts, years, _listed(request, years)),
        "uncovered": presenters.uncovered(places, teams, years, plan_href(organisation, year)),
        "pool_rows": presenters.pool_rows(
            framework,
            figures,
            reverse("teams:org_pool", args=[organisation.public_id]),
            year if year in dict(fiscal_year_choices()) else None,  # the pool page's 年度 choices
        ),
        "load_rows": presenters.load_rows(queries.loads(organisation, years), years),
    }
    return render(request, "dashboard/page.html", context)
