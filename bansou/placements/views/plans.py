"""配置計画's pages, for the organisation's staff only (404 for another organisation's plan): the
plans by 年度 (this one beside the one before) with the form to ask for a plan (the quick plan at
once), a plan's page, and the exact plan in a second short request."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.domain import forming, planning
from bansou.domain.access import OrgAction
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.access import org_for
from bansou.orgs.models import Organisation
from bansou.placements import forms, presenters, queries, services, words
from bansou.placements.models import EXACT_LIMIT, ChangeProposal, PlacementPlan
from bansou.placements.pool import existing_teams, plan_pool
from bansou.teams.pool_people import rule_keys
from bansou.web.fields import fiscal_year_choices

BOUNDS = ("size_min", "size_max", "core_min", "core_max", "needed", "prefer_area", "prefer_experience")


def _year(request: AuthedRequest) -> int:
    now = fiscal_year_of(timezone.localdate())
    text = (request.POST if request.method == "POST" else request.GET).get("fiscal_year", "")
    year = int(text) if text.isascii() and text.isdigit() else now
    return year if year in {y for y, _label in fiscal_year_choices()} else now


def _initial(request: AuthedRequest, organisation: Organisation, fiscal_year: int) -> dict[str, Any]:
    """The form as the address says (back from the picker, with the 市町村 chosen added), else the
    市町村 of the organisation's teams in the 年度."""
    given = {
        k: v for k, v in request.GET.items() if k in forms.PlanForm.base_fields and k != "municipalities"
    }
    codes = forms.codes_of(request.GET.get("municipalities", ""))
    if "municipalities" not in request.GET:
        codes = sorted(existing_teams(organisation.pk, fiscal_year))
    picked = request.GET.get("municipality", "")
    if picked:
        codes = list(dict.fromkeys([*codes, *forms.codes_of(picked)]))
    return {**given, "fiscal_year": fiscal_year, "municipalities": "\n".join(codes)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    if request.method != "POST" and "pick" in request.GET:  # to the picker, and back with what was typed
        kept = {
            k: v for k, v in request.GET.items() if k not in {"pick", "csrfmiddlewaretoken", "municipality"}
        }
        back = f"{request.path}?{urlencode(kept)}"
        return redirect(f"{reverse('places:municipalities')}?{urlencode({'next': back})}")
    fiscal_year = _year(request)
    posted = request.POST if request.method == "POST" else None
    form = forms.PlanForm(
        posted, initial=_initial(request, organisation, fiscal_year) if posted is None else {}
    )
    if posted is not None and form.is_valid():
        plan = _make(request, organisation, form)
        if plan is not None:
            return redirect("placements:detail", organisation.public_id, plan.public_id)
    plans = queries.plans_by_year(organisation, (fiscal_year, fiscal_year - 1))
    return render(
        request,
        "placements/new.html",
        {
            "organisation": organisation,
            "form": form,
            "years": [
                {"label": format_fiscal_year(year), "plans": plans[year], "this": year == fiscal_year}
                for year in (fiscal_year, fiscal_year - 1)
            ],
            "other_years": [
                (y, format_fiscal_year(y))
                for y in queries.years_with_plans(organisation)
                if y not in (fiscal_year, fiscal_year - 1)
            ],
        },
    )


def _make(request: AuthedRequest, organisation: Organisation, form: forms.PlanForm) -> PlacementPlan | None:
    """The quick plan, kept and written in the audit log; None, with the reasons on the form, when the
    pool cannot staff some 市町村 at all."""
    data = form.cleaned_data
    fiscal_year = data["fiscal_year"]
    places = data["municipalities"]
    teams = existing_teams(organisation.pk, fiscal_year, [m.lgcode for m in places])
    asked = services.Asked(
        fiscal_year=fiscal_year,
        targets=tuple(
            services.Wanted(
                lgcode=m.lgcode,
                team=teams[m.lgcode].pk if m.lgcode in teams else None,
                **{k: data[k] for k in BOUNDS},
            )
            for m in places
        ),
        changes=planning.Changes(data["changes"]),
        areas_required=data["areas_required"],
    )
    framework = framework_of(current_version())
    pool = plan_pool(
        organisation.pk,
        framework,
        fiscal_year,
        timezone.localdate(),
        lgcodes=[m.lgcode for m in places],
        team_ids=asked.team_ids,
    )
    asked = replace(
        asked, targets=tuple(replace(t, movable=tuple(sorted(pool.current(t.team)))) for t in asked.targets)
    )
    try:
        plan = services.make_plan(
            organisation=organisation,
            user=request.user,
            asked=asked,
            request=asked.request(pool, rule_keys(framework)),
        )
    except services.Refused as refused:
        who = {key: pool.name(key) for key in pool.profiles}
        names = {m.lgcode: str(m) for m in places}
        for problem in refused.problems:
            form.add_error(None, words.plan_problem(problem, who, names, fiscal_year, pool.start))
        return None
    target = f"{organisation.name}／{format_fiscal_year(fiscal_year)}／{len(places)}市町村"
    audit.record(request.user, audit.Kind.PLACEMENT, target)
    return plan


@login_required
@require_http_methods(["GET", "HEAD"])
def detail(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    plan = queries.plan_of(organisation, plan_id)
    outcome = queries.outcome_of(plan)
    previous = queries.previous_plan(plan)
    before = queries.outcome_of(previous) if previous else None
    framework = framework_of(current_version())
    seen = queries.seen(
        plan, framework, services.named(outcome), also=services.named(before) if before else ()
    )
    context = presenters.outcome_context(outcome, framework, seen)
    if before is not None:
        presenters.add_previous(context, before, seen)
    found = outcome.plan
    if found is None:
        context["status"] = presenters.status_of(
            None, exact_ran=plan.exact is not None, too_large=plan.exact_too_large
        )
    changes = ChangeProposal.objects.filter(plan=plan).select_related("team__municipality__prefecture")
    return render(
        request,
        "placements/detail.html",
        {
            "organisation": organisation,
            "plan": plan,
            "fiscal_year": format_fiscal_year(plan.fiscal_year),
            "previous": previous,
            "previous_year": format_fiscal_year(plan.fiscal_year - 1),
            "exact_done": plan.exact is not None or plan.exact_too_large,
            "exact_limit": f"{EXACT_LIMIT:,}",
            "allowed": PlacementPlan.Allowed(plan.changes).label,
            "change_proposals": list(changes),
            "plan_found": found is not None,
            "optimal": found is not None and found.status is forming.Status.OPTIMAL,
            "limited": found is not None and found.status is forming.Status.LIMITED,
            **context,
        },
    )


@login_required
@require_POST
def exact(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    """Works out the exact plan (under a deterministic work limit), then back to the plan's page;
    JSON for the page's script."""
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    plan = queries.plan_of(organisation, plan_id)
    if plan.exact is None and plan.accepted_at is None and not plan.exact_too_large:
        asked = services.asked_of(plan)
        framework = framework_of(current_version())
        seen = queries.seen(plan, framework, None)
        services.solve_exactly(plan=plan, request=asked.request(seen.pool, rule_keys(framework)))
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"done": True})
    return redirect("placements:detail", organisation.public_id, plan.public_id)
