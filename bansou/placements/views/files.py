"""A plan's files, with the same access as its page: the gaps across the planned 市町村 (the input to
recruiting and to 研修 planning) and the plan's table of 市町村 × people (written in the audit log:
it names people)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.domain.access import OrgAction
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.access import org_for
from bansou.placements import exports, presenters, queries, services
from bansou.placements.models import PlacementPlan
from bansou.reports import responses
from bansou.teams.rule_words import Rules


def _read(
    request: AuthedRequest, org_id: str, plan_id: str
) -> tuple[PlacementPlan, Framework, presenters.Seen]:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    plan = queries.plan_of(organisation, plan_id)
    framework = framework_of(current_version())
    return plan, framework, queries.seen(plan, framework, services.named(queries.outcome_of(plan)))


def _gaps(
    request: AuthedRequest, org_id: str, plan_id: str
) -> tuple[PlacementPlan, Framework, list[dict[str, Any]]]:
    plan, framework, seen = _read(request, org_id, plan_id)
    return plan, framework, presenters.gap_rows(queries.outcome_of(plan), Rules.of(framework), seen)


@login_required
@require_safe
def gaps_xlsx(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    plan, framework, rows = _gaps(request, org_id, plan_id)
    tables = (exports.gaps_table(rows), exports.gap_places_table(rows))
    book = exports.workbook(framework, plan.fiscal_year, tables, "この計画の市町村全体で満たせない力")
    return responses.xlsx(book, exports.GAPS_FILE)


@login_required
@require_safe
def gaps_csv(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    plan, _framework, rows = _gaps(request, org_id, plan_id)
    back = reverse("placements:detail", args=[plan.organisation.public_id, plan.public_id])
    return responses.csv(request, exports.gap_places_table(rows), exports.GAPS_FILE, back=back)


def _plan_rows(
    request: AuthedRequest, org_id: str, plan_id: str
) -> tuple[PlacementPlan, Framework, list[dict[str, Any]]]:
    plan, framework, seen = _read(request, org_id, plan_id)
    rows = presenters.team_rows(queries.outcome_of(plan), framework, seen)
    target = f"{plan.organisation.name}／{format_fiscal_year(plan.fiscal_year)}／配置計画のダウンロード"
    audit.record(request.user, audit.Kind.PLACEMENT, target)
    return plan, framework, rows


@login_required
@require_safe
def plan_xlsx(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    plan, framework, rows = _plan_rows(request, org_id, plan_id)
    book = exports.workbook(framework, plan.fiscal_year, (exports.plan_table(rows),), "市町村ごとの配置")
    return responses.xlsx(book, exports.PLAN_FILE)


@login_required
@require_safe
def plan_csv(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    plan, _framework, rows = _plan_rows(request, org_id, plan_id)
    back = reverse("placements:detail", args=[plan.organisation.public_id, plan.public_id])
    return responses.csv(request, exports.plan_table(rows), exports.PLAN_FILE, back=back)
